// A reader or writer whose lock was released: its `closed` is the promise it had, rejected with
// "This ReadableStream reader has been released." or "This WritableStream writer has been
// released." if still pending (a handler added before the release sees those words too), kept
// as it was if it had settled (fulfilled by a close, rejected with the stream's error); a
// writer's `ready` rejects with its words (one of IdentityTransformStream's keeps its own), as
// do its write, close and abort, and its desiredSize throws them; a reader's read and cancel
// reject with its words.
import { inside } from "../scenario.mjs";

export default [
  inside("streams: a released reader or writer keeps a settled closed, and says released of the rest", "sqlite", `
    const out = {};
    const settled = (p) => p.then(() => "fulfilled", (e) => err(e));
    out.open = await (async () => { const w = new WritableStream().getWriter(); const before = w.closed; const early = settled(before); w.releaseLock(); return [await early, await settled(w.closed), await settled(w.ready), before === w.closed, w.closed === w.closed, w.ready === w.ready]; })();
    out.neverRead = await (async () => { const w = new WritableStream().getWriter(); w.releaseLock(); return [await settled(w.closed), await settled(w.ready)]; })();
    out.afterClose = await (async () => { const w = new WritableStream({ close() {} }).getWriter(); await w.close(); const before = w.closed; w.releaseLock(); return [await settled(w.closed), await settled(w.ready), before === w.closed]; })();
    out.whileClosing = await (async () => { const w = new WritableStream({ close() { return sleep(20); } }).getWriter(); const closing = settled(w.close()); const early = settled(w.closed); w.releaseLock(); return [await early, await settled(w.closed), await closing]; })();
    out.errored = await (async () => { const w = new WritableStream().getWriter(); await w.abort(new RangeError("r")); w.releaseLock(); return [await settled(w.closed), await settled(w.ready)]; })();
    out.backpressure = await (async () => { const w = new WritableStream({}, { highWaterMark: 0 }).getWriter(); const early = settled(w.ready); w.releaseLock(); return [await early, await settled(w.ready)]; })();
    out.calls = await (async () => { const w = new WritableStream().getWriter(); w.releaseLock(); return [await settled(w.write("a")), await settled(w.close()), await settled(w.abort()), outcomeSync(() => w.desiredSize), outcomeSync(() => w.releaseLock())]; })();
    out.byteStream = await (async () => { const w = new IdentityTransformStream().writable.getWriter(); const before = w.closed; w.releaseLock(); return [await settled(before), await settled(w.write({})), await settled(w.ready)]; })();
    for (const [name, make] of [["reader", () => new ReadableStream().getReader()], ["byobReader", () => new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" })], ["identityReader", () => new IdentityTransformStream().readable.getReader()]]) {
      out[name + " open"] = await (async () => { const r = make(); const before = r.closed; const early = settled(before); r.releaseLock(); return [await early, await settled(r.closed), before === r.closed, await settled(r.read(new Uint8Array(1))), await settled(r.cancel()), outcomeSync(() => r.releaseLock())]; })();
      out[name + " neverRead"] = await (async () => { const r = make(); r.releaseLock(); return [await settled(r.closed)]; })();
    }
    out.readerAfterClose = await (async () => { let c; const r = new ReadableStream({ start(x) { c = x; } }).getReader(); c.close(); await r.closed; const before = r.closed; r.releaseLock(); return [await settled(r.closed), before === r.closed]; })();
    out.readerErrored = await (async () => { let c; const r = new ReadableStream({ start(x) { c = x; } }).getReader(); c.error(new RangeError("r")); await settled(r.closed); r.releaseLock(); return [await settled(r.closed)]; })();
    return out;`),
  inside("streams: a reader released with a read pending rejects it in the runtime's words, one of the runtime's own streams refuses the release", "sqlite", `
    const out = {};
    // Ticks of a microtask chain begun just before the promises' handlers, and where each settles among them.
    const order = async (make) => { const log = []; let i = 0; const tick = () => { log.push(i++); if (i < 6) return Promise.resolve().then(tick); }; const ps = make(); Promise.resolve().then(tick); for (const [k, p] of Object.entries(ps)) p.then(() => log.push(k), (e) => log.push(k + " rejected " + e.constructor.name + " " + e.message)); await sleep(30); return log; };
    for (const [name, make] of [["plain", () => new ReadableStream()], ["bytes", () => new ReadableStream({ type: "bytes" })], ["identity", () => new IdentityTransformStream().readable], ["fixed", () => new FixedLengthStream(1).readable]]) {
      out[name] = await order(() => { const s = make(); const r = s.getReader(); const read = r.read(); const closed = r.closed; out[name + " release"] = outcomeSync(() => r.releaseLock()); out[name + " locked"] = [s.locked, r.closed === closed]; return { read, closed }; });
    }
    out.blob = await (async () => { const s = new Blob(["x"]).stream(); const r = s.getReader(); const read = r.read(); const release = outcomeSync(() => r.releaseLock()); return [release, s.locked, show(await read)]; })();
    out.identityByob = await order(() => { const s = new IdentityTransformStream().readable; const r = s.getReader({ mode: "byob" }); const read = r.read(new Uint8Array(2)); out.identityByobRelease = outcomeSync(() => r.releaseLock()); return { read }; });
    out.identityAnswered = await outcome(async () => { const ts = new IdentityTransformStream(); const r = ts.readable.getReader(); const read = r.read(); ts.writable.getWriter().write(new Uint8Array([1])); await read; r.releaseLock(); return [ts.readable.locked]; });
    out.readAfterRelease = await outcome(async () => { let c; const s = new ReadableStream({ start(x) { c = x; } }); const r = s.getReader(); const p = r.read(); c.enqueue(1); await p; r.releaseLock(); return [await outcome(r.read()), await outcome(r.closed)]; });
    // Writes still waiting for a read stay pending, and the writer's ready stays fulfilled.
    out.identityWriter = await outcome(async () => { const w = new IdentityTransformStream().writable.getWriter(); const settle = (p) => Promise.race([p.then(() => "fulfilled", (e) => err(e)), sleep(30).then(() => "pending")]); const w1 = settle(w.write(new Uint8Array(1))); const w2 = settle(w.write(new Uint8Array(1))); const closed = settle(w.closed); const ready = settle(w.ready); w.releaseLock(); return [await w1, await w2, await closed, await ready, await settle(w.ready)]; });
    return out;`),
  inside("streams: a writer released with writes queued rejects them in the runtime's words, and the sink never sees them", "sqlite", `
    const out = {};
    // Every promise here settles (the sinks take 20 ms a write): the limits only stop a hang,
    // and are wide so that a loaded machine's late timers still settle within them.
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(2000).then(() => ["pending"])]);
    const order = async (make) => { const log = []; let i = 0; const tick = () => { log.push(i++); if (i < 6) return Promise.resolve().then(tick); }; const ps = make(); Promise.resolve().then(tick); for (const [k, p] of Object.entries(ps)) p.then(() => log.push(k), (e) => log.push(k + " rejected " + e.message)); await Promise.race([Promise.allSettled(Object.values(ps)), sleep(2000)]); return log; };
    for (const [name, make] of [["plain", () => new WritableStream({ write() { return sleep(20); } })], ["hwm0", () => new WritableStream({ write() { return sleep(20); } }, { highWaterMark: 0 })], ["sized", () => new WritableStream({ write() { return sleep(20); } }, { highWaterMark: 5, size: (c) => c.length })]]) {
      // (Where the writer's closed and ready settle among these is left out: the runtime's order of them varies.)
      out[name + " writes"] = await order(() => { const w = make().getWriter(); const w1 = w.write("ab"); const w2 = w.write("cd"); const closed = w.closed; const ready = w.ready; w.releaseLock(); out[name + " promises"] = Promise.all([settle(closed), settle(ready)]); return { w1, w2 }; });
      out[name + " promises"] = await out[name + " promises"];
      out[name + " close"] = await order(() => { const w = make().getWriter(); const w1 = w.write("ab"); const c = w.close(); w.releaseLock(); return { w1, c }; });
    }
    out.closeQueued = await outcome(async () => { const seen = []; const ws = new WritableStream({ write(c) { seen.push(c); return sleep(20); } }); const w = ws.getWriter(); const ps = ["a", "b", "c"].map((x) => settle(w.write(x))); const c = settle(w.close()); w.releaseLock(); const w2 = ws.getWriter(); const after = settle(w2.write("d")); return [await Promise.all(ps), await c, await after, seen, await settle(w2.closed)]; });
    out.nextWriter = await outcome(async () => { const seen = []; const ws = new WritableStream({ write(c) { seen.push(c); return sleep(20); } }); const w = ws.getWriter(); const ps = ["a", "b"].map((x) => settle(w.write(x))); w.releaseLock(); const w2 = ws.getWriter(); const a = [w2.desiredSize, await settle(w2.ready)]; const after = settle(w2.write("d")); return [await Promise.all(ps), await after, seen, a, w2.desiredSize]; });
    out.syncSink = await outcome(async () => { const seen = []; const ws = new WritableStream({ write(c) { seen.push(c); } }); const w = ws.getWriter(); const ps = ["a", "b"].map((x) => settle(w.write(x))); w.releaseLock(); return [await Promise.all(ps), seen]; });
    out.afterStart = await outcome(async () => { const seen = []; const ws = new WritableStream({ write(c) { seen.push(c); return sleep(20); } }); const w = ws.getWriter(); await sleep(5); const ps = ["a", "b", "c"].map((x) => settle(w.write(x))); await sleep(5); w.releaseLock(); return [await Promise.all(ps), seen]; });
    return out;`),
];
