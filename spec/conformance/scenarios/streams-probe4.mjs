// Web streams probed past streams-probe3.mjs, each as Worker code sees it: a tee of a byte
// stream (the chunks each branch reads, BYOB reads of a branch), pipeTo and pipeThrough stopped
// by an AbortSignal (the order of the source's cancel, the destination's abort and the pipe's
// rejection), an async iterator's return() while a next() waits, a TransformStream whose
// readable side's size() throws while a read waits, a WritableStream without a write (its
// desiredSize), BYOB reads with `min` and readAtLeast(), a byte stream's close() with reads
// waiting, and ReadableStream.from(). What durasim keeps of Node's (the pipe's signal, the
// microtask counts of writes, reads and Blob reads) is declared, each with its reason.
import { prober } from "./streams-probe3.mjs";

const probe = prober("streams probe 4");

const TICKS = "workerd settles a read of its streams a few microtasks later than Node's streams do (an async iterator's next() of a closed stream, the return() that cancels, ReadableStream.from()'s reads), a read of a tee's branch of a byte stream sooner, and rejects a waiting read before the reader's `closed` when a TransformStream's readable side errors, where Node (as the standard) rejects `closed` first; the order of values and effects agrees (README, Differences from production)";
const SIGNAL = "workerd's pipe looks at its signal only between its steps: a signal aborted before pipeTo() cancels the source and then aborts the destination at once; one aborted while the pipe waits for a read does nothing until that read answers (one that never does leaves the pipe pending and both streams locked), then cancels the source before aborting the destination, without writing what it read, and one aborted while a write is under way acts once that write is done, reading no more. Node's pipe (the standard's) acts at the abort: it finishes the writes under way (reading on, so a pipe whose next write never completes stays pending), aborts the destination, then cancels the source (README, Differences from production)";
const SINKLESS = "workerd's identity TransformStream and a WritableStream without a sink settle writes in fewer microtasks than Node's; a write to a WritableStream without a sink is done at once in workerd, so an abort() right after it does not fail it, where Node's write waits for the stream's start and the abort fails it (README, Differences from production)";
const BLOB = "workerd settles a Blob's text() and bytes() a microtask sooner than Node's, an empty Blob's arrayBuffer() a microtask later, a second read of blob.stream() a microtask later, and a Response's text() of a Blob body before that of a string body asked for after it; durasim's are Node's (README, Differences from production)";

