// Every way Worker code reads a Socket's readable side follows the runtime's close rules, not only
// a reader it took itself: an iterator (for await, values(), [Symbol.asyncIterator]) and a BYOB
// reader read through a reader of the stream, so a read waiting when close() is called fails
// "This socket has been closed.", later ones say the stream belongs to an object that is
// closing, and (as the runtime's iterators do) a failed read leaves the stream locked. A pipe
// into a JavaScript stream (pipeTo, pipeThrough) sees the end instead, and the branches of a
// tee() read what had come, then the end, one read at a time; a pipe into one of the runtime's own
// writable sides (a byte or compression TransformStream's, another socket's) is the runtime's
// pump, which the end of the connection fails "This socket has been closed.", the destination
// too unless the pipe prevents it. A reader's reads may run ahead
// while bytes wait (a BYOB read takes as much of a chunk as its view holds); one waiting for
// bytes refuses the next. The handler writes "hi" and "yo" and stays; the caller reads both
// before close().
import { cls } from "../scenario.mjs";

const HELPERS = `const within = (promise, ms = 300) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve("still pending"), ms))]);
const text = (result) => (result && result.value ? new TextDecoder().decode(result.value) : result);
const readAll = async (reader) => { let all = ""; for (;;) { const { done, value } = await reader.read(); if (done) return all; all += new TextDecoder().decode(value); } };`;
const HANDLER = `async connect(socket) {
    const w = socket.writable.getWriter();
    await w.write(new TextEncoder().encode("hi"));
    await w.write(new TextEncoder().encode("yo"));
    await new Promise((resolve) => setTimeout(resolve, 600));
  }`;

/** A scenario that runs `cases` (name: source of `async (socket, env) => record`) over a socket to an object and to a Worker, each once both greetings wait. */
function readers(name, cases) {
  return {
    name: `sockets-readers: ${name}`,
    backend: "sqlite",
    workers: { greeter: { source: `import { WorkerEntrypoint } from "cloudflare:workers";`, entry: `class extends WorkerEntrypoint { ${HANDLER} }` } },
    services: { GREETER: "greeter" },
    source: cls(`  ${HANDLER}`, { extra: `${HELPERS}\nconst CASES = { ${Object.entries(cases).map(([key, run]) => `${key}: ${run}`).join(",\n")} };` }),
    drive: async (env) => {
      const out = {};
      for (const [target, binding] of [["object", env.DO.getByName("x")], ["worker", env.GREETER]]) {
        for (const [key, run] of Object.entries(CASES)) {
          const socket = binding.connect("a:1");
          await socket.opened;
          await new Promise((resolve) => setTimeout(resolve, 50));
          out[`${target} ${key}`] = await outcome(() => run(socket, env));
          await socket.close();
        }
      }
      return out;
    },
  };
}

