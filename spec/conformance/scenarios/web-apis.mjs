// The web platform as Worker and object code uses it, where Node's implementation could answer
// otherwise: EventTarget dispatch (a listener that throws, under compatibility flag
// spec_compliant_dispatch_exceptions and before it; argument checks), AbortController and
// AbortSignal (reasons, throwIfAborted, any, timeout), web streams' refusals, the Request and Response constructors and
// statics with bad input, Headers, Blob/File/FormData, TextEncoder, crypto.subtle's refusals,
// timers, URL/URLSearchParams and structuredClone.
import { inside } from "../scenario.mjs";

const probe = (name, body, rest) => inside(`web apis: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
${body}`, rest);

// Every listener of one event, one of which throws; the dispatch's result and who ran.
const THROWING_LISTENERS = `
    const log = [];
    const out = {};
    const et = new EventTarget();
    et.addEventListener("t", () => { log.push("first"); throw new RangeError("et boom"); });
    et.addEventListener("t", { handleEvent() { log.push("second"); } });
    out.eventTarget = [t(() => et.dispatchEvent(new Event("t", { cancelable: true }))), log.splice(0)];
    const et2 = new EventTarget();
    et2.addEventListener("t", { handleEvent() { log.push("h1"); throw "str"; } });
    et2.addEventListener("t", () => { log.push("h2"); });
    out.handleEvent = [t(() => et2.dispatchEvent(new Event("t"))), log.splice(0)];
    class Mine extends EventTarget {}
    const et3 = new Mine();
    et3.addEventListener("t", () => { log.push("m1"); throw new Error("subclass boom"); });
    et3.addEventListener("t", () => { log.push("m2"); });
    out.subclass = [t(() => et3.dispatchEvent(new Event("t"))), log.splice(0)];
    const c = new AbortController();
    c.signal.addEventListener("abort", () => { log.push("a1"); throw new TypeError("abort boom"); });
    c.signal.addEventListener("abort", () => { log.push("a2"); });
    out.abort = [t(() => c.abort("why")), log.splice(0), c.signal.aborted, c.signal.reason];
    const c2 = new AbortController();
    c2.signal.onabort = () => { log.push("on"); throw new Error("onabort boom"); };
    c2.signal.addEventListener("abort", () => { log.push("after-on"); });
    out.onabort = [t(() => c2.abort()), log.splice(0), typeof c2.signal.onabort];
    const g1 = () => { log.push("g1"); throw new Error("global boom"); };
    const g2 = () => { log.push("g2"); };
    addEventListener("web-apis-probe", g1);
    addEventListener("web-apis-probe", g2);
    out.global = [t(() => dispatchEvent(new Event("web-apis-probe"))), log.splice(0)];
    removeEventListener("web-apis-probe", g1);
    removeEventListener("web-apis-probe", g2);
    const c3 = new AbortController();
    c3.signal.addEventListener("abort", () => { log.push("late"); throw new Error("abort in a timer"); });
    setTimeout(() => c3.abort(), 1);
    await new Promise((r) => setTimeout(r, 30));
    out.inTimer = [log.splice(0), c3.signal.aborted];
    const timed = AbortSignal.timeout(1);
    timed.addEventListener("abort", () => { log.push("timeout"); throw new Error("timeout listener"); });
    await new Promise((r) => setTimeout(r, 30));
    out.timeout = [log.splice(0), timed.aborted];
    out.after = await this.ctx.storage.get("nothing") ?? "still running";
    return out;`;

