// Web platform APIs probed where earlier scenarios did not reach: writable streams that are
// closing, closed or errored, pending reads when a lock is released, tee after cancel, pipeTo's
// options and argument refusals, BYOB reads with `min`, identity and fixed-length streams,
// TransformStream's terminate and enqueue, the compression formats, text streams' fatal and BOM
// handling; crypto's timingSafeEqual, DigestStream and refusals; atob/btoa, queueMicrotask,
// scheduler.wait and structuredClone conversions; Request and Response members, FormData,
// URLSearchParams and URL edges; Event init dictionaries, capture listeners and AbortSignal.any.
import { inside } from "../scenario.mjs";

const probe = (name, body, rest) => inside(`web probe: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
    // Whether a refusal is thrown at once or is a rejection, its class and words.
    const kind = async (f) => { let r; try { r = f(); } catch (e) { return ["threw", e.constructor.name, e.message]; } if (!r || typeof r.then !== "function") return ["returned", show(r)]; try { return ["resolved", show(await r)]; } catch (e) { return ["rejected", e.constructor.name, e.message]; } };
    // A promise still pending after 300 ms is a fact of its own (workerd's identity streams wait for reads).
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(300).then(() => ["pending"])]);
${body}`, rest);

export default [
  probe("WritableStream: writes and closes of a closing, closed or errored stream", `
    const out = {};
    { const w = new WritableStream().getWriter(); const c = w.close(); out.writeClosing = await settle(w.write("a")); out.closeClosing = await settle(w.close()); await c; out.writeClosed = await settle(w.write("a")); out.closeClosed = await settle(w.close()); out.abortClosed = await settle(w.abort("r")); out.closedState = await settle(w.closed); out.desired = w.desiredSize; }
    { const s = new WritableStream(); const w = s.getWriter(); await w.close(); w.releaseLock(); out.streamCloseClosed = await settle(s.close()); out.streamAbortClosed = await settle(s.abort("x")); out.writerAgain = await settle(s.getWriter().write("z")); }
    { let ctl; const s = new WritableStream({ start(c) { ctl = c; } }); const w = s.getWriter(); await w.ready; ctl.error(new RangeError("stored")); out.writeErrored = await settle(w.write("a")); out.closeErrored = await settle(w.close()); out.abortErrored = await settle(w.abort("r")); out.readyErrored = await settle(w.ready); out.desiredErrored = w.desiredSize; }
    { const s = new WritableStream({ write() { throw new TypeError("sink write"); } }); const w = s.getWriter(); out.sinkThrows = await settle(w.write("a")); out.afterSinkThrows = await settle(w.write("b")); out.closeAfterSinkThrows = await settle(w.close()); }
    { const s = new WritableStream(); const w = s.getWriter(); const ab = w.abort(new RangeError("why")); out.writeAborting = await settle(w.write("a")); out.abort = await settle(ab); out.closeAborted = await settle(w.close()); out.closedAborted = await settle(w.closed); }
    { const s = new WritableStream({ close() { throw new Error("sink close"); } }); const w = s.getWriter(); out.sinkCloseThrows = await settle(w.close()); out.closedAfter = await settle(w.closed); }
    { const w = new WritableStream().getWriter(); out.writeNothing = await settle(w.write()); }
    return out;`),
  probe("ReadableStream: releaseLock with a pending read, tee after cancel, cancel reasons, reads after close", `
    const out = {};
    { const s = new ReadableStream(); const r = s.getReader(); const p = settle(r.read()); const c = settle(r.closed); r.releaseLock(); out.pendingRead = await p; out.closedAfterRelease = await c; out.locked = s.locked; }
    { const s = new ReadableStream({ type: "bytes" }); const r = s.getReader({ mode: "byob" }); const p = settle(r.read(new Uint8Array(2))); r.releaseLock(); out.pendingByob = await p; }
    { const s = new ReadableStream({ start(c) { c.enqueue("a"); } }); await s.cancel("gone"); out.teeAfterCancel = await a(async () => { const [x, y] = s.tee(); return [await x.getReader().read(), await y.getReader().read()]; }); out.readAfterCancel = await settle(s.getReader().read()); }
    { const log = []; const s = new ReadableStream({ cancel(r) { log.push(show(r)); return "ignored"; } }); out.cancelResult = await settle(s.cancel("why")); out.cancelLog = log; }
    { const s = new ReadableStream({ cancel() { throw new RangeError("cancel throws"); } }); out.cancelThrows = await settle(s.cancel()); }
    { const s = new ReadableStream({ start(c) { c.close(); } }); const r = s.getReader(); out.readClosed = await settle(r.read()); out.readClosedAgain = await settle(r.read()); out.cancelClosed = await settle(r.cancel()); }
    { const s = new ReadableStream({ start(c) { c.error(new URIError("stored")); } }); out.cancelErrored = await settle(s.cancel()); out.teeErrored = await a(async () => { const [x] = s.tee(); return settle(x.getReader().read()); }); }
    { const [x, y] = new ReadableStream({ start(c) { c.enqueue(1); c.close(); } }).tee(); await x.cancel("one"); out.teeHalfCancelled = await settle(y.getReader().read()); }
    { const log = []; const s = new ReadableStream({ cancel(r) { log.push(show(r)); } }); const [x, y] = s.tee(); const p1 = x.cancel("r1"); const p2 = y.cancel("r2"); out.teeBothCancelled = [await settle(p1), await settle(p2), log]; }
    out.readNoView = await kind(() => new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }).read());
    out.readEmptyView = await kind(() => new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }).read(new Uint8Array(0)));
    out.readNotView = await kind(() => new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }).read(new ArrayBuffer(2)));
    out.readMinTooBig = await kind(() => new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }).read(new Uint8Array(2), { min: 3 }));
    out.readMinZero = await kind(() => new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }).read(new Uint8Array(2), { min: 0 }));
    out.readMin = await a(async () => { let c; const s = new ReadableStream({ type: "bytes", start(x) { c = x; } }); const r = s.getReader({ mode: "byob" }); const p = r.read(new Uint8Array(4), { min: 3 }); c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2, 3])); const x = await p; return [x.done, Array.from(x.value)]; });
    out.readMinClosed = await a(async () => { let c; const s = new ReadableStream({ type: "bytes", start(x) { c = x; } }); const r = s.getReader({ mode: "byob" }); const p = r.read(new Uint8Array(4), { min: 3 }); c.enqueue(new Uint8Array([1])); c.close(); const x = await p; return [x.done, Array.from(x.value)]; });
    out.defaultSourceStartThrows = await kind(() => new ReadableStream({ start() { throw new SyntaxError("start"); } }));
    out.badType = await kind(() => new ReadableStream({ type: "nope" }));
    out.badHwm = await kind(() => new ReadableStream({}, { highWaterMark: -1 }));
    out.bytesWithSize = await kind(() => new ReadableStream({ type: "bytes" }, { size() { return 1; } }));
    return out;`),
  probe("pipeTo and pipeThrough: preventClose, preventAbort, preventCancel, signal", `
    const out = {};
    const source = (chunks, end) => new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); if (end === "close") c.close(); if (end === "error") c.error(new RangeError("source broke")); } });
    const sink = (log, extra = {}) => new WritableStream({ write(x) { log.push(["write", x]); }, close() { log.push("close"); }, abort(r) { log.push(["abort", show(r)]); }, ...extra });
    for (const preventClose of [false, true]) { const log = []; const d = sink(log); const r = await settle(source([1, 2], "close").pipeTo(d, { preventClose })); out["preventClose " + preventClose] = [r, log, d.locked]; }
    for (const preventAbort of [false, true]) { const log = []; const r = await settle(source([1], "error").pipeTo(sink(log), { preventAbort })); out["preventAbort " + preventAbort] = [r, log]; }
    for (const preventCancel of [false, true]) { const log = []; const s = new ReadableStream({ start(c) { c.enqueue(1); }, cancel(r) { log.push(["cancel", show(r)]); } }); const r = await settle(s.pipeTo(new WritableStream({ write() { throw new TypeError("sink broke"); } }), { preventCancel })); out["preventCancel " + preventCancel] = [r, log]; }
    { const log = []; const c = new AbortController(); c.abort(new RangeError("stop")); const r = await settle(source([1], "close").pipeTo(sink(log), { signal: c.signal })); out.signalAborted = [r, log]; }
    out.signalNotSignal = await kind(() => source([], "close").pipeTo(new WritableStream(), { signal: {} }));
    out.destNotWritable = await kind(() => source([], "close").pipeTo({}));
    out.destLocked = await kind(() => { const w = new WritableStream(); w.getWriter(); return source([], "close").pipeTo(w); });
    out.throughNotPair = await kind(() => source([], "close").pipeThrough({}));
    out.throughWritableLocked = await kind(() => { const ts = new TransformStream(); ts.writable.getWriter(); return source([], "close").pipeThrough(ts); });
    const lockedSource = () => { const s = source([], "close"); s.getReader(); return s; };
    const lockedDest = () => { const w = new WritableStream(); w.getWriter(); return w; };
    out.order = {
      destThenSignal: await kind(() => source([], "close").pipeTo({}, { signal: {} })),
      lockedThenDest: await kind(() => lockedSource().pipeTo({})),
      signalThenLocked: await kind(() => lockedSource().pipeTo(new WritableStream(), { signal: {} })),
      bothLocked: await kind(() => lockedSource().pipeTo(lockedDest())),
      throughWritableNotWritable: await kind(() => source([], "close").pipeThrough({ readable: new ReadableStream(), writable: {} })),
      throughLockedBadPair: await kind(() => lockedSource().pipeThrough({})),
      throughLocked: await kind(() => lockedSource().pipeThrough(new TransformStream())),
      throughBothLocked: await kind(() => lockedSource().pipeThrough({ readable: new ReadableStream(), writable: lockedDest() })),
      throughSignal: await kind(() => source([], "close").pipeThrough(new TransformStream(), { signal: 5 })),
      pipeToNothing: await kind(() => source([], "close").pipeTo()),
      pipeToOptionsNumber: await kind(() => source([], "close").pipeTo(new WritableStream(), 5)),
      pipeThroughOptionsNumber: await kind(() => source([], "close").pipeThrough(new TransformStream(), 5)),
      pipeToOptionsNull: await kind(() => source([], "close").pipeTo(new WritableStream(), null)),
      pipeToSignalNull: await kind(() => source([], "close").pipeTo(new WritableStream(), { signal: null })),
    };
    out.throughResult = await a(async () => { const ts = new TransformStream(); const r = source(["x"], "close").pipeThrough(ts); return [r === ts.readable, (await r.getReader().read()).value]; });
    return out;`),
  probe("IdentityTransformStream and FixedLengthStream: wrong chunks, too few and too many bytes, closing", `
    const out = {};
    out.identityString = await a(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = settle(ts.readable.getReader().read()); const p = settle(w.write("str")); return [await p, await r]; });
    out.identityBuffer = await a(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); w.write(new ArrayBuffer(2)); const x = await ts.readable.getReader().read(); return [x.done, Object.prototype.toString.call(x.value), x.value.byteLength]; });
    out.identityWriteClosed = await a(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const c = w.close(); const r = settle(ts.readable.getReader().read()); await c; return [await settle(w.write(new Uint8Array(1))), await settle(w.close()), await r]; });
    out.identityEmpty = await a(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const p = w.write(new Uint8Array(0)); w.close(); const x = await ts.readable.getReader().read(); return [await settle(p), x.done]; });
    out.fixedTooMany = await a(async () => { const ts = new FixedLengthStream(2); const w = ts.writable.getWriter(); const r = settle(ts.readable.getReader().read()); const p = settle(w.write(new Uint8Array(3))); return [await r, await settle(w.write(new Uint8Array(1)))]; });
    out.fixedTooFew = await a(async () => { const ts = new FixedLengthStream(3); const w = ts.writable.getWriter(); const rd = ts.readable.getReader(); w.write(new Uint8Array(1)); const first = await rd.read(); const c = settle(w.close()); return [first.value.length, await c, await settle(rd.read())]; });
    out.identityCancelReadable = await a(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); await ts.readable.cancel(new RangeError("cancelled")); return [await settle(w.write(new Uint8Array(1))), await settle(w.closed)]; });
    out.identityAbortWritable = await a(async () => { const ts = new IdentityTransformStream(); const rd = ts.readable.getReader(); await ts.writable.abort(new RangeError("aborted")); return await settle(rd.read()); });
    return out;`),
  probe("TransformStream: closing, erroring and cancelling either side", `
    const out = {};
    out.writeAfterReadableCancel = await a(async () => { const ts = new TransformStream(); const w = ts.writable.getWriter(); await ts.readable.cancel(new RangeError("rc")); return [await settle(w.write("a")), await settle(w.closed)]; });
    out.terminate = await a(async () => { const ts = new TransformStream({ start(c) { c.terminate(); } }); const w = ts.writable.getWriter(); return [(await settle(w.write("a")))[0], await settle(ts.readable.getReader().read())]; });
    out.enqueueAfterError = await a(async () => { let ctl; new TransformStream({ start(c) { ctl = c; } }); ctl.error(new RangeError("x")); return t(() => ctl.enqueue("x")); });
    out.enqueueAfterCancel = await a(async () => { let ctl; const ts = new TransformStream({ start(c) { ctl = c; } }); await ts.readable.cancel(); return t(() => ctl.enqueue("x")); });
    out.terminateTwice = await a(async () => { let ctl; new TransformStream({ start(c) { ctl = c; } }); ctl.terminate(); return t(() => ctl.terminate()); });
    out.enqueueAfterTerminate = await a(async () => { let ctl; const ts = new TransformStream({ start(c) { ctl = c; } }); ctl.terminate(); return t(() => ctl.enqueue("x")); });
    out.controllerError = await a(async () => { let ctl; const ts = new TransformStream({ start(c) { ctl = c; } }); ctl.error(new RangeError("ctl")); return [await settle(ts.writable.getWriter().write("a")), await settle(ts.readable.getReader().read())]; });
    out.flushThrows = await a(async () => { const ts = new TransformStream({ flush() { throw new EvalError("flush"); } }); const w = ts.writable.getWriter(); const r = settle(ts.readable.getReader().read()); return [await settle(w.close()), await r]; });
    return out;`),
  probe("CompressionStream and DecompressionStream: every format round trip", `
    const out = {};
    const bytes = (b) => new ReadableStream({ start(c) { c.enqueue(b); c.close(); } });
    for (const f of ["gzip", "deflate", "deflate-raw"]) {
      out[f] = await a(async () => new Response(bytes(new TextEncoder().encode("hello hello")).pipeThrough(new CompressionStream(f)).pipeThrough(new DecompressionStream(f))).text());
    }
    return out;`),
  probe("TextEncoderStream and TextDecoderStream: fatal, BOM, labels, wrong chunks", `
    const out = {};
    const decode = async (ts, chunks) => { const w = ts.writable.getWriter(); const rd = ts.readable.getReader(); const wp = settle((async () => { for (const c of chunks) await w.write(c); await w.close(); })()); const o = []; let r; try { for (;;) { const x = await rd.read(); if (x.done) break; o.push(x.value); } r = ["done", o]; } catch (e) { r = ["error", err(e), o]; } return [r, await wp]; };
    out.fatal = await decode(new TextDecoderStream("utf-8", { fatal: true }), [new Uint8Array([0x61, 0xff])]);
    out.notFatal = await decode(new TextDecoderStream(), [new Uint8Array([0x61, 0xff])]);
    out.fatalTruncated = await decode(new TextDecoderStream("utf-8", { fatal: true }), [new Uint8Array([0xe2, 0x82])]);
    out.truncated = await decode(new TextDecoderStream(), [new Uint8Array([0xe2, 0x82])]);
    out.split = await decode(new TextDecoderStream(), [new Uint8Array([0xe2]), new Uint8Array([0x82, 0xac])]);
    out.bom = await decode(new TextDecoderStream(), [new Uint8Array([0xef, 0xbb, 0xbf, 0x61])]);
    out.ignoreBom = await decode(new TextDecoderStream("utf-8", { ignoreBOM: true }), [new Uint8Array([0xef, 0xbb, 0xbf, 0x61])]);
    out.string = await decode(new TextDecoderStream(), ["abc"]);
    out.buffer = await decode(new TextDecoderStream(), [new ArrayBuffer(1)]);
    out.props = t(() => { const d = new TextDecoderStream("UTF8", { fatal: true }); return [d.encoding, d.fatal, d.ignoreBOM]; });
    out.badLabel = t(() => new TextDecoderStream("nope"));
    out.utf16 = t(() => new TextDecoderStream("utf-16le").encoding);
    out.latin1 = t(() => new TextDecoderStream("latin1").encoding);
    out.encode = await decode(new TextEncoderStream(), ["a", "\\ud83d", "\\ude00", "\\ud800"]);
    out.encodeNumber = await decode(new TextEncoderStream(), [5]);
    out.encodeObject = await decode(new TextEncoderStream(), [{}]);
    out.encoderEncoding = new TextEncoderStream().encoding;
    out.shape = [new TextDecoderStream() instanceof TransformStream, Object.prototype.toString.call(new TextDecoderStream()), Object.getOwnPropertyNames(TextDecoderStream.prototype).sort(), Object.getPrototypeOf(TextDecoderStream.prototype) === TransformStream.prototype, TextDecoderStream.length, t(() => TextDecoderStream()), t(() => new TextDecoderStream("utf-8", null).fatal), t(() => new TextDecoderStream("utf-8", 5)), t(() => new TextDecoderStream(undefined, { fatal: 1 }).fatal)];
    out.fatalDefaults = [new TextDecoderStream().fatal, new TextDecoderStream("utf-8").fatal, new TextDecoderStream("utf-8", undefined).fatal, new TextDecoderStream("utf-8", {}).fatal, new TextDecoderStream("utf-8", { ignoreBOM: true }).fatal, new TextDecoderStream("utf-8", null).ignoreBOM, new TextDecoderStream("utf-8", {}).ignoreBOM];
    out.nullOptionsDecode = await decode(new TextDecoderStream("utf-8", null), [new Uint8Array([0xff])]);
    out.labelConversion = [t(() => new TextDecoderStream(null)), t(() => new TextDecoderStream(" UTF-8 ").encoding), t(() => new TextDecoderStream("x-user-defined").encoding), t(() => new TextDecoderStream(Symbol()))];
    out.members = [TextDecoderStream, TextEncoderStream].map((C) => { const p = C.prototype; const tag = Object.getOwnPropertyDescriptor(p, Symbol.toStringTag); const g = Object.getOwnPropertyDescriptor(p, "encoding").get; return [tag.writable, tag.enumerable, tag.configurable, Object.keys(p), Object.getOwnPropertyNames(p), g.name, String(g), g.length]; });
    out.encoderShape = [new TextEncoderStream() instanceof TransformStream, Object.prototype.toString.call(new TextEncoderStream())];
    return out;`),
  probe("crypto: timingSafeEqual, DigestStream, randomUUID and getRandomValues limits", `
    const out = {};
    const subtle = crypto.subtle;
    const hexOf = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
    out.types = [typeof subtle.timingSafeEqual, typeof crypto.DigestStream, subtle.timingSafeEqual?.length, crypto.DigestStream?.length];
    out.tse = {
      equal: t(() => subtle.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))),
      differ: t(() => subtle.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))),
      lengths: t(() => subtle.timingSafeEqual(new Uint8Array([1]), new Uint8Array([1, 2]))),
      buffers: t(() => subtle.timingSafeEqual(new ArrayBuffer(2), new Uint16Array(1))),
      dataView: t(() => subtle.timingSafeEqual(new DataView(new ArrayBuffer(2)), new Uint8Array(2))),
      strings: t(() => subtle.timingSafeEqual("ab", "ab")),
      one: t(() => subtle.timingSafeEqual(new Uint8Array(1))),
      none: t(() => subtle.timingSafeEqual()),
      empty: t(() => subtle.timingSafeEqual(new Uint8Array(0), new Uint8Array(0))),
      otherThis: t(() => subtle.timingSafeEqual.call({}, new Uint8Array(1), new Uint8Array(1))),
    };
    out.digestStream = await a(async () => {
      const ds = new crypto.DigestStream("SHA-256");
      const w = ds.getWriter();
      await w.write(new TextEncoder().encode("ab"));
      await w.write("c");
      await w.close();
      const d = await ds.digest;
      return [Object.prototype.toString.call(d), hexOf(d), ds instanceof WritableStream, Object.prototype.toString.call(ds)];
    });
    out.digestStreamAlgorithms = await a(async () => { const o = {}; for (const alg of ["MD5", "SHA-1", "sha-384", { name: "SHA-512" }]) { const ds = new crypto.DigestStream(alg); const w = ds.getWriter(); await w.write(new Uint8Array([97])); await w.close(); o[typeof alg === "string" ? alg : alg.name] = hexOf(await ds.digest); } return o; });
    out.digestStreamBad = t(() => new crypto.DigestStream("SHA-3"));
    out.digestStreamNone = t(() => new crypto.DigestStream());
    out.digestStreamCall = t(() => crypto.DigestStream("SHA-256"));
    out.digestStreamPiped = await a(async () => { const ds = new crypto.DigestStream("SHA-1"); await new Response("abc").body.pipeTo(ds); return hexOf(await ds.digest); });
    out.digestStreamNumber = await a(async () => { const ds = new crypto.DigestStream("SHA-1"); const w = ds.getWriter(); return [await settle(w.write(5)), await settle(ds.digest)]; });
    out.digestStreamAbort = await a(async () => { const ds = new crypto.DigestStream("SHA-1"); await ds.abort(new RangeError("stop")); return settle(ds.digest); });
    out.digestStreamEmpty = await a(async () => { const ds = new crypto.DigestStream("SHA-256"); await ds.getWriter().close(); return hexOf(await ds.digest); });
    out.random = {
      max: t(() => crypto.getRandomValues(new Uint8Array(65536)).length),
      over: t(() => crypto.getRandomValues(new Uint8Array(65537))),
      overWide: t(() => crypto.getRandomValues(new Uint32Array(16385))),
      float: t(() => crypto.getRandomValues(new Float32Array(1))),
      bigint: t(() => crypto.getRandomValues(new BigInt64Array(1)).length),
      dataView: t(() => crypto.getRandomValues(new DataView(new ArrayBuffer(1)))),
      none: t(() => crypto.getRandomValues()),
      same: t(() => { const u = new Uint8Array(1); return crypto.getRandomValues(u) === u; }),
      clamped: t(() => crypto.getRandomValues(new Uint8ClampedArray(2)).length),
    };
    out.uuid = [typeof crypto.randomUUID(), crypto.randomUUID().length, crypto.randomUUID.length, t(() => crypto.randomUUID(1).length)];
    out.subtleBadNames = {
      digestNumber: await kind(() => subtle.digest(5, new Uint8Array(1))),
      digestEmptyObject: await kind(() => subtle.digest({}, new Uint8Array(1))),
      digestNull: await kind(() => subtle.digest(null, new Uint8Array(1))),
      importNoName: await kind(() => subtle.importKey("raw", new Uint8Array(16), {}, false, ["encrypt"])),
      badFormat: await kind(() => subtle.importKey("nope", new Uint8Array(16), "AES-GCM", false, ["encrypt"])),
      badFormatUnknownAlgorithm: await kind(() => subtle.importKey("nope", new Uint8Array(16), "\u017fha", false, ["encrypt"])),
      badFormatCase: await kind(() => subtle.importKey("RAW", new Uint8Array(16), "AES-GCM", false, ["encrypt"])),
      digestUndefined: await kind(() => subtle.digest(undefined, new Uint8Array(1))),
      generateNoName: await kind(() => subtle.generateKey({ length: 5 }, false, ["sign"])),
    };
    return out;`),
  probe("atob, btoa, queueMicrotask, scheduler.wait and structuredClone: conversions and refusals", `
    const out = {};
    out.atob = ["YQ", "YQ=", "Y Q = =", "YQ==\\n", "Y", "YQ===", "*", "", null, undefined, 5, "\u0100"].map((x) => t(() => atob(x)));
    out.btoa = ["", "é", "\u0100", null, undefined, 5, {}].map((x) => t(() => btoa(x)));
    out.atobNone = t(() => atob());
    out.queueMicrotask = [t(() => queueMicrotask()), t(() => queueMicrotask(null)), t(() => queueMicrotask("x")), t(() => queueMicrotask({})), t(() => queueMicrotask(() => {}, 1))];
    out.microtaskThrowsOrder = await (async () => { const log = []; queueMicrotask(() => log.push(1)); Promise.resolve().then(() => log.push(2)); queueMicrotask(() => log.push(3)); await sleep(1); return log; })();
    out.wait = {
      none: await kind(() => scheduler.wait()),
      string: await kind(() => scheduler.wait("5")),
      negative: await kind(() => scheduler.wait(-1)),
      nan: await kind(() => scheduler.wait(NaN)),
      object: await kind(() => scheduler.wait({ valueOf: () => 1 })),
      symbol: await kind(() => scheduler.wait(Symbol())),
      bigint: await kind(() => scheduler.wait(1n)),
      optionsNumber: await kind(() => scheduler.wait(1, 5)),
      signalAborted: await kind(() => scheduler.wait(1, { signal: AbortSignal.abort(new RangeError("waited")) })),
      signalNotSignal: await kind(() => scheduler.wait(1, { signal: {} })),
      signalLater: await kind(() => { const c = new AbortController(); const p = scheduler.wait(1000, { signal: c.signal }); c.abort(); return p; }),
      infinity: await kind(() => { const c = new AbortController(); const p = scheduler.wait(Infinity, { signal: c.signal }); c.abort("x"); return p; }),
      abortedString: await kind(() => scheduler.wait(1, { signal: AbortSignal.abort("s") })),
      reasons: await Promise.all(["str", 5, null, { a: 1 }, new RangeError("r"), new DOMException("d", "DataError")].map(async (reason) => { const c = new AbortController(); const p = scheduler.wait(1000, { signal: c.signal }); c.abort(reason); try { await p; return "resolved"; } catch (e) { return show(e); } })),
    };
    out.clone = {
      none: t(() => structuredClone()),
      undefined: t(() => structuredClone(undefined)),
      symbol: t(() => structuredClone(Symbol())),
      fn: t(() => structuredClone(() => 1)),
      sparse: t(() => structuredClone([1, , 3])),
      negZero: t(() => Object.is(structuredClone(-0), -0)),
      boxed: t(() => structuredClone(Object(1n))),
      date: t(() => structuredClone(new Date(NaN))),
      regexp: t(() => { const r = structuredClone(/a/gy); return [r.source, r.flags, r.lastIndex]; }),
      errorProps: t(() => { const e = new TypeError("m"); e.extra = 1; const c = structuredClone(e); return [c.name, c.message, c.extra, Object.keys(c)]; }),
      customErrorName: t(() => { const e = new Error("m"); e.name = "Custom"; const c = structuredClone(e); return [c.name, c.constructor.name]; }),
      aggregate: t(() => { const c = structuredClone(new AggregateError([1], "agg")); return [c.name, c.constructor.name, c.errors]; }),
      domException: t(() => { const c = structuredClone(new DOMException("d", "DataError")); return [c.name, c.message, c.code, c.constructor.name]; }),
      symbolKey: t(() => Object.getOwnPropertySymbols(structuredClone({ [Symbol()]: 1 })).length),
      transferNotArray: t(() => structuredClone(1, { transfer: 5 })),
      transferDup: t(() => { const b = new ArrayBuffer(1); return structuredClone(b, { transfer: [b, b] }); }),
      optionsNumber: t(() => structuredClone(1, 5)),
      headers: t(() => { const h = structuredClone(new Headers({ a: "1" })); return [...h]; }),
      mapCycle: t(() => { const m = new Map(); m.set(m, m); const c = structuredClone(m); return c.get(c) === c; }),
      typedArrayView: t(() => { const b = new ArrayBuffer(4); const c = structuredClone([new Uint8Array(b, 1, 2), new Uint8Array(b)]); return [c[0].buffer === c[1].buffer, c[0].byteOffset]; }),
    };
    return out;`),
  probe("Request and Response: bodies used twice, clones after reads, redirect(), signals, cf, duplex", `
    const out = {};
    out.responseTwice = await a(async () => { const r = new Response("x"); const p1 = r.text(); const p2 = settle(r.text()); return [await p1, await p2, r.bodyUsed]; });
    out.requestTwice = await a(async () => { const r = new Request("http://x/", { method: "POST", body: "x" }); const p1 = r.text(); const p2 = settle(r.arrayBuffer()); return [await p1, await p2]; });
    out.cloneAfterRead = await a(async () => { const r = new Response("x"); await r.text(); return t(() => r.clone()); });
    out.cloneDuringRead = await a(async () => { const r = new Response("x"); const p = r.text(); const c = t(() => r.clone()); return [await p, c]; });
    out.cloneNoBody = await a(async () => { const r = new Response(null, { status: 204 }); const c = r.clone(); return [c.status, c.body, await c.text()]; });
    out.bodyStreamUsed = await a(async () => { const r = new Response("x"); const reader = r.body.getReader(); await reader.read(); return [r.bodyUsed, await settle(r.text())]; });
    out.redirects = [301, 302, 303, 307, 308, 300, 304, 200, undefined].map((st) => t(() => { const r = Response.redirect("http://a/b?c", st); return [r.status, r.headers.get("location"), r.statusText, [...r.headers].length]; }));
    out.redirectRelative = t(() => Response.redirect("/x").headers.get("location"));
    out.jsonUndefined = t(() => Response.json(undefined));
    out.jsonFunction = t(() => Response.json(() => 1));
    out.jsonSymbol = t(() => Response.json(Symbol()));
    out.jsonStatusText = t(() => { const r = Response.json({}, { status: 201, statusText: "Made", headers: [["x", "1"]] }); return [r.status, r.statusText, [...r.headers]]; });
    out.jsonToJSON = await a(() => Response.json({ toJSON() { return [1]; } }).text());
    out.statusCodes = [100, 101, 103, 199, 200, 299, 599, 0, -1, 1000].map((st) => t(() => new Response(null, { status: st }).status));
    out.statusTexts = ["", "OK ok", "\t", "a\u0000", "\u00ff", "\u0100"].map((st) => t(() => new Response(null, { statusText: st }).statusText));
    out.signal = t(() => { const r = new Request("http://x/"); return [typeof r.signal, r.signal.aborted, Object.prototype.toString.call(r.signal)]; });
    out.signalGiven = t(() => { const c = new AbortController(); c.abort("why"); const r = new Request("http://x/", { signal: c.signal }); return [r.signal.aborted, show(r.signal.reason), r.signal === c.signal]; });
    out.signalNull = t(() => new Request("http://x/", { signal: null }).signal === null);
    out.signalCopied = t(() => { const c = new AbortController(); const r = new Request("http://x/", { signal: c.signal }); const other = new AbortController(); return [new Request(r).signal === c.signal, r.clone().signal === c.signal, new Request(r).clone().signal === c.signal, new Request(r, { signal: other.signal }).signal === other.signal, new Request(r, { signal: null }).signal === c.signal]; });
    out.signalBad = t(() => new Request("http://x/", { signal: {} }));
    out.cf = t(() => [new Request("http://x/").cf, new Request("http://x/", { cf: { a: 1 } }).cf]);
    out.cfClone = t(() => { const cf = { a: 1 }; const r = new Request("http://x/", { cf }); return [r.cf === cf, r.clone().cf === r.cf]; });
    out.duplexBad = t(() => new Request("http://x/", { method: "POST", body: "x", duplex: "full" }));
    out.integrity = t(() => new Request("http://x/", { integrity: "sha256-x" }));
    out.mode = t(() => new Request("http://x/", { mode: "cors" }).mode);
    out.credentials = t(() => new Request("http://x/", { credentials: "include" }));
    out.cache = ["no-store", "no-cache", "default", "reload", "bogus"].map((c) => t(() => new Request("http://x/", { cache: c }).cache));
    out.requestProps = t(() => { const r = new Request("http://x/"); return ["keepalive", "mode", "credentials", "destination", "referrer", "referrerPolicy", "integrity", "cache", "fetcher", "duplex"].map((k) => [k, show(r[k])]); });
    out.responseProps = t(() => { const r = new Response(); return ["type", "url", "redirected", "webSocket", "cf"].map((k) => [k, show(r[k])]); });
    out.encodeBody = ["automatic", "manual", "bogus"].map((e) => t(() => new Response("x", { encodeBody: e }).headers.get("content-encoding")));
    return out;`),
  probe("Headers, FormData, Blob, File, URL and URLSearchParams: edges", `
    const out = {};
    out.headersGetSetCookie = t(() => { const h = new Headers([["Set-Cookie", "a=1, b=2"], ["set-cookie", "c=3"]]); return [h.getSetCookie(), h.get("set-cookie"), [...h]]; });
    out.headersGetAll = t(() => new Headers([["Set-Cookie", "a"]]).getAll("set-cookie"));
    out.headersGetAllOther = t(() => new Headers([["x", "a"]]).getAll("x"));
    out.headersAppendSymbol = t(() => new Headers().append("a", Symbol()));
    out.headersRecordSymbol = t(() => new Headers({ [Symbol()]: "x", a: "1" }).get("a"));
    out.headersIteratorMutation = t(() => { const h = new Headers({ a: "1", b: "2" }); const o = []; for (const [k] of h) { o.push(k); h.delete("b"); } return o; });
    out.formData = t(() => { const f = new FormData(); f.append("a", "1"); f.append("a", new Blob(["x"])); f.set("b", "2"); const file = f.getAll("a")[1]; return [f.get("a"), f.has("b"), [...f.keys()], Object.prototype.toString.call(file), file.name, file.type]; });
    out.formDataBlobName = t(() => { const f = new FormData(); f.append("a", new Blob(["x"]), "n.txt"); f.append("b", new File(["y"], "orig"), "renamed"); return [f.get("a").name, f.get("b").name]; });
    out.formDataBadValue = t(() => { const f = new FormData(); f.append("a", {}); return f.get("a"); });
    out.formDataThreeStringArgs = t(() => { const f = new FormData(); f.append("a", "x", "name"); f.set("b", 5, "name"); f.append("c", { toString: () => "obj" }, undefined); return [...f]; });
    out.blobSlice = await a(async () => { const b = new Blob(["abcdef"]); return [await b.slice(-2).text(), await b.slice(2, -1).text(), await b.slice(4, 2).text(), b.slice(1, 3, "Text/Plain").type]; });
    out.blobParts = await a(async () => await new Blob(["a", new Blob(["b"]), new Uint16Array([0x6463]), new ArrayBuffer(1)]).text());
    out.blobPartsObject = t(() => new Blob([{}]).size);
    out.fileLastModified = t(() => { const f = new File([], "n", { lastModified: "12" }); return [f.lastModified, typeof f.lastModified]; });
    out.fileBadLastModified = t(() => new File([], "n", { lastModified: NaN }).lastModified);
    out.url = ["http://a/b?c#d", "//x", "http://a:99999/", "http://[1::", "blob:http://a/b", "data:,x", "file:///c:/x", "http://a/%", "http://a b/", "http://a/\u00e9?\u00e9#\u00e9"].map((u) => t(() => { const x = new URL(u, "http://base/"); return [x.href, x.origin, x.port, x.pathname]; }));
    out.urlCanParse = [URL.canParse("http://a"), URL.canParse("nope"), URL.canParse("/x", "http://a")];
    out.urlSetters = t(() => { const u = new URL("http://a/"); u.port = "99999"; u.protocol = "ftp"; u.hostname = "b c"; u.search = "?x y"; u.hash = "h h"; u.username = "u@"; return u.href; });
    out.urlSearchParamsLive = t(() => { const u = new URL("http://a/?x=1"); u.searchParams.append("y", "2 3"); u.search = "z=4"; return [u.href, [...u.searchParams]]; });
    out.urlToJSON = t(() => JSON.stringify({ u: new URL("http://a") }));
    out.usp = t(() => { const p = new URLSearchParams("a=1&b=2&a=3"); p.set("a", "9"); return [String(p), p.size, p.getAll("a"), p.toString === URLSearchParams.prototype.toString]; });
    out.uspFromRecordSymbol = t(() => String(new URLSearchParams({ [Symbol()]: 1, a: 2 })));
    out.uspQuestion = t(() => String(new URLSearchParams("?a=1")));
    return out;`),
  probe("Event, CustomEvent, EventTarget and AbortSignal: init dictionaries, detail, composition", `
    const out = {};
    out.eventInit = [undefined, null, {}, { bubbles: 1, cancelable: "", composed: {} }].map((i) => t(() => { const e = new Event("x", i); return [e.bubbles, e.cancelable, e.composed]; }));
    out.eventTypeConversion = [null, undefined, 5, {}].map((ty) => t(() => new Event(ty).type));
    out.customDetail = [t(() => new CustomEvent("x").detail), t(() => new CustomEvent("x", {}).detail), t(() => new CustomEvent("x", { detail: undefined }).detail), t(() => new CustomEvent("x", null).detail)];
    out.customProto = t(() => [Object.getPrototypeOf(CustomEvent.prototype) === Event.prototype, Object.prototype.toString.call(new CustomEvent("x")), "initCustomEvent" in CustomEvent.prototype]);
    out.customDetailGetter = t(() => { const d = Object.getOwnPropertyDescriptor(CustomEvent.prototype, "detail"); return [d.get.name, String(d.get), d.get.length, d.enumerable, d.configurable, d.set]; });
    out.preventDefault = t(() => { const et = new EventTarget(); et.addEventListener("x", (e) => e.preventDefault()); const e = new Event("x", { cancelable: true }); const r = et.dispatchEvent(e); const e2 = new Event("y"); e2.preventDefault(); return [r, e.defaultPrevented, e2.defaultPrevented]; });
    out.stopImmediate = t(() => { const et = new EventTarget(); const log = []; et.addEventListener("x", (e) => { log.push(1); e.stopImmediatePropagation(); }); et.addEventListener("x", () => log.push(2)); et.dispatchEvent(new Event("x")); return log; });
    out.timeStamp = t(() => typeof new Event("x").timeStamp);
    out.composedPath = t(() => { const et = new EventTarget(); let p; et.addEventListener("x", (e) => { p = e.composedPath().length; }); et.dispatchEvent(new Event("x")); return [p, new Event("x").composedPath().length]; });
    out.listenerOptions = t(() => { const et = new EventTarget(); const log = []; const f = () => log.push("f"); et.addEventListener("x", f, true); et.addEventListener("x", f, false); et.dispatchEvent(new Event("x")); et.removeEventListener("x", f, true); et.dispatchEvent(new Event("x")); return log; });
    out.capture = [true, false, 1, "", { capture: true }, { capture: 1 }, { capture: false }, {}, null, undefined].map((o) => t(() => { new EventTarget().addEventListener("x", () => {}, o); return "added"; }));
    out.captureNullListener = t(() => { new EventTarget().addEventListener("x", null, true); return "added"; });
    out.captureRemove = [true, { capture: true }].map((o) => t(() => { new EventTarget().removeEventListener("x", () => {}, o); return "removed"; }));
    out.anyNotSignals = t(() => AbortSignal.any([{}]));
    out.anyNotIterable = t(() => AbortSignal.any(5));
    out.anyNone = t(() => AbortSignal.any());
    out.timeoutArgs = [-1, NaN, "5", 2 ** 53, Infinity, 1n].map((x) => t(() => AbortSignal.timeout(x).aborted));
    out.timeoutNone = t(() => AbortSignal.timeout());
    out.anyReasonOrder = t(() => { const a1 = new AbortController(); const a2 = new AbortController(); const s = AbortSignal.any([a1.signal, a2.signal]); a2.abort("second"); a1.abort("first"); return s.reason; });
    out.anyOfAny = t(() => { const c = new AbortController(); const s = AbortSignal.any([AbortSignal.any([c.signal])]); c.abort("deep"); return [s.aborted, s.reason]; });
    out.abortEventOrder = t(() => { const c = new AbortController(); const log = []; const s = AbortSignal.any([c.signal]); s.addEventListener("abort", () => log.push("any")); c.signal.addEventListener("abort", () => log.push("source")); c.abort(); return log; });
    out.abortReasonUndefinedExplicit = t(() => { const c = new AbortController(); c.abort(undefined); return [c.signal.reason.name, c.signal.reason.message]; });
    return out;`),
];
