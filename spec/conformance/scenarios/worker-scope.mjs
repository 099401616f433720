// Globals Worker code finds in the runtime where Node's differ: atob/btoa, navigator,
// queueMicrotask, structuredClone and URL, with their argument checks, refusals' words and shapes.
import { inside } from "../scenario.mjs";

const scope = (name, body) => inside(`worker scope: ${name}`, "sqlite", `
    const tryAll = (f, inputs) => inputs.map((x) => { try { return show(f(x)); } catch (e) { return err(e); } });
    const errorKind = (f) => { try { f(); } catch (e) { return [e.name, e.code, e.constructor.name, e instanceof DOMException, Object.keys(e)]; } };
${body}`);

export default [
  scope("atob and btoa", `
    return {
      shape: [atob.name, atob.length, btoa.name, btoa.length],
      atob: tryAll(atob, ["", "=", "==", "a", "ab", "abc", "abcd", "ab==", "ab=", "ab=c", "a b\\tc\\nd\\f", " ab\\u00a0", "abc=", "ab c=", "A===", "++//", "-_", 0, 12, null, true, {}, [], "YQ", "YR==", "\\u0100", "abcde", "ab\\rcd\\r\\n", undefined, "!!!"]),
      btoa: tryAll(btoa, ["", "a", "\\u00ff", "\\u0100", "😀", 0, null, undefined, {}, true]),
      atobNone: outcomeSync(() => atob()),
      btoaNone: outcomeSync(() => btoa()),
      atobSymbol: outcomeSync(() => atob(Symbol("s"))),
      btoaSymbol: outcomeSync(() => btoa(Symbol("s"))),
      atobToStringThrows: outcomeSync(() => atob({ toString() { throw new RangeError("ts"); } })),
      atobError: errorKind(() => atob("!")),
      btoaError: errorKind(() => btoa("\\u0100")),
    };`),
  scope("navigator", `
    const d = Object.getOwnPropertyDescriptor(navigator, "userAgent");
    return {
      tag: Object.prototype.toString.call(navigator),
      own: Object.getOwnPropertyNames(navigator),
      proto: Object.getOwnPropertyNames(Object.getPrototypeOf(navigator)),
      ctor: navigator.constructor.name,
      isInstance: navigator instanceof Navigator,
      json: JSON.stringify(navigator),
      userAgent: { writable: d.writable, enumerable: d.enumerable, value: d.value },
      members: ["userAgent", "hardwareConcurrency", "language", "languages", "platform", "onLine", "sendBeacon", "gpu"].map((k) => [k, typeof navigator[k], k in navigator]),
      assign: outcomeSync(() => { "use strict"; navigator.userAgent = "x"; }),
      construct: outcomeSync(() => new Navigator()),
      beaconNone: outcomeSync(() => navigator.sendBeacon()),
      beaconDetached: outcomeSync(() => navigator.sendBeacon.call({}, "http://x/")),
      beaconLength: navigator.sendBeacon.length,
    };`),
  scope("queueMicrotask and structuredClone", `
    const order = [];
    queueMicrotask(() => order.push("micro"));
    order.push("sync");
    await null;
    return {
      order,
      shape: [queueMicrotask.name, queueMicrotask.length, structuredClone.name, structuredClone.length],
      queueNone: outcomeSync(() => queueMicrotask()),
      queueObject: outcomeSync(() => queueMicrotask({})),
      queueNumber: outcomeSync(() => queueMicrotask(1)),
      cloneNone: outcomeSync(() => structuredClone()),
      cloneUndefined: outcomeSync(() => structuredClone(undefined)),
      cloneNullOptions: outcomeSync(() => structuredClone({ a: [1] }, null)),
      cloneNumberOptions: outcomeSync(() => structuredClone(1, 1)),
      cloneStringOptions: outcomeSync(() => structuredClone(1, "x")),
      cloneFunction: outcomeSync(() => structuredClone(() => 1)),
      cloneSymbol: outcomeSync(() => structuredClone(Symbol("x"))),
      cloneTransfer: outcomeSync(() => { const b = new ArrayBuffer(2); const c = structuredClone(b, { transfer: [b] }); return [b.byteLength, c.byteLength]; }),
    };`),
  scope("URL", `
    const u = new URL("http://a/");
    const setters = {};
    for (const [k, v] of [["protocol", "bad:"], ["port", "x"], ["hostname", "a b"], ["pathname", "q r"], ["search", "?x y"], ["hash", "h i"], ["port", "8080x"], ["href", "https://b/c"], ["href", "nope"], ["href", ""]]) {
      try { u[k] = v; setters[k + "=" + v] = u.href; } catch (e) { setters[k + "=" + v] = err(e); }
    }
    return {
      parse: tryAll((args) => new URL(...args).href, [["http://a"], ["a:b"], ["/x", "http://a/b/c"], ["//h/x", "https://a"], [""], ["", "http://a/b"], ["http://[::1"], ["http://a b/"], ["x", undefined], ["x", null], ["x", ""], ["http://a", "bad base"], [undefined], [null], [1], ["http://a:99999/"], ["file:///c:/x"]]),
      none: outcomeSync(() => new URL()),
      symbol: outcomeSync(() => new URL(Symbol("s"))),
      call: outcomeSync(() => URL("http://a")),
      shape: [URL.name, URL.length, Object.getOwnPropertyNames(URL.prototype), Object.prototype.toString.call(u)],
      statics: [URL.canParse("/x", "http://a"), URL.canParse("nope"), show(URL.parse("nope")), URL.parse("/y", "http://a").href, URL.parse("http://q") instanceof URL, typeof URL.createObjectURL, typeof URL.revokeObjectURL],
      canParseNone: outcomeSync(() => URL.canParse()),
      parseNone: outcomeSync(() => URL.parse()),
      setters,
      instances: [u instanceof URL, new Request("http://r/").url, JSON.stringify(new URL("http://a/b")), String(new URL("http://A/%7e")), new URL("http://a/?b=1&b=2").searchParams.getAll("b")],
      origins: ["blob:http://a/x", "data:x", "file:///x", "http://a:80", "ws://a", "foo://a"].map((x) => new URL(x).origin),
    };`),
];
