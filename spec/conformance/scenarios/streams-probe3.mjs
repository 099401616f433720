// Web streams probed past streams-probe2.mjs, each as Worker code sees it: what the other side
// of a stream sees of an abort or cancel without a reason (or with one that is no object, across
// the runtime's native streams), controllers' error() without a reason, the async iterator of a
// ReadableStream (its interface, next() and return(), preventCancel), the queuing strategies'
// arguments, highWaterMark and size(), pipeTo's prevent* options with an error on either side,
// the text streams' split characters, fatal decoding and BOM, a CompressionStream over several
// chunks, strategies whose size() throws or answers other than a size, blob.stream()'s chunks
// (and a Blob body's), ReadableStream.from() over generators and iterators, and when a released
// reader's pending reads and `closed` reject among other promises, and what a tee's source and
// branches see of their cancels.
import { inside } from "../scenario.mjs";

/**
 * A scenario named `<prefix>: <name>` whose object method runs `body` with the probes' helpers:
 * t/a (outcome of a sync/async function), settle (a promise's outcome or "pending"), timeline
 * (where marked settlements fall among microtask ticks) and on (marks a promise's settlement).
 */
export const prober = (prefix) => (name, body, rest) => inside(`${prefix}: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
    const a = (f) => outcome(f);
    // A promise still pending after 300 ms is a fact of its own.
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(300).then(() => ["pending"])]);
    // The order in which what start(mark) sets going marks itself among a count of microtask
    // ticks: where a write, read or close settles relative to other promises.
    const timeline = async (start) => {
      const order = [];
      const mark = (label) => order.push(label);
      start(mark);
      for (let i = 0; i < 14; i++) { order.push(i); await null; }
      await sleep(5);
      return order.join(" ");
    };
    const on = (mark, label, p) => p.then((v) => mark(label + (v && typeof v === "object" && "done" in v ? (v.done ? ":done" : ":" + v.value) : "")), (e) => mark(label + "!" + (e?.name ?? String(e))));
${body}`, rest);

const probe = prober("streams probe 3");

