// A Request (or any object that is not a plain one) given as the init of `new Request(url, init)`
// or `stub.fetch(url, init)` is read as a RequestInit: its method, headers and body (a stream)
// are taken through its own getters, the usual way to send a request on to another URL.
import { cls, inside } from "../scenario.mjs";

const source = cls(`  async fetch(req) {
    return Response.json({ method: req.method, url: req.url, header: req.headers.get("x-from"), body: await req.text() });
  }`);

const drive = `async function drive(env) {
  const s = env.DO.getByName("a");
  const o = async (f) => { try { return { ok: show(await f()) }; } catch (e) { return { error: err(e) }; } };
  const sent = () => new Request("http://do/first", { method: "PUT", headers: { "x-from": "init" }, body: "carried" });
  class Init {
    get method() { return "PATCH"; }
    get headers() { return { "x-from": "getter" }; }
    get body() { return new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed")); c.close(); } }); }
  }
  return {
    fetchWithBody: await o(async () => (await s.fetch("http://do/second", sent())).json()),
    fetchWithoutBody: await o(async () => (await s.fetch("http://do/second", new Request("http://do/first", { method: "DELETE", headers: { "x-from": "get" } }))).json()),
    fetchClassInit: await o(async () => (await s.fetch("http://do/second", new Init())).json()),
    constructWithBody: await o(async () => { const r = new Request("http://z/", sent()); return [r.method, r.url, r.headers.get("x-from"), await r.text()]; }),
    constructClassInit: await o(async () => { const r = new Request("http://z/", new Init()); return [r.method, r.headers.get("x-from"), await r.text()]; }),
  };
}`;