export default [
  probe("a listener that throws, with spec_compliant_dispatch_exceptions: every listener runs", THROWING_LISTENERS),
  probe("a listener that throws, before spec_compliant_dispatch_exceptions: it ends the dispatch and is thrown", THROWING_LISTENERS, { compatibilityDate: "2026-09-14" }),
  probe("EventTarget: argument checks, once, the signal option, a second dispatch, listeners returning true", `
    const et = new EventTarget();
    const log = [];
    const out = {};
    out.dispatchNotEvent = t(() => et.dispatchEvent({ type: "x" }));
    out.dispatchNone = t(() => et.dispatchEvent());
    out.addNone = t(() => et.addEventListener());
    out.addOne = t(() => et.addEventListener("x"));
    out.addNull = t(() => et.addEventListener("x", null));
    out.addBad = t(() => et.addEventListener("x", 5));
    out.addObjectWithoutHandleEvent = t(() => { et.addEventListener("y", {}); return et.dispatchEvent(new Event("y")); });
    et.addEventListener("z", () => { log.push("once"); }, { once: true });
    et.dispatchEvent(new Event("z"));
    et.dispatchEvent(new Event("z"));
    out.redispatch = t(() => { const e = new Event("q"); et.addEventListener("q", () => { try { et.dispatchEvent(e); } catch (x) { log.push(err(x)); } }); return et.dispatchEvent(e); });
    out.redispatchAfter = t(() => { const e = new Event("q2"); et.dispatchEvent(e); return et.dispatchEvent(e); });
    out.eventProps = (() => { const e = new Event("x", { bubbles: true, cancelable: true, composed: true }); return [e.bubbles, e.cancelable, e.composed, e.eventPhase, e.isTrusted, e.defaultPrevented, e.returnValue, e.cancelBubble, e.srcElement, e.target, e.currentTarget]; })();
    out.customEvent = t(() => { const e = new CustomEvent("x", { detail: 3 }); return [e.detail, e instanceof Event]; });
    out.signalOption = t(() => { const c = new AbortController(); et.addEventListener("s", () => { log.push("s"); }, { signal: c.signal }); c.abort(); return et.dispatchEvent(new Event("s")); });
    out.removed = t(() => { const f = () => { log.push("removed"); }; et.addEventListener("r", f); et.removeEventListener("r", f); return et.dispatchEvent(new Event("r")); });
    out.returnsTrue = ["function", "handleEvent"].map((form) => {
      const target = new EventTarget();
      target.addEventListener("c", form === "function" ? () => true : { handleEvent: () => true });
      const event = new Event("c", { cancelable: true });
      return [target.dispatchEvent(event), event.defaultPrevented];
    });
    out.subclass = t(() => { class E extends EventTarget {} const e = new E(); let n = 0; e.addEventListener("a", () => { n++; }); e.dispatchEvent(new Event("a")); return n; });
    out.log = log;
    return out;`),
  probe("AbortController and AbortSignal: reasons, throwIfAborted, any, timeout, onabort", `
    const c = new AbortController();
    c.abort();
    const r1 = c.signal.reason;
    const out = {
      defaultReason: [r1.name, r1.message, r1.constructor.name, r1 instanceof DOMException, r1.code, Object.keys(r1), r1.retryable],
      staticAbort: (() => { const r = AbortSignal.abort().reason; return [r.name, r.message, r.code, r.retryable, Object.keys(r)]; })(),
      abortUndefined: (() => { const r = AbortSignal.abort(undefined).reason; return [r.name, r.message]; })(),
      abortNull: show(AbortSignal.abort(null).reason),
      abortGiven: (() => { const e = new RangeError("mine"); return AbortSignal.abort(e).reason === e; })(),
      throwIfAborted: t(() => AbortSignal.abort().throwIfAborted()),
      throwIfAbortedString: t(() => AbortSignal.abort("s").throwIfAborted()),
      notAborted: t(() => new AbortController().signal.throwIfAborted()),
      construct: t(() => new AbortSignal()),
      any: t(() => { const s = AbortSignal.any([AbortSignal.abort("r1"), new AbortController().signal]); return [s.aborted, s.reason]; }),
      anyEmpty: t(() => AbortSignal.any([]).aborted),
      anyFollows: t(() => { const c2 = new AbortController(); const s = AbortSignal.any([c2.signal]); c2.abort(); return [s.aborted, s.reason.name, s.reason.message]; }),
      abortTwice: (() => { const c2 = new AbortController(); c2.abort("one"); c2.abort("two"); return c2.signal.reason; })(),
      tags: [Object.prototype.toString.call(new AbortController()), Object.prototype.toString.call(AbortSignal.abort())],
    };
    out.timeoutFired = await new Promise((res) => { const s = AbortSignal.timeout(5); s.addEventListener("abort", () => { const r = s.reason; res([r.name, r.message, r.code, r.constructor.name]); }); });
    const order = [];
    const c3 = new AbortController();
    c3.signal.onabort = (e) => { order.push(["onabort", e.type, e.constructor.name, e.isTrusted, e.target === c3.signal]); };
    c3.signal.addEventListener("abort", () => { order.push("listener"); });
    c3.abort(new RangeError("why"));
    out.order = order;
    return out;`),
  probe("Request constructor: methods, GET and HEAD bodies, URLs, redirect modes, used bodies", `
    const R = (u, i) => t(() => { const r = new Request(u, i); return [r.method, r.url, r.redirect, r.bodyUsed, r.body === null]; });
    const out = {};
    for (const m of ["get", "post", "put", "delete", "head", "options", "patch", "Patch", "purge", "propfind", "connect", "CONNECT", "track", "foo", "a b", "", "g\\u00e9t"]) out["method " + m] = R("http://x/", { method: m, body: /^(get|head)$/i.test(m) ? undefined : "b" });
    out.getBody = R("http://x/", { body: "a" });
    out.headBody = R("http://x/", { method: "HEAD", body: "a" });
    out.getFromRequest = R(new Request("http://x/"), { body: "a" });
    out.patchFromRequest = R(new Request("http://x/", { method: "patch", body: "p" }));
    out.relative = R("/x");
    out.badUrl = R("http://x y/");
    out.redirectManual = R("http://x/", { redirect: "manual" });
    out.redirectError = R("http://x/", { redirect: "error" });
    out.redirectBad = R("http://x/", { redirect: "nope" });
    out.duplexHalf = R("http://x/", { method: "POST", body: "a", duplex: "half" });
    out.bodyUsedAfter = await a(async () => { const r = new Request("http://x/", { method: "POST", body: "abc" }); await r.text(); return [r.bodyUsed, err(await r.text().catch((e) => e)), t(() => r.clone()), t(() => new Request(r))]; });
    out.cloneText = await a(async () => { const r = new Request("http://x/", { method: "POST", body: "abc" }); const c = r.clone(); return [await r.text(), await c.text()]; });
    out.formNotForm = await a(() => new Request("http://x/", { method: "POST", body: "x" }).formData());
    out.bodyTypes = await a(async () => { const types = []; for (const b of ["s", new URLSearchParams("a=1"), new Blob(["x"], { type: "a/b" }), new Uint8Array(2), new ArrayBuffer(1)]) types.push(new Request("http://x/", { method: "POST", body: b }).headers.get("content-type")); return types; });
    out.headersMutable = t(() => { const r = new Request("http://x/"); r.headers.set("x", "1"); return r.headers.get("x"); });
    return out;`),
  probe("Response constructor and statics: statuses, statusText, json, redirect, used and locked bodies", `
    const Rs = (b, i) => t(() => { const r = new Response(b, i); return [r.status, r.statusText, r.ok, r.type, r.url, r.redirected, r.bodyUsed, r.body === null, r.headers.get("content-type")]; });
    const out = {};
    out.plain = Rs("x");
    out.none = Rs();
    out.status199 = Rs("x", { status: 199 });
    out.status600 = Rs("x", { status: 600 });
    out.status0 = Rs(null, { status: 0 });
    out.statusFraction = Rs("x", { status: 200.5 });
    out.statusString = Rs("x", { status: "201" });
    out.statusTextNewline = Rs("x", { statusText: "a\\nb" });
    out.statusTextLatin1 = Rs("x", { statusText: "é" });
    out.statusTextNumber = Rs("x", { statusText: 5 });
    out.body204 = Rs("x", { status: 204 });
    out.empty204 = Rs("", { status: 204 });
    out.encodeBody = Rs("x", { encodeBody: "manual" });
    out.json = t(() => { const r = Response.json({ a: 1 }); return [r.status, r.headers.get("content-type")]; });
    out.jsonOwnType = t(() => Response.json({ a: 1 }, { headers: { "content-type": "text/x" } }).headers.get("content-type"));
    out.jsonBigint = t(() => Response.json(1n));
    out.jsonCycle = t(() => { const o = {}; o.o = o; return Response.json(o); });
    out.json204 = t(() => Response.json({}, { status: 204 }));
    out.json600 = t(() => Response.json({}, { status: 600 }));
    out.jsonNone = t(() => Response.json());
    out.redirectBadUrl = t(() => Response.redirect("http://x y/"));
    out.redirectNone = t(() => Response.redirect());
    out.redirectStatusString = t(() => Response.redirect("https://a/", "301").status);
    out.redirectHeaders = t(() => { const r = Response.redirect("https://a/"); r.headers.set("x", "1"); return "set"; });
    out.error = t(() => { const r = Response.error(); return [r.status, r.type, r.statusText, r.ok, r.body === null, r.headers.get("x")]; });
    out.bodyUsed = await a(async () => { const r = new Response("abc"); await r.text(); return [r.bodyUsed, err(await r.text().catch((e) => e)), err(await r.arrayBuffer().catch((e) => e)), t(() => r.clone())]; });
    out.locked = await a(async () => { const r = new Response("abc"); r.body.getReader(); return [r.bodyUsed, err(await r.text().catch((e) => e)), t(() => r.clone())]; });
    out.clone = await a(async () => { const r = new Response("abc", { status: 201, statusText: "C" }); const c = r.clone(); return [c.status, c.statusText, await c.text(), await r.text()]; });
    out.bytes = await a(async () => { const b = await new Response("ab").bytes(); return [Object.prototype.toString.call(b), b.length]; });
    out.jsonEmpty = await a(() => new Response("").json());
    out.jsonNull = await a(() => new Response(null).json());
    out.textNull = await a(() => new Response(null).text());
    out.formUrlencoded = await a(async () => [...(await new Response("a=1&b=2", { headers: { "content-type": "application/x-www-form-urlencoded" } }).formData())]);
    out.formNoType = await a(async () => [...(await new Response("a=1").formData())]);
    return out;`),
  probe("a Symbol where a string is expected: converted (and refused) before anything else is checked", `
    return {
      requestMethod: t(() => new Request("http://x/", { method: Symbol() })),
      requestUrlBeforeMethod: t(() => new Request(Symbol(), { method: "bad method" })),
      requestUrlBeforeRedirect: t(() => new Request(Symbol(), { redirect: "error" })),
      stubFetchUrlBeforeMethod: await a(() => this.env.DO.getByName("other").fetch(Symbol(), { method: "bad method" })),
      globalFetchUrl: await a(() => fetch(Symbol())),
      requestMethodObject: t(() => new Request("http://x/", { method: { toString: () => "put" } }).method),
      redirectUrl: t(() => Response.redirect(Symbol())),
      redirectUrlBadStatus: t(() => Response.redirect(Symbol(), 200)),
      redirectBadUrlBadStatus: t(() => Response.redirect("::", 200)),
      pairRequest: t(() => new WebSocketRequestResponsePair(Symbol(), "pong")),
      pairResponse: t(() => new WebSocketRequestResponsePair("ping", Symbol())),
      pairObjects: t(() => { const p = new WebSocketRequestResponsePair({}, 1); return [p.request, p.response]; }),
      webSocketUrl: t(() => new WebSocket(Symbol())),
      webSocketProtocolBeforeUrl: t(() => new WebSocket("http://x", Symbol())),
      webSocketProtocolInListBeforeUrl: t(() => new WebSocket("http://x", ["chat", Symbol()])),
    };`),
  probe("Response: an empty body (string, buffer, view, Blob, URLSearchParams) is none, which a null-body status or a WebSocket allows; Response.json() with a WebSocket", `
    const ws = () => new WebSocketPair()[0];
    const bodies = { string: () => "", buffer: () => new ArrayBuffer(0), view: () => new Uint8Array(0), blob: () => new Blob([]), params: () => new URLSearchParams(),
      stream: () => new ReadableStream(), formData: () => new FormData(), text: () => "x", space: () => " ", bytes: () => new Uint8Array(1) };
    const out = {};
    for (const [k, b] of Object.entries(bodies)) {
      out[k] = { status204: t(() => { const r = new Response(b(), { status: 204 }); return [r.body === null, [...r.headers].length]; }),
        status304: t(() => new Response(b(), { status: 304 }).body === null), status200: t(() => new Response(b(), { status: 200 }).body === null),
        webSocket: t(() => { const r = new Response(b(), { status: 101, webSocket: ws() }); return [r.status, r.body === null, typeof r.webSocket]; }) };
    }
    out.json = { webSocket: t(() => Response.json({}, { status: 101, webSocket: ws() })), webSocketDefaultStatus: t(() => Response.json({}, { webSocket: ws() })),
      notAWebSocket: t(() => Response.json({}, { status: 101, webSocket: {} })), nullWebSocket: t(() => Response.json({}, { webSocket: null }).status), status101: t(() => Response.json({}, { status: 101 })) };
    return out;`),
  probe("Response and Request inits: an init or headers that is no object is refused as the binding refuses it; statuses convert as a WebIDL long", `
    const status = (v) => t(() => new Response(null, { status: v }).status);
    const redirect = (v) => t(() => Response.redirect("http://x/", v).status);
    return {
      status: { fraction: status(599.9), belowFraction: status(199.9), string: status("204.7"), object: status({ valueOf: () => 201 }), huge: status(1e10), bigint: status(204n), nul: status(null), wrapped: status(65736) },
      redirect: { fraction: redirect(301.9), string: redirect("302"), object: redirect({ valueOf: () => 307 }), notRedirect: redirect(200.5), nan: redirect(NaN) },
      jsonFraction: t(() => Response.json({}, { status: 599.9 }).status),
      responseInit: { number: t(() => new Response(null, 5)), string: t(() => new Response(null, "x")), boolean: t(() => new Response(null, true)), symbol: t(() => new Response(null, Symbol())),
        fn: t(() => new Response(null, () => 1).status), array: t(() => new Response(null, []).status) },
      responseHeaders: { nul: t(() => new Response(null, { headers: null })), number: t(() => new Response(null, { headers: 5 })), string: t(() => new Response(null, { headers: "x" })), symbol: t(() => new Response(null, { headers: Symbol() })) },
      requestInit: { number: t(() => new Request("http://x/", 5)), string: t(() => new Request("http://x/", "x")), boolean: t(() => new Request("http://x/", true)), fn: t(() => new Request("http://x/", () => 1).method), array: t(() => new Request("http://x/", []).method) },
      requestHeaders: { nul: t(() => new Request("http://x/", { headers: null })), string: t(() => new Request("http://x/", { headers: "x" })), beforeCf: t(() => new Request("http://x/", { headers: 5, cf: 5 })) },
      requestCfBeforeCache: t(() => new Request("http://x/", { cf: null, cache: "default" })),
    };`),
  probe("new WebSocket(url, protocols): only an Array is a list of protocols; any other object converts as one string", `
    // The URL "::" is refused after the protocols convert, so each case shows how far conversion got.
    const log = [];
    function* gen() { log.push("generator ran"); yield "chat"; yield Symbol(); }
    const ws = (protocols) => t(() => new WebSocket("::", protocols));
    const iteratedArray = ["chat", "x"];
    iteratedArray[Symbol.iterator] = function* () { log.push("array iterator ran"); yield Symbol(); };
    return {
      setWithSymbol: ws(new Set(["chat", Symbol()])),
      setNoSymbol: ws(new Set(["chat"])),
      generatorWithSymbol: ws(gen()),
      stringObject: ws(new String("a b")),
      arrayLikeWithSymbol: ws({ length: 1, 0: Symbol() }),
      objectToStringSymbol: ws({ toString() { return Symbol(); } }),
      arrayWithSymbol: ws(["chat", Symbol()]),
      arrayWithHole: ws(["chat", , "x"]),
      arrayOwnIterator: ws(iteratedArray),
      proxiedArrayWithSymbol: ws(new Proxy(["chat", Symbol()], {})),
      nullProtocols: ws(null),
      log,
    };`),
  probe("Headers: order, combining, Set-Cookie, value trimming, names", `
    const out = {};
    const h = new Headers();
    h.append("B", "2"); h.append("a", "1"); h.append("set-cookie", "x=1"); h.append("Set-Cookie", "y=2"); h.append("a", "3"); h.append("c", "");
    out.iterate = [...h];
    out.keys = [...h.keys()];
    out.get = [h.get("a"), h.get("set-cookie"), h.get("nope"), h.get("c")];
    out.getSetCookie = h.getSetCookie();
    out.forEach = (() => { const o = []; h.forEach((v, k, self) => o.push([k, v, self === h])); return o; })();
    out.values = [" a ", "a\\tb", "a\\u000bb", "a\\u007fb", "\\u00ff"].map((v) => t(() => { const x = new Headers(); x.set("k", v); return x.get("k"); }));
    out.names = ["a:b", "a b", "a\\tb", "(", "\`", "~", "a@b"].map((n) => t(() => { const x = new Headers(); x.set(n, "v"); return [...x]; }));
    out.fromHeaders = t(() => [...new Headers(h)]);
    out.record = t(() => [...new Headers({ Z: "1", a: "2", A: "3" })]);
    out.hasCookie = [h.has("Set-Cookie"), h.has("SET-COOKIE")];
    out.deleteCookie = (() => { h.delete("set-cookie"); return [h.getSetCookie(), [...h]]; })();
    return out;`),
  probe("Blob, File, FormData and TextEncoder", `
    const out = {};
    out.blob = await a(async () => { const b = new Blob(["ab", new Uint8Array([99])], { type: "Text/HTML" }); return [b.size, b.type, await b.text(), await b.slice(1, 2).text(), b.slice(0, 1, "X/Y").type]; });
    out.blobBadType = t(() => new Blob(["a"], { type: "é" }).type);
    out.blobNumbers = t(() => new Blob([1, 2]).size);
    out.file = t(() => { const f = new File(["abc"], "n.txt", { type: "text/plain", lastModified: 5 }); return [f.name, f.size, f.type, f.lastModified, f instanceof Blob, Object.prototype.toString.call(f)]; });
    out.formRoundTrip = await a(async () => { const f = new FormData(); f.append("a", "x y"); f.append("f", new File(["zz"], "z.bin", { type: "application/x" })); const r = new Response(f); const ct = r.headers.get("content-type"); const back = await r.formData(); return [ct.startsWith("multipart/form-data; boundary="), [...back].map(([k, v]) => [k, typeof v === "string" ? v : [v.name, v.type, v.size, Object.prototype.toString.call(v)]])]; });
    out.formUrlencoded = await a(async () => [...(await new Request("http://x/", { method: "POST", body: "a=1&a=2&b=%20", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } }).formData())]);
    out.blobReads = await a(async () => [Object.prototype.toString.call(await new Blob(["x"]).arrayBuffer()), Object.prototype.toString.call(await new Blob(["x"]).bytes())]);
    out.blobStream = await a(async () => { const r = new Blob(["xy"]).stream().getReader(); const c = await r.read(); return [Object.prototype.toString.call(c.value), c.value.length]; });
    const e = new TextEncoder();
    out.encode = [e.encoding, Array.from(e.encode("é")), Array.from(e.encode()), Array.from(e.encode(undefined)), Array.from(e.encode(null)), Array.from(e.encode("\\ud800"))];
    out.encodeInto = t(() => { const u = new Uint8Array(3); return [e.encodeInto("aé€", u), Array.from(u)]; });
    out.encoderLabel = t(() => new TextEncoder("utf-16").encoding);
    return out;`),
  // (The runtime's refusals have words of their own, Node's webcrypto others: their kinds agree.)
  probe("crypto.subtle: MD5 and SHA digests, key shapes, the kinds of its refusals", `
    const out = {};
    const subtle = crypto.subtle;
    const kind = (f) => Promise.resolve().then(f).then(() => "resolved", (e) => [e.name, e.constructor.name]);
    const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
    const bytes = new TextEncoder().encode("abc");
    out.digests = await a(async () => { const o = {}; for (const alg of ["MD5", "md5", "SHA-1", "sha-256", "SHA-384", "SHA-512"]) o[alg] = hex(await subtle.digest(alg, bytes)); return o; });
    out.md5Object = await a(async () => hex(await subtle.digest({ name: "MD5" }, bytes.buffer)));
    out.md5View = await a(async () => hex(await subtle.digest("MD5", new DataView(bytes.buffer, 1))));
    out.digestObject = await a(async () => new Uint8Array(await subtle.digest({ name: "sha-256" }, new Uint8Array(1))).length);
    out.refusals = {
      digestUnknown: await kind(() => subtle.digest("SHA-3", new Uint8Array(1))),
      digestNoData: await kind(() => subtle.digest("SHA-256")),
      digestString: await kind(() => subtle.digest("SHA-256", "abc")),
      md5String: await kind(() => subtle.digest("MD5", "abc")),
      importUsage: await kind(() => subtle.importKey("raw", new Uint8Array(16), { name: "AES-GCM" }, false, ["sign"])),
      importHmacNoHash: await kind(() => subtle.importKey("raw", new Uint8Array(16), { name: "HMAC" }, false, ["sign"])),
      importUnknown: await kind(() => subtle.importKey("raw", new Uint8Array(16), { name: "FOO" }, false, ["sign"])),
      importJwkBad: await kind(() => subtle.importKey("jwk", { kty: "oct" }, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])),
      signWrongUsage: await kind(async () => subtle.sign("HMAC", await subtle.importKey("raw", new Uint8Array(16), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]), new Uint8Array(1))),
      aesBadLength: await kind(() => subtle.generateKey({ name: "AES-GCM", length: 100 }, true, ["encrypt"])),
      ecdsaNoHash: await kind(async () => subtle.sign({ name: "ECDSA" }, (await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])).privateKey, new Uint8Array(1))),
    };
    out.hmacKey = await a(async () => { const k = await subtle.importKey("raw", new TextEncoder().encode("key"), { name: "HMAC", hash: "SHA-256" }, true, ["sign", "verify"]); return [k.type, k.extractable, k.algorithm, k.usages, Object.prototype.toString.call(k), k.constructor.name]; });
    out.aesGcm = await a(async () => { const k = await subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]); const iv = new Uint8Array(12); const c = await subtle.encrypt({ name: "AES-GCM", iv }, k, new Uint8Array(3)); return [c.byteLength, await kind(() => subtle.decrypt({ name: "AES-GCM", iv }, k, new Uint8Array(20)))]; });
    out.ed25519 = await a(async () => { const k = await subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]); return [k.privateKey.algorithm, (await subtle.sign("Ed25519", k.privateKey, new Uint8Array(1))).byteLength]; });
    return out;`),
  probe("streams: locked, released and closed refusals, BYOB, tee, iteration", `
    const out = {};
    const kind = async (f) => { try { const r = f(); if (r && typeof r.then === "function") await r; return "ok"; } catch (e) { return [e.constructor.name, e.message]; } };
    const locked = () => { const s = new ReadableStream(); s.getReader(); return s; };
    out.getReader = await kind(() => locked().getReader());
    out.cancel = await kind(() => locked().cancel());
    out.pipeTo = await kind(() => locked().pipeTo(new WritableStream()));
    out.pipeThrough = await kind(() => locked().pipeThrough(new TransformStream()));
    out.tee = await kind(() => locked().tee());
    out.byobOfDefault = await kind(() => new ReadableStream().getReader({ mode: "byob" }));
    out.badMode = await kind(() => new ReadableStream().getReader({ mode: "x" }));
    out.getWriter = await kind(() => { const w = new WritableStream(); w.getWriter(); w.getWriter(); });
    out.abortLocked = await kind(() => { const w = new WritableStream(); w.getWriter(); return w.abort(); });
    out.closeLocked = await kind(() => { const w = new WritableStream(); w.getWriter(); return w.close(); });
    out.readReleased = await kind(() => { const r = new ReadableStream().getReader(); r.releaseLock(); return r.read(); });
    out.byobReadReleased = await kind(() => { const r = new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }); r.releaseLock(); return r.read(new Uint8Array(1)); });
    out.enqueueClosed = await kind(() => { let c; new ReadableStream({ start(x) { c = x; } }); c.close(); c.enqueue("a"); });
    out.closeTwice = await kind(() => { let c; new ReadableStream({ start(x) { c = x; } }); c.close(); c.close(); });
    out.byteEnqueueClosed = await kind(() => { let c; new ReadableStream({ type: "bytes", start(x) { c = x; } }); c.close(); c.enqueue(new Uint8Array(1)); });
    out.byteCloseTwice = await kind(() => { let c; new ReadableStream({ type: "bytes", start(x) { c = x; } }); c.close(); c.close(); });
    out.enqueueErrored = await kind(() => { let c; new ReadableStream({ start(x) { c = x; } }); c.error(new Error("e")); c.enqueue("a"); });
    out.iterateLocked = await kind(async () => { for await (const x of locked()) out.never = x; });
    out.valuesLocked = await kind(() => locked().values());
    out.writeReleased = await kind(() => { const wr = new WritableStream().getWriter(); wr.releaseLock(); return wr.write("a"); });
    out.closeReleased = await kind(() => { const wr = new WritableStream().getWriter(); wr.releaseLock(); return wr.close(); });
    out.responseBodyLocked = await kind(() => { const r = new Response("x"); r.body.getReader(); return r.body.getReader(); });
    out.readErrored = await outcome(() => new ReadableStream({ start(c) { c.error(new RangeError("bad")); } }).getReader().read());
    out.tee2 = await outcome(async () => { const s = new ReadableStream({ start(c) { c.enqueue("a"); c.close(); } }); const [x, y] = s.tee(); return [(await x.getReader().read()).value, (await y.getReader().read()).value, s.locked]; });
    out.byob = await outcome(async () => { const s = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } }); const r = s.getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(2)); return [x.done, Array.from(x.value)]; });
    out.responseBodyByob = await outcome(async () => { const r = new Response("abc").body.getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(10)); return [x.done, x.value.length]; });
    out.iterate = await outcome(async () => { const s = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } }); const o = []; for await (const x of s) o.push(x); return o; });
    out.transformThrows = await outcome(async () => { const ts = new TransformStream({ transform() { throw new TypeError("tx"); } }); const w = ts.writable.getWriter(); w.write("a").catch(() => {}); return ts.readable.getReader().read(); });
    out.textDecoderStream = await outcome(async () => { const s = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("hé")); c.close(); } }).pipeThrough(new TextDecoderStream()); const o = []; for await (const x of s) o.push(x); return o; });
    out.gzipRoundTrip = await outcome(async () => new Response(new Blob(["aaaaaaaaaa"]).stream().pipeThrough(new CompressionStream("gzip")).pipeThrough(new DecompressionStream("gzip"))).text());
    return out;`),
  probe("timers, URLSearchParams, URL parsing and structuredClone", `
    const out = {};
    const iv = setInterval(() => {}, 1000);
    out.intervalType = typeof iv;
    clearInterval(iv);
    out.clearOdd = [t(() => clearTimeout("x")), t(() => clearTimeout({})), t(() => clearTimeout(null)), t(() => clearTimeout())];
    out.args = await new Promise((r) => setTimeout((x, y) => r([x, y]), 1, "a", "b"));
    let fired = 0;
    const i2 = setInterval(() => { fired++; }, 1);
    clearTimeout(i2);
    await new Promise((r) => setTimeout(r, 15));
    out.clearTimeoutOfInterval = fired;
    out.negativeDelay = await new Promise((r) => setTimeout(() => r("fired"), -5));
    out.nanDelay = await new Promise((r) => setTimeout(() => r("fired"), NaN));
    out.order = await (async () => { const o = []; setTimeout(() => o.push("timer"), 0); queueMicrotask(() => o.push("microtask")); await new Promise((r) => setTimeout(r, 5)); return o; })();
    const sp = new URLSearchParams("b=2&a=1&a=0&c=%zz&d=+x");
    out.searchParams = [sp.size, sp.get("c"), sp.get("d"), [...sp], (() => { sp.sort(); return String(sp); })(), sp.has("a", "0"), (() => { sp.delete("a", "1"); return String(sp); })()];
    out.searchParamsEncoding = String(new URLSearchParams({ q: "a b&c=d/é~*'()!" }));
    out.urls = ["http://EXAMPLE.com:80/a/../b?x#y", "https://a/%2e%2E/b", "http://a/b c", "http://xn--nxasmq6b.com", "http://ÉXAMPLE.com", "http://1.2.3", "http://0x7f.1", "http://[::ffff:1.2.3.4]/", "mailto:a@b", "http://a/?q=ü", "HTTP://a\\\\b"].map((u) => t(() => { const x = new URL(u); return [x.href, x.host, x.pathname, x.search, x.origin]; }));
    out.cloneError = t(() => { const e = structuredClone(new RangeError("m", { cause: 1 })); return [e.name, e.message, e.constructor.name, e.cause]; });
    out.cloneBlob = t(() => { const b = structuredClone(new Blob(["x"])); return [b.size, Object.prototype.toString.call(b)]; });
    out.cloneClassInstance = t(() => structuredClone(new (class X { a = 1; })()));
    out.cloneWeakMap = t(() => structuredClone(new WeakMap()));
    out.cloneProxy = t(() => structuredClone(new Proxy({ a: 1 }, {})));
    out.cloneGetter = t(() => structuredClone({ get a() { return 2; } }));
    return out;`),
];
