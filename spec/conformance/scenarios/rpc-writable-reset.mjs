// A WritableStream received over RPC is one of the runtime's native streams: once aborted, or
// once a write failed, its writes and close() are refused as closed (ready fulfils,
// desiredSize is 0). A WritableStream an object sent over RPC (returned to its caller, or passed as an argument to
// another object), when that object resets: the holder's next write fails with the runtime's
// internal error, and every write and close() after that with the closed stream's TypeError;
// the dead instance's sink hears nothing more. (A ReadableStream's direction: rpc-messages.mjs.)
import { cls } from "../scenario.mjs";

const source = cls(`  sink(tag) {
    const log = (globalThis.sinkLog ??= []);
    return new WritableStream({
      write: (c) => { this.last = c; log.push(tag + " write " + new TextDecoder().decode(c)); },
      close: () => { log.push(tag + " close"); },
      abort: (reason) => { log.push(tag + " abort " + String(reason?.message ?? reason)); },
    });
  }
  async give() { await this.env.DO.getByName("taker").take(this.sink("given")); return "given"; }
  take(w) { this.writer = w.getWriter(); return this.writer.write(new TextEncoder().encode("a")); }
  async writeKept(text) { return this.writer.write(new TextEncoder().encode(text)); }
  async closeKept() { return this.writer.close(); }
  maker() { return new SinkMaker(() => this.sink("targeted")); }
  log(tag) { return (globalThis.sinkLog ?? []).filter((line) => line.startsWith(tag + " ")); }
  die() { this.ctx.abort(new Error("reset now")); }`, { extra: `class SinkMaker extends RpcTarget { constructor(make) { super(); this.make = make; } sink() { return this.make(); } }` });

export default [
  {
    name: "rpc: a WritableStream received over RPC, once aborted or once a write failed, reads as closed",
    backend: "sqlite",
    source: cls(`  sink() { return new WritableStream({ write(c) { if (new TextDecoder().decode(c) === "x") throw new RangeError("sink threw"); } }); }`),
    drive: async (env) => {
      const bytes = (text) => new TextEncoder().encode(text);
      const a = (await env.DO.getByName("a").sink()).getWriter();
      const aborted = [await outcome(() => a.abort(new Error("mine"))), await outcome(() => a.write(bytes("e"))), await outcome(() => a.close()), a.desiredSize, await outcome(() => a.ready), await outcome(() => a.closed)];
      const b = (await env.DO.getByName("a").sink()).getWriter();
      const failed = [await outcome(() => b.write(bytes("x"))), await outcome(() => b.write(bytes("e"))), await outcome(() => b.close()), b.desiredSize, await outcome(() => b.ready), await outcome(() => b.closed)];
      return { aborted, failed };
    },
  },
  {
    name: "rpc: a WritableStream an object returned, written after that object resets",
    backend: "sqlite",
    source,
    drive: async (env) => {
      const bytes = (text) => new TextEncoder().encode(text);
      const writer = (await env.DO.getByName("a").sink("returned")).getWriter();
      const first = await outcome(() => writer.write(bytes("a")));
      const died = await outcome(() => env.DO.getByName("a").die());
      const later = [];
      for (const text of ["b", "c"]) later.push(await outcome(() => writer.write(bytes(text))));
      const closed = await outcome(() => writer.close());
      // A close, or an abort, as the first thing after the reset.
      const closer = (await env.DO.getByName("b").sink("closer")).getWriter();
      const aborter = (await env.DO.getByName("b").sink("aborter")).getWriter();
      // One an RpcTarget of the object returned.
      const targeted = (await (await env.DO.getByName("b").maker()).sink()).getWriter();
      await outcome(() => env.DO.getByName("b").die());
      const closedFirst = [await outcome(() => closer.close()), await outcome(() => closer.write(bytes("d")))];
      const fromTarget = [await outcome(() => targeted.write(bytes("f"))), await outcome(() => targeted.write(bytes("g")))];
      const abortedFirst = [await outcome(() => aborter.abort(new Error("mine"))), await outcome(() => aborter.write(bytes("e")))];
      await scheduler.wait(50);
      return {
        first, died, later, closed, closedFirst, abortedFirst, fromTarget,
        log: await outcome(() => env.DO.getByName("a").log("returned")),
        otherLog: await outcome(async () => [...(await env.DO.getByName("b").log("closer")), ...(await env.DO.getByName("b").log("aborter")), ...(await env.DO.getByName("b").log("targeted"))]),
      };
    },
  },
  {
    name: "rpc: a WritableStream an object passed as an argument, written after that object resets",
    backend: "sqlite",
    source,
    drive: async (env) => {
      const giver = env.DO.getByName("giver");
      const taker = env.DO.getByName("taker");
      const given = await outcome(() => giver.give());
      const died = await outcome(() => giver.die());
      const later = [];
      for (const text of ["b", "c"]) later.push(await outcome(() => taker.writeKept(text)));
      const closed = await outcome(() => taker.closeKept());
      await scheduler.wait(50);
      return { given, died, later, closed, log: await outcome(() => taker.log("given")) };
    },
  },
];
