// Checklist §10.13–17: input gate (what interleaves and what does not), blockConcurrencyWhile,
// coalescing of writes, writes before an exception. Orders are recorded as logs.
import { cls, both } from "../scenario.mjs";

/** Three concurrent increments from three stubs; `gap` is what the object awaits between
 * its read and its write. */
const increments = (name, read, gap, write) =>
  both({
    name: `gates: ${name}`,
    source: cls(`  v = 0;
  async inc() { const x = ${read}; ${gap}; ${write}; return x + 1; }`),
    drive: async (env) => {
      const stubs = [0, 1, 2].map(() => env.DO.getByName("counter"));
      return (await Promise.all(stubs.map((s) => s.inc()))).sort();
    },
  });

/** Call A logs, awaits `what`, logs again; call B (another stub) logs once. Whether B lands
 * between A's two entries shows whether `what` released the input gate. `prefix` names the
 * scenario file that uses it. */
export const interleave = (name, what, backends, prefix = "gates") =>
  both({
    name: `${prefix}: does ${name} let another call in?`,
    source: cls(`  log = [];
  async a() { this.log.push("a1"); await (${what}); this.log.push("a2"); return this.log; }
  async b() { this.log.push("b"); return this.log; }`),
    drive: async (env) => {
      // Both calls are sent in the same turn, so B is already queued while A awaits.
      const a = env.DO.getByName("g").a();
      const b = env.DO.getByName("g").b();
      return { a: await a, b: await b };
    },
  }).filter((s) => !backends || backends.includes(s.backend));

/** put, `gap`, then an INSERT that violates a deferred foreign key: the commit fails. What
 * survives shows where the implicit transaction (the write batch) started. */
const fkBatch = (name, gap) => ({
  name: `gates: ${name}`,
  backend: "sqlite",
  source: cls(`  async setup() { this.ctx.storage.sql.exec("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)"); }
  async batch() {
    const s = this.ctx.storage;
    await s.put("k", "in batch");
    ${gap};
    s.sql.exec("INSERT INTO c VALUES (42)");
    return "returned";
  }
  async read() { return { k: (await this.ctx.storage.get("k")) ?? null, rows: this.ctx.storage.sql.exec("SELECT count(*) AS n FROM c").one().n }; }`),
  drive: async (env) => {
    const stub = env.DO.getByName("fk");
    await stub.setup();
    return { batch: await outcome(() => stub.batch()), sameStub: await outcome(() => stub.read()), newStub: await outcome(() => env.DO.getByName("fk").read()) };
  },
});

export default [
  increments("storage get-then-put increments do not lose updates", `(await this.ctx.storage.get("n")) ?? 0`, "", `await this.ctx.storage.put("n", x + 1)`),
  increments("a timer between get and put loses updates", `(await this.ctx.storage.get("n")) ?? 0`, "await new Promise((r) => setTimeout(r, 20))", `await this.ctx.storage.put("n", x + 1)`),
  increments("in-memory read, timer, write loses updates", "this.v", "await new Promise((r) => setTimeout(r, 20))", "this.v = x + 1"),
  increments("in-memory read, storage get, write keeps updates", "this.v", `await this.ctx.storage.get("other")`, "this.v = x + 1"),
  ...interleave("a storage get", `this.ctx.storage.get("k")`),
  ...interleave("a storage put", `this.ctx.storage.put("k", 1)`),
  ...interleave("a storage list", `this.ctx.storage.list()`),
  ...interleave("a microtask", `Promise.resolve()`),
  ...interleave("a zero-delay timer", `new Promise((r) => setTimeout(r, 0))`),
  ...interleave("a 10 ms timer", `new Promise((r) => setTimeout(r, 10))`),
  ...interleave("storage.sync()", `this.ctx.storage.sync()`),
  ...interleave("a get with allowConcurrency", `this.ctx.storage.get("k", { allowConcurrency: true })`, ["kv"]),
  ...interleave("a call to another object", `this.env.DO.getByName("other").b()`),
  ...interleave("a transaction", `this.ctx.storage.transaction(async (t) => t.get("k"))`),
  both({
    name: "gates: blockConcurrencyWhile holds other calls until it finishes",
    source: cls(`  log = [];
  async block() {
    const r = await this.ctx.blockConcurrencyWhile(async () => { this.log.push("bcw start"); await new Promise((r) => setTimeout(r, 30)); this.log.push("bcw end"); return "bcw value"; });
    this.log.push("after bcw");
    return r;
  }
  async other() { this.log.push("other"); return this.log; }`),
    drive: async (env) => {
      const block = env.DO.getByName("b").block();
      await new Promise((r) => setTimeout(r, 5));
      const other = env.DO.getByName("b").other();
      return { block: await block, other: await other };
    },
  }),
  both({
    name: "gates: blockConcurrencyWhile in the constructor finishes before the first call",
    source: cls(`  ready = "no";
  constructor(ctx, env) { super(ctx, env); ctx.blockConcurrencyWhile(async () => { await new Promise((r) => setTimeout(r, 20)); this.ready = "yes"; }); }
  async isReady() { return this.ready; }`),
    drive: async (env) => Promise.all([env.DO.getByName("c").isReady(), env.DO.getByName("c").isReady()]),
  }),
  {
    name: "gates: nested blockConcurrencyWhile",
    backend: "sqlite",
    source: cls(`  async nest() { return this.ctx.blockConcurrencyWhile(async () => "outer:" + await this.ctx.blockConcurrencyWhile(async () => "inner")); }`),
    drive: async (env) => outcome(() => env.DO.getByName("n").nest()),
  },
  fkBatch("writes across awaited storage calls form one batch (deferred FK rolls all back)", "await s.get(\"k\")"),
  fkBatch("a timer splits the batch (the write before it survives a failing commit)", "await new Promise((r) => setTimeout(r, 5))"),
  both({
    name: "gates: an unawaited write is visible to the next call and survives",
    source: cls(`  async write() { this.ctx.storage.put("k", "unawaited"); return "returned"; }
  async read() { return (await this.ctx.storage.get("k")) ?? null; }`),
    drive: async (env) => ({ write: await env.DO.getByName("u").write(), read: await env.DO.getByName("u").read() }),
  }),
  both({
    name: "gates: writes made before an exception are committed",
    source: cls(`  async fail() { await this.ctx.storage.put("a", 1); this.ctx.storage.put("b", 2); throw new Error("after writes"); }
  async read() { return Object.fromEntries(await this.ctx.storage.list()); }`),
    drive: async (env) => ({ fail: await outcome(() => env.DO.getByName("x").fail()), read: await env.DO.getByName("x").read() }),
  }),
];
