// Arguments of web stream methods refused in the runtime's words: ReadableStream.from() of what
// has no iterator, a BYOB read's view and `min` (an unsigned 64-bit count of elements, checked in
// bytes, a fraction truncated), a byte controller's enqueue() chunk (an ArrayBuffer taken), and a
// BYOB request's respond() and respondWithNewView().
import { inside } from "../scenario.mjs";

export default [
  inside("streams: ReadableStream.from(), BYOB reads, byte controllers and BYOB requests refuse arguments in the runtime's words", "sqlite", `
    const out = {};
    const settle = (p) => Promise.race([p.then((v) => ["fulfilled", show(v)], (e) => ["rejected", err(e)]), sleep(100).then(() => ["pending"])]);
    out.fromBad = [outcomeSync(() => ReadableStream.from(1)), outcomeSync(() => ReadableStream.from(null)), outcomeSync(() => ReadableStream.from({})), outcomeSync(() => ReadableStream.from()), outcomeSync(() => ReadableStream.from(true))];
    out.fromGood = await outcome(async () => { const r = ReadableStream.from((async function*() { yield 1; yield "a"; })()).getReader(); return [show(await r.read()), show(await r.read()), show(await r.read())]; });
    out.fromString = await outcome(async () => { const r = ReadableStream.from("ab").getReader(); return [show(await r.read()), show(await r.read())]; });
    out.fromArray = await outcome(async () => { const r = ReadableStream.from([1, 2]).getReader(); return [show(await r.read()), show(await r.read()), show(await r.read())]; });
    out.byobMin = [];
    for (const [v, o] of [[new Uint8Array(4), { min: 0 }], [new Uint8Array(4), { min: 5 }], [new Uint16Array(4), { min: 5 }], [new Uint8Array(4), { min: -1 }], [new Uint8Array(4), { min: 1.5 }], [new Uint8Array(4), { min: "x" }], [new Uint8Array(0), {}], [new DataView(new ArrayBuffer(4)), { min: 2 }], [new ArrayBuffer(4), {}], [undefined, {}], [new Uint8Array(4), { min: 4 }], [new Uint8Array(4), undefined]]) {
      out.byobMin.push(await outcome(async () => { const r = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])); } }).getReader({ mode: "byob" }); return settle(r.read(v, o)); }));
    }
    out.byteEnqueue = [];
    for (const chunk of [1, "s", new ArrayBuffer(2), new Uint8Array(0), new DataView(new ArrayBuffer(2)), new Uint8Array(new SharedArrayBuffer(2)), new ArrayBuffer(0)]) out.byteEnqueue.push(outcomeSync(() => { let c; new ReadableStream({ type: "bytes", start(x) { c = x; } }); c.enqueue(chunk); return "ok"; }));
    out.arrayBufferRead = await outcome(async () => { const s = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([7, 8]).buffer); c.close(); } }); const r = s.getReader(); return [show(await r.read()), show(await r.read())]; });
    out.respond = await outcome(async () => { const r = []; const s = new ReadableStream({ type: "bytes", pull(c) { r.push(outcomeSync(() => c.byobRequest.respond(100))); r.push(outcomeSync(() => c.byobRequest.respond(-1))); r.push(outcomeSync(() => c.byobRequest.respond(0))); r.push(outcomeSync(() => c.byobRequest.respondWithNewView(new Uint8Array(9)))); c.byobRequest.respond(1); } }); r.push(show(await s.getReader({ mode: "byob" }).read(new Uint8Array(4)))); return r; });
    return out;`),
];
