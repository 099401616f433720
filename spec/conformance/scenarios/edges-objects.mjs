// Audit of reference §2.3, §2.4 and §3.8 against the suite (session 7): alarm calls in the
// constructor and several in one turn, blockConcurrencyWhile's nesting limit and its failures in
// the constructor, ctx.abort() inside critical sections. Short timers only (no retries waited).
import { cls, both, insideBoth } from "../scenario.mjs";

export default [
  both({
    name: "edges: alarm calls in the constructor, with and without an alarm() handler",
    classes: { DO: "DO", NOALARM: "NoAlarm" },
    source: `${cls(`  constructor(ctx, env) { super(ctx, env); this.r = { set: ctx.storage.setAlarm(Date.now() + 60000).then(() => "ok", (e) => e.name + ": " + e.message) }; }
  async alarm() {}
  async report() { return { set: await this.r.set, alarm: (await this.ctx.storage.getAlarm()) !== null }; }`)}
export class NoAlarm extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    let sync;
    try { this.p = ctx.storage.setAlarm(Date.now() + 60000).then(() => "ok", (e) => e.name + ": " + e.message); } catch (e) { sync = e.name + ": " + e.message; }
    this.sync = sync;
  }
  async report() {
    const later = await this.ctx.storage.setAlarm(Date.now() + 60000).then(() => "ok", (e) => e.name + ": " + e.message);
    return { ctor: this.sync ?? (await this.p), alarm: (await this.ctx.storage.getAlarm()) !== null, later };
  }
}
`,
    drive: async (env) => ({ withHandler: await outcome(() => env.DO.getByName("c").report()), without: await outcome(() => env.NOALARM.getByName("c").report()) }),
  }),
  insideBoth("edges: several alarm calls in one turn", `
    const t = Date.now() + 60000;
    s.setAlarm(t); s.setAlarm(t + 1000);
    const twice = (await s.getAlarm()) - t;
    s.setAlarm(t); s.deleteAlarm();
    const setThenDelete = await s.getAlarm();
    s.deleteAlarm(); s.setAlarm(t + 5);
    const deleteThenSet = (await s.getAlarm()) - t;
    const putAndAlarm = await Promise.all([s.put("k", 1), s.setAlarm(t + 7), s.get("k"), s.getAlarm()]);
    s.deleteAll();
    const afterDeleteAll = await s.getAlarm();
    s.setAlarm(t + 9);
    s.deleteAll({ allowUnconfirmed: true });
    s.setAlarm(t + 11);
    return { twice, setThenDelete, deleteThenSet, putAndAlarm: show(putAndAlarm.map((v) => (typeof v === "number" && v > 1e12 ? v - t : v))),
      afterDeleteAll, setAfterDeleteAll: (await s.getAlarm()) - t };`, { alarmHandler: true }),
  both({
    // setAlarm(Date.now()) is clamped to the clock's "now", which may be a millisecond past the
    // Date.now() the code saw; only facts independent of that are recorded.
    name: "edges: an alarm set for now runs once, with the stored time",
    source: `const runs = [];\n${cls(`  async alarm(info) { runs.push({ match: info.scheduledTime === this.stored, close: info.scheduledTime - this.t < 1000, retryCount: info.retryCount, getAlarm: await this.ctx.storage.getAlarm() }); }
  async arm() { this.t = Date.now(); await this.ctx.storage.setAlarm(this.t); this.stored = await this.ctx.storage.getAlarm(); return this.stored >= this.t; }
  async current() { return this.ctx.storage.getAlarm(); }`)}`,
    drive: async (env) => {
      const s = env.DO.getByName("now");
      const armedAsSet = await s.arm();
      const ran = await waitFor(async () => runs.length > 0, 3000);
      await sleep(30);
      return { armedAsSet, ran, runs, after: await s.current() };
    },
  }),
  both({
    name: "edges: blockConcurrencyWhile nested 64 deep, and one more",
    source: cls(`  async nest(n) {
    const go = (k) => (k === 0 ? Promise.resolve("bottom") : this.ctx.blockConcurrencyWhile(() => go(k - 1)));
    try { return await go(n); } catch (e) { return { name: e.name, message: e.message, reset: e.durableObjectReset ?? null }; }
  }
  async alive() { return "alive"; }`),
    drive: async (env) => {
      const s = env.DO.getByName("n");
      const r64 = await outcome(() => s.nest(64));
      const r65 = await outcome(() => s.nest(65));
      return { r64, r65, sameStub: await outcome(() => s.alive()), newStub: await outcome(() => env.DO.getByName("n").alive()) };
    },
  }),
  both({
    name: "edges: blockConcurrencyWhile failing in the constructor",
    source: `let constructed = 0;\n${cls(`  constructor(ctx, env) {
    super(ctx, env);
    constructed++;
    const n = constructed;
    ctx.blockConcurrencyWhile(async () => { await ctx.storage.put("ctor" + n, true); if (n === 1) throw new RangeError("init failed"); });
  }
  async keys() { return [...(await this.ctx.storage.list()).keys()]; }`)}`,
    drive: async (env) => {
      const s = env.DO.getByName("b");
      const first = await outcome(() => s.keys());
      const sameStub = await outcome(() => s.keys());
      const fresh = await outcome(() => env.DO.getByName("b").keys());
      return { first, sameStub, fresh, constructed };
    },
  }),
  both({
    name: "edges: ctx.abort() inside blockConcurrencyWhile and inside transaction()",
    source: cls(`  async inBcw() { await this.ctx.storage.put("before", 1); return this.ctx.blockConcurrencyWhile(async () => { this.ctx.storage.put("inside", 1); this.ctx.abort("bcw abort"); return "not reached"; }); }
  async inTxn() { return this.ctx.storage.transaction(async (txn) => { await txn.put("t", 1); this.ctx.abort(); return "not reached"; }); }
  async keys() { return [...(await this.ctx.storage.list()).keys()]; }`),
    drive: async (env) => ({
      bcw: await outcome(() => env.DO.getByName("a").inBcw()),
      keysAfterBcw: await outcome(() => env.DO.getByName("a").keys()),
      txn: await outcome(() => env.DO.getByName("t").inTxn()),
      keysAfterTxn: await outcome(() => env.DO.getByName("t").keys()),
    }),
  }, {
    // workerd's inMemory storage drops committed data with the reset instance (reference §9),
    // so on the KV backend only the errors are compared.
    kv: { drive: async (env) => ({ bcw: await outcome(() => env.DO.getByName("a").inBcw()), txn: await outcome(() => env.DO.getByName("t").inTxn()) }) },
  }),
  // The runtime logs a timer callback's exception and the object goes on; ctx.abort() in a
  // timer resets it (durasim's process used to die of the uncaught exception in both cases).
  both({
    name: "edges: an exception thrown in a timer callback",
    source: `let made = 0; const log = [];\n${cls(`  constructor(ctx, env) { super(ctx, env); made++; }
  mem = 0;
  async arm() {
    this.mem = 5;
    await this.ctx.storage.put("k", 1);
    setTimeout(() => { log.push("before throw"); throw new Error("timer throw"); }, 10);
    setTimeout(async () => { log.push("async timer"); throw new Error("async timer throw"); }, 15);
    setTimeout(() => log.push("second timer"), 30);
    return made;
  }
  async hi() { return { made, mem: this.mem, log: log.slice(), k: (await this.ctx.storage.get("k")) ?? null }; }`)}`,
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const armed = await s.arm();
      await waitFor(async () => (await s.hi()).log.length >= 3, 2000);
      return { armed, same: await outcome(() => s.hi()), fresh: await outcome(() => env.DO.getByName("a").hi()) };
    },
  }),
  both({
    name: "edges: ctx.abort() in a timer callback, and in the constructor",
    source: `let made = 0;\n${cls(`  constructor(ctx, env) { super(ctx, env); made++; if (ctx.id.name === "ctor" && made === 1) ctx.abort("ctor abort"); }
  async arm() { setTimeout(() => { this.ctx.abort("timer abort"); made += 100; }, 10); return made; }
  async hi() { return made; }`)}`,
    drive: async (env) => {
      const s = env.DO.getByName("t");
      const armed = await s.arm();
      const broke = await waitFor(async () => (await outcome(() => s.hi())).error !== undefined, 2000);
      const c = env.DO.getByName("ctor");
      return { armed, broke, same: await outcome(() => s.hi()), fresh: await outcome(() => env.DO.getByName("t").hi()),
        ctorFirst: await outcome(() => c.hi()), ctorSame: await outcome(() => c.hi()), ctorFresh: await outcome(() => env.DO.getByName("ctor").hi()) };
    },
  }),
  both({
    name: "edges: ctx.waitUntil in an object",
    source: `const log = [];\n${cls(`  async go() {
    this.ctx.waitUntil(new Promise((r) => setTimeout(r, 10)).then(() => { log.push("waited"); return this.ctx.storage.put("w", 1); }));
    this.ctx.waitUntil(Promise.reject(new Error("rejected in waitUntil")));
    return { returns: this.ctx.waitUntil(Promise.resolve(1)) === undefined };
  }
  async read() { return { log: log.slice(), w: (await this.ctx.storage.get("w")) ?? null }; }`)}`,
    drive: async (env) => {
      const s = env.DO.getByName("w");
      const go = await s.go();
      await waitFor(async () => (await s.read()).w !== null, 2000);
      return { go, read: await s.read() };
    },
  }),
];
