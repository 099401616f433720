// A Socket's close() does not throw away what was written before it, as the runtime's: once the
// connection is made or refused, the writes queued before the call go out (each resolves), and
// only then is the connection ended, so close() resolves after them; the target then reads
// (some of) those bytes and the client's disconnection. A writable side code closed itself is
// not flushed: what it still had in progress fails "This socket has been closed.". Which of the
// bytes reach the target before the disconnection is a race in the runtime; durasim delivers
// them all, so the records keep only that the target read a prefix of them, then the error.
import { cls } from "../scenario.mjs";
import { ENTRYPOINT, WITHIN } from "./socket-helpers.mjs";

const HELPERS = `const readLog = async (socket, log) => { const reader = socket.readable.getReader(); try { for (;;) { const { done, value } = await reader.read(); if (done) { log.push("done"); return; } log.push("chunk " + new TextDecoder().decode(value)); } } catch (e) { log.push("error " + e.message); } };
${WITHIN}
const settled = (label, promise, order) => promise.then(() => order.push(label + " ok"), (e) => order.push(label + " " + e.message));
/** The target's log: whether its chunks are the first of those written, and how it ended. */
const shape = (log) => ({ prefix: log.slice(0, -1).every((entry, i) => entry === "chunk w" + i), last: log.at(-1) });`;
const OBJECT = `  async connect(socket) { this.log = []; await readLog(socket, this.log); }
  got() { return this.log; }`;

export default [
  {
    name: "sockets-close-flush: writes queued before close() go out and resolve before it does, then the target reads the client's disconnection",
    backend: "sqlite",
    workers: { sink: { source: `${ENTRYPOINT}\n${HELPERS}`, entry: `class extends WorkerEntrypoint { async connect(socket) { await readLog(socket, []); } }` } },
    services: { SINK: "sink" },
    source: cls(OBJECT, { extra: HELPERS }),
    drive: async (env) => {
      const out = {};
      for (const kind of ["object", "worker"]) {
        for (const opened of [false, true]) {
          const target = kind === "object" ? env.DO.getByName(`flush-${opened}`) : env.SINK;
          const socket = target.connect("a:1");
          if (opened) await socket.opened;
          const order = [];
          const writer = socket.writable.getWriter();
          const writes = ["w0", "w1", "w2"].map((text) => settled(text, writer.write(new TextEncoder().encode(text)), order));
          const closing = settled("close", socket.close(), order);
          const late = await within(outcome(() => writer.write(new TextEncoder().encode("late"))));
          await within(Promise.all([...writes, closing]));
          await new Promise((resolve) => setTimeout(resolve, 200));
          out[`${kind}-${opened ? "opened" : "at once"}`] = { order: order.join(" | "), late, target: kind === "object" ? shape(await target.got()) : undefined };
        }
      }
      return out;
    },
  },
  {
    name: "sockets-close-flush: a writable side code closed itself is not flushed: what it had in progress fails as the socket closed",
    backend: "sqlite",
    source: cls(OBJECT, { extra: HELPERS }),
    drive: async (env) => {
      const out = {};
      for (const how of ["writer", "stream"]) {
        const target = env.DO.getByName(`closed-by-${how}`);
        const socket = target.connect("a:1");
        await socket.opened;
        const writer = socket.writable.getWriter();
        const write = within(outcome(() => writer.write(new TextEncoder().encode("w0"))));
        let closingWritable;
        if (how === "writer") closingWritable = within(outcome(() => writer.close()));
        else {
          writer.releaseLock();
          closingWritable = within(outcome(() => socket.writable.close()));
        }
        const close = within(outcome(() => socket.close()));
        out[how] = { write: await write, closingWritable: await closingWritable, close: await close };
        await new Promise((resolve) => setTimeout(resolve, 200));
        out[how].target = shape(await target.got());
      }
      return out;
    },
  },
];
