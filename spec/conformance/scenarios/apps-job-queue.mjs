// Realistic apps, part 3: a SQLite-backed job queue. The constructor migrates its schema
// inside blockConcurrencyWhile (version kept in storage.kv), producers enqueue over RPC,
// claims run in transactionSync (a failing job rolls its claim back), a cursor is iterated
// while the loop writes, settings live in storage.kv, and an alarm drains the queue in batches
// until deleteAll() wipes everything. Records hold rows, cursor counters, error class+message.
import { cls } from "../scenario.mjs";

const QUEUE = cls(`  constructor(ctx, env) {
    super(ctx, env);
    this.migrations = [];
    ctx.blockConcurrencyWhile(async () => {
      const kv = ctx.storage.kv;
      let version = kv.get("schema") ?? 0;
      const steps = [
        "CREATE TABLE jobs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT, state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX jobs_state ON jobs (state, id)",
        "ALTER TABLE jobs ADD COLUMN result TEXT",
      ];
      while (version < steps.length) {
        ctx.storage.transactionSync(() => { ctx.storage.sql.exec(steps[version]); kv.put("schema", version + 1); });
        this.migrations.push(++version);
      }
    });
  }
  get sql() { return this.ctx.storage.sql; }
  async enqueue(kind, payloads) {
    const ids = [];
    for (const p of payloads) ids.push(this.sql.exec("INSERT INTO jobs (kind, payload) VALUES (?, ?) RETURNING id", kind, JSON.stringify(p)).one().id);
    return ids;
  }
  process(job) {
    const payload = JSON.parse(job.payload);
    if (payload.fail) throw new TypeError("job " + job.id + " failed: " + payload.fail);
    return payload.n * 2;
  }
  /** Claims and runs up to n jobs, each in its own transaction; a failure rolls that claim back. */
  async work(n) {
    const done = [];
    const cursor = this.sql.exec("SELECT id, kind, payload FROM jobs WHERE state = 'queued' ORDER BY id LIMIT ?", n);
    for (const job of cursor) {
      const outcome = outcomeSync(() => this.ctx.storage.transactionSync(() => {
        this.sql.exec("UPDATE jobs SET state = 'running', attempts = attempts + 1 WHERE id = ?", job.id);
        const result = this.process(job);
        this.sql.exec("UPDATE jobs SET state = 'done', result = ? WHERE id = ?", String(result), job.id);
        return result;
      }));
      done.push([job.id, outcome]);
    }
    return { done, rowsRead: cursor.rowsRead, rowsWritten: cursor.rowsWritten, columns: cursor.columnNames };
  }
  async snapshot() {
    const rows = this.sql.exec("SELECT id, kind, state, attempts, result FROM jobs ORDER BY id");
    const counts = this.sql.exec("SELECT state, count(*) AS n FROM jobs GROUP BY state ORDER BY state").raw().toArray();
    return { migrations: this.migrations, schema: this.ctx.storage.kv.get("schema"), rows: rows.toArray(), counts };
  }
  async configure(settings) {
    const kv = this.ctx.storage.kv;
    for (const [k, v] of Object.entries(settings)) v === null ? kv.delete("setting:" + k) : kv.put("setting:" + k, v);
    return {
      all: [...kv.list({ prefix: "setting:" })],
      reversed: [...kv.list({ prefix: "setting:", reverse: true, limit: 2 })],
      range: [...kv.list({ start: "setting:b", end: "setting:d" })],
      deleted: kv.delete("setting:missing"),
      asyncView: Object.fromEntries(await this.ctx.storage.list({ prefix: "setting:" })),
    };
  }
  async drainLater(batch) {
    this.ctx.storage.kv.put("batch", batch);
    await this.ctx.storage.setAlarm(Date.now() + 20);
  }
  async alarm(info) {
    const batch = this.ctx.storage.kv.get("batch");
    const { done } = await this.work(batch);
    const left = this.sql.exec("SELECT count(*) AS n FROM jobs WHERE state = 'queued'").one().n;
    const runs = (this.ctx.storage.kv.get("runs") ?? []).concat([[done.length, left, info.retryCount]]);
    this.ctx.storage.kv.put("runs", runs);
    if (left > 0 && runs.length < 5) await this.ctx.storage.setAlarm(Date.now() + 20);
  }
  async runs() { return { runs: this.ctx.storage.kv.get("runs") ?? null, alarm: (await this.ctx.storage.getAlarm()) === null ? null : "pending" }; }
  async wipe() {
    await this.ctx.storage.setAlarm(Date.now() + 60000);
    await this.ctx.storage.deleteAll();
    return {
      alarm: await this.ctx.storage.getAlarm(),
      kv: [...this.ctx.storage.kv.list()],
      tables: this.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' ORDER BY name").toArray(),
      databaseSizePositive: this.sql.databaseSize > 0,
      jobs: outcomeSync(() => this.sql.exec("SELECT count(*) FROM jobs").one()),
    };
  }`);

export default [
  {
    name: "apps: job queue on SQLite, migrations in the constructor, claims in transactionSync, a failing job rolls back",
    backend: "sqlite",
    source: QUEUE,
    drive: async (env) => {
      const q = env.DO.getByName("queue");
      const out = {};
      out.ids = await q.enqueue("double", [{ n: 1 }, { n: 2 }, { fail: "bad input" }, { n: 4 }]);
      out.more = await q.enqueue("double", [{ n: 5 }]);
      out.work = await q.work(3);
      out.afterFirst = await q.snapshot();
      out.workRest = await q.work(10);
      out.final = await q.snapshot();
      out.settings = await q.configure({ a: 1, b: "two", c: [3], d: { four: 4 }, e: null });
      out.settingsChanged = await q.configure({ b: null, a: 10 });
      return out;
    },
  },

  {
    name: "apps: job queue drained by an alarm in batches, then deleteAll wipes tables, kv and alarm",
    backend: "sqlite",
    source: QUEUE,
    timeoutMs: 15000,
    drive: async (env) => {
      const q = env.DO.getByName("drain");
      await q.enqueue("double", Array.from({ length: 7 }, (_, n) => (n === 3 ? { fail: "three" } : { n })));
      await q.drainLater(2);
      await waitFor(async () => (await q.runs()).alarm === null, 8000);
      const drained = await q.runs();
      const before = await q.snapshot();
      const wiped = await q.wipe();
      const afterWipe = await q.runs();
      const enqueueAfterWipe = await outcome(() => q.enqueue("double", [{ n: 9 }]));
      return { drained, before, wiped, afterWipe, enqueueAfterWipe };
    },
  },
];
