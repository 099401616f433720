// Realistic apps, part 15: an API quota kept as token buckets in SQLite. The constructor loads
// the plan table into memory inside blockConcurrencyWhile (creating and seeding it on first
// use), so concurrent requests that wake the object all wait for it; fetch() takes tokens with
// an UPDATE ... RETURNING guarded by a WHERE, answering 429 with a Retry-After when empty; an
// alarm the operator schedules refills every bucket in one statement. Records hold statuses,
// bodies and headers in completion order, cursor counters (rowsRead, rowsWritten) and the
// buckets as stored.
import { cls } from "../scenario.mjs";

const BUCKETS = cls(`  constructor(ctx, env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const sql = ctx.storage.sql;
      sql.exec("CREATE TABLE IF NOT EXISTS plans (plan TEXT PRIMARY KEY, capacity INTEGER NOT NULL, refill INTEGER NOT NULL) WITHOUT ROWID");
      sql.exec("CREATE TABLE IF NOT EXISTS buckets (client TEXT PRIMARY KEY, plan TEXT NOT NULL REFERENCES plans(plan), tokens INTEGER NOT NULL CHECK (tokens >= 0))");
      const seeded = sql.exec("INSERT INTO plans VALUES ('free', 2, 1), ('pro', 5, 3) ON CONFLICT DO NOTHING");
      this.seeded = seeded.rowsWritten;
      await new Promise((r) => setTimeout(r, 5));
      this.plans = Object.fromEntries(sql.exec("SELECT plan, capacity, refill FROM plans").toArray().map((p) => [p.plan, p]));
    });
  }
  async fetch(req) {
    const client = req.headers.get("x-client");
    const plan = req.headers.get("x-plan") ?? "free";
    if (!(plan in this.plans)) return new Response("unknown plan " + plan, { status: 400 });
    const sql = this.ctx.storage.sql;
    sql.exec("INSERT INTO buckets VALUES (?, ?, ?) ON CONFLICT (client) DO NOTHING", client, plan, this.plans[plan].capacity);
    const taken = sql.exec("UPDATE buckets SET tokens = tokens - 1 WHERE client = ? AND tokens > 0 RETURNING tokens", client);
    const row = taken.toArray()[0];
    if (row === undefined) {
      return new Response("slow down", { status: 429, headers: { "retry-after": "1", "x-rows": taken.rowsRead + "/" + taken.rowsWritten } });
    }
    return new Response(client + " ok", { headers: { "x-remaining": String(row.tokens), "x-rows": taken.rowsRead + "/" + taken.rowsWritten } });
  }
  /** The refill comes when the operator asks (not on a timer of the requests: a loaded machine may take longer than any window). */
  async scheduleRefill(ms) {
    const before = await this.ctx.storage.getAlarm();
    await this.ctx.storage.setAlarm(Date.now() + ms);
    return before === null ? "armed" : "replaced";
  }
  async alarm(info) {
    const refill = this.ctx.storage.sql.exec(
      "UPDATE buckets SET tokens = min(tokens + (SELECT refill FROM plans WHERE plans.plan = buckets.plan), (SELECT capacity FROM plans WHERE plans.plan = buckets.plan))",
    );
    const runs = (this.ctx.storage.kv.get("refills") ?? 0) + 1;
    this.ctx.storage.kv.put("refills", runs);
    this.ctx.storage.kv.put("lastRefill", { rowsWritten: refill.rowsWritten, retry: info.isRetry });
  }
  async state() {
    return {
      buckets: this.ctx.storage.sql.exec("SELECT client, plan, tokens FROM buckets ORDER BY client").raw().toArray(),
      refills: this.ctx.storage.kv.get("refills") ?? 0,
      lastRefill: this.ctx.storage.kv.get("lastRefill") ?? null,
      alarm: (await this.ctx.storage.getAlarm()) === null ? null : "pending",
      seeded: this.seeded,
    };
  }`, { name: "Buckets" });

export default [
  {
    name: "apps: token buckets on SQLite, a constructor loading plans in blockConcurrencyWhile, concurrent takes, 429s, an alarm refill",
    backend: "sqlite",
    source: BUCKETS,
    classes: { DO: "Buckets" },
    drive: async (env) => {
      const api = env.DO.getByName("quota");
      const hit = async (client, plan) => {
        const res = await api.fetch("https://api.example/v1", { headers: { "x-client": client, ...(plan ? { "x-plan": plan } : {}) } });
        return [client, res.status, await res.text(), res.headers.get("x-remaining"), res.headers.get("retry-after"), res.headers.get("x-rows")];
      };
      const done = [];
      const track = (p) => p.then((r) => (done.push(r), r));
      const out = {};
      // All of these wake the object together: each waits for the constructor's load.
      out.burst = await Promise.all([track(hit("ann")), track(hit("ann")), track(hit("ann")), track(hit("bo", "pro")), track(hit("cy", "gold"))]);
      out.completionOrder = done.map((r) => r[0] + ":" + r[1]);
      out.beforeRefill = await api.state();
      out.scheduled = [await api.scheduleRefill(60000), await api.scheduleRefill(20)];
      out.refilled = await waitFor(async () => (await api.state()).refills === 1, 3000);
      out.afterRefill = await api.state();
      out.again = [await hit("ann"), await hit("ann"), await hit("ann"), await hit("bo", "pro")];
      return out;
    },
  },
];
