// blockConcurrencyWhile's argument handling and when its callback starts (issue 9, must-fix 4):
// what a non-function argument gives, and whether the object lives on (its in-memory state
// survives); the callback starts after the code that follows the call, for sync and async
// callbacks alike.
import { cls, both } from "../scenario.mjs";

const source = cls(`  memory = 0;
  bump() { return ++this.memory; }
  async bad(kind) {
    const args = { number: [5], none: [], null: [null], object: [{}], string: ["f"], promise: [Promise.resolve(1)] }[kind];
    let threw = null;
    let returned = null;
    let settled = null;
    try {
      const r = this.ctx.blockConcurrencyWhile(...args);
      returned = Object.prototype.toString.call(r);
      settled = await Promise.race([outcome(r), sleep(200).then(() => "still pending")]);
    } catch (e) {
      threw = err(e);
    }
    return { threw, returned, settled };
  }
  async order(kind) {
    const log = [];
    const callback = kind === "async"
      ? async () => { log.push("callback"); await null; log.push("callback after await"); return "value"; }
      : () => { log.push("callback"); return "value"; };
    const p = this.ctx.blockConcurrencyWhile(callback);
    log.push("after call");
    queueMicrotask(() => log.push("microtask queued after call"));
    const value = await p;
    log.push("awaited " + value);
    return log;
  }
  async orderDeep(withTimer) {
    const log = [];
    if (withTimer) setTimeout(() => log.push("timer set before the call"), 0);
    const p = this.ctx.blockConcurrencyWhile(() => { log.push("callback"); });
    log.push("after call");
    for (let i = 0; i < 5; i++) {
      await null;
      log.push("await " + i);
    }
    await p;
    log.push("awaited");
    await new Promise((r) => setTimeout(r, 5));
    return log;
  }`);

export default [
  both({
    name: "blockConcurrencyWhile: a non-function argument rejects with the runtime's TypeError, the object lives on",
    source,
    drive: async (env) => {
      const stub = env.DO.getByName("b");
      const out = { before: await outcome(() => stub.bump()) };
      for (const kind of ["number", "none", "null", "object", "string", "promise"]) {
        out[kind] = await outcome(() => stub.bad(kind));
      }
      out.after = await outcome(() => stub.bump());
      return out;
    },
  }),
  both({
    name: "blockConcurrencyWhile: the callback starts after the code following the call",
    source,
    drive: async (env) => {
      const stub = env.DO.getByName("o");
      return {
        sync: await outcome(() => stub.order("sync")),
        async: await outcome(() => stub.order("async")),
        deep: await outcome(() => stub.orderDeep(false)),
        deepWithTimer: await outcome(() => stub.orderDeep(true)),
      };
    },
  }),
];
