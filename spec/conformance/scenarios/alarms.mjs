// Checklist §10.23–24: alarms. Delays are short (50 ms) and the driver polls, so records hold
// only facts that do not depend on exact timing (booleans, counts, relative comparisons).
import { cls, both, insideBoth } from "../scenario.mjs";

// Module-level log: survives resets of the instance, and the driver can read it directly.
const logged = (body) => `const fired = [];\n${cls(`  async alarm(info) { fired.push({ name: this.ctx.id.name, info: { ...info, scheduledTime: typeof info?.scheduledTime }, getAlarm: await this.ctx.storage.getAlarm() }); ${body} }
  async arm(ms) { await this.ctx.storage.setAlarm(Date.now() + ms); return { pending: (await this.ctx.storage.getAlarm()) !== null }; }
  async current() { return this.ctx.storage.getAlarm(); }`)}`;

const POLL = `await waitFor(async () => fired.length > 0)`;

export default [
  both({
    name: "alarms: an alarm fires once with alarmInfo, then is cleared",
    source: logged(""),
    drive: `async function drive(env) {
  const s = env.DO.getByName("a");
  const armed = await s.arm(50);
  const firedInTime = ${POLL};
  await sleep(30);
  return { armed, firedInTime, fired, after: await s.current() };
}`,
  }),
  insideBoth("alarms: setAlarm/getAlarm values", `
    const t = Date.now() + 60000;
    await s.setAlarm(t + 0.7);
    const fractional = (await s.getAlarm()) === t;
    await s.setAlarm(new Date(t + 1000));
    const fromDate = (await s.getAlarm()) === t + 1000;
    const before = Date.now();
    await s.setAlarm(1000);
    const past = await s.getAlarm();
    const after = Date.now();
    await s.deleteAlarm();
    return { fractional, fromDate, pastClampedToNow: past >= before && past <= after, deleted: await s.getAlarm() };`, { alarmHandler: true }),
  insideBoth("alarms: setAlarm argument errors", `
    const out = {};
    for (const [k, v] of Object.entries({ zero: 0, negative: -1, nan: NaN, string: "1000", dateZero: new Date(0), invalidDate: new Date(NaN), undef: undefined, bigNumber: 8.64e15 + 1 })) {
      out[k] = await outcome(() => s.setAlarm(v));
    }
    return out;`, { alarmHandler: true }),
  insideBoth("alarms: setAlarm without an alarm() handler", `
    return { set: await outcome(() => s.setAlarm(Date.now() + 60000)), get: await outcome(() => s.getAlarm()), del: await outcome(() => s.deleteAlarm()) };`),
  both({
    name: "alarms: deleteAlarm cancels, setAlarm replaces",
    // The first alarm is 1 s ahead so that cancel() deletes it before it is due even on a loaded
    // machine (at 40 ms, a slow first SQLite commit in arm() let it fire first); the driver then
    // sleeps from cancel()'s return, which follows the alarm's setting, to well past its due time.
    drive: `async function drive(env) {
  const s = env.DO.getByName("d");
  await s.arm(1000);
  await env.DO.getByName("d").cancel();
  await sleep(1120);
  const afterCancel = fired.length;
  await s.arm(60000);
  await s.arm(40);
  const firedInTime = ${POLL};
  return { afterCancel, firedInTime, count: fired.length };
}`,
    source: logged("").replace("async current()", "async cancel() { await this.ctx.storage.deleteAlarm(); }\n  async current()"),
  }),
  both({
    name: "alarms: the handler can set the next alarm",
    source: logged(`if (fired.length < 3) await this.ctx.storage.setAlarm(Date.now() + 20); this.ctx.storage.put("next", await this.ctx.storage.getAlarm() !== null);`),
    drive: `async function drive(env) {
  const s = env.DO.getByName("r");
  await s.arm(20);
  const three = await waitFor(async () => fired.length >= 3);
  await sleep(100);
  return { three, count: fired.length, getAlarmInside: fired.map((f) => f.getAlarm === null), after: await s.current() };
}`,
  }),
  {
    name: "alarms: a throwing handler is retried with retryCount, writes are kept",
    backend: "sqlite",
    timeoutMs: 15_000,
    source: logged(`await this.ctx.storage.put("attempt" + fired.length, true); if (fired.length < 2) throw new Error("alarm fails");`)
      .replace("async current()", "async keys() { return [...(await this.ctx.storage.list()).keys()]; }\n  async current()"),
    drive: `async function drive(env) {
  const s = env.DO.getByName("retry");
  await s.arm(20);
  await waitFor(async () => fired.length > 0);
  // The first run is logged as it starts, and its alarm reads none until its failure sets the
  // retry: one look could land before that on a loaded machine, so this looks until it is set.
  const pendingAfterFailure = await waitFor(async () => (await s.current()) !== null);
  const two = await waitFor(async () => fired.length >= 2, 5000);
  await sleep(50);
  return { two, count: fired.length, infos: fired.map((f) => f.info), pendingAfterFailure, keys: await s.keys() };
}`,
  },
  {
    name: "alarms: ctx.abort in alarm(), with and without retryAlarm",
    backend: "sqlite",
    timeoutMs: 15_000,
    source: logged(`this.ctx.abort("abort in alarm", { retryAlarm: this.ctx.id.name === "retry" });`),
    // The alarms are 200 ms ahead so that arm()'s result (it waits for its commit's confirmation)
    // leaves before the alarm that aborts the object fires, even on a loaded machine: at 20 ms
    // the abort could reach the caller in place of arm()'s result.
    drive: `async function drive(env) {
  await env.DO.getByName("retry").arm(200);
  await env.DO.getByName("noretry").arm(200);
  await waitFor(async () => fired.length >= 2);
  await waitFor(async () => fired.length >= 3, 4000);
  await sleep(100);
  return { names: fired.map((f) => f.name).sort(), infos: fired.map((f) => f.name + ":" + f.info.retryCount).sort() };
}`,
  },
  both({
    name: "alarms: the alarm constructs the object and sees its name",
    source: `const seen = [];\n${cls(`  constructor(ctx, env) { super(ctx, env); seen.push("ctor"); }
  async alarm() { seen.push("alarm:" + (this.ctx.id.name ?? "no name")); }
  async arm() { await this.ctx.storage.setAlarm(Date.now() + 1000); }
  async die() { this.ctx.abort("evict me"); }`)}`,
    // The alarm is 1 s ahead so that die() reaches the first instance before it fires, even
    // on a loaded machine (at 50 ms it could run on the first instance, and seen never reach 3).
    drive: async (env) => {
      await env.DO.getByName("named").arm(); // committed before the reset below
      const aborted = await outcome(() => env.DO.getByName("named").die());
      const ran = await waitFor(async () => seen.length >= 3, 5000);
      return { aborted, ran, seen };
    },
  }, { kv: { differs: "reference §9: workerd inMemory storage drops the alarm with the reset instance; production keeps it" } }),
  insideBoth("alarms: deleteAll() also deletes the alarm (compat >= 2026-02-24)", `
    await s.setAlarm(Date.now() + 60000);
    await s.put("k", 1);
    await s.deleteAll();
    return { alarm: await s.getAlarm(), keys: (await s.list()).size };`, { alarmHandler: true }),
  insideBoth("alarms: setAlarm inside a rolled-back transaction", `
    const r = await outcome(() => s.transaction(async (txn) => { await txn.setAlarm(Date.now() + 60000); throw new Error("undo"); }));
    const alarmAfterRollback = await s.getAlarm();
    const seenInTxn = await s.transaction(async (txn) => { await txn.setAlarm(Date.now() + 60000); return (await txn.getAlarm()) !== null; });
    return { r, alarmAfterRollback, seenInTxn, afterCommit: (await s.getAlarm()) !== null };`, { alarmHandler: true }),
  both({
    name: "alarms: legacy class without extends DurableObject",
    source: `export class DO {
  constructor(state) { this.state = state; }
  async alarm() {}
  async fetch() {
    const r = {};
    try { await this.state.storage.setAlarm(Date.now() + 60000); r.set = "ok"; } catch (e) { r.set = e.name + ": " + e.message; }
    return Response.json(r);
  }
}
`,
    drive: async (env) => (await env.DO.getByName("l").fetch("http://x/")).json(),
  }),
  ...both({
    // Another object's storage, or an earlier instance's, kept in a module variable: the runtime
    // asks the object whose code runs for its alarm() handler, and asks before it checks the
    // storage's I/O context; argument errors come first.
    name: "alarms: setAlarm() on storage kept from another object: whose alarm() handler, and before the I/O context",
    classes: { A: "WithAlarm", B: "NoAlarm" },
    services: { SELF: "test" },
    entry: `{ async fetch() { return Response.json({ setAlarm: await outcome(() => kept.b.setAlarm(Date.now() + 100000)), zero: await outcome(() => kept.b.setAlarm(0)) }); } }`,
    source: `import { DurableObject } from "cloudflare:workers";
const kept = {};
const methods = {
  keep() { kept[this.ctx.id.name] = this.ctx.storage; },
  async use(whose) {
    const s = kept[whose];
    return {
      setAlarm: await outcome(() => s.setAlarm(Date.now() + 100000)),
      notADate: await outcome(() => s.setAlarm("x")),
      zero: await outcome(() => s.setAlarm(0)),
      inTransaction: await outcome(() => this.ctx.storage.transaction(async () => s.setAlarm(Date.now() + 100000))),
      getAlarm: await outcome(() => s.getAlarm()),
    };
  },
  die() { this.ctx.abort("reset"); },
};
export class WithAlarm extends DurableObject { async alarm() {} }
export class NoAlarm extends DurableObject {}
Object.assign(WithAlarm.prototype, methods);
Object.assign(NoAlarm.prototype, methods);
`,
    drive: async (env) => {
      await env.A.getByName("a").keep();
      await env.B.getByName("b").keep();
      const out = {
        noAlarmUsesWithAlarms: await outcome(() => env.B.getByName("b2").use("a")),
        withAlarmUsesNoAlarms: await outcome(() => env.A.getByName("a2").use("b")),
        noAlarmUsesNoAlarms: await outcome(() => env.B.getByName("b2").use("b")),
        // A Worker's code: no object to ask, the runtime's lookup of one fails first.
        workerEvent: await outcome(async () => (await env.SELF.fetch("http://x/")).json()),
      };
      await outcome(() => env.B.getByName("b").die());
      out.nextInstanceUsesEarlier = await outcome(() => env.B.getByName("b").use("b"));
      return out;
    },
  }),
];
