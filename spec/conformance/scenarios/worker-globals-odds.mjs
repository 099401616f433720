// Worker globals at edges the other scenarios leave out: TextDecoder's legacy labels and
// TextEncoder.encodeInto, URL parsing and setters, URLSearchParams' value arguments and
// encoding, Request and Response constructors and statics, structuredClone of the runtime's own
// objects, events, AbortSignal.any, queueMicrotask, navigator and performance, the streams'
// refusals, and Headers. Where the runtime answers otherwise than durasim can (its CJK decoders,
// a URL's punycode host, a URL with credentials, a body's MIME type, header names outside
// tokens) a scenario of its own declares the difference.
import { inside } from "../scenario.mjs";

const odds = (name, body, rest) => inside(`worker globals odds: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
    const out = {};
${body}
    return out;`, rest);

/** Bytes decoded under each label: an ASCII letter, bytes past ASCII, then ASCII again. */
const decodeEach = (labels) => `
    for (const l of ${JSON.stringify(labels)}) {
      out[l] = t(() => { const d = new TextDecoder(l); return [d.encoding, d.decode(new Uint8Array([0x41, 0x82, 0xa0, 0xe9, 0x42, 0x43]))]; });
    }`;

export default [
  odds("TextDecoder's single-byte and UTF-16 labels, decode() arguments, encodeInto()", `${decodeEach(["iso-8859-2", "koi8-r", "utf-16be", "utf-16", "x-user-defined", "replacement", "macintosh", "windows-1251", "latin1", "ascii", "unicode-1-1-utf-8", "utf8 ", "  utf-8\\n", "UTF-16LE", "ucs-2", "iso-8859-1", "windows-874", "ibm866"])}
    out.fatalUtf16 = t(() => new TextDecoder("utf-16le", { fatal: true }).decode(new Uint8Array([0x41])));
    out.bomUtf16 = t(() => new TextDecoder("utf-16le").decode(new Uint8Array([0xff, 0xfe, 0x41, 0])));
    out.bomUtf16Ignore = t(() => new TextDecoder("utf-16le", { ignoreBOM: true }).decode(new Uint8Array([0xff, 0xfe, 0x41, 0])));
    out.decodeShared = t(() => new TextDecoder().decode(new Uint8Array(new SharedArrayBuffer(2))));
    out.decodeNumber = t(() => new TextDecoder().decode(5));
    out.decodeNull = t(() => new TextDecoder().decode(null));
    out.decodeStr = t(() => new TextDecoder().decode("abc"));
    out.decodeStreamOpt = t(() => { const d = new TextDecoder(); return [d.decode(new Uint8Array([0xe2, 0x82]), { stream: true }), d.decode(new Uint8Array([0xac])), d.decode(new Uint8Array([0xe2]))]; });
    out.decodeOpts = t(() => new TextDecoder().decode(new Uint8Array([65]), 5));
    out.ctorOpts = t(() => new TextDecoder("utf-8", 5).encoding);
    out.ctorSymbol = t(() => new TextDecoder(Symbol("x")));
    out.encodeInto = t(() => { const e = new TextEncoder(); const d = new Uint8Array(5); return [e.encodeInto("a\\u00e9\\ud83d\\ude00", d), [...d]]; });
    out.encodeIntoLone = t(() => { const d = new Uint8Array(10); return [new TextEncoder().encodeInto("\\ud800x", d), [...d]]; });
    out.encodeIntoBad = t(() => new TextEncoder().encodeInto("a", new Uint16Array(2)));
    out.encodeIntoNone = t(() => new TextEncoder().encodeInto("a"));
    out.encodeUndef = t(() => [...new TextEncoder().encode(undefined)]);
    out.encodeNull = t(() => [...new TextEncoder().encode(null)]);
    out.encoding = new TextEncoder().encoding;`),
  odds(
    "TextDecoder's CJK decoders: a byte sequence invalid in EUC-JP and EUC-KR",
    `${decodeEach(["shift_jis", "euc-jp", "gbk", "gb18030", "big5", "euc-kr", "iso-2022-jp"])}`,
    {
      differs:
        "workerd decodes EUC-JP and EUC-KR with its own Encoding Standard decoders (compatibility flag text_decoder_cjk_decoder): EUC-KR reads 0x82 0xA0 as U+AD87 (windows-949's extension) and an invalid EUC-JP pair as two replacement characters; durasim decodes with Node's ICU converters, which read both otherwise (README 'Differences from production')",
    },
  ),
  odds("URL: parsing special hosts, setters, statics; URLSearchParams' value arguments and encoding", `
    out.canParse = t(() => [URL.canParse("http://x"), URL.canParse("x"), URL.canParse("x", "http://y/")]);
    for (const u of ["http://0x7f.1/", "http://[::ffff:1.2.3.4]/", "http://münchen.de/", "file:///C:/x/../y", "blob:https://a.com/uuid", "http://a.com:80/", "https://a.com:443/", "ws://a.com:80/", "http://a b/", "http://%41.com/", "http://1.2.3.4.5/", "http://256.1.1.1/", "HTTP://A.COM/%7e?%7e#%7e", "http://a.com/\\u0000", "javascript:alert(1)", "http://a.com/?q=a b&c=\\"", "http://user:pa ss@a.com/", "non-spec:/.//p", "http://[1:2::3:4]:8080/", "http://a.com./", "http://ä.com/", "http://a.com:65536/", "http:a.com"]) {
      out[u] = t(() => { const x = new URL(u); return [x.href, x.origin, x.host, x.pathname]; });
    }
    out.badMsg = t(() => new URL("nope"));
    out.badBase = t(() => new URL("a", "nope"));
    out.protocolSet = t(() => { const x = new URL("http://a.com/"); x.protocol = "ftp"; const y = new URL("http://a.com/"); y.protocol = "foo"; return [x.href, y.href]; });
    out.portSet = t(() => { const x = new URL("http://a.com/"); x.port = "8080abc"; const r = [x.href]; x.port = "99999"; r.push(x.href); x.port = ""; r.push(x.href); return r; });
    out.hrefSet = t(() => { const x = new URL("http://a.com/"); x.href = "nope"; return x.href; });
    out.hostSet = t(() => { const x = new URL("http://a.com/"); x.host = "b.com:81"; x.hostname = "c.com:82"; return x.href; });
    out.searchSet = t(() => { const x = new URL("http://a.com/"); const sp = x.searchParams; x.search = "?a=1&b=2"; const r = [sp.get("a"), sp.size]; sp.append("c", "3 4"); r.push(x.href); x.search = ""; r.push(sp.size, x.href); return r; });
    out.createObjectURL = t(() => [typeof URL.createObjectURL, typeof URL.revokeObjectURL]);
    out.toJSON = t(() => new URL("http://a/").toJSON());
    out.noArgs = t(() => new URL());
    out.withObj = t(() => new URL({ toString() { return "http://z/"; } }).href);
    out.usp = t(() => { const p = new URLSearchParams("a=1&b=2&a=3"); const r = [p.size, p.has("a", "3"), p.has("a", "4")]; p.delete("a", "1"); r.push(p.toString()); p.sort(); r.push(p.toString()); return r; });
    out.uspEncode = t(() => new URLSearchParams({ "a b": "~*-._!'()+ &=é" }).toString());
    out.uspBadSeq = t(() => new URLSearchParams([["a"]]));
    out.uspBadSeq3 = t(() => new URLSearchParams([["a", "b", "c"]]));
    out.uspNotIter = t(() => new URLSearchParams([1]));
    out.uspRecord = t(() => new URLSearchParams({ a: 1, b: undefined }).toString());
    out.uspLeadingQ = t(() => new URLSearchParams("?a=1").toString());
    out.uspPlus = t(() => new URLSearchParams("a=b+c%20d%zz").get("a"));
    out.uspBadPercent = t(() => [...new URLSearchParams("%zz=%e9%")]);
    out.uspLoneSurrogate = t(() => new URLSearchParams({ a: "\\ud800" }).toString());`),
  odds("URL: a host that is only a punycode prefix", `
    out.host = t(() => { const x = new URL("http://xn--a/"); return [x.href, x.host]; });`, {
    differs: "workerd's URL parser (a newer ada) keeps the host xn--a; Node's (the ada version it bundles) refuses it as an invalid URL: durasim's URL is Node's behind the runtime's words (README 'Differences from production')",
  }),
  odds("Request and Response: bytes(), methods, redirect(), json(), error(), statuses, used bodies, the browser's members", `
    out.bytes = t(() => [typeof Response.prototype.bytes, typeof Request.prototype.bytes, typeof Blob.prototype.bytes]);
    out.bytesVal = await a(async () => { const b = await new Response("ab").bytes(); return [Object.prototype.toString.call(b), [...b]]; });
    out.blobBytes = await a(async () => { const b = await new Blob(["ab"]).bytes(); return [Object.prototype.toString.call(b), [...b]]; });
    for (const m of ["patch", "get", "Delete", "connect", "TRACE", "track", "weird", "m e", "", "options", "query"]) out["method " + m] = t(() => new Request("http://a/", { method: m }).method);
    out.redirect = [t(() => Response.redirect("http://a/", 200)), t(() => Response.redirect("/rel")), t(() => Response.redirect("http://a/", 307).status), t(() => Response.redirect()), t(() => Response.redirect("http://a/b c").headers.get("location"))];
    out.jsonBig = t(() => Response.json(1n));
    out.jsonUndef = await a(async () => { const r = Response.json(undefined); return [r.status, await r.text(), r.headers.get("content-type")]; });
    out.jsonSym = t(() => Response.json(Symbol()));
    out.jsonInit = await a(async () => { const r = Response.json({ a: 1 }, { status: 201, headers: { "content-type": "text/x" } }); return [r.status, r.headers.get("content-type"), await r.text()]; });
    out.error = t(() => { const r = Response.error(); return [r.status, r.type, r.ok, r.statusText, r.body, r.redirected, r.url, [...r.headers]]; });
    out.errorHeaders = t(() => { Response.error().headers.set("a", "b"); return "set"; });
    out.statuses = [199, 200, 599, 600, 0, 101, 204, 205, 304].map((s) => t(() => new Response(null, { status: s }).status));
    out.status204Body = t(() => new Response("x", { status: 204 }));
    out.statusTextBad = ["\\n", "é", "\\u0100", "ok ok", "\\t"].map((s) => t(() => new Response(null, { statusText: s }).statusText));
    out.cloneUsed = await a(async () => { const r = new Response("x"); await r.text(); return r.clone(); });
    out.reqCloneUsed = await a(async () => { const r = new Request("http://a/", { method: "POST", body: "x" }); await r.text(); return r.clone(); });
    out.textTwice = await a(async () => { const r = new Response("x"); await r.text(); return r.text(); });
    out.bodyUsedNull = await a(async () => { const r = new Response(null); const x = await r.text(); return [x, r.bodyUsed, await r.text()]; });
    out.reqGetBody = t(() => new Request("http://a/", { body: "x" }));
    out.reqHeadBody = t(() => new Request("http://a/", { method: "HEAD", body: "" }));
    out.reqBadUrl = t(() => new Request("/rel"));
    out.reqProps = t(() => { const r = new Request("http://a/"); return [r.mode, r.credentials, r.cache, r.destination, r.referrer, r.referrerPolicy, r.integrity, r.keepalive, r.isReloadNavigation, r.isHistoryNavigation, r.duplex, r.redirect, typeof r.fetcher, r.cf]; });
    out.resProps = t(() => { const r = new Response(); return [r.type, r.url, r.redirected, r.ok, r.status, r.statusText, r.body, r.bodyUsed, typeof r.webSocket, r.cf]; });
    out.formDataResp = await a(async () => { const fd = await new Response("a=1&b=%20", { headers: { "content-type": "application/x-www-form-urlencoded" } }).formData(); return [...fd]; });
    out.formDataBad = await a(async () => new Response("a=1", { headers: { "content-type": "text/plain" } }).formData());
    out.jsonBad = await a(async () => new Response("{").json());
    out.arrayBuf = await a(async () => Object.prototype.toString.call(await new Response("x").arrayBuffer()));
    out.blobTypes = ["Text/HTML; Charset=UTF-8", "a/b", "A/B;C=D", "é", "text/plain;charset=\\"x\\"", " text/plain ", "x"].map((ty) => [t(() => new Blob([], { type: ty }).type), t(() => new File([], "f", { type: ty }).type)]);`),
  odds("Request: a URL with credentials", `
    out.made = t(() => new Request("http://u:p@a/").url);`, {
    differs: "workerd makes a Request of a URL with a user name or password; durasim's Request is Node's (undici), which refuses one as the Fetch Standard says (README 'Differences from production')",
  }),
  odds("a body's blob(): its type keeps the case of the Content-Type's parameter values", `
    out.types = await a(async () => { const r = []; for (const ty of ["Text/HTML; Charset=UTF-8", "A/B;C=D", "text/plain;charset=\\"x\\"", "bogus", " text/plain ", "text/plain;a=1;A=2"]) r.push(await a(async () => (await new Response("x", { headers: { "content-type": ty } }).blob()).type)); return r; });`, {
    differs: "workerd's blob() keeps a Content-Type parameter value's case (text/html;charset=UTF-8); durasim's body is Node's (undici), whose Blob lower-cases the whole type (README 'Differences from production')",
  }),
  odds("structuredClone of the runtime's objects, errors' own members", `
    for (const [k, f] of Object.entries({ blob: () => new Blob(["x"]), file: () => new File(["x"], "n"), headers: () => new Headers(), url: () => new URL("http://a/"), request: () => new Request("http://a/"), response: () => new Response(), dom: () => new DOMException("m", "DataError"), abort: () => new AbortController().signal, event: () => new Event("x"), usp: () => new URLSearchParams("a=1"), formdata: () => new FormData(), rs: () => new ReadableStream(), te: () => new TextEncoder(), wr: () => new WeakRef({}), proxy: () => new Proxy({}, {}), errCause: () => { const e = new Error("m"); e.cause = 1; e.extra = 2; return e; }, aggregate: () => new AggregateError([new Error("a")], "agg"), sab: () => new SharedArrayBuffer(2), bigObj: () => Object(1n), symObj: () => Object(Symbol()) })) {
      out[k] = t(() => show(structuredClone(f())));
    }
    out.domClone = t(() => { const d = structuredClone(new DOMException("m", "DataError")); return [d.name, d.message, d.code, d instanceof DOMException, Object.prototype.toString.call(d)]; });
    out.aggClone = t(() => { const d = structuredClone(new AggregateError([new Error("a")], "agg")); return [d.name, d.message, d.constructor.name, d.errors]; });
    out.errStack = t(() => { const e = new Error("x"); e.stack = "custom"; return structuredClone(e).stack; });
    out.errNameOdd = t(() => { const e = new Error("x"); e.name = "TypeError"; const c = structuredClone(e); return [c.name, c.constructor.name]; });
    out.errNoMsg = t(() => { const c = structuredClone(new Error()); return [Object.getOwnPropertyNames(c).sort(), c.message]; });
    out.errMsgObj = t(() => { const e = new Error("x"); e.message = { a: 1 }; return structuredClone(e).message; });`),
  odds("events, AbortSignal.any, queueMicrotask, navigator and performance", `
    out.composedPath = t(() => { const et = new EventTarget(); let p; et.addEventListener("x", (e) => { p = e.composedPath().length; }); et.dispatchEvent(new Event("x")); return [p, new Event("x").composedPath().length]; });
    out.stopImm = t(() => { const et = new EventTarget(); const log = []; et.addEventListener("x", (e) => { log.push(1); e.stopImmediatePropagation(); }); et.addEventListener("x", () => log.push(2)); et.dispatchEvent(new Event("x")); return log; });
    out.redispatch = t(() => { const et = new EventTarget(); const e = new Event("x"); et.addEventListener("x", () => et.dispatchEvent(e)); return et.dispatchEvent(e); });
    out.timeStamp = t(() => { const e = new Event("x"); return [typeof e.timeStamp, e.timeStamp <= Date.now()]; });
    out.ctor = [t(() => new CustomEvent("x", { detail: 1 }).detail), t(() => new CustomEvent()), t(() => new Event("x", { bubbles: 1 }).bubbles)];
    out.anyNested = t(() => { const c = new AbortController(); const s = AbortSignal.any([AbortSignal.any([c.signal])]); c.abort("why"); return [s.aborted, s.reason]; });
    out.anyAborted = t(() => { const s = AbortSignal.any([AbortSignal.abort("r1"), AbortSignal.abort("r2")]); return [s.aborted, s.reason]; });
    out.anyEmpty = t(() => AbortSignal.any([]).aborted);
    out.anyBad = [t(() => AbortSignal.any()), t(() => AbortSignal.any([1])), t(() => AbortSignal.any("x"))];
    out.abortDefault = t(() => { const s = AbortSignal.abort(); return [s.reason.name, s.reason.message, s.reason.code, s.reason.constructor.name]; });
    out.controllerAbortTwice = t(() => { const c = new AbortController(); let n = 0; c.signal.onabort = () => n++; c.abort(1); c.abort(2); return [n, c.signal.reason]; });
    out.signalCtor = t(() => new AbortSignal());
    out.throwIfAborted = t(() => AbortSignal.abort(undefined).throwIfAborted());
    out.abortEventProps = t(() => { const c = new AbortController(); let ev; c.signal.addEventListener("abort", (e) => { ev = [e.type, e.isTrusted, e.cancelable, e.bubbles, e.constructor.name, e.target === c.signal]; }); c.abort(); return ev; });
    out.qmBad = [t(() => queueMicrotask()), t(() => queueMicrotask(1)), t(() => queueMicrotask(null))];
    out.qmOrder = await a(async () => { const log = []; queueMicrotask(() => log.push("qm")); Promise.resolve().then(() => log.push("p")); queueMicrotask(() => log.push("qm2")); await new Promise((r) => setTimeout(r, 0)); return log; });
    out.qmThrow = await a(async () => { const log = []; queueMicrotask(() => { throw new Error("qm throws"); }); queueMicrotask(() => log.push("after")); await new Promise((r) => setTimeout(r, 5)); return log; });
    out.nav = t(() => [navigator.userAgent, navigator.hardwareConcurrency, navigator.language, typeof navigator.sendBeacon, Object.prototype.toString.call(navigator), Object.keys(navigator), typeof navigator.languages, typeof navigator.gpu, typeof navigator.platform, typeof navigator.onLine]);
    out.perf = t(() => [typeof performance.now(), typeof performance.mark, typeof performance.measure, typeof performance.timerify, typeof performance.getEntries, typeof performance.clearMarks]);`),
  odds("streams: byte-stream writes, tee, pipe refusals, BYOB reads, transformers that throw, text and compression streams", `
    out.fls = await a(async () => { const f = new FixedLengthStream(3); const w = f.writable.getWriter(); const r = [await a(() => w.write("abc")), await a(() => w.write(new ArrayBuffer(1)))]; return r; });
    out.itsStrings = await a(async () => { const f = new IdentityTransformStream(); const w = f.writable.getWriter(); return [await a(() => w.write("abc")), await a(() => w.write(5)), await a(() => w.write(new DataView(new ArrayBuffer(1))))]; });
    out.teeCancel = await a(async () => { const rs = new ReadableStream({ start(c) { c.enqueue("a"); c.close(); } }); const [x, y] = rs.tee(); return [await x.getReader().read(), await y.cancel("why"), await y.getReader().read()]; });
    out.pipeToSelf = await a(async () => { const ts = new TransformStream(); return ts.readable.pipeTo(ts.writable, { preventClose: "yes" }); });
    out.pipeToBad = await a(async () => new ReadableStream().pipeTo({}));
    out.pipeToNone = await a(async () => new ReadableStream().pipeTo());
    out.pipeThroughBad = t(() => new ReadableStream().pipeThrough({ readable: 1, writable: new WritableStream() }));
    out.pipeThroughNoWritable = t(() => new ReadableStream().pipeThrough({ readable: new ReadableStream() }));
    out.byobSmall = await a(async () => { const rs = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array([1, 2, 3, 4])); c.close(); } }); const r = rs.getReader({ mode: "byob" }); const a1 = await r.read(new Uint8Array(2)); const a2 = await r.read(new Uint8Array(4)); const a3 = await r.read(new Uint8Array(4)); return [a1.value.length, a2.value.length, a3.done, a3.value?.length]; });
    out.byobZero = await a(async () => { const rs = new ReadableStream({ type: "bytes" }); return rs.getReader({ mode: "byob" }).read(new Uint8Array(0)); });
    out.byobNoView = await a(async () => { const rs = new ReadableStream({ type: "bytes" }); return rs.getReader({ mode: "byob" }).read(); });
    out.byobNonByte = t(() => new ReadableStream().getReader({ mode: "byob" }));
    out.byobMode = t(() => new ReadableStream({ type: "bytes" }).getReader({ mode: "BYOB" }));
    out.autoAlloc = await a(async () => { const rs = new ReadableStream({ type: "bytes", autoAllocateChunkSize: 8, pull(c) { const v = c.byobRequest.view; v[0] = 9; c.byobRequest.respond(1); c.close(); } }); const r = rs.getReader(); return [(await r.read()).value, (await r.read()).done]; });
    out.autoAllocZero = t(() => new ReadableStream({ type: "bytes", autoAllocateChunkSize: 0 }));
    out.tsThrowTransform = await a(async () => { const ts = new TransformStream({ transform() { throw new RangeError("tx"); } }); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); return [await a(() => w.write("x")), await a(() => r.read()), await a(() => w.closed)]; });
    out.tsFlushThrow = await a(async () => { const ts = new TransformStream({ flush() { throw new Error("fl"); } }); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); return [await a(() => w.close()), await a(() => r.read())]; });
    out.textDecStream = await a(async () => { const ts = new TextDecoderStream("utf-16le"); const w = ts.writable.getWriter(); w.write(new Uint8Array([0x41])); w.write(new Uint8Array([0, 0x42])); w.close(); const r = ts.readable.getReader(); const got = []; for (;;) { const x = await r.read(); if (x.done) break; got.push(x.value); } return [got, ts.encoding, ts.fatal, ts.ignoreBOM]; });
    out.textDecStreamBad = t(() => new TextDecoderStream("nope"));
    out.textEncStreamSurr = await a(async () => { const ts = new TextEncoderStream(); const w = ts.writable.getWriter(); w.write("\\ud83d"); w.write("\\ude00x"); w.write("\\ud800"); w.close(); const r = ts.readable.getReader(); const got = []; for (;;) { const x = await r.read(); if (x.done) break; got.push([...x.value]); } return got; });
    out.compressBad = t(() => new CompressionStream("brotli"));
    out.compressDeflateRaw = await a(async () => { const cs = new CompressionStream("deflate-raw"); const w = cs.writable.getWriter(); w.write(new Uint8Array([1, 2, 3])); w.close(); const r = cs.readable.getReader(); let n = 0; for (;;) { const x = await r.read(); if (x.done) break; n += x.value.length; } return n; });
    out.decompressEmpty = await a(async () => { const ds = new DecompressionStream("gzip"); const w = ds.writable.getWriter(); const c = w.close(); const r = ds.readable.getReader(); return [await a(() => r.read()), await a(() => c)]; });
    out.rsFromBad = [t(() => ReadableStream.from(5)), t(() => ReadableStream.from(null)), t(() => ReadableStream.from({}))];
    out.rsCancelAfterClose = await a(async () => { const rs = new ReadableStream({ start(c) { c.close(); } }); return [await rs.cancel(), await rs.getReader().read()]; });
    out.enqueueAfterClose = t(() => { let c; new ReadableStream({ start(x) { c = x; } }); c.close(); c.enqueue("x"); });
    out.closeTwice = t(() => { let c; new ReadableStream({ start(x) { c = x; } }); c.close(); c.close(); });
    out.errorTwice = t(() => { let c; new ReadableStream({ start(x) { c = x; } }); c.error(1); c.error(2); return "ok"; });
    out.byteEnqueueBad = t(() => { let c; new ReadableStream({ type: "bytes", start(x) { c = x; } }); c.enqueue("x"); });
    out.byteEnqueueEmpty = t(() => { let c; new ReadableStream({ type: "bytes", start(x) { c = x; } }); c.enqueue(new Uint8Array(0)); });
    out.writerAbortReason = await a(async () => { let reason; const ws = new WritableStream({ abort(r) { reason = r; } }); await ws.abort("because"); return [reason, await a(() => ws.getWriter().closed)]; });
    out.writeAfterAbort = await a(async () => { const ws = new WritableStream(); const w = ws.getWriter(); w.abort(new Error("ab")); return [await a(() => w.write(1)), await a(() => w.close())]; });
    out.responseBodyTee = await a(async () => { const r = new Response("hello"); const c = r.clone(); return [await r.text(), await c.text(), r.bodyUsed, c.bodyUsed]; });`),
  odds("Headers: getSetCookie, order, names and values refused, combining, guards", `
    out.gsc = t(() => { const h = new Headers([["set-cookie", "a=1"], ["Set-Cookie", "b=2, c=3"], ["x", "1"]]); return [h.getSetCookie(), h.get("set-cookie"), [...h], [...h.keys()]]; });
    out.order = t(() => [...new Headers({ b: "1", A: "2", "a": "3", c: "x", "C-d": "" })]);
    out.badName = ["a b", "a:b", "a\\n", "(", "a@b", "{", "valid!#$%&'*+-.^_\`|~"].map((n) => t(() => new Headers([[n, "v"]]).has(n)));
    out.badValue = ["a\\nb", "a\\rb", "a\\0b", " pad ", "\\tpad\\t", "é", "\\u0100", "a\\u000bb", "\\x7f"].map((v) => t(() => new Headers([["x", v]]).get("x")));
    out.appendCombine = t(() => { const h = new Headers(); h.append("x", "1"); h.append("X", "2"); h.append("x", ""); return [h.get("x"), [...h]]; });
    out.deleteMissing = t(() => { const h = new Headers(); h.delete("nope"); return h.has("nope"); });
    out.immutable = await a(async () => { const r = await fetch("data:text/plain,hi"); return [t(() => r.headers.set("x", "1")), t(() => r.headers.delete("content-type")), t(() => r.headers.append("y", "1"))]; });
    out.getBad = [t(() => new Headers().get("a b")), t(() => new Headers().has("")), t(() => new Headers().delete("é")), t(() => new Headers().set("x"))];
    out.cookieGet = t(() => { const h = new Headers(); h.append("cookie", "a=1"); h.append("cookie", "b=2"); return h.get("cookie"); });
    out.entriesMutate = t(() => { const h = new Headers({ a: "1", b: "2" }); const seen = []; for (const [k] of h) { seen.push(k); if (k === "a") h.set("c", "3"); } return seen; });
    out.ctorHeaders = t(() => [...new Headers(new Headers({ a: "1" }))]);
    out.ctorMap = t(() => [...new Headers(new Map([["a", "1"]]))]);
    out.ctorStr = t(() => new Headers("a:b"));
    out.reqHeadersGuard = t(() => { const r = new Request("http://a/"); r.headers.set("host", "x"); r.headers.set("content-length", "5"); return [...r.headers]; });
    out.respSetCookieIter = t(() => { const r = new Response(null, { headers: [["set-cookie", "a"], ["set-cookie", "b"]] }); return [...r.headers]; });`),
  odds("Headers: a name that is empty or outside ASCII", `
    for (const n of ["", "é", "Ā", "a\\u0080", "😀", "ÿ", "aé b", "é:", "(é", "É"]) {
      out[JSON.stringify(n)] = [t(() => [...new Headers([[n, "v"]])]), t(() => [...new Headers({ [n]: "v" })]), t(() => { const h = new Headers(); h.set(n, "v"); return [...h]; }), t(() => { const h = new Headers(); h.append(n, "v"); h.append(n, "w"); return [...h, h.get(n)]; }), t(() => { const h = new Headers([[n, "v"]]); return [h.get(n), h.has(n), h.delete(n), [...h]]; }), t(() => [...new Request("http://a/", { headers: [[n, "v"]] }).headers])];
    }`, {
    differs: "workerd takes an empty header name and one with characters past ASCII (reading Latin-1 ones back as U+FFFD); durasim's Headers are Node's (undici), which refuse any name that is not an HTTP token in the runtime's words (README 'Differences from production')",
  }),
];
