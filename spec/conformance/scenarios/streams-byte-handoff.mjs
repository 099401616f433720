// The runtime's byte TransformStreams (IdentityTransformStream, FixedLengthStream) keep no
// queue between their sides: a write stays pending until reads have taken all its bytes (a BYOB
// read smaller than the chunk takes part of it), reads and writes meet once the microtasks queued
// have run (a FixedLengthStream's write settles before the read it fed, an
// IdentityTransformStream's after), the readable side closes only when a read finds the end, an
// abort fails a pending write at once and a cancel once the microtasks have run. The writable
// side's desiredSize stays 1 (ready never waits) unless a highWaterMark is given, which counts
// the bytes of writes not yet taken.
import { inside } from "../scenario.mjs";

const ordered = (name, body) => inside(name, "sqlite", `
    const out = {};
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(100).then(() => ["pending"])]);
    // Ticks of a microtask chain begun just before the promises' handlers, and where each settles among them.
    const order = async (make, n = 8) => { const log = []; let i = 0; const tick = () => { log.push(i++); if (i < n) return Promise.resolve().then(tick); }; const ps = await make(log); Promise.resolve().then(tick); for (const [k, p] of Object.entries(ps)) p.then((v) => log.push(k), (e) => log.push(k + " rejected " + e.message)); await sleep(50); return log; };
${body}
    return out;`);

