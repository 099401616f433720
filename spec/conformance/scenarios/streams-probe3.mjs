// Writables past streams-probe2.mjs: a stream erroring while its close is under way, the writer
// that asked a close writing while it is queued, pipes into errored or closing destinations.
import { inside } from "../scenario.mjs";

const probe = (name, body, rest) => inside(`streams probe 3: ${name}`, "sqlite", `
    const a = (f) => outcome(f);
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(300).then(() => ["pending"])]);
    const bytes = (...chunks) => new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
${body}`, rest);

export default [
  probe("writables erroring while closing, a queued close's own writer, pipes into errored or closing streams", `
    const out = {};
    out.erroringWhileClosing = await a(async () => {
      let ctl;
      const s = new WritableStream({ start(c) { ctl = c; }, close() { return sleep(50); } });
      const w = s.getWriter();
      const closed = settle(w.close());
      await sleep(5);
      ctl.error(new RangeError("late"));
      return [await settle(w.write("a")), await settle(w.close()), await closed, await settle(w.closed)];
    });
    out.abortWhileClosing = await a(async () => {
      const s = new WritableStream({ close() { return sleep(50); } });
      const w = s.getWriter();
      const closed = settle(w.close());
      await sleep(5);
      const aborted = settle(w.abort(new RangeError("abort")));
      return [await settle(w.write("a")), await settle(w.close()), await closed, await aborted];
    });
    out.queuedCloseOwnWriter = await a(async () => {
      const s = new WritableStream({ write() { return sleep(30); } });
      const w = s.getWriter();
      const first = settle(w.write("slow"));
      const closed = settle(w.close());
      return [await settle(w.write("b")), await settle(w.close()), await first, await closed];
    });
    out.pipeIntoErrored = await a(async () => {
      const s = new WritableStream();
      await s.abort(new RangeError("stored"));
      const log = [];
      const src = new ReadableStream({ cancel(r) { log.push(err(r)); } });
      return [await settle(src.pipeTo(s)), log];
    });
    out.pipeIntoClosing = await a(async () => {
      const s = new WritableStream({ close() { return sleep(50); } });
      s.close();
      await sleep(5);
      const log = [];
      const src = new ReadableStream({ start(c) { c.enqueue("x"); }, cancel(r) { log.push(err(r)); } });
      return [await settle(src.pipeTo(s)), log];
    });
    out.pipeClosedBadOptions = await a(async () => {
      const s = new WritableStream();
      await s.close();
      return settle(bytes("a").pipeTo(s, 1));
    });
    out.pipeClosedLockedSource = await a(async () => {
      const s = new WritableStream();
      await s.close();
      const src = bytes("a");
      src.getReader();
      return settle(src.pipeTo(s));
    });
    out.releasedWriter = await a(async () => {
      const s = new WritableStream();
      const w = s.getWriter();
      await w.close();
      w.releaseLock();
      return [await settle(w.write("a")), await settle(w.close())];
    });
    // A close with nothing to wait for (no sink close(), no write pending) ends the stream at
    // once; one with a sink close() or a write to finish first leaves it closing.
    const sinks = { none: () => ({}), asyncClose: () => ({ close() { return sleep(20); } }), slowWrite: () => ({ write() { return sleep(20); } }) };
    for (const [name, sink] of Object.entries(sinks)) {
      out[name + " writer"] = await a(async () => { const s = new WritableStream(sink()); const w = s.getWriter(); if (name === "slowWrite") w.write("x"); w.close(); return [await settle(w.write("a")), await settle(w.close())]; });
      out[name + " stream"] = await a(async () => { const s = new WritableStream(sink()); s.close(); const w = s.getWriter(); return [await settle(w.write("a")), await settle(w.close())]; });
      out[name + " pipe"] = await a(async () => { const s = new WritableStream(sink()); s.close(); return settle(bytes("a").pipeTo(s)); });
    }
    return out;`),
];
