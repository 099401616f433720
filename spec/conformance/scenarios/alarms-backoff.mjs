// Alarms while a failed alarm waits for its retry, and resets inside alarm() (SQLite: on
// workerd's in-memory KV storage the alarm is lost with the reset instance, see alarms.mjs),
// which are retried on a new instance, counted, whatever abort()'s options leave out. Each object's
// alarm() fails its first run (one fails its second too); while its retry waits (2 s plus up
// to 25 %), a call changes the alarm by the object's name. KV: a new alarm replaces the retry.
// SQLite: workerd's scheduler queues the new alarm behind the retry, and when the retry comes
// its storage runs it for a new alarm already due (the failed alarm's scheduledTime, retryCount
// 1; the new alarm cleared by its success, run next after a failure), and drops it for one
// still to come. Runs are timed from the object's previous run, in coarse buckets: a retry
// never comes early, so each bucket leaves a loaded machine room to be late.
import { both, cls } from "../scenario.mjs";

const NAMES = ["none", "sameTime", "deleted", "later", "laterFailsAgain", "muchLater", "setThenDelete", "setTwice"];

const BACKOFF = `const runs = {};
const first = {};
const lastRun = {};
let running = 0;
${cls(`  async alarm(info) {
    running++;
    try {
      const name = this.ctx.id.name;
      const s = this.ctx.storage;
      const t = await s.get("t");
      const rel = (v) => (v === null ? null : v === t ? "t" : v === first[name] ? "first" : "other");
      const gap = lastRun[name] === undefined ? "first" : Date.now() - lastRun[name] < 1000 ? "<1s" : Date.now() - lastRun[name] < 1900 ? "1-1.9s" : ">=1.9s";
      lastRun[name] = Date.now();
      (runs[name] ??= []).push({ retryCount: info.retryCount, isRetry: info.isRetry, scheduled: rel(info.scheduledTime), getAlarm: rel(await s.getAlarm()), gap });
      if (runs[name].length === 1 || (name === "laterFailsAgain" && runs[name].length === 2)) throw new Error("run fails");
    } finally {
      running--;
    }
  }
  async arm(ms) {
    const t = Date.now() + ms;
    first[this.ctx.id.name] = t;
    await this.ctx.storage.put("t", t);
    await this.ctx.storage.setAlarm(t);
  }
  async during() {
    const s = this.ctx.storage;
    const t = await s.get("t");
    const before = (await s.getAlarm()) === t ? "first" : "other";
    const setT = async (time) => { await s.put("t", time); await s.setAlarm(time); };
    switch (this.ctx.id.name) {
      case "sameTime": await s.setAlarm(t); break;
      case "deleted": await s.deleteAlarm(); break;
      case "later": case "laterFailsAgain": await setT(Date.now() + 400); break;
      case "muchLater": await setT(Date.now() + 60000); break;
      case "setThenDelete": await s.setAlarm(Date.now() + 400); await s.deleteAlarm(); break;
      case "setTwice": await s.setAlarm(Date.now() + 400); await setT(Date.now() + 60000); break;
    }
    return { before, after: await this.current() };
  }
  async current() {
    const a = await this.ctx.storage.getAlarm();
    return a === null ? null : a === (await this.ctx.storage.get("t")) ? "t" : "other";
  }`)}`;

export default [
  ...both({
    name: "alarms backoff: calls that set or delete the alarm while a failed one waits for its retry",
    timeoutMs: 20_000,
    source: BACKOFF,
    drive: `async function drive(env) {
  const names = ${JSON.stringify(NAMES)};
  const stub = (n) => env.DO.getByName(n);
  await Promise.all(names.map((n) => stub(n).arm(300)));
  const during = {};
  await Promise.all(names.map(async (n) => {
    await waitFor(async () => (runs[n] ?? []).length >= 1 && running === 0, 5000);
    during[n] = await stub(n).during();
  }));
  // Until no alarm is left but the one set a minute ahead, and no handler runs.
  await waitFor(async () => running === 0 && (await Promise.all(names.map((n) => stub(n).current()))).every((a, i) => a === null || names[i] === "muchLater" || names[i] === "setTwice"), 12000);
  await sleep(300);
  const out = {};
  for (const n of names) out[n] = { during: during[n], runs: runs[n] ?? [], after: await stub(n).current() };
  return out;
}`,
  }),
  {
    name: "alarms backoff: a blockConcurrencyWhile() that fails inside alarm() resets the object, and the alarm is retried, counted",
    backend: "sqlite",
    timeoutMs: 15_000,
    source: `const runs = [];
${cls(`  constructor(ctx, env) { super(ctx, env); runs.push("constructor"); }
  async alarm(info) {
    runs.push("alarm " + info.retryCount + " " + info.isRetry);
    if (runs.length <= 2) await this.ctx.blockConcurrencyWhile(async () => { throw new Error("section fails"); });
  }
  async arm() { await this.ctx.storage.setAlarm(Date.now() + 300); }
  async current() { return (await this.ctx.storage.getAlarm()) === null ? null : "set"; }`)}`,
    drive: async (env) => {
      await env.DO.getByName("a").arm();
      await waitFor(async () => runs.filter((r) => r.startsWith("alarm")).length >= 2, 8000);
      await sleep(200);
      return { runs, after: await env.DO.getByName("a").current() };
    },
  },
  {
    name: "alarms backoff: ctx.abort() inside alarm() without options, with empty options, after a put, after a setAlarm()",
    backend: "sqlite",
    timeoutMs: 15_000,
    source: `const runs = {};
${cls(`  async alarm(info) {
    const name = this.ctx.id.name;
    (runs[name] ??= []).push(info.retryCount);
    if (runs[name].length > 1) return;
    if (name === "plain") this.ctx.abort("no options");
    if (name === "emptyOptions") this.ctx.abort("empty", {});
    if (name === "afterPut") { await this.ctx.storage.put("k", 1); this.ctx.abort("after put", { retryAlarm: true }); }
    if (name === "afterSet") { await this.ctx.storage.setAlarm(Date.now() + 60000); this.ctx.abort("after set"); }
  }
  async arm() { await this.ctx.storage.setAlarm(Date.now() + 300); }
  async state() { const a = await this.ctx.storage.getAlarm(); return { alarm: a === null ? null : "set", k: (await this.ctx.storage.get("k")) ?? null }; }`)}`,
    drive: async (env) => {
      const names = ["plain", "emptyOptions", "afterPut", "afterSet"];
      await Promise.all(names.map((n) => env.DO.getByName(n).arm()));
      await waitFor(async () => names.every((n) => (runs[n] ?? []).length >= 2), 10000);
      await sleep(200);
      const out = {};
      for (const n of names) out[n] = { runs: runs[n] ?? [], ...(await env.DO.getByName(n).state()) };
      return out;
    },
  },
];