// The init of a Request or a Response is converted first, every member read once in the order
// the runtime declares them (a Symbol fails as V8 fails it, a member of the wrong type is refused
// by name), and only then checked, in the constructor's order: with two bad members, the error is
// the runtime's, whichever they are, and the same for new Request(), a global fetch() and
// stub.fetch(). Global fetch() rows are all refused before any connection is tried.
const inits = (name, body) => inside(name, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
    const stub = this.env.DO.getByName("o");
    const logged = (init, log) => new Proxy(init, { get(o, k, r) { log.push(String(k)); return Reflect.get(o, k, r); } });
    const reads = async (make, init) => { const log = []; const result = await outcome(async () => make(logged(init, log))); return [log.join(","), result]; };
    const used = () => { const r = new Request("http://x/", { method: "POST", body: "x" }); r.text(); return r; };
${body}`);

const nowhere = "http://127.0.0.1:1/";

const orderScenarios = [
  inits("request init: members read once each, in the runtime's order, by new Request(), fetch(), stub.fetch() and new Response()", `
    return {
      request: await reads((i) => new Request("http://x/", i), { method: "POST" }),
      fetch: await reads((i) => fetch("${nowhere}", i), { method: "bad method" }),
      stubFetch: await reads((i) => stub.fetch("http://x/", i), { method: "bad method" }),
      response: await reads((i) => new Response("b", i), { status: 200 }),
      json: await reads((i) => Response.json(1, i), { status: 201 }),
    };`),
  inits("request init: converted (method, headers, body, redirect, cf, cache, integrity, signal), then cache, input, integrity, method, GET/HEAD body, redirect checked", `
    return {
      methodSymbolBadRedirect: t(() => new Request("http://x/", { method: Symbol(), redirect: "bad" })),
      methodSymbolBadCache: t(() => new Request("http://x/", { method: Symbol(), cache: "default" })),
      methodSymbolIntegrity: t(() => new Request("http://x/", { method: Symbol(), integrity: "x" })),
      methodSymbolCf: t(() => new Request("http://x/", { method: Symbol(), cf: 1 })),
      methodSymbolHeaders: t(() => new Request("http://x/", { method: Symbol(), headers: 1 })),
      headersSymbolCf: t(() => new Request("http://x/", { headers: { a: Symbol() }, cf: 1 })),
      bodySymbolRedirectSymbol: t(() => new Request("http://x/", { method: "POST", body: Symbol(), redirect: Symbol() })),
      redirectSymbolCf: t(() => new Request("http://x/", { redirect: Symbol(), cf: 1 })),
      cacheSymbolCf: t(() => new Request("http://x/", { cache: Symbol(), cf: 1 })),
      cacheSymbolIntegrity: t(() => new Request("http://x/", { cache: Symbol(), integrity: "x" })),
      integritySymbolBadCache: t(() => new Request("http://x/", { integrity: Symbol(), cache: "default" })),
      signalBadCache: t(() => new Request("http://x/", { signal: 1, cache: "default" })),
      signalBadCf: t(() => new Request("http://x/", { signal: 1, cf: 1 })),
      badMethodCf: t(() => new Request("http://x/", { method: "bad method", cf: 1 })),
      badCacheBadUrl: t(() => new Request("::bad", { cache: "default" })),
      badUrlIntegrity: t(() => new Request("::bad", { integrity: "x" })),
      badUrlBadMethod: t(() => new Request("::bad", { method: "bad method" })),
      badUrlRedirect: t(() => new Request("::bad", { redirect: "bad" })),
      usedBadCache: t(() => new Request(used(), { cache: "default" })),
      usedIntegrity: t(() => new Request(used(), { integrity: "x" })),
      usedBadMethod: t(() => new Request(used(), { method: "bad method" })),
      badEncodingBadCache: t(() => new Request("http://x/", { encodeResponseBody: "bad", cache: "default" })),
      badEncodingBadUrl: t(() => new Request("::bad", { encodeResponseBody: "Manual" })),
      integrityBadMethod: t(() => new Request("http://x/", { method: "bad method", integrity: "x" })),
      badMethodGetBody: t(() => new Request("http://x/", { method: "bad method", body: "x" })),
      badMethodRedirect: t(() => new Request("http://x/", { method: "bad method", redirect: "bad" })),
      getBodyRedirect: t(() => new Request("http://x/", { body: "x", redirect: "bad" })),
      inputGetBodyRedirect: t(() => new Request(new Request("http://x/"), { body: "x", redirect: "bad" })),
      headBodyRedirect: t(() => new Request("http://x/", { method: "head", body: "x", redirect: "bad" })),
      encodingManual: t(() => new Request("http://x/", { encodeResponseBody: "manual", method: "patch" }).method),
      fetchMethodSymbol: await a(() => fetch("${nowhere}", { method: Symbol(), redirect: "bad" })),
      fetchBadMethod: await a(() => fetch("${nowhere}", { method: "bad method" })),
      fetchRequestMethodSymbol: await a(() => fetch(new Request("${nowhere}"), { method: Symbol() })),
      fetchHeadersSymbol: await a(() => fetch("${nowhere}", { headers: { a: Symbol() } })),
      fetchBadUrlBadMethod: await a(() => fetch("::bad", { method: "bad method" })),
      fetchBadUrlBadCache: await a(() => fetch("::bad", { cache: "default" })),
      fetchCf: await a(() => fetch("${nowhere}", { cf: 1 })),
      fetchGetBodyRedirect: await a(() => fetch("${nowhere}", { body: "x", redirect: "bad" })),
      fetchRedirect: await a(() => fetch("${nowhere}", { redirect: "bad" })),
      fetchCache: await a(() => fetch("${nowhere}", { cache: "default" })),
      fetchSignal: await a(() => fetch("${nowhere}", { signal: {} })),
      fetchFtpBadMethod: await a(() => fetch("ftp://x/", { method: "bad method" })),
      stubMethodSymbolRedirect: await a(() => stub.fetch("http://x/", { method: Symbol(), redirect: "bad" })),
      stubBadUrlBadMethod: await a(() => stub.fetch("::bad", { method: "bad method" })),
      stubBadUrlBadCache: await a(() => stub.fetch("::bad", { cache: "default" })),
      stubGetBodyRedirect: await a(() => stub.fetch("http://x/", { body: "x", redirect: "bad" })),
      stubHeadersSymbolCf: await a(() => stub.fetch("http://x/", { headers: { a: Symbol() }, cf: 1 })),
      stubFtpBadMethod: await a(() => stub.fetch("ftp://x/", { method: "bad method" })),
    };`),
  inits("response init: converted (status, statusText, headers, cf, webSocket), then encodeBody, status, statusText and the null-body rule checked", `
    const pair = () => new WebSocketPair()[0];
    return {
      headersStatus: t(() => new Response("x", { headers: 1, status: 1 })),
      headersSymbolStatus: t(() => new Response("x", { headers: { a: Symbol() }, status: 1 })),
      statusSymbolHeaders: t(() => new Response("x", { status: Symbol(), headers: { a: Symbol() } })),
      statusTextSymbol: t(() => new Response("x", { status: 1, statusText: Symbol() })),
      cfStatus: t(() => new Response("x", { cf: 1, status: 1 })),
      webSocketStatus: t(() => new Response("x", { webSocket: 1, status: 1 })),
      encodingStatus: t(() => new Response("x", { encodeBody: "bad", status: 1 })),
      encodingNullBody: t(() => new Response("x", { encodeBody: "bad", status: 204 })),
      statusStatusText: t(() => new Response("x", { status: 1, statusText: "\\n" })),
      statusTextNullBody: t(() => new Response("x", { status: 204, statusText: "\\n" })),
      nullBody: t(() => new Response("x", { status: 204, statusText: "ok" })),
      webSocketStatus200: t(() => new Response(null, { webSocket: pair(), status: 200, statusText: "\\n" })),
      webSocketBody: t(() => new Response("x", { webSocket: pair(), status: 200 })),
      status101: t(() => new Response(null, { status: 101, statusText: "\\n" })),
      jsonStatusText: t(() => Response.json(1, { statusText: "\\n" })),
      jsonHeadersSymbolStatus: t(() => Response.json(1, { headers: { a: Symbol() }, status: 1 })),
      jsonNullBodyStatusText: t(() => Response.json(1, { status: 204, statusText: "\\n" })),
      statusTexts: ["\\t", "\\x00", "\\r", "\\x1f", " ok ", "a\\u00ff"].map((s) => t(() => new Response(null, { statusText: s }).statusText)),
      encodingManual: t(() => new Response("x", { encodeBody: "manual", status: 201 }).status),
    };`),
  inits("headers init: a function gives only its enumerable keys; a pair that is no sequence, or a Symbol, refused in the runtime's words", `
    const fn = () => { const f = function () {}; f.a = "1"; return f; };
    return {
      headersFunction: t(() => [...new Headers(fn())]),
      requestFunction: t(() => [...new Request("http://x/", { headers: fn() }).headers]),
      responseFunction: t(() => [...new Response(null, { headers: fn() }).headers]),
      stubFunction: await a(async () => [...(await stub.fetch("http://x/", { headers: fn() })).headers].filter(([k]) => k === "a" || k === "length")),
      headersPairNumber: t(() => new Headers([["a", "b"], 5])),
      headersPairString: t(() => new Headers(["ab"])),
      requestPairNumber: t(() => new Request("http://x/", { headers: [1] })),
      responsePairNumber: t(() => new Response("", { headers: [1] })),
      fetchPairNumber: await a(() => fetch("${nowhere}", { headers: [1] })),
      stubPairNull: await a(() => stub.fetch("http://x/", { headers: [null] })),
      pairShort: t(() => new Request("http://x/", { headers: [["a"]] })),
      headersRecordSymbol: t(() => new Headers({ a: Symbol() })),
      headersPairSymbol: t(() => new Headers([["a", Symbol()]])),
      requestRecordSymbol: t(() => new Request("http://x/", { headers: { a: Symbol() } })),
      recordOrder: t(() => [...new Request("http://x/", { headers: { b: "2", a: "1", Cookie: "c" } }).headers]),
    };`),
];

export default [{ name: "request init: a Request or a class instance as the init of new Request() and stub.fetch()", backend: "sqlite", source, drive }, ...orderScenarios];
