// The classes of what the globals throw and reject with, one failure of each way a global can
// fail (a constructor, a method, a getter, a static method, a function, a rejection), and of
// what the scope's crypto, AbortSignal and TextEncoder throw. The Jest fixture
// jest-worker-scope (src/errors.ts) expects these classes in the test file's realm.
import { inside } from "../scenario.mjs";

const body = `    const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
    const failures = {
      newUrl: () => new URL("nope"),
      newRequest: () => new Request("nope"),
      newResponse: () => new Response("x", { status: 1 }),
      newHeaders: () => new Headers([["a"]]),
      newTextDecoder: () => new TextDecoder("nope"),
      newNavigator: () => new Navigator(),
      headersAppend: () => new Headers().append("a b", "x"),
      fatalDecode: () => new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff])),
      responseStatusGetter: () => getter(Response.prototype, "status").call({}),
      urlHrefGetter: () => getter(URL.prototype, "href").call({}),
      responseRedirect: () => Response.redirect("https://x.example/", 200),
      atob: () => atob("!"),
      btoa: () => btoa("\\u0100"),
      structuredClone: () => structuredClone(() => 1),
      digest: () => crypto.subtle.digest("nope", new Uint8Array([1])),
      responseJson: () => new Response("{").json(),
      bodyReadTwice: async () => { const r = new Request("https://x.example/", { method: "POST", body: "a" }); await r.text(); return r.text(); },
      fetchBadUrl: () => fetch("nope"),
      getRandomValues: () => crypto.getRandomValues(new Uint8Array(65537)),
      throwIfAborted: () => AbortSignal.abort().throwIfAborted(),
      encodeInto: () => new TextEncoder().encodeInto("x", 1),
    };
    const kinds = { Error, TypeError, RangeError, SyntaxError, DOMException };
    const r = {};
    for (const [name, fail] of Object.entries(failures)) {
      try { await fail(); r[name] = "no error"; }
      catch (e) { r[name] = Object.keys(kinds).filter((kind) => e instanceof kinds[kind]).join(" "); }
    }
    return r;`;

export default [inside("globals: the classes of what the globals throw and reject with", "sqlite", body)];
