// Faults among other work in flight: an oversized write between writes of the same turn (awaited,
// not awaited, in one put() of entries, in a transaction), which on the KV backend fails alone
// while the writes around it commit; ctx.abort() inside transactionSync() and after statements,
// which commits nothing of its turn; a constructor (or its blockConcurrencyWhile callback) that
// throws a value that is no Error while calls, a fetch and a new stub's call wait for it: each
// gets the reset, the broken stub keeps failing, a new stub constructs again.
import { both, cls } from "../scenario.mjs";

export default [
  both({
    name: "faults in flight: an oversized write among the writes of one turn",
    backend: "sqlite",
    source: cls(`  async awaitedOnly() { const s = this.ctx.storage; s.put("a", 1); const r = await s.put("big", "x".repeat(3_000_000)).then(() => "stored", (e) => err(e)); s.put("c", 3); return r; }
  async unawaited() { const s = this.ctx.storage; s.put("d", 1); s.put("big", "x".repeat(3_000_000)).catch(() => {}); s.put("e", 3); return "returned"; }
  async entries() { const s = this.ctx.storage; s.put("f", 1); return s.put({ g: 1, big: "x".repeat(3_000_000), h: 2 }).then(() => "stored", (e) => err(e)); }
  async thrown() { const s = this.ctx.storage; await s.put("i", 1); await s.put("big", "x".repeat(3_000_000)); }
  async longKey() { const s = this.ctx.storage; s.put("j", 1); const r = s.put("k".repeat(3000), 1).then(() => "stored", (e) => err(e)); s.put("l", 3); return r; }
  async inTransaction() { return this.ctx.storage.transaction(async (t) => { await t.put("m", 1); try { await t.put("big", "x".repeat(3_000_000)); } catch (e) { await t.put("n", 1); return err(e); } return "stored"; }); }
  async keys() { return [...(await this.ctx.storage.list())].map(([k]) => (k.length > 10 ? "long key" : k)); }
  async hello() { return "hi"; }`),
    drive: async (env) => {
      const out = {};
      for (const m of ["awaitedOnly", "unawaited", "entries", "thrown", "longKey", "inTransaction"]) {
        const s = env.DO.getByName(m);
        out[m] = await outcome(() => s[m]());
        out[m + "Then"] = await outcome(() => s.hello());
        out[m + "Keys"] = await outcome(() => env.DO.getByName(m).keys());
      }
      return out;
    },
  }),
  {
    name: "faults in flight: ctx.abort() inside transactionSync() and after a statement",
    backend: "sqlite",
    source: cls(`  async seed() { await this.ctx.storage.put("a", 1); this.ctx.storage.sql.exec("CREATE TABLE t (x)"); this.ctx.storage.sql.exec("INSERT INTO t VALUES (1)"); }
  async inTransaction() { this.ctx.storage.transactionSync(() => { this.ctx.storage.kv.put("a", 2); this.ctx.storage.sql.exec("INSERT INTO t VALUES (2)"); this.ctx.abort("in transactionSync"); }); }
  async afterStatement() { this.ctx.storage.sql.exec("INSERT INTO t VALUES (3)"); this.ctx.storage.put("b", 3); this.ctx.abort(); }
  async state() { return { kv: [...(await this.ctx.storage.list())], rows: this.ctx.storage.sql.exec("SELECT x FROM t").toArray().map((r) => r.x) }; }`),
    drive: async (env) => {
      await env.DO.getByName("x").seed();
      const out = {};
      for (const m of ["inTransaction", "afterStatement"]) {
        const s = env.DO.getByName("x");
        out[m] = await outcome(() => s[m]());
        out[m + "SameStub"] = await outcome(() => s.state());
        out[m + "State"] = await outcome(() => env.DO.getByName("x").state());
      }
      return out;
    },
  },
  both({
    name: "faults in flight: a constructor that throws a value that is no Error, with calls waiting",
    backend: "sqlite",
    source: `let built = 0;\n${cls(`  constructor(ctx, env) {
    super(ctx, env);
    built++;
    if (ctx.id.name === "string") throw "constructor string";
    if (ctx.id.name === "null") throw null;
    if (ctx.id.name === "undefined") throw undefined;
    if (ctx.id.name === "later") ctx.blockConcurrencyWhile(async () => { await scheduler.wait(5); throw new RangeError("init"); });
    if (ctx.id.name === "number") ctx.blockConcurrencyWhile(() => { throw 5; });
  }
  async hello() { return built; }
  async fetch() { return new Response("f"); }`)}`,
    drive: async (env) => {
      const out = {};
      for (const k of ["string", "null", "undefined", "later", "number"]) {
        const s = env.DO.getByName(k);
        out[k] = await Promise.all([outcome(() => s.hello()), outcome(() => s.hello()), outcome(() => s.fetch("http://x/").then((r) => r.text())), outcome(() => env.DO.getByName(k).hello())]);
        out[k + "SameStub"] = await outcome(() => s.hello());
      }
      return out;
    },
  }),
];
