// Realistic apps, part 9: a webhook outbox. The constructor creates its tables inside
// blockConcurrencyWhile and loads its settings; producers enqueue deliveries over RPC in
// transactionSync; alarm() posts each pending delivery to a receiver (another Durable Object
// reached over fetch) and throws when the receiver answers 503, so the alarm is retried with
// retryCount/isRetry; a poison delivery makes alarm() call ctx.abort() with retryAlarm false,
// which resets the object (memory lost, storage kept) and stops the retries. Records hold rows,
// what each alarm run saw (retryCount, isRetry, getAlarm() inside), what the receiver got, and
// the in-memory counters before and after the reset.
import { cls } from "../scenario.mjs";

const OUTBOX = cls(`  constructor(ctx, env) {
    super(ctx, env);
    this.memory = { deliveredHere: 0 };
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(\`CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, body TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')), tries INTEGER NOT NULL DEFAULT 0)\`);
      ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS runs (n INTEGER PRIMARY KEY AUTOINCREMENT, retryCount INTEGER, isRetry INTEGER, alarmInside TEXT, outcome TEXT)");
      this.settings = (await ctx.storage.get("settings")) ?? { batch: 10 };
    });
  }
  async enqueue(url, bodies) {
    return this.ctx.storage.transactionSync(() => {
      const ids = bodies.map((b) => this.ctx.storage.sql.exec("INSERT INTO outbox (url, body) VALUES (?, ?) RETURNING id", url, JSON.stringify(b)).one().id);
      if (bodies.some((b) => b === null)) throw new RangeError("null body in batch of " + bodies.length);
      return ids;
    });
  }
  async schedule(ms) {
    await this.ctx.storage.setAlarm(Date.now() + ms);
    return (await this.ctx.storage.getAlarm()) !== null;
  }
  async alarm(info) {
    const sql = this.ctx.storage.sql;
    const alarmInside = await this.ctx.storage.getAlarm();
    const run = sql.exec("INSERT INTO runs (retryCount, isRetry, alarmInside) VALUES (?, ?, ?) RETURNING n", info.retryCount, info.isRetry ? 1 : 0, alarmInside === null ? "null" : "set").one().n;
    const pending = sql.exec("SELECT id, url, body FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?", this.settings.batch).toArray();
    for (const d of pending) {
      sql.exec("UPDATE outbox SET tries = tries + 1 WHERE id = ?", d.id);
      if (JSON.parse(d.body).poison) {
        sql.exec("UPDATE outbox SET state = 'dead' WHERE id = ?", d.id);
        sql.exec("UPDATE runs SET outcome = 'abort' WHERE n = ?", run);
        this.ctx.abort("poison delivery " + d.id, { retryAlarm: false });
      }
      const res = await this.env.RECEIVER.getByName("hooks").fetch(d.url, { method: "POST", body: d.body, headers: { "x-delivery": String(d.id) } });
      const text = await res.text();
      if (res.status === 503) {
        sql.exec("UPDATE runs SET outcome = ? WHERE n = ?", "503 " + text, run);
        const e = new Error("receiver unavailable for delivery " + d.id);
        e.name = "DeliveryError";
        throw e;
      }
      sql.exec("UPDATE outbox SET state = 'sent' WHERE id = ?", d.id);
      this.memory.deliveredHere++;
    }
    sql.exec("UPDATE runs SET outcome = 'ok' WHERE n = ?", run);
  }
  async status() {
    const sql = this.ctx.storage.sql;
    return {
      outbox: sql.exec("SELECT id, state, tries FROM outbox ORDER BY id").toArray(),
      runs: sql.exec("SELECT retryCount, isRetry, alarmInside, outcome FROM runs ORDER BY n").raw().toArray(),
      alarm: (await this.ctx.storage.getAlarm()) === null ? null : "set",
      memory: this.memory,
    };
  }`, { name: "Outbox" }) + `
export class Receiver extends DurableObject {
  async fetch(req) {
    const body = await req.text();
    const seen = (await this.ctx.storage.get("seen")) ?? [];
    const failuresLeft = (await this.ctx.storage.get("failuresLeft")) ?? 0;
    if (failuresLeft > 0) {
      await this.ctx.storage.put("failuresLeft", failuresLeft - 1);
      seen.push(["refused", req.headers.get("x-delivery")]);
      await this.ctx.storage.put("seen", seen);
      return new Response("busy", { status: 503 });
    }
    seen.push([req.method, new URL(req.url).pathname, req.headers.get("x-delivery"), JSON.parse(body)]);
    await this.ctx.storage.put("seen", seen);
    return new Response("ok");
  }
  async failNext(n) { await this.ctx.storage.put("failuresLeft", n); }
  async seen() { return (await this.ctx.storage.get("seen")) ?? []; }
}
`;

const scenario = (name, drive) => ({
  name: `apps: webhook outbox, ${name}`,
  backend: "sqlite",
  source: OUTBOX,
  classes: { DO: "Outbox", RECEIVER: "Receiver" },
  timeoutMs: 15000,
  drive,
});

export default [
  scenario("a 503 makes alarm() throw, the retry carries retryCount 1 and delivers the rest", async (env) => {
    const outbox = env.DO.getByName("retry");
    const receiver = env.RECEIVER.getByName("hooks");
    await receiver.failNext(1);
    const out = {};
    out.ids = await outbox.enqueue("https://hooks.example/orders", [{ order: 1 }, { order: 2 }]);
    out.rejectedBatch = await outcome(() => outbox.enqueue("https://hooks.example/orders", [{ order: 3 }, null]));
    out.afterRejected = await outbox.status();
    out.scheduled = await outbox.schedule(10);
    // Until the first run has finished (its row gets its outcome in the turn it throws).
    await waitFor(async () => (await outbox.status()).runs[0]?.[3] != null, 3000);
    out.afterFirstRun = await outbox.status();
    await waitFor(async () => (await outbox.status()).runs.some((r) => r[3] === "ok"), 8000);
    out.afterRetry = await outbox.status();
    out.received = await receiver.seen();
    return out;
  }),

  scenario("a poison delivery aborts the alarm without a retry, memory is reset and storage kept", async (env) => {
    const outbox = env.DO.getByName("poison");
    const receiver = env.RECEIVER.getByName("hooks");
    const out = {};
    out.ids = await outbox.enqueue("https://hooks.example/poison", [{ ok: "first" }, { poison: true }, { ok: "third" }]);
    out.before = await outbox.status();
    await outbox.schedule(10);
    // Polls the receiver, not the outbox: a call in flight on the outbox when it aborts would fail.
    await waitFor(async () => (await receiver.seen()).length >= 1, 3000);
    await sleep(2600);
    // The stub that reached the aborted object stays broken; a fresh one reaches a new instance.
    out.oldStub = await outcome(() => outbox.status());
    const fresh = env.DO.getByName("poison");
    out.after = await fresh.status();
    out.received = await receiver.seen();
    out.rescheduled = await fresh.schedule(10);
    await waitFor(async () => (await receiver.seen()).length >= 2, 3000);
    await sleep(100);
    out.secondRun = await outcome(() => fresh.status());
    out.secondRunFresh = await env.DO.getByName("poison").status();
    return out;
  }),
];