export default [
  ordered("streams: an IdentityTransformStream's or FixedLengthStream's write waits for a read to take its bytes", `
    for (const [name, make] of [["identity", () => new IdentityTransformStream()], ["fixed", () => new FixedLengthStream(3)]]) {
      out[name + " writeNoRead"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); return { w1: w.write(new Uint8Array([1])), ready: w.ready }; });
      out[name + " desired"] = await (async () => { const ts = make(); const w = ts.writable.getWriter(); const a = [w.desiredSize]; const p = w.write(new Uint8Array([1])); a.push(w.desiredSize); await null; a.push(w.desiredSize); const p2 = w.write(new Uint8Array([2])); a.push(w.desiredSize); a.push(await settle(w.ready)); const r = ts.readable.getReader(); a.push(show(await r.read())); a.push(await settle(p)); a.push(w.desiredSize); a.push(show(await r.read())); a.push(await settle(p2)); a.push(w.desiredSize); return a; })();
      out[name + " readThenWrite"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); return { read: r.read(), w1: w.write(new Uint8Array([1])) }; });
      out[name + " writeThenRead"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const w1 = w.write(new Uint8Array([1])); return { w1, read: r.read() }; });
      out[name + " writeTwoThenRead"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const w1 = w.write(new Uint8Array([1])); const w2 = w.write(new Uint8Array([2])); return { w1, w2, read: r.read().then((x) => { out[name + " twoRead"] = show(x); }) }; });
      out[name + " closeNoRead"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); return { close: w.close(), closed: w.closed }; });
      out[name + " closeThenRead"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); return { close: w.close(), closed: w.closed, rclosed: r.closed, read: r.read() }; });
      out[name + " readThenClose"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const read = r.read(); return { close: w.close(), closed: w.closed, rclosed: r.closed, read }; });
      out[name + " writeCloseRead"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const w1 = w.write(new Uint8Array([1, 2, 3])); const close = w.close(); return { w1, close, closed: w.closed, rclosed: r.closed, read: r.read(), read2: r.read() }; });
      out[name + " abortPendingWrite"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const w1 = w.write(new Uint8Array([1])); const ab = w.abort(new RangeError("ab")); return { w1, ab, closed: w.closed, rclosed: r.closed, read: r.read() }; });
      out[name + " cancelPendingWrite"] = await order(() => { const ts = make(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const w1 = w.write(new Uint8Array([1])); const c = r.cancel(new RangeError("cn")); return { w1, c, closed: w.closed, rclosed: r.closed }; });
      out[name + " pipeTo"] = await order(() => { const ts = make(); const src = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } }); const r = ts.readable.getReader(); const piped = src.pipeTo(ts.writable); return { piped, read: r.read(), rclosed: r.closed }; }, 12);
    }`),
  ordered("streams: an IdentityTransformStream hands a write to BYOB reads in parts, and ends a read at its close", `
    out.byobPart = await outcome(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader({ mode: "byob" }); const w1 = settle(w.write(new Uint8Array([1, 2, 3, 4]))); const a = show(await r.read(new Uint8Array(2))); const w1s = await Promise.race([w1, sleep(20).then(() => "pending")]); const b = show(await r.read(new Uint8Array(8))); return [a, w1s, b, await w1]; });
    out.byobMin = await outcome(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader({ mode: "byob" }); const w1 = settle(w.write(new Uint8Array([1, 2]))); const w2 = settle(w.write(new Uint8Array([3, 4]))); const a = show(await r.read(new Uint8Array(8), { min: 3 })); return [a, await w1, await w2]; });
    out.twoPending = await outcome(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const p1 = settle(w.write(new Uint8Array([1]))); const p2 = settle(w.write(new Uint8Array([2]))); const a = show(await r.read()); const s2 = await Promise.race([p2, sleep(20).then(() => "pending")]); const b = show(await r.read()); return [a, await p1, s2, b, await p2]; });
    out.defaultTakesAll = await outcome(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const p = settle(w.write(new Uint8Array([1, 2, 3]))); return [show(await r.read()), await p]; });
    out.emptyWrites = await outcome(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); return [await settle(w.write(new Uint8Array(0))), await settle(w.write(undefined)), await settle(w.write(""))]; });
    out.readPendingClose = await outcome(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader(); const rd = r.read(); await w.close(); return [show(await rd), await settle(r.closed)]; });
    out.byobPendingClose = await outcome(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader({ mode: "byob" }); const rd = r.read(new Uint8Array(4)); await w.close(); return [show(await rd), await settle(r.closed)]; });
    out.byobAfterClose = await outcome(async () => { const ts = new IdentityTransformStream(); const w = ts.writable.getWriter(); const r = ts.readable.getReader({ mode: "byob" }); const cl = settle(w.close()); return [show(await r.read(new Uint8Array(4))), await cl]; });
    out.pipeThrough = await outcome(async () => { const src = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2])); c.close(); } }); const r = src.pipeThrough(new IdentityTransformStream()).getReader(); const a = []; for (;;) { const x = await r.read(); a.push(show(x)); if (x.done) break; } return a; });
    out.fixedTooMany = await outcome(async () => { const ts = new FixedLengthStream(3); const w = ts.writable.getWriter(); const r = ts.readable.getReader({ mode: "byob" }); const w1 = settle(w.write(new Uint8Array([1, 2, 3, 4]))); return [await settle(r.read(new Uint8Array(2))), await w1]; });`),
  ordered("streams: the byte TransformStreams' highWaterMark counts the bytes not yet read", `
    out.hwm = await outcome(async () => { const r = []; for (const ts of [new IdentityTransformStream({ highWaterMark: 10 }), new FixedLengthStream(5, { highWaterMark: 2 }), new IdentityTransformStream({ highWaterMark: 0 }), new IdentityTransformStream({}), new IdentityTransformStream(null)]) { const w = ts.writable.getWriter(); const a = [w.desiredSize]; w.write(new Uint8Array(3)); a.push(w.desiredSize); w.write(new Uint8Array(3)); a.push(w.desiredSize, await settle(w.ready)); r.push(a); } return r; });
    out.hwmBad = [outcomeSync(() => new IdentityTransformStream({ highWaterMark: -1 })), outcomeSync(() => new IdentityTransformStream({ highWaterMark: "x" })), outcomeSync(() => new IdentityTransformStream(1)), outcomeSync(() => new FixedLengthStream(1, 1)), outcomeSync(() => new FixedLengthStream(1, { highWaterMark: -1 })), outcomeSync(() => new IdentityTransformStream({ highWaterMark: 2n ** 65n }))];`),
  ordered("streams: a FixedLengthStream counts the bytes as reads take them", `
    const run = async (writes, reads) => outcome(async () => { const ts = new FixedLengthStream(3); const w = ts.writable.getWriter(); const r = ts.readable.getReader(reads[0] ? { mode: "byob" } : undefined); const ws = writes.map((n) => settle(w.write(new Uint8Array(n).fill(n)))); const got = []; for (const n of reads) got.push(await settle(n ? r.read(new Uint8Array(n)) : r.read())); return [got, await Promise.all(ws), await settle(w.closed), await settle(r.closed), await settle(w.write(new Uint8Array(1)))]; });
    out.default4 = await run([4], [0, 0]);
    out.byob22 = await run([4], [2, 2, 2]);
    out.byob1111 = await run([4], [1, 1, 1, 1, 1]);
    out.two22 = await run([2, 2], [0, 0, 0]);
    out.byob4 = await run([4], [4, 4]);
    out.noRead = await outcome(async () => { const ts = new FixedLengthStream(3); const w = ts.writable.getWriter(); const p = settle(w.write(new Uint8Array(4))); return [await p, await settle(w.write(new Uint8Array(1))), await settle(w.close())]; });
    out.closeShortNoRead = await outcome(async () => { const ts = new FixedLengthStream(3); const w = ts.writable.getWriter(); await w.close(); await sleep(20); const r = ts.readable.getReader(); return [await settle(r.read()), await settle(r.closed)]; });`),
];
