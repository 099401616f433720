// A close with nothing to wait for (no sink close(), no write queued or under way) ends a
// WritableStream at once in the runtime: the close's own promise, and its writer's `closed`, are
// settle at once: the close's own promise has fulfilled when close() returns, the writer's
// `closed` fulfils a microtask later, and stays so once the writer is released (Node's settle a
// few microtasks later). A sink close() that returns at once takes a microtask.
import { inside } from "../scenario.mjs";

export default [
  inside("streams: a close with nothing to wait for is fulfilled when close() returns", "sqlite", `
    const out = {};
    // Ticks of a microtask chain begun just before the promises' handlers, and where each settles among them.
    const order = async (make) => { const log = []; let i = 0; const tick = () => { log.push(i++); if (i < 6) return Promise.resolve().then(tick); }; const ps = make(); Promise.resolve().then(tick); for (const [k, p] of Object.entries(ps)) p.then(() => log.push(k), (e) => log.push(k + " rejected " + e.message)); await sleep(30); return log; };
    out.writerClose = await order(() => { const w = new WritableStream().getWriter(); return { close: w.close(), closed: w.closed }; });
    out.closedFirst = await order(() => { const w = new WritableStream().getWriter(); const c = w.close(); return { closed: w.closed, close: c }; });
    out.streamClose = await order(() => ({ close: new WritableStream().close() }));
    out.sinkWithoutClose = await order(() => { const w = new WritableStream({ write() {} }).getWriter(); return { close: w.close(), closed: w.closed }; });
    out.constructedWriter = await order(() => { const w = new WritableStreamDefaultWriter(new WritableStream()); return { close: w.close(), closed: w.closed }; });
    out.sinkClose = await order(() => { const w = new WritableStream({ close() {} }).getWriter(); return { close: w.close(), closed: w.closed }; });
    out.thenReleased = await order(() => { const w = new WritableStream().getWriter(); const close = w.close(); w.releaseLock(); return { close, closed: w.closed }; });
    out.closedTwice = await (async () => { const w = new WritableStream().getWriter(); w.close(); return w.closed === w.closed; })();
    return out;`),
];
