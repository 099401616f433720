// A Socket's streams once its close() is called, as the runtime's internal streams behave: a
// read waiting then fails "This socket has been closed.", later reads say the stream belongs to
// an object that is closing, and a reader's `closed` resolves; a writer taken before the close
// completed writes "This WritableStream has been closed." while its `closed` rejects "This
// socket has been closed."; a reader has one read pending at most. The handler's side: the
// caller's close() is a client that disconnected, the handler's own close() an end the caller
// reads; without allowHalfOpen, reading the end closes the writable side too.
import { cls } from "../scenario.mjs";
import { ENTRYPOINT } from "./socket-helpers.mjs";

const WITHIN = `const within = (promise) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve("still pending"), 300))]);
const text = (v) => v && v.value ? new TextDecoder().decode(v.value) : v;`;
const GREETER = `async connect(socket) {
    const w = socket.writable.getWriter();
    await w.write(new TextEncoder().encode("hi"));
    await new Promise((resolve) => setTimeout(resolve, 300));
  }`;

export default [
  {
    name: "sockets-closing: the caller's reads, reader and writers after close(), allowHalfOpen or not",
    backend: "sqlite",
    workers: { greeter: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { ${GREETER} }` } },
    services: { GREETER: "greeter" },
    source: `${cls(`  ${GREETER}`, { extra: WITHIN })}`,
    drive: async (env) => {
      const out = {};
      for (const [name, target] of [["worker", env.GREETER], ["object", env.DO.getByName("x")]]) {
        for (const allowHalfOpen of [false, true]) {
          const open = async () => {
            const s = target.connect("a:1", { allowHalfOpen });
            await s.opened;
            return s;
          };
          const row = {};
          // A read waiting when close() is called; the readers and writers taken before it.
          let s = await open();
          let r = s.readable.getReader();
          let w = s.writable.getWriter();
          const first = await r.read();
          const waiting = r.read();
          const closing = s.close();
          row.waiting = [first.value?.length, await within(outcome(() => waiting)), await within(outcome(() => r.read())), await within(outcome(() => r.closed))];
          row.writerBefore = [await within(outcome(() => w.write(new Uint8Array([1])))), await within(outcome(() => w.ready)), await within(outcome(() => w.closed)), await within(outcome(() => w.close()))];
          row.closing = [await within(outcome(() => closing)), await within(outcome(() => s.closed)), await within(outcome(() => r.cancel()))];
          // Reads and writes at once after close(), and readers and writers taken after it completed.
          s = await open();
          s.close();
          w = s.writable.getWriter();
          row.atOnce = [await within(outcome(() => w.write(new Uint8Array([1])))), await within(outcome(() => s.readable.getReader().read()))];
          s = await open();
          await s.close();
          r = s.readable.getReader();
          w = s.writable.getWriter();
          row.after = [await within(outcome(() => r.closed)), await within(outcome(() => w.closed)), await within(outcome(() => w.ready)), await within(outcome(() => r.read())), await within(outcome(() => w.write(new Uint8Array([1]))))];
          s = await open();
          s.close();
          row.streams = [s.readable.locked, s.writable.locked, await within(outcome(() => s.readable.cancel())), await within(outcome(() => s.writable.abort())), await within(outcome(() => s.writable.close()))];
          // One read waiting for bytes at a time (the greeting read, nothing more comes before close()).
          s = await open();
          r = s.readable.getReader();
          const greeting = await r.read();
          const reads = [r.read(), r.read()];
          const refused = await outcome(() => reads[1]);
          await s.close();
          row.oneRead = [text(greeting), refused, await outcome(() => reads[0])];
          out[name + (allowHalfOpen ? " allowHalfOpen" : "")] = row;
        }
      }
      return out;
    },
  },
  {
    name: "sockets-closing: the handler's side when the caller closes, when it closes itself, and reading the end without allowHalfOpen",
    backend: "sqlite",
    source: `${cls(`  async connect(socket) {
    const mode = (await this.ctx.storage.get("mode")) ?? "echo";
    const seen = (this.seen = []);
    const r = socket.readable.getReader();
    const w = socket.writable.getWriter();
    const log = async (label, p) => { const o = await within(outcome(p)); seen.push([label, o.ok?.done === false ? "bytes" : o]); };
    if (mode === "echo") {
      for (let i = 0; i < 3; i++) await log("read", () => r.read());
      await log("write", () => w.write(new TextEncoder().encode("back")));
      await log("closed", () => socket.closed);
      await log("readerClosed", () => r.closed);
      await log("writerClosed", () => w.closed);
      await new Promise((resolve) => setTimeout(resolve, 200));
    } else if (mode === "left") {
      await log("read", () => r.read());
      await log("waiting", () => r.read());
      await log("write", () => w.write(new TextEncoder().encode("back")));
      await log("closed", () => socket.closed);
      await log("readerClosed", () => r.closed);
      await log("writerClosed", () => w.closed);
    } else if (mode === "closes") {
      await w.write(new TextEncoder().encode("x"));
      const waiting = r.read();
      await log("close", () => socket.close());
      await log("waiting", () => waiting);
      await log("read", () => r.read());
      await log("write", () => w.write(new TextEncoder().encode("back")));
      await log("closed", () => socket.closed);
      await log("readerClosed", () => r.closed);
      await log("writerClosed", () => w.closed);
    } else {
      await w.write(new TextEncoder().encode("x"));
      await w.close();
      await log("read", () => r.read());
      await log("closed", () => socket.closed);
    }
  }
  seen() { return this.seen; }
  setMode(mode) { return this.ctx.storage.put("mode", mode); }`, { extra: WITHIN })}`,
    drive: async (env) => {
      const out = {};
      const stub = env.DO.getByName("x");
      const open = async (allowHalfOpen) => {
        const s = stub.connect("a:1", { allowHalfOpen });
        await s.opened;
        return [s, s.readable.getReader(), s.writable.getWriter()];
      };
      for (const allowHalfOpen of [false, true]) {
        const row = {};
        await stub.setMode("echo");
        let [s, r, w] = await open(allowHalfOpen);
        await w.write(new TextEncoder().encode("a"));
        await sleep(50);
        const writerClose = await within(outcome(() => w.close()));
        const reads = [];
        for (let i = 0; i < 3; i++) reads.push(await within(outcome(() => r.read().then(text))));
        await sleep(300);
        row.echo = { writerClose, reads, closed: await within(outcome(() => s.closed)), handler: await stub.seen(), close: await within(outcome(() => s.close())) };

        await stub.setMode("left");
        [s, r, w] = await open(allowHalfOpen);
        await w.write(new TextEncoder().encode("a"));
        await sleep(50);
        await s.close();
        await sleep(400);
        row.left = await stub.seen();

        await stub.setMode("closes");
        [s, r, w] = await open(allowHalfOpen);
        const first = await within(outcome(() => r.read().then(text)));
        const next = await within(outcome(() => r.read().then(text)));
        await sleep(50);
        row.closes = { first, next, write: await within(outcome(() => w.write(new TextEncoder().encode("q")))), closed: await within(outcome(() => s.closed)), readerClosed: await within(outcome(() => r.closed)), writerClosed: await within(outcome(() => w.closed)), handler: await stub.seen() };
        await s.close();

        await stub.setMode("ends");
        [s, r, w] = await open(allowHalfOpen);
        const ends = [await within(outcome(() => r.read().then(text))), await within(outcome(() => r.read().then(text)))];
        row.ends = { ends, closed: await within(outcome(() => s.closed)), write: await within(outcome(() => w.write(new TextEncoder().encode("z")))), handler: await stub.seen() };
        await s.close();
        out[allowHalfOpen ? "allowHalfOpen" : "default"] = row;
      }
      return out;
    },
  },
  {
    name: "sockets-closing: writes right after close() are refused as closing, before the connection is made too",
    backend: "sqlite",
    source: `${cls(`  async connect(socket) { await new Promise((resolve) => setTimeout(resolve, 200)); }`, { extra: WITHIN })}`,
    drive: async (env) => {
      const out = {};
      const stub = env.DO.getByName("x");
      for (const [label, opened, ticks] of [["beforeOpened", false, 0], ["beforeOpenedAfterARead", false, -1], ["atOnce", true, 0], ["oneTick", true, 1], ["fiveTicks", true, 5]]) {
        const s = stub.connect("a:1");
        if (opened) await s.opened;
        s.close();
        if (ticks < 0) await outcome(() => s.readable.getReader().read());
        for (let i = 0; i < ticks; i++) await null;
        out[label] = await within(outcome(() => s.writable.getWriter().write(new Uint8Array([1]))));
      }
      return out;
    },
  },
];
