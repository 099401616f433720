// Worker globals at their edges, as the runtime has them: structuredClone of odd values (an
// error's cause, holes, -0 keys, a resizable ArrayBuffer, what cannot be cloned), atob/btoa
// refusals, TextDecoder labels and options, crypto.getRandomValues()' limits, queueMicrotask()
// and setTimeout() given no function, navigator and performance, Headers#getSetCookie(),
// FormData's File names, AbortSignal.any(), URLPattern's edges, a transfer-encoding or
// content-length header the Worker sets itself on a Request or a Response, the global `origin`
// ("null"), WebAssembly without compileStreaming/instantiateStreaming, which the runtime lacks,
// and DisposableStack, AsyncDisposableStack and SuppressedError (added where Node 20 lacks them).
import { inside } from "../scenario.mjs";

const edges = (name, body) => inside(`worker globals edges: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
${body}`);

const echo = (s) => ({
  ...s,
  source: s.source.replace("  async go() {", "  async fetch(req) { return Response.json({ te: req.headers.get('transfer-encoding'), cl: req.headers.get('content-length'), body: await req.text() }); }\n  async go() {"),
});

export default [
  edges("structuredClone of errors with a cause, holes, -0 keys, resizable buffers and what cannot be cloned", `
    const out = {};
    out.cloneCause = t(() => { const e = structuredClone(new Error("m", { cause: new TypeError("c") })); return [e.message, String(e.cause), Object.getOwnPropertyNames(e).sort()]; });
    out.cloneSparse = t(() => { const x = structuredClone([1, , 3]); return [x.length, 1 in x]; });
    out.cloneMapNegZero = t(() => [...structuredClone(new Map([[-0, "z"]])).keys()].map((k) => Object.is(k, -0)));
    out.cloneResizable = t(() => { const b = structuredClone(new ArrayBuffer(2, { maxByteLength: 8 })); return [b.resizable, b.maxByteLength, b.byteLength]; });
    out.cloneFn = t(() => structuredClone(() => 1));
    out.cloneSymbol = t(() => structuredClone(Symbol("s")));
    out.cloneNoArg = t(() => structuredClone());
    out.cloneTransfer = t(() => { const b = new ArrayBuffer(4); const c = structuredClone(b, { transfer: [b] }); return [b.byteLength, c.byteLength]; });
    out.cloneErrorName = t(() => { const e = new RangeError("r"); e.name = "Custom"; const c = structuredClone(e); return [c.name, c.constructor.name, c.message]; });
    return out;`),
  edges("atob and btoa refusals, TextDecoder labels, fatal and ignoreBOM", `
    const out = {};
    out.atob = ["", "YQ", "YQ=", "Y", "YQ==", " Y Q = = ", "@@", "YQ===", "\\u0100"].map((s) => t(() => atob(s)));
    out.atobNone = t(() => atob());
    out.btoa = ["a", "\\u00ff", "\\u0100", "😀"].map((s) => t(() => btoa(s)));
    out.btoaNone = t(() => btoa());
    out.btoaNull = [t(() => btoa(null)), t(() => btoa(undefined)), t(() => atob(null)), t(() => atob(undefined))];
    out.decoderLabels = ["utf8", "UTF-8", " utf-8 ", "unicode-1-1-utf-8", "latin1", "iso-8859-1", "ascii", "windows-1252", "utf-16", "utf-16le", "utf-16be", "shift_jis", "gbk", "x-user-defined", "replacement", "bogus", "", "big5", "euc-kr", "iso-2022-jp", "koi8-r"].map((l) => t(() => new TextDecoder(l).encoding));
    out.fatal = t(() => new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff])));
    out.fatalLatin = t(() => new TextDecoder("latin1", { fatal: true }).decode(new Uint8Array([0xff])));
    out.bom = t(() => [new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).length, new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).length]);
    out.bom16 = t(() => new TextDecoder("utf-16le").decode(new Uint8Array([0xff, 0xfe, 0x41, 0])));
    out.decoderProps = t(() => { const d = new TextDecoder("utf-8", { fatal: 1, ignoreBOM: "" }); return [d.fatal, d.ignoreBOM, d.encoding]; });
    return out;`),
  edges("crypto.randomUUID and getRandomValues limits, queueMicrotask and setTimeout given no function", `
    const out = {};
    out.uuid = t(() => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
    out.random65536 = t(() => crypto.getRandomValues(new Uint8Array(65536)).length);
    out.random65537 = t(() => crypto.getRandomValues(new Uint8Array(65537)).length);
    out.randomFloat = t(() => crypto.getRandomValues(new Float32Array(1)));
    out.randomBig = t(() => crypto.getRandomValues(new BigInt64Array(1)).length);
    out.randomDV = t(() => crypto.getRandomValues(new DataView(new ArrayBuffer(1))));
    out.randomNone = t(() => crypto.getRandomValues());
    out.qm = [1, null, undefined, "x", {}].map((v) => t(() => queueMicrotask(v)));
    out.qmNone = t(() => queueMicrotask());
    out.stString = t(() => typeof setTimeout("1", 1));
    out.stNone = t(() => typeof setTimeout());
    return out;`),
  edges("navigator, performance, Headers#getSetCookie, FormData File names and AbortSignal.any", `
    const out = {};
    out.nav = t(() => [navigator.userAgent, navigator.language, navigator.languages, navigator.hardwareConcurrency, typeof navigator.sendBeacon, Object.getOwnPropertyNames(Object.getPrototypeOf(navigator)).sort()]);
    out.perf = t(() => [typeof performance.now(), typeof performance.timeOrigin, performance.timeOrigin === 0, Object.getOwnPropertyNames(Object.getPrototypeOf(performance)).sort(), performance.now() >= 0]);
    out.setCookie = t(() => { const h = new Headers([["set-cookie", "a=1"], ["set-cookie", "b=2, c=3"], ["Set-Cookie", ""]]); return [h.getSetCookie(), h.get("set-cookie"), [...h]]; });
    out.setCookieNone = t(() => new Headers().getSetCookie());
    out.formFile = await a(async () => { const f = new FormData(); f.append("a", new Blob(["x"])); f.append("b", new File(["y"], "y.txt")); f.append("c", new Blob(["z"]), "named"); f.append("d", new File(["w"], "w.txt"), "renamed"); f.append("e", "str"); return [...f].map(([k, v]) => [k, typeof v, v.name, v instanceof File, v.type]); });
    out.formSetFile = t(() => { const f = new FormData(); f.set("a", "s", "n"); return [...f]; });
    out.formBadBlob = t(() => { const f = new FormData(); f.append("a", {}, "n"); return [...f]; });
    out.any = await a(async () => { const c = new AbortController(); const s = AbortSignal.any([c.signal, AbortSignal.timeout(100000)]); c.abort("why"); return [s.aborted, s.reason]; });
    out.anyEmpty = t(() => AbortSignal.any([]).aborted);
    out.anyBad = t(() => AbortSignal.any([1]));
    out.anyNone = t(() => AbortSignal.any());
    out.anyAborted = t(() => { const s = AbortSignal.any([AbortSignal.abort("r")]); return [s.aborted, s.reason]; });
    return out;`),
  edges("URLPattern edges", `
    const out = {};
    const p = (x, y) => t(() => { const q = y === undefined ? new URLPattern(x) : new URLPattern(x, y); return [q.protocol, q.hostname, q.pathname, q.search, q.hash, q.hasRegExpGroups]; });
    out.a = p("https://example.com/:id");
    out.b = p({ pathname: "/books/:id(\\\\d+)" });
    out.c = p("/x", "https://a.com");
    out.d = p("(");
    out.e = p({ pathname: "/:a/:a" });
    out.f = p("https://*.example.com/*");
    out.g = p({ hostname: "{*.}?example.com" });
    out.h = p("http://[::1]:8080/");
    out.i = p({ protocol: "foo" });
    out.j = p("data\\\\:foo");
    out.k = p("/x");
    out.l = t(() => new URLPattern({ pathname: "/a/:b" }).exec("https://z/a/c")?.pathname);
    out.m = t(() => new URLPattern("https://a.com/*").test("https://a.com/x?y#z"));
    out.n = t(() => new URLPattern({ pathname: "/a" }, { ignoreCase: true }).test({ pathname: "/A" }));
    out.o = t(() => new URLPattern("https://a.com/x", { ignoreCase: true }).test("https://A.com/X"));
    out.q = t(() => new URLPattern({ pathname: "/(a|b)" }).exec({ pathname: "/b" }).pathname.groups);
    out.r = t(() => new URLPattern());
    out.s = t(() => new URLPattern({ search: "a=:b" }).exec("https://x/?a=1")?.search);
    return out;`),
  echo(edges("a transfer-encoding or content-length header set on a Request or Response", `
    const out = {};
    out.teReq = await a(async () => { const r = new Request("http://x/", { method: "POST", body: "hello", headers: { "transfer-encoding": "chunked" } }); return [[...r.headers], await r.text()]; });
    out.teRes = await a(async () => { const r = new Response("hello", { headers: { "transfer-encoding": "chunked", "content-length": "5" } }); return [[...r.headers], await r.text()]; });
    out.teStub = await a(async () => { const s = this.env.DO.getByName("echo"); const r = await s.fetch("http://x/", { method: "POST", body: "hello", headers: { "transfer-encoding": "chunked" } }); return r.json(); });
    out.clStub = await a(async () => { const s = this.env.DO.getByName("echo"); const r = await s.fetch("http://x/", { method: "POST", body: "hello", headers: { "content-length": "3" } }); return r.json(); });
    return out;`)),
  edges("origin, and WebAssembly without the streaming functions", `
    return {
      origin: [typeof origin, origin],
      streaming: ["compileStreaming", "instantiateStreaming"].map((k) => [k in WebAssembly, typeof WebAssembly[k]]),
      // Less the members of WebAssembly proposals V8 ships version by version (JSPI, exceptions).
      members: Object.getOwnPropertyNames(WebAssembly).filter((k) => !["promising", "Suspending", "SuspendError", "JSTag", "Exception", "Tag"].includes(k)).sort(),
      tag: Object.prototype.toString.call(WebAssembly),
      classes: [typeof WebAssembly.Module, typeof WebAssembly.Instance, typeof WebAssembly.validate, WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))],
    };`),
  edges("DisposableStack, AsyncDisposableStack and SuppressedError, on Node 20 too", `
    const log = [];
    const stack = new DisposableStack();
    stack.use({ [Symbol.dispose]() { log.push("use"); } });
    stack.defer(() => { throw new Error("first"); });
    stack.defer(() => { throw new Error("second"); });
    let thrown;
    try { stack.dispose(); } catch (e) { thrown = [e.constructor.name, e.message, e.error.message, e.suppressed.message, e instanceof SuppressedError, e instanceof Error]; }
    const asyncLog = [];
    const asyncStack = new AsyncDisposableStack();
    asyncStack.use({ async [Symbol.asyncDispose]() { asyncLog.push("async"); } });
    asyncStack.adopt(1, async (v) => asyncLog.push("adopt " + v));
    await asyncStack.disposeAsync();
    return {
      types: [typeof DisposableStack, typeof AsyncDisposableStack, typeof SuppressedError],
      log, thrown, asyncLog,
      disposed: [stack.disposed, asyncStack.disposed, t(() => stack.use(null)), t(() => DisposableStack())],
      suppressed: t(() => { const e = new SuppressedError(1, 2, "m"); return [Object.getOwnPropertyNames(e), e.message, e.error, e.suppressed, String(e)]; }),
    };`),
];