export default [
  probe("tee() of a byte stream: the chunks each branch reads", `
    const out = {};
    const bytes = (...xs) => new Uint8Array(xs);
    const drain = async (s) => { const got = []; const r = s.getReader(); for (;;) { const x = await r.read(); if (x.done) return got; got.push(Array.from(x.value)); } };
    out.queuedBeforeTee = await a(async () => { const s = new ReadableStream({ type: "bytes", start(c) { c.enqueue(bytes(1, 2)); c.enqueue(bytes(3)); c.enqueue(bytes(4, 5, 6)); c.close(); } }); const [b1, b2] = s.tee(); return [await drain(b1), await drain(b2)]; });
    out.enqueuedAfterTee = await a(async () => { let ctl; const s = new ReadableStream({ type: "bytes", start(c) { ctl = c; } }); const [b1, b2] = s.tee(); ctl.enqueue(bytes(1, 2)); ctl.enqueue(bytes(3)); await sleep(1); ctl.enqueue(bytes(4)); ctl.close(); return [await drain(b1), await drain(b2)]; });
    out.pulled = await a(async () => { let n = 0; const s = new ReadableStream({ type: "bytes", pull(c) { n++; c.enqueue(bytes(n, n)); if (n === 3) c.close(); } }); const [b1, b2] = s.tee(); return [await drain(b1), await drain(b2), n]; });
    out.interleaved = await a(async () => { const s = new ReadableStream({ type: "bytes", start(c) { c.enqueue(bytes(1)); c.enqueue(bytes(2, 3)); c.close(); } }); const [b1, b2] = s.tee(); const r1 = b1.getReader(); const r2 = b2.getReader(); const got = []; for (let i = 0; i < 3; i++) { got.push(show(await r1.read())); got.push(show(await r2.read())); } return got; });
    out.branchByob = await a(async () => { const s = new ReadableStream({ type: "bytes", start(c) { c.enqueue(bytes(1, 2, 3)); c.enqueue(bytes(4)); c.close(); } }); const [b1, b2] = s.tee(); const got = []; for (const b of [b1, b2]) { let reader; try { reader = b.getReader({ mode: "byob" }); } catch (e) { got.push(err(e)); continue; } got.push(show(await reader.read(new Uint8Array(2)))); got.push(show(await reader.read(new Uint8Array(2)))); } return got; });
    out.sameObject = await a(async () => { const chunk = bytes(7, 8); const s = new ReadableStream({ type: "bytes", start(c) { c.enqueue(chunk); c.close(); } }); const [b1, b2] = s.tee(); const x1 = (await b1.getReader().read()).value; const x2 = (await b2.getReader().read()).value; return [x1 === x2, x1.buffer === x2.buffer, x1.byteLength, x2.byteLength, Object.prototype.toString.call(x1)]; });
    return out;`),
  probe("pipeTo and pipeThrough stopped by an AbortSignal", `
    const out = {};
    const source = (log, how) => new ReadableStream({ start(c) { if (how === "queued") c.enqueue("q"); }, pull(c) { log.push("pull"); }, cancel(r) { log.push("cancel " + JSON.stringify(show(r))); } });
    const dest = (log) => new WritableStream({ write(x) { log.push("write " + x); }, close() { log.push("close"); }, abort(r) { log.push("abort " + JSON.stringify(show(r))); } });
    for (const how of ["empty", "queued"]) {
      for (const when of ["before", "sync", "later"]) {
        for (const reason of [undefined, new RangeError("stop")]) {
          out[how + " " + when + " " + String(reason)] = await a(async () => {
            const log = []; const src = source(log, how); const dst = dest(log); const ac = new AbortController();
            if (when === "before") ac.abort(reason);
            const p = src.pipeTo(dst, { signal: ac.signal }).then(() => log.push("resolved"), (e) => log.push("rejected " + JSON.stringify(err(e))));
            if (when === "sync") ac.abort(reason);
            if (when === "later") { await sleep(5); ac.abort(reason); }
            for (let i = 0; i < 6; i++) { log.push(i); await null; }
            await sleep(5); log.push(await settle(p));
            return [log, src.locked, dst.locked];
          });
        }
      }
    }
    for (const [name, prevent] of [["preventCancel", { preventCancel: true }], ["preventAbort", { preventAbort: true }]]) {
      out[name] = await a(async () => { const log = []; const src = source(log, "empty"); const dst = dest(log); const ac = new AbortController(); const p = settle(src.pipeTo(dst, { signal: ac.signal, ...prevent })); await sleep(2); ac.abort(new RangeError("stop")); return [await p, log, src.locked, dst.locked]; });
    }
    out.pipeThrough = await a(async () => { const log = []; const src = source(log, "queued"); const ac = new AbortController(); const ts = new TransformStream(); const readable = src.pipeThrough(ts, { signal: ac.signal }); const r = readable.getReader(); const first = show(await r.read()); ac.abort(new RangeError("stop")); const second = await settle(r.read()); await sleep(2); return [first, second, log, src.locked]; });
    out.pendingWrite = await a(async () => { const log = []; let release; const src = new ReadableStream({ start(c) { c.enqueue("a"); c.enqueue("b"); }, cancel(r) { log.push("cancel"); } }); const dst = new WritableStream({ write(x) { log.push("write " + x); return new Promise((res) => { release = () => { log.push("released " + x); res(); }; }); }, abort(r) { log.push("abort"); } }); const ac = new AbortController(); const p = src.pipeTo(dst, { signal: ac.signal }).then(() => log.push("resolved"), (e) => log.push("rejected " + e.name)); await sleep(2); ac.abort(); await sleep(2); log.push("releasing"); if (release) release(); log.push(await settle(p)); return log; });
    return out;`, { differs: SIGNAL }),
  probe("an async iterator's return() while a next() waits", `
    const out = {};
    const tl = (make) => timeline((mark) => { const it = make(mark); on(mark, "next", it.next()); on(mark, "return", it.return("v")); on(mark, "next2", it.next()); });
    out.waiting = await a(() => tl((mark) => new ReadableStream({ cancel(r) { mark("cancel " + show(r)); } }).values()));
    out.filledLater = await a(async () => { const log = []; let ctl; const s = new ReadableStream({ start(c) { ctl = c; }, cancel(r) { log.push("cancel " + show(r)); } }); const it = s.values(); const n = it.next().then((v) => log.push("next " + JSON.stringify(v)), (e) => log.push("next! " + err(e))); const ret = it.return("v").then((v) => log.push("return " + JSON.stringify(v)), (e) => log.push("return! " + err(e))); await sleep(2); log.push("enqueue " + show(t(() => ctl.enqueue(1)))); await Promise.all([n, ret]); return [log, s.locked]; });
    out.preventCancel = await a(async () => { const log = []; let ctl; const s = new ReadableStream({ start(c) { ctl = c; }, cancel(r) { log.push("cancel"); } }); const it = s.values({ preventCancel: true }); const n = it.next().then((v) => log.push("next " + JSON.stringify(v)), (e) => log.push("next! " + err(e))); const ret = it.return("v").then((v) => log.push("return " + JSON.stringify(v))); await sleep(2); ctl.enqueue(1); await Promise.all([n, ret]); return [log, s.locked]; });
    out.twoReturns = await a(() => timeline((mark) => { const it = new ReadableStream({ cancel(r) { mark("cancel " + r); } }).values(); on(mark, "next", it.next()); on(mark, "return", it.return(1)); on(mark, "return2", it.return(2)); }));
    out.erroredWhileWaiting = await a(async () => { const log = []; let ctl; const s = new ReadableStream({ start(c) { ctl = c; }, cancel(r) { log.push("cancel " + r); } }); const it = s.values(); const n = settle(it.next()); const ret = settle(it.return("v")); await sleep(2); ctl.error(new RangeError("boom")); return [await n, await ret, log, s.locked]; });
    out.byteStream = await a(() => tl((mark) => new ReadableStream({ type: "bytes", cancel(r) { mark("cancel " + show(r)); } }).values()));
    out.transform = await a(() => tl(() => new TransformStream().readable.values()));
    out.identity = await a(() => tl(() => new IdentityTransformStream().readable.values()));
    return out;`),
  probe("reads waiting as a stream errors or closes: a size() that throws (a TransformStream's too), error(), close()", `
    const out = {};
    const make = (log) => new TransformStream({ transform(x, c) { log.push("transform " + x); c.enqueue(x); }, flush() { log.push("flush"); } }, undefined, { highWaterMark: 1, size(x) { log.push("size " + x); throw new RangeError("rsize"); } });
    out.readWaits = await a(async () => { const log = []; const ts = make(log); const r = ts.readable.getReader(); const w = ts.writable.getWriter(); const rp = settle(r.read()); const wp = settle(w.write("a")); return [await wp, await rp, await settle(w.closed), await settle(r.closed), log]; });
    out.noRead = await a(async () => { const log = []; const ts = make(log); const r = ts.readable.getReader(); const w = ts.writable.getWriter(); const wp = settle(w.write("a")); return [await wp, await settle(r.read()), await settle(w.closed), log]; });
    out.plainReadWaits = await a(async () => { let ctl; const s = new ReadableStream({ start(c) { ctl = c; } }, { size() { throw new RangeError("rsize"); } }); const r = s.getReader(); const rp = settle(r.read()); const thrown = t(() => ctl.enqueue("a")); return [thrown, await rp, await settle(r.closed)]; });
    out.transformReadWaitsLater = await a(async () => { const log = []; const ts = make(log); const r = ts.readable.getReader(); const w = ts.writable.getWriter(); const rp = settle(r.read()); await sleep(1); const wp = settle(w.write("a")); const wp2 = settle(w.write("b")); return [await wp, await wp2, await rp, await settle(w.closed), log]; });
    out.enqueueInStart = await a(async () => { let thrown; const ts = new TransformStream({ start(c) { thrown = t(() => c.enqueue("s")); } }, undefined, { size() { throw new RangeError("rsize"); } }); return [thrown, await settle(ts.readable.getReader().read())]; });
    out.errorOrder = await a(() => timeline((mark) => { let ctl; const s = new ReadableStream({ start(c) { ctl = c; } }); const r = s.getReader(); on(mark, "closed", r.closed); on(mark, "read", r.read()); on(mark, "read2", r.read()); ctl.error(new RangeError("x")); }));
    out.errorOrderBytes = await a(() => timeline((mark) => { let ctl; const s = new ReadableStream({ type: "bytes", start(c) { ctl = c; } }); const r = s.getReader(); on(mark, "closed", r.closed); on(mark, "read", r.read()); ctl.error(new RangeError("x")); }));
    out.closeOrder = await a(() => timeline((mark) => { let ctl; const s = new ReadableStream({ start(c) { ctl = c; } }); const r = s.getReader(); on(mark, "closed", r.closed); on(mark, "read", r.read()); ctl.close(); }));
    return out;`),
  probe("a WritableStream without a write: desiredSize and ready", `
    const out = {};
    out.identityDesired = await a(async () => { const ts = new TransformStream(); const w = ts.writable.getWriter(); const seen = [w.desiredSize]; w.write("a"); seen.push(w.desiredSize); await null; seen.push(w.desiredSize); w.write("b"); seen.push(w.desiredSize); await sleep(1); seen.push(w.desiredSize); await ts.readable.getReader().read(); seen.push(w.desiredSize); await sleep(1); seen.push(w.desiredSize); return seen; });
    out.sinklessDesired = await a(async () => { const s = new WritableStream(); const w = s.getWriter(); const seen = [w.desiredSize]; w.write("a"); seen.push(w.desiredSize); w.write("b"); seen.push(w.desiredSize); for (let i = 0; i < 4; i++) { await null; seen.push(w.desiredSize); } await sleep(1); seen.push(w.desiredSize); return seen; });
    out.sinklessHwm = await a(async () => { const s = new WritableStream(undefined, { highWaterMark: 3 }); const w = s.getWriter(); const seen = [w.desiredSize]; w.write("a"); w.write("b"); seen.push(w.desiredSize); for (let i = 0; i < 4; i++) { await null; seen.push(w.desiredSize); } return seen; });
    out.sinkWithClose = await a(async () => { const log = []; const s = new WritableStream({ close() { log.push("close"); } }); const w = s.getWriter(); w.write("a"); w.write("b"); const seen = [w.desiredSize]; await w.close(); return [seen, log, w.desiredSize]; });
    out.sized = await a(async () => { const s = new WritableStream({}, { highWaterMark: 4, size(c) { return c.length; } }); const w = s.getWriter(); w.write("abc"); return w.desiredSize; });
    out.readyStays = await a(async () => { const s = new WritableStream(); const w = s.getWriter(); w.write("a"); w.write("b"); w.write("c"); return [w.desiredSize, await settle(w.ready)]; });
    return out;`),
  probe("an identity TransformStream and a WritableStream without a sink: timing", `
    const out = {};
    out.identityTimeline = await a(() => timeline((mark) => { const ts = new TransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); on(mark, "w1", w.write("a")); on(mark, "w2", w.write("b")); on(mark, "r1", r.read()); on(mark, "r2", r.read()); on(mark, "close", w.close()); on(mark, "r3", r.read()); on(mark, "ready", w.ready); }));
    out.identityReadFirst = await a(() => timeline((mark) => { const ts = new TransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); on(mark, "r1", r.read()); on(mark, "w1", w.write("a")); on(mark, "w2", w.write("b")); on(mark, "r2", r.read()); }));
    out.sinklessTimeline = await a(() => timeline((mark) => { const s = new WritableStream(); const w = s.getWriter(); on(mark, "ready0", w.ready); on(mark, "w1", w.write("a")); on(mark, "w2", w.write("b")); on(mark, "ready", w.ready); on(mark, "close", w.close()); on(mark, "closed", w.closed); }));
out.abortAfterWrites = await a(async () => { const log = []; const s = new WritableStream({ abort(r) { log.push("abort " + r); } }); const w = s.getWriter(); const p1 = settle(w.write("a")); const ab = settle(w.abort("why")); return [await p1, await ab, log, await settle(w.closed)]; });
    out.emptySink = await a(() => timeline((mark) => { const s = new WritableStream({}); const w = s.getWriter(); on(mark, "w1", w.write("a")); on(mark, "w2", w.write("b")); on(mark, "close", w.close()); }));
    return out;`, { differs: SINKLESS }),
  probe("Blob reads among other microtasks", `
    const out = {};
    const blob = () => new Blob(["hello"]);
    out.arrayBuffer = await a(() => timeline((mark) => { on(mark, "ab", blob().arrayBuffer()); }));
    out.text = await a(() => timeline((mark) => { on(mark, "text", blob().text()); }));
    out.bytes = await a(() => timeline((mark) => { const b = blob(); if (typeof b.bytes === "function") on(mark, "bytes", b.bytes()); }));
    out.streamRead = await a(() => timeline((mark) => { const r = blob().stream().getReader(); on(mark, "r1", r.read()); on(mark, "r2", r.read()); }));
    out.all = await a(() => timeline((mark) => { const b = blob(); on(mark, "text", b.text()); on(mark, "ab", b.arrayBuffer()); on(mark, "r", b.stream().getReader().read()); on(mark, "p", Promise.resolve()); }));
    out.empty = await a(() => timeline((mark) => { const b = new Blob([]); on(mark, "text", b.text()); on(mark, "ab", b.arrayBuffer()); on(mark, "r", b.stream().getReader().read()); }));
    out.sliced = await a(() => timeline((mark) => { const b = blob().slice(1, 3); on(mark, "text", b.text()); }));
    out.file = await a(() => timeline((mark) => { const f = new File(["abc"], "f.txt"); on(mark, "text", f.text()); }));
    out.responseText = await a(() => timeline((mark) => { on(mark, "text", new Response(blob()).text()); on(mark, "textStr", new Response("hello").text()); }));
    return out;`, { differs: BLOB }),
  probe("BYOB reads with min, and ReadableStream.from()", `
    const out = {};
    const bytes = (...xs) => new Uint8Array(xs);
    const byob = (chunks) => { let i = 0; return new ReadableStream({ type: "bytes", pull(c) { if (i < chunks.length) c.enqueue(bytes(...chunks[i++])); else c.close(); } }); };
    const view = (x) => x.done ? ["done", x.value && Array.from(x.value)] : Array.from(x.value);
    // A read still pending (the runtime answers a waiting BYOB read with the end when the source closes).
    const rd = (r, v, opts) => settle(r.read(v, opts).then(view));
    out.min = await a(async () => { const r = byob([[1], [2], [3, 4], [5]]).getReader({ mode: "byob" }); return [await rd(r, new Uint8Array(4), { min: 3 }), await rd(r, new Uint8Array(4), { min: 1 }), await rd(r, new Uint8Array(4), { min: 2 })]; });
    out.closeWhileWaiting = await a(async () => { const r = byob([[1]]).getReader({ mode: "byob" }); return [await rd(r, new Uint8Array(4)), await rd(r, new Uint8Array(4)), await rd(r, new Uint8Array(4))]; });
    out.minAtEnd = await a(async () => { const r = byob([[1, 2]]).getReader({ mode: "byob" }); return [await rd(r, new Uint8Array(4), { min: 4 }), await rd(r, new Uint8Array(4))]; });
    out.closeThenRespond = await a(async () => { const log = []; const s = new ReadableStream({ type: "bytes", pull(c) { c.close(); log.push(String(c.byobRequest)); log.push(show(t(() => c.byobRequest.respond(0)))); } }); const r = s.getReader({ mode: "byob" }); return [await rd(r, new Uint8Array(4)), log]; });
    out.closeOutsidePull = await a(async () => { let ctl; const s = new ReadableStream({ type: "bytes", start(c) { ctl = c; } }); const r = s.getReader({ mode: "byob" }); const p1 = rd(r, new Uint8Array(4), { min: 3 }); await sleep(1); ctl.enqueue(bytes(9)); await sleep(1); ctl.close(); return [await p1, await rd(r, new Uint8Array(2))]; });
    out.defaultReaderClose = await a(async () => { let ctl; const s = new ReadableStream({ type: "bytes", start(c) { ctl = c; } }); const r = s.getReader(); const p1 = settle(r.read()); await sleep(1); ctl.close(); return [await p1, await settle(r.read()), await settle(new ReadableStream({ type: "bytes", start(c) { c.close(); } }).getReader().read())]; });
    out.readAtLeastBad = await a(async () => { const r = byob([[1]]).getReader({ mode: "byob" }); return [await settle(r.readAtLeast(0, new Uint8Array(4))), await settle(r.readAtLeast(5, new Uint8Array(4))), await settle(r.readAtLeast(1)), await settle(r.readAtLeast(1, new ArrayBuffer(2))), r.readAtLeast.length, r.readAtLeast.name]; });
    out.minBad = await a(async () => { const r = byob([[1]]).getReader({ mode: "byob" }); return [await settle(r.read(new Uint8Array(4), { min: 0 })), await settle(r.read(new Uint8Array(4), { min: 5 })), await settle(r.read(new Uint16Array(2), { min: 3 })), await rd(r, new Uint8Array(4), { min: "2" })]; });
    out.minUint16 = await a(async () => { const r = byob([[1], [2, 3], [4]]).getReader({ mode: "byob" }); const x = await r.read(new Uint16Array(2), { min: 2 }); return [x.done, x.value.constructor.name, x.value.byteLength]; });
    out.readAtLeast = await a(async () => { const s = byob([[1], [2], [3, 4]]); const r = s.getReader({ mode: "byob" }); return [typeof r.readAtLeast, typeof r.readAtLeast === "function" ? await settle(r.readAtLeast(3, new Uint8Array(4)).then(view)) : null]; });
    out.minIdentity = await a(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader({ mode: "byob" }); const rp = r.read(new Uint8Array(4), { min: 3 }); await w.write(bytes(1)); await w.write(bytes(2)); const later = await settle(w.write(bytes(3, 4))); return [await settle(rp.then(view)), later]; });
    out.fromArray = await a(async () => { const s = ReadableStream.from([1, "b", null]); const got = []; for await (const x of s) got.push(show(x)); return got; });
    out.fromAsync = await a(async () => { async function* g() { yield 1; yield 2; } const s = ReadableStream.from(g()); return [Object.prototype.toString.call(s), show(await s.getReader().read())]; });
    out.fromThrows = await a(async () => { function* g() { yield 1; throw new RangeError("gen"); } const r = ReadableStream.from(g()).getReader(); return [show(await r.read()), await settle(r.read())]; });
    out.fromBad = [t(() => ReadableStream.from(5)), t(() => ReadableStream.from(null)), t(() => ReadableStream.from({}))];
    out.fromStream = await a(async () => { const inner = new ReadableStream({ start(c) { c.enqueue("x"); c.close(); } }); const s = ReadableStream.from(inner); return [s === inner, show(await s.getReader().read())]; });
    out.fromCancel = await a(async () => { const log = []; function* g() { try { yield 1; yield 2; } finally { log.push("finally"); } } const s = ReadableStream.from(g()); const r = s.getReader(); await r.read(); await r.cancel("c"); return log; });
    return out;`),
  probe("microtask counts of an iterator's reads, a byte stream's tee, a failing size() and ReadableStream.from()", `
    const out = {};
    const bytes = (...xs) => new Uint8Array(xs);
    const makeTransform = (log) => new TransformStream({ transform(x, c) { log.push("transform " + x); c.enqueue(x); } }, undefined, { highWaterMark: 1, size(x) { log.push("size " + x); throw new RangeError("rsize"); } });
    out.afterEnd = await a(() => timeline((mark) => { const it = new ReadableStream({ start(c) { c.close(); } }).values(); on(mark, "next", it.next()); on(mark, "next2", it.next()); on(mark, "return", it.return(1)); on(mark, "next3", it.next()); }));
    out.returnFirst = await a(() => timeline((mark) => { const it = new ReadableStream({ start(c) { c.enqueue(1); }, cancel() { mark("cancel"); } }).values(); on(mark, "return", it.return(1)); on(mark, "next", it.next()); on(mark, "return2", it.return(2)); }));
    out.transformSizeThrows = await a(() => timeline((mark) => { const ts = makeTransform([]); const r = ts.readable.getReader(); const w = ts.writable.getWriter(); on(mark, "read", r.read()); on(mark, "write", w.write("a")); on(mark, "closed", w.closed); on(mark, "rclosed", r.closed); }));
    out.teeOfBytes = await a(() => timeline((mark) => { const s = new ReadableStream({ type: "bytes", start(c) { c.enqueue(bytes(1)); c.enqueue(bytes(2)); c.close(); } }); const [b1, b2] = s.tee(); const r1 = b1.getReader(); const r2 = b2.getReader(); on(mark, "r1a", r1.read()); on(mark, "r2a", r2.read()); on(mark, "r1b", r1.read()); on(mark, "r1c", r1.read()); }));
    out.fromTimeline = await a(() => timeline((mark) => { const r = ReadableStream.from(["a", "b"]).getReader(); on(mark, "r1", r.read()); on(mark, "r2", r.read()); on(mark, "r3", r.read()); }));
    return out;`, { differs: TICKS }),
];