export default [
  readers("iterators read by the socket's rules: a read waiting at close() fails, later ones as closing, and a failure keeps the lock", {
    asyncIterator: `async (s) => { const it = s.readable[Symbol.asyncIterator](); const got = [text(await it.next()), text(await it.next())]; const waiting = it.next(); const closing = s.close(); return { got, waiting: await within(outcome(() => waiting)), next: await within(outcome(() => it.next())), locked: s.readable.locked, returned: await within(outcome(() => it.return())), unlocked: !s.readable.locked, closing: await within(outcome(() => closing)) }; }`,
    forAwait: `async (s) => { const got = []; const loop = (async () => { for await (const chunk of s.readable) { got.push(new TextDecoder().decode(chunk)); if (got.length === 2) s.close(); } return "ended"; })(); return { loop: await within(outcome(() => loop)), got, locked: s.readable.locked }; }`,
    values: `async (s) => { const it = s.readable.values(); const got = [text(await it.next()), text(await it.next())]; const waiting = it.next(); const closing = s.close(); return { got, waiting: await within(outcome(() => waiting)), next: await within(outcome(() => it.next())), locked: s.readable.locked, closing: await within(outcome(() => closing)) }; }`,
    preventCancel: `async (s) => { const it = s.readable.values({ preventCancel: true }); await it.next(); await it.next(); const waiting = it.next(); const closing = s.close(); return { waiting: await within(outcome(() => waiting)), returned: await within(outcome(() => it.return("r"))), locked: s.readable.locked, closing: await within(outcome(() => closing)) }; }`,
    returnEarly: `async (s) => { const it = s.readable.values(); const first = text(await it.next()); const returned = await within(outcome(() => it.return())); return { first, returned, after: await within(outcome(() => it.next())), locked: s.readable.locked, read: await within(outcome(() => s.readable.getReader().read())) }; }`,
  }),
  readers("BYOB readers read by the socket's rules, and a view takes what it holds of the bytes that wait", {
    byob: `async (s) => { const r = s.readable.getReader({ mode: "byob" }); const got = [text(await r.read(new Uint8Array(8))), text(await r.read(new Uint8Array(8)))]; const waiting = r.read(new Uint8Array(8)); const closing = s.close(); return { got, waiting: await within(outcome(() => waiting)), next: await within(outcome(() => r.read(new Uint8Array(8)))), closed: await within(outcome(() => r.closed)), cancel: await within(outcome(() => r.cancel())), closing: await within(outcome(() => closing)) }; }`,
    smallViews: `async (s) => { const r = s.readable.getReader({ mode: "byob" }); const reads = [r.read(new Uint8Array(1)), r.read(new Uint8Array(8))]; const got = []; for (const read of reads) got.push(await within(outcome(() => read.then(text)))); const rest = await within(outcome(() => r.read(new Uint8Array(8)).then(text))); return { got, rest }; }`,
    afterClose: `async (s) => { await s.close(); const r = s.readable.getReader({ mode: "byob" }); return { closed: await within(outcome(() => r.closed)), read: await within(outcome(() => r.read(new Uint8Array(4)))) }; }`,
    oneWaits: `async (s) => { const r = s.readable.getReader({ mode: "byob" }); await r.read(new Uint8Array(8)); await r.read(new Uint8Array(8)); const waiting = r.read(new Uint8Array(8)); return { second: await within(outcome(() => r.read(new Uint8Array(8)))), waiting: await within(outcome(() => waiting), 50) }; }`,
    toTheEnd: `async (s) => { const r = s.readable.getReader({ mode: "byob" }); const got = []; const drain = async () => { for (;;) { const { done, value } = await r.read(new Uint8Array(3)); if (done) return { got, end: [value?.constructor.name, value?.byteLength] }; got.push(new TextDecoder().decode(value)); } }; return await within(outcome(drain), 2000); }`,
    defaultReads: `async (s) => { const r = s.readable.getReader(); const reads = [r.read(), r.read(), r.read()]; const got = []; for (const read of reads) got.push(await within(outcome(() => read.then(text)))); return got; }`,
  }),
  readers("pipes into JavaScript streams see the end at close(), and tee() branches read what came, one read at a time", {
    pipeTo: `async (s) => { const got = []; let aborted = "not aborted", closed = false; const dest = new WritableStream({ write(c) { got.push(new TextDecoder().decode(c)); }, close() { closed = true; }, abort(r) { aborted = r?.message ?? String(r); } }); const piping = s.readable.pipeTo(dest); await new Promise((r) => setTimeout(r, 50)); const closing = s.close(); return { piping: await within(outcome(() => piping)), got, aborted, closed, closing: await within(outcome(() => closing)), locked: s.readable.locked }; }`,
    pipeToPreventing: `async (s) => { const got = []; let aborted = "not aborted"; const dest = new WritableStream({ write(c) { got.push(new TextDecoder().decode(c)); }, abort(r) { aborted = r?.message ?? String(r); } }); const piping = s.readable.pipeTo(dest, { preventAbort: true, preventClose: true }); await new Promise((r) => setTimeout(r, 50)); const closing = s.close(); return { piping: await within(outcome(() => piping)), got, aborted, destLocked: dest.locked, closing: await within(outcome(() => closing)) }; }`,
    pipeThrough: `async (s) => { const r = s.readable.pipeThrough(new TransformStream()).getReader(); const got = [text(await r.read()), text(await r.read())]; const waiting = r.read(); const closing = s.close(); return { got, waiting: await within(outcome(() => waiting)), next: await within(outcome(() => r.read())), closed: await within(outcome(() => r.closed)), closing: await within(outcome(() => closing)) }; }`,
    teeOneRead: `async (s) => { const [a] = s.readable.tee(); const r = a.getReader(); const reads = [r.read(), r.read()]; const got = []; for (const read of reads) got.push(await within(outcome(() => read.then(text)))); return got; }`,
    teeAtClose: `async (s) => { const [a, b] = s.readable.tee(); const ra = a.getReader(); const got = [text(await ra.read()), text(await ra.read())]; const waiting = ra.read(); const closing = s.close(); return { got, waiting: await within(outcome(() => waiting), 1500), other: await within(outcome(() => readAll(b.getReader())), 1500), closing: await within(outcome(() => closing)), locked: s.readable.locked }; }`,
  }),
  readers("pipes into the runtime's own writable sides fail as the socket closed once the connection ends, and their destination with them", {
    identity: `async (s) => { const t = new IdentityTransformStream(); const piping = s.readable.pipeTo(t.writable); const r = t.readable.getReader(); const first = text(await r.read()); await new Promise((resolve) => setTimeout(resolve, 50)); const closing = s.close(); const rest = []; for (let i = 0; i < 2; i++) rest.push(await within(outcome(() => r.read().then(text)))); return { first, rest, piping: await within(outcome(() => piping)), closing: await within(outcome(() => closing)), locked: s.readable.locked }; }`,
    fixedLength: `async (s) => { const t = new FixedLengthStream(100); const piping = s.readable.pipeTo(t.writable); const r = t.readable.getReader(); const got = [text(await r.read()), text(await r.read())]; const closing = s.close(); return { got, next: await within(outcome(() => r.read())), piping: await within(outcome(() => piping)), closing: await within(outcome(() => closing)) }; }`,
    compression: `async (s) => { const r = s.readable.pipeThrough(new CompressionStream("gzip")).getReader(); const header = await within(outcome(() => r.read().then((result) => result.done))); const closing = s.close(); return { header, next: await within(outcome(() => r.read())), closing: await within(outcome(() => closing)) }; }`,
    preventAbort: `async (s) => { const t = new IdentityTransformStream(); const piping = s.readable.pipeTo(t.writable, { preventAbort: true, preventCancel: true }); const r = t.readable.getReader(); const first = text(await r.read()); await new Promise((resolve) => setTimeout(resolve, 50)); const closing = s.close(); return { first, next: await within(outcome(() => r.read().then(text))), piping: await within(outcome(() => piping)), closing: await within(outcome(() => closing)), writableLocked: t.writable.locked }; }`,
    closedAtOnce: `async (s) => { const t = new IdentityTransformStream(); const piping = s.readable.pipeTo(t.writable); s.close(); const r = t.readable.getReader(); return { first: await within(outcome(() => r.read().then(text))), piping: await within(outcome(() => piping)) }; }`,
    anotherSocket: `async (s, env) => { const other = env.DO.getByName("other").connect("a:1"); await other.opened; const piping = s.readable.pipeTo(other.writable); await new Promise((resolve) => setTimeout(resolve, 50)); const closing = s.close(); const out = { piping: await within(outcome(() => piping)), closing: await within(outcome(() => closing)), locked: other.writable.locked }; out.write = await within(outcome(() => other.writable.getWriter().write(new Uint8Array(1)))); other.close(); return out; }`,
  }),
];