export default [
  probe("aborts and cancels without a reason: what the other side sees", `
    const out = {};
    out.writerAbort = await a(async () => { const log = []; const s = new WritableStream({ abort(r) { log.push(show(r)); } }); const w = s.getWriter(); await w.abort(); return [log, await settle(w.closed), await settle(w.write("a"))]; });
    out.streamAbort = await a(async () => { const log = []; const s = new WritableStream({ abort(r) { log.push(show(r)); } }); await s.abort(); return [log, await settle(s.getWriter().closed)]; });
    out.cancel = await a(async () => { const log = []; const s = new ReadableStream({ cancel(r) { log.push(show(r)); } }); await s.cancel(); return log; });
    out.readerCancel = await a(async () => { const log = []; const s = new ReadableStream({ cancel(r) { log.push(show(r)); } }); const r = s.getReader(); await r.cancel(); return [log, await settle(r.closed), await settle(r.read())]; });
    out.byteCancel = await a(async () => { const log = []; const s = new ReadableStream({ type: "bytes", cancel(r) { log.push(show(r)); } }); await s.cancel(); return log; });
    out.transformAbort = await a(async () => { const ts = new TransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); await w.abort(); return [await settle(r.read()), await settle(r.closed)]; });
    out.transformCancel = await a(async () => { const ts = new TransformStream(); const w = ts.writable.getWriter(); await ts.readable.cancel(); return [await settle(w.write("a")), await settle(w.closed)]; });
    out.transformCancelCallback = await a(async () => { const log = []; const ts = new TransformStream({ cancel(r) { log.push(show(r)); } }); await ts.readable.cancel(); return log; });
    out.identityAbort = await a(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); await w.abort(); return [await settle(r.read())]; });
    out.identityCancel = await a(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); await ts.readable.cancel(); return [await settle(w.write(new Uint8Array(1))), await settle(w.closed)]; });
    for (const [name, make] of [["identity", () => new IdentityTransformStream()], ["gzip", () => new CompressionStream("gzip")], ["fixed", () => new FixedLengthStream(4)]]) {
      for (const reason of [undefined, null, "text", 5, new RangeError("r"), { k: 1 }]) {
        out[name + " abort " + String(reason)] = await a(async () => { const ts = make(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); await w.abort(reason); return [await settle(r.read()), await settle(w.closed)]; });
        out[name + " cancel " + String(reason)] = await a(async () => { const ts = make(); const w = ts.writable.getWriter(); await ts.readable.cancel(reason); return [await settle(w.write(new Uint8Array(1))), await settle(w.closed)]; });
      }
    }
    out.controllerError = await a(async () => { let ctl; const s = new ReadableStream({ start(c) { ctl = c; } }); ctl.error(); return settle(s.getReader().read()); });
    out.byteControllerError = await a(async () => { let ctl; const s = new ReadableStream({ type: "bytes", start(c) { ctl = c; } }); ctl.error(); return settle(s.getReader().read()); });
    out.transformControllerError = await a(async () => { let ctl; const ts = new TransformStream({ start(c) { ctl = c; } }); ctl.error(); return [await settle(ts.readable.getReader().read()), await settle(ts.writable.getWriter().closed)]; });
    out.controllerErrorUndefined = await a(async () => { let ctl; const s = new ReadableStream({ start(c) { ctl = c; } }); ctl.error(undefined); return settle(s.getReader().read()); });
    out.writableControllerError = await a(async () => { let ctl; const s = new WritableStream({ start(c) { ctl = c; } }); ctl.error(); return settle(s.getWriter().closed); });
    return out;`),
  probe("the async iterator of a ReadableStream: its shape and its next() and return()", `
    const out = {};
    const s0 = new ReadableStream();
    const it = s0[Symbol.asyncIterator]();
    const proto = Object.getPrototypeOf(it);
    const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}.prototype));
    out.shape = [Object.prototype.toString.call(it), proto[Symbol.toStringTag], Object.getPrototypeOf(proto) === AsyncIteratorPrototype, Object.getOwnPropertyNames(proto).sort(), Object.getOwnPropertySymbols(proto).map(String).filter((key) => key.startsWith("Symbol(Symbol.")), proto.constructor.name, t(() => new proto.constructor()), Object.keys(it), it[Symbol.asyncIterator]() === it, typeof proto.next, proto.next.length, proto.return.length, proto.next.name, proto.return.name, ReadableStream.prototype.values === ReadableStream.prototype[Symbol.asyncIterator], ReadableStream.prototype[Symbol.asyncIterator].name, ReadableStream.prototype.values.name, s0.locked];
    out.protoShared = Object.getPrototypeOf(new ReadableStream().values()) === proto;
    out.nextOnOther = await a(() => proto.next.call({}));
    out.returnValue = await a(async () => { const log = []; const s = new ReadableStream({ start(c) { c.enqueue(1); }, cancel(r) { log.push(show(r)); } }); const i = s.values(); const first = await i.next(); const ret = await i.return("v"); const after = await i.next(); const ret2 = await i.return("w"); return [show(first), show(ret), show(after), show(ret2), log, s.locked]; });
    out.returnNoArg = await a(async () => { const log = []; const s = new ReadableStream({ cancel(r) { log.push(show(r)); } }); const i = s.values(); const ret = await i.return(); return [show(ret), log, s.locked]; });
    out.preventCancel = await a(async () => { const log = []; const s = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); }, cancel(r) { log.push(show(r)); } }); const i = s.values({ preventCancel: true }); await i.next(); const ret = await i.return("v"); return [show(ret), log, s.locked, show(await s.getReader().read())]; });
    out.forAwaitBreak = await a(async () => { const log = []; const s = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); }, cancel(r) { log.push(show(r)); } }); for await (const x of s) { log.push(x); break; } return [log, s.locked]; });
    out.nextAfterDone = await a(async () => { const s = new ReadableStream({ start(c) { c.close(); } }); const i = s.values(); return [show(await i.next()), show(await i.next()), show(await i.return(3)), s.locked]; });
    out.errored = await a(async () => { const s = new ReadableStream({ start(c) { c.error(new RangeError("e")); } }); const i = s.values(); return [await settle(i.next()), await settle(i.next()), await settle(i.return(1))]; });
    out.locked = t(() => { const s = new ReadableStream(); s.getReader(); return s.values(); });
    out.badOptions = [t(() => new ReadableStream().values(1) !== undefined), t(() => new ReadableStream().values(null) !== undefined), t(() => new ReadableStream().values({ preventCancel: "yes" }) !== undefined)];
    return out;`),
  probe("CountQueuingStrategy and ByteLengthQueuingStrategy: their arguments and highWaterMark", `
    const out = {};
    for (const S of [CountQueuingStrategy, ByteLengthQueuingStrategy]) {
      for (const [name, arg] of [["empty", {}], ["none", undefined], ["null", null], ["number", 1], ["string hwm", { highWaterMark: "2" }], ["fraction", { highWaterMark: 1.5 }], ["negative", { highWaterMark: -1 }], ["NaN", { highWaterMark: NaN }], ["Infinity", { highWaterMark: Infinity }], ["text", { highWaterMark: "x" }], ["null hwm", { highWaterMark: null }], ["object hwm", { highWaterMark: { valueOf: () => 3 } }], ["bigint", { highWaterMark: 1n }]]) {
        out[S.name + " " + name] = t(() => { const q = new S(arg); return [show(q.highWaterMark), Object.keys(q)]; });
      }
      out[S.name + " size"] = t(() => { const q = new S({ highWaterMark: 1 }); return [q.size.name, q.size.length, q.size === new S({ highWaterMark: 2 }).size, q.size === q.size, show(q.size("abc")), show(q.size(new Uint8Array(4))), show(q.size({ byteLength: 7 })), show(q.size())]; });
      out[S.name + " call"] = t(() => S({ highWaterMark: 1 }));
      out[S.name + " stream"] = t(() => { const s = new ReadableStream({}, new S({ highWaterMark: 2 })); let d; new ReadableStream({ start(c) { d = c.desiredSize; } }, new S({ highWaterMark: 2.5 })); return d; });
    }
    out.ownKeys = [Object.getOwnPropertyNames(CountQueuingStrategy.prototype).sort(), Object.getOwnPropertyNames(ByteLengthQueuingStrategy.prototype).sort()];
    return out;`),
  probe("pipeTo and pipeThrough options with an error on either side", `
    const out = {};
    const source = (log, how) => new ReadableStream({ start(c) { c.enqueue("a"); if (how === "close") c.close(); if (how === "error") c.error(new RangeError("src")); }, cancel(r) { log.push("cancel " + JSON.stringify(show(r))); } });
    const dest = (log, how) => new WritableStream({ write(x) { log.push("write " + x); if (how === "error") throw new SyntaxError("dst"); }, close() { log.push("close"); }, abort(r) { log.push("abort " + JSON.stringify(show(r))); } });
    for (const [srcHow, dstHow] of [["close", "ok"], ["error", "ok"], ["open", "error"]]) {
      for (const options of [{}, { preventClose: true }, { preventAbort: true }, { preventCancel: true }, { preventClose: true, preventAbort: true, preventCancel: true }]) {
        out[srcHow + "/" + dstHow + " " + JSON.stringify(options)] = await a(async () => { const log = []; const src = source(log, srcHow); const dst = dest(log, dstHow); const p = await settle(src.pipeTo(dst, options)); return [p, log, src.locked, dst.locked]; });
      }
    }
    out.badSignal = await a(async () => settle(new ReadableStream().pipeTo(new WritableStream(), { signal: {} })));
    out.pipeThroughPreventCancel = await a(async () => { const log = []; const src = source(log, "open"); const ts = new TransformStream(); const out2 = src.pipeThrough(ts, { preventCancel: true }); await out2.cancel(new RangeError("back")); await sleep(5); return [log, src.locked]; });
    out.pipeThroughBadPair = [t(() => new ReadableStream().pipeThrough({ readable: new ReadableStream() })), t(() => new ReadableStream().pipeThrough({ writable: new WritableStream() }))];
    return out;`),
  probe("TextEncoderStream and TextDecoderStream: split characters, fatal, BOM", `
    const out = {};
    const through = async (ts, chunks) => { const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const got = []; const reading = (async () => { for (;;) { const x = await r.read(); if (x.done) return; got.push(show(x.value)); } })(); const results = []; for (const c of chunks) results.push(await settle(w.write(c))); results.push(await settle(w.close())); const end = await settle(reading); return { got, results, end }; };
    out.encSplitSurrogate = await a(() => through(new TextEncoderStream(), ["a\\ud83d", "\\ude00b"]));
    out.encLoneEnd = await a(() => through(new TextEncoderStream(), ["a\\ud83d"]));
    out.encLoneLow = await a(() => through(new TextEncoderStream(), ["\\ude00x"]));
    out.encEmpty = await a(() => through(new TextEncoderStream(), ["", "a", ""]));
    out.encNonString = await a(() => through(new TextEncoderStream(), [5, null, { toString() { return "o"; } }]));
    out.encHighThenHigh = await a(() => through(new TextEncoderStream(), ["\\ud83d", "\\ud83d", "\\ude00"]));
    out.decSplit = await a(() => through(new TextDecoderStream(), [new Uint8Array([0xe2, 0x82]), new Uint8Array([0xac, 0x41])]));
    out.decIncompleteEnd = await a(() => through(new TextDecoderStream(), [new Uint8Array([0x41, 0xe2, 0x82])]));
    out.decFatalInvalid = await a(() => through(new TextDecoderStream("utf-8", { fatal: true }), [new Uint8Array([0x41]), new Uint8Array([0xff]), new Uint8Array([0x42])]));
    out.decFatalIncompleteEnd = await a(() => through(new TextDecoderStream("utf-8", { fatal: true }), [new Uint8Array([0x41, 0xe2])]));
    out.decBom = await a(() => through(new TextDecoderStream(), [new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf, 0x41])]));
    out.decIgnoreBom = await a(() => through(new TextDecoderStream("utf-8", { ignoreBOM: true }), [new Uint8Array([0xef, 0xbb, 0xbf, 0x41])]));
    out.decEmptyChunks = await a(() => through(new TextDecoderStream(), [new Uint8Array(0), new Uint8Array([0x41])]));
    out.decNonBuffer = await a(() => through(new TextDecoderStream(), ["abc"]));
    out.decBuffer = await a(() => through(new TextDecoderStream(), [new Uint8Array([0x41]).buffer, new DataView(new Uint8Array([0x42]).buffer)]));
    out.decUtf16 = await a(() => through(new TextDecoderStream("utf-16le"), [new Uint8Array([0x41]), new Uint8Array([0x00, 0x42, 0x00])]));
    out.props = t(() => { const e = new TextEncoderStream(); const d = new TextDecoderStream("utf-8", { fatal: true, ignoreBOM: true }); return [e.encoding, d.encoding, d.fatal, d.ignoreBOM]; });
    return out;`),
  probe("CompressionStream over several chunks; a WritableStream whose size() throws", `
    const out = {};
    const collect = async (readable) => { const parts = []; for await (const c of readable) parts.push(c); return parts; };
    for (const format of ["gzip", "deflate", "deflate-raw"]) {
      out[format] = await a(async () => { const cs = new CompressionStream(format); const w = cs.writable.getWriter(); const reading = collect(cs.readable); const results = []; for (const text of ["hello ", "hello ", "world"]) results.push(await settle(w.write(new TextEncoder().encode(text)))); results.push(await settle(w.close())); const parts = await reading; const joined = new Blob(parts); const back = await new Response(joined.stream().pipeThrough(new DecompressionStream(format))).text(); return [results, parts.length > 0, back, parts.every((p) => p instanceof Uint8Array)]; });
    }
    out.compressNonBytes = await a(async () => { const cs = new CompressionStream("gzip"); const w = cs.writable.getWriter(); cs.readable.getReader().read(); return [await settle(w.write("text")), await settle(w.closed)]; });
    out.decompressGarbage = await a(async () => { const ds = new DecompressionStream("gzip"); const w = ds.writable.getWriter(); const r = ds.readable.getReader(); const rp = settle(r.read()); const wp = settle(w.write(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))); const cp = settle(w.close()); return [await wp, await cp, await rp]; });
    out.decompressTruncated = await a(async () => { const whole = new Uint8Array(await new Response(new Blob(["hello"]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer()); const ds = new DecompressionStream("gzip"); const w = ds.writable.getWriter(); const reading = settle(collect(ds.readable).then((p) => p.length)); const wp = await settle(w.write(whole.slice(0, whole.length - 4))); return [wp, await settle(w.close()), await reading]; });
    out.sizeThrows = await a(async () => { const log = []; const s = new WritableStream({ write(x) { log.push("write " + x); }, abort(r) { log.push("abort " + JSON.stringify(show(r))); } }, { highWaterMark: 2, size() { throw new RangeError("size"); } }); const w = s.getWriter(); const p = settle(w.write("a")); return [await p, await settle(w.closed), await settle(w.write("b")), log, w.desiredSize]; });
    out.sizeNaN = await a(async () => { const s = new WritableStream({}, { size() { return NaN; } }); const w = s.getWriter(); return [await settle(w.write("a")), await settle(w.closed)]; });
    out.sizeNegative = await a(async () => { const s = new WritableStream({}, { size() { return -1; } }); const w = s.getWriter(); return [await settle(w.write("a")), await settle(w.closed)]; });
    out.sizeValues = await a(async () => { const s = new WritableStream({ write() { return sleep(20); } }, { highWaterMark: 10, size(c) { return c.length; } }); const w = s.getWriter(); const seen = [w.desiredSize]; w.write("abc"); seen.push(w.desiredSize); w.write("abcdefghij"); seen.push(w.desiredSize); return seen; });
    out.sizeConversions = await a(async () => { const seen = []; for (const answer of [1.5, "2", undefined, 2 ** 60, true]) { const s = new WritableStream({ write() { return sleep(20); } }, { highWaterMark: 10, size() { return answer; } }); const w = s.getWriter(); seen.push([await settle(w.write("a").then(() => w.desiredSize)), w.desiredSize]); } return seen; });
    out.readableSizeThrowsLater = await a(async () => { let ctl; const s = new ReadableStream({ start(c) { ctl = c; } }, { size(x) { if (x === "b") throw new RangeError("rsize"); return 1; } }); ctl.enqueue("a"); const thrown = t(() => ctl.enqueue("b")); return [thrown, ctl.desiredSize, await settle(s.getReader().read()), t(() => ctl.enqueue("c"))]; });
    out.readableSizeThrows = await a(async () => { let ctl; const s = new ReadableStream({ start(c) { ctl = c; } }, { size() { throw new RangeError("rsize"); } }); const thrown = t(() => ctl.enqueue("a")); return [thrown, await settle(s.getReader().read())]; });
    return out;`),
  probe("blob.stream() and a Blob Response's body: timing and chunk sizes", `
    const out = {};
    const chunkSizes = async (s) => { const sizes = []; for await (const c of s) sizes.push(c.byteLength); return sizes; };
    out.small = await a(() => chunkSizes(new Blob(["abc", "def"]).stream()));
    out.big = await a(() => chunkSizes(new Blob([new Uint8Array(200000)]).stream()));
    out.parts = await a(() => chunkSizes(new Blob([new Uint8Array(5000), "x", new Blob([new Uint8Array(70000)])]).stream()));
    out.empty = await a(async () => { const r = new Blob([]).stream().getReader(); return [show(await r.read())]; });
    out.response = await a(() => chunkSizes(new Response(new Blob([new Uint8Array(200000)])).body));
    out.responseSmall = await a(() => chunkSizes(new Response(new Blob(["abc"])).body));
    out.timing = await timeline((mark) => { const r = new Blob(["abc"]).stream().getReader(); on(mark, "r1", r.read().then((x) => ({ done: x.done, value: x.value?.byteLength }))); });
    out.byob = await a(async () => { const r = new Blob(["abcdef"]).stream().getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(4)); return [show(x.value), x.done]; });
    out.type = t(() => { const s = new Blob(["a"]).stream(); return [s.constructor.name, typeof s.getReader({ mode: "byob" })]; });
    return out;`),
  probe("ReadableStream.from over generators: return() on cancel, errors", `
    const out = {};
    out.cancelAsyncGen = await a(async () => { const log = []; async function* g() { try { yield 1; yield 2; } finally { log.push("finally"); } } const s = ReadableStream.from(g()); const r = s.getReader(); const x = await r.read(); await r.cancel("why"); return [show(x), log]; });
    out.cancelReturnArg = await a(async () => { const log = []; const it = { [Symbol.asyncIterator]() { return this; }, next() { return Promise.resolve({ value: 1, done: false }); }, return(v) { log.push("return " + JSON.stringify(show(v))); return Promise.resolve({ done: true }); } }; const s = ReadableStream.from(it); await s.cancel("why"); return log; });
    out.returnNotObject = await a(async () => { const it = { [Symbol.asyncIterator]() { return this; }, next() { return { value: 1, done: false }; }, return() { return 5; } }; const s = ReadableStream.from(it); return settle(s.cancel("why")); });
    out.returnThrows = await a(async () => { const it = { [Symbol.asyncIterator]() { return this; }, next() { return { value: 1, done: false }; }, return() { throw new RangeError("ret"); } }; return settle(ReadableStream.from(it).cancel()); });
    out.noReturn = await a(async () => { const it = { [Symbol.asyncIterator]() { return this; }, next() { return { value: 1, done: false }; } }; return settle(ReadableStream.from(it).cancel()); });
    out.syncIterable = await a(async () => { const s = ReadableStream.from([1, Promise.resolve(2), 3]); const got = []; for await (const x of s) got.push(x); return got; });
    out.syncGenCancel = await a(async () => { const log = []; function* g() { try { yield 1; yield 2; } finally { log.push("finally"); } } const s = ReadableStream.from(g()); const r = s.getReader(); await r.read(); await r.cancel(); return log; });
    out.throwingGen = await a(async () => { async function* g() { yield 1; throw new SyntaxError("gen"); } const r = ReadableStream.from(g()).getReader(); return [await settle(r.read()), await settle(r.read()), await settle(r.read())]; });
    out.notIterable = [t(() => ReadableStream.from(5)), t(() => ReadableStream.from({})), t(() => ReadableStream.from(null)), t(() => ReadableStream.from("ab").constructor.name)];
    out.nextNotObject = await a(async () => { const it = { [Symbol.asyncIterator]() { return this; }, next() { return 5; } }; return settle(ReadableStream.from(it).getReader().read()); });
    out.fromStream = await a(async () => { const inner = new ReadableStream({ start(c) { c.enqueue("x"); c.close(); } }); const s = ReadableStream.from(inner); return [s === inner, show(await s.getReader().read()), inner.locked]; });
    out.pulls = await a(async () => { const log = []; async function* g() { for (let i = 0; i < 5; i++) { log.push("yield " + i); yield i; } } const s = ReadableStream.from(g()); await sleep(5); const first = [...log]; await s.getReader().read(); await sleep(5); return [first, log]; });
    return out;`),
  probe("a BYOB or default reader released with reads pending", `
    const out = {};
    out.byob = await timeline((mark) => { const s = new ReadableStream({ type: "bytes" }); const r = s.getReader({ mode: "byob" }); on(mark, "r1", r.read(new Uint8Array(1))); on(mark, "r2", r.read(new Uint8Array(2))); on(mark, "closed", r.closed); r.releaseLock(); mark("released"); });
    out.byobErrors = await a(async () => { const s = new ReadableStream({ type: "bytes" }); const r = s.getReader({ mode: "byob" }); const p = r.read(new Uint8Array(1)); const c = r.closed; r.releaseLock(); return [await settle(p), await settle(c), s.locked, await settle(s.getReader().closed)]; });
    out.default = await timeline((mark) => { const s = new ReadableStream(); const r = s.getReader(); on(mark, "r1", r.read()); on(mark, "r2", r.read()); on(mark, "closed", r.closed); r.releaseLock(); mark("released"); });
    out.byteDefault = await timeline((mark) => { const s = new ReadableStream({ type: "bytes" }); const r = s.getReader(); on(mark, "r1", r.read()); on(mark, "closed", r.closed); r.releaseLock(); mark("released"); });
    out.byobThenRead = await a(async () => { let ctl; const s = new ReadableStream({ type: "bytes", start(c) { ctl = c; } }); const r = s.getReader({ mode: "byob" }); const p = settle(r.read(new Uint8Array(4))); r.releaseLock(); const r2 = s.getReader(); ctl.enqueue(new Uint8Array([7, 8])); return [await p, await settle(r2.read())]; });
    return out;`),
  probe("tee(): its source cancelled by both branches, in either order, and a branch's own cancel", `
    const out = {};
    for (const type of [undefined, "bytes"]) {
      out[String(type) + " both"] = await outcome(async () => { const log = []; const s = new ReadableStream({ type, cancel(r) { log.push(show(r)); } }); const [b1, b2] = s.tee(); const c1 = b1.cancel("one"); const c2 = b2.cancel("two"); return [await settle(c1), await settle(c2), log]; });
      out[String(type) + " reversed"] = await outcome(async () => { const log = []; const s = new ReadableStream({ type, cancel(r) { log.push(show(r)); } }); const [b1, b2] = s.tee(); const c2 = b2.cancel("two"); const c1 = b1.cancel("one"); return [await settle(c1), await settle(c2), log]; });
      out[String(type) + " array reasons"] = await outcome(async () => { const log = []; const s = new ReadableStream({ type, cancel(r) { log.push(show(r)); } }); const [b1, b2] = s.tee(); const c1 = b1.cancel(["a", "b"]); const c2 = b2.cancel(); return [await settle(c1), await settle(c2), log]; });
      out[String(type) + " one"] = await outcome(async () => { const log = []; const s = new ReadableStream({ type, cancel(r) { log.push(show(r)); } }); const [b1] = s.tee(); return [await settle(b1.cancel("one")), log]; });
    }
    return out;`),
];
