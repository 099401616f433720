// Alarms: what each combination of setAlarm / deleteAlarm / deleteAll / throw inside alarm()
// leaves behind (another run, a retry, or nothing), getAlarm() values along the way, and the
// alarmInfo object. Several objects run at once in one scenario (each behaves by its name), so
// a retry (2 s + jitter in production) is waited for once per scenario. Records hold only
// timing-independent facts: attempt order, retryCount/isRetry, null vs "pending".
import { cls, both } from "../scenario.mjs";
import { insideWithBoth, CALL_HELPERS } from "./webidl-helpers.mjs";

/** Module with a log per object name; `behaviours` is the body of a switch on the name, run in
 * alarm(info) with `s` = storage, `once` = this is the object's first run and `log(k, v)`
 * recording a fact on this run's entry. */
export const module = (behaviours) => `const logs = {};
// Handlers started and running (driveAll waits for a moment with none running).
let started = 0;
let running = 0;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const pending = (v) => (v === null ? null : typeof v === "number" ? "pending" : typeof v);
${cls(`  async alarm(info) {
    started++;
    running++;
    try {
      const name = this.ctx.id.name;
      const s = this.ctx.storage;
      const entry = { retryCount: info.retryCount, isRetry: info.isRetry, getAlarmAtStart: pending(await s.getAlarm()) };
      (logs[name] ??= []).push(entry);
      const once = logs[name].length === 1;
      const log = (k, v) => { entry[k] = v; };
      switch (name) {
${behaviours}
      }
    } finally {
      running--;
    }
  }
  async arm(ms) { await this.ctx.storage.setAlarm(Date.now() + ms); }
  async current() { return pending(await this.ctx.storage.getAlarm()); }
  async keys() { return [...(await this.ctx.storage.list()).keys()]; }`)}`;

/**
 * Drives every named object: arm all at once, wait until every object but those in `staysSet`
 * has no alarm left (at most 12 s), then `settleMs` more, and report each one's log and alarm.
 * Waiting on the alarms rather than for a fixed time keeps the record independent of how busy
 * the machine is: a retry pending shows as an alarm, so this waits for retries too. Only
 * alarms read while no handler ran or started count: a running handler's object reads no alarm
 * until the handler sets one, so a look in that window ended the wait before a handler re-armed
 * (seen under load: workerd's record lacked the second runs of setNear, setPast, setTwice). `settleMs`
 * covers what could still come without an alarm to show for it: a retry of an object in
 * `staysSet` (whose handler replaced its alarm) would fall within the retry jitter (25 % of 2 s)
 * of the others' retries.
 */
export const driveAll = (names, { staysSet = [], settleMs = 0 } = {}) => `async function drive(env) {
  const names = ${JSON.stringify(names)};
  const watched = names.filter((n) => !${JSON.stringify(staysSet)}.includes(n));
  await Promise.all(names.map((n) => env.DO.getByName(n).arm(30)));
  const quietSince = () => (running === 0 ? started : -1);
  await waitFor(async () => {
    const since = quietSince();
    const alarms = await Promise.all(watched.map((n) => env.DO.getByName(n).current()));
    return since >= 0 && quietSince() === since && alarms.every((v) => v === null);
  }, 12000);
  await sleep(${settleMs});
  const out = {};
  for (const n of names) out[n] = { attempts: logs[n] ?? [], after: await env.DO.getByName(n).current() };
  return out;
}`;

const THROWING = ["throwOnce", "deleteThenThrow", "setFarThenThrow", "setNearThenThrow", "deleteSetNearThenThrow", "deleteAllThenThrow",
  "rolledBackSetThenThrow", "throwString", "setThenDeleteThenThrow", "putThenThrow"];
// setPast waits a timer tick first. workerd's Date.now() stands still until I/O, so without it
// the past time, clamped to "now", can be the running alarm's own scheduled millisecond; a
// SQLite-backed object then keeps that alarm stored but never runs it again (its scheduler is
// not told of a time it already holds), and whether it happens depends on how punctually the
// alarm fired. After a tick "now" is later, and the clamped alarm runs next, every time.
const SUCCEEDING = ["plain", "setNear", "setPast", "deleteAlarm", "setThenDelete", "rolledBackSet", "deleteAll", "setTwice", "getAlarmTrail"];

export default [
  {
    name: "alarms-handler: what a throwing handler leaves behind",
    backend: "sqlite",
    timeoutMs: 15_000,
    source: module(`      case "throwOnce": if (once) throw new Error("fail"); break;
      case "deleteThenThrow": if (once) { await s.deleteAlarm(); log("afterDelete", pending(await s.getAlarm())); throw new Error("fail"); } break;
      case "setFarThenThrow": if (once) { await s.setAlarm(Date.now() + 3600000); throw new Error("fail"); } break;
      case "setNearThenThrow": if (once) { await s.setAlarm(Date.now() + 300); log("afterSet", pending(await s.getAlarm())); throw new Error("fail"); } break;
      case "deleteSetNearThenThrow": if (once) { await s.deleteAlarm(); await s.setAlarm(Date.now() + 300); throw new Error("fail"); } break;
      case "deleteAllThenThrow": if (once) { await s.put("k", 1); await s.deleteAll(); throw new Error("fail"); } break;
      case "rolledBackSetThenThrow": if (once) { await s.transaction(async (t) => { await t.setAlarm(Date.now() + 300); t.rollback(); }); throw new Error("fail"); } break;
      case "throwString": if (once) throw "not an error"; break;
      case "setThenDeleteThenThrow": if (once) { await s.setAlarm(Date.now() + 300); await s.deleteAlarm(); throw new Error("fail"); } break;
      case "putThenThrow": await s.put("attempt" + info.retryCount, true); if (once) throw new Error("fail"); log("keys", [...(await s.list()).keys()]); break;`),
    drive: driveAll(THROWING, { staysSet: ["setFarThenThrow"], settleMs: 600 }),
  },
  ...both({
    name: "alarms-handler: what a successful handler leaves behind",
    timeoutMs: 15_000,
    source: module(`      case "plain": break;
      case "setNear": if (once) { await s.setAlarm(Date.now() + 200); log("afterSet", pending(await s.getAlarm())); } break;
      case "setPast": if (once) { await tick(); await s.setAlarm(Date.now() - 60000); log("afterSet", pending(await s.getAlarm())); } break;
      case "deleteAlarm": await s.deleteAlarm(); log("afterDelete", pending(await s.getAlarm())); break;
      case "setThenDelete": await s.setAlarm(Date.now() + 200); await s.deleteAlarm(); log("after", pending(await s.getAlarm())); break;
      case "rolledBackSet": await s.transaction(async (t) => { await t.setAlarm(Date.now() + 200); log("inTxn", pending(await t.getAlarm())); t.rollback(); }); log("after", pending(await s.getAlarm())); break;
      case "deleteAll": if (once) { await s.setAlarm(Date.now() + 200); await s.deleteAll(); log("after", pending(await s.getAlarm())); } break;
      case "setTwice": if (once) { await s.setAlarm(Date.now() + 3600000); await s.setAlarm(Date.now() + 200); } break;
      case "getAlarmTrail": { const t = [pending(await s.getAlarm())]; await s.setAlarm(Date.now() + 3600000); t.push(pending(await s.getAlarm())); await s.deleteAlarm(); t.push(pending(await s.getAlarm())); log("trail", t); break; }`),
    drive: driveAll(SUCCEEDING),
  }),
  ...both({
    name: "alarms-handler: the alarmInfo argument",
    source: `${CALL_HELPERS}\nconst seen = [];\n${cls(`  async alarm(info, ...rest) {
    const keys = Object.keys(info);
    seen.push({ type: typeof info, keys: keys.sort(), tag: Object.prototype.toString.call(info), proto: Object.getPrototypeOf(info) === Object.prototype,
      frozen: Object.isFrozen(info), types: Object.fromEntries(keys.map((k) => [k, typeof info[k]])), retryCount: info.retryCount, isRetry: info.isRetry,
      scheduledNotInFuture: info.scheduledTime <= Date.now(), scheduledIsInteger: Number.isInteger(info.scheduledTime), extraArgs: rest.length,
      writable: how(() => { info.retryCount = 5; return info.retryCount; }) });
  }
  async arm() { await this.ctx.storage.setAlarm(Date.now() + 30.6); }`)}`,
    drive: async (env) => {
      await env.DO.getByName("info").arm();
      await waitFor(async () => seen.length > 0);
      return { seen: await Promise.all(seen.map(async (x) => ({ ...x, writable: await x.writable }))) };
    },
  }),
  {
    name: "alarms-handler: other calls while the handler runs",
    backend: "sqlite",
    timeoutMs: 15_000,
    source: `const log = [];\n${cls(`  async alarm(info) {
    log.push("alarm starts, getAlarm " + (await this.ctx.storage.getAlarm() === null ? "null" : "set"));
    await new Promise((r) => setTimeout(r, 400));
    log.push("alarm ends, getAlarm " + (await this.ctx.storage.getAlarm() === null ? "null" : "set"));
  }
  async arm(ms) { await this.ctx.storage.setAlarm(Date.now() + ms); }
  async during(what) {
    const s = this.ctx.storage;
    if (what === "set") await s.setAlarm(Date.now() + 300);
    if (what === "delete") await s.deleteAlarm();
    const v = await s.getAlarm();
    log.push(what + " call: getAlarm " + (v === null ? "null" : "set"));
  }
  async current() { const v = await this.ctx.storage.getAlarm(); return v === null ? null : "pending"; }`)}`,
    drive: async (env) => {
      const out = {};
      for (const what of ["read", "set", "delete"]) {
        log.length = 0;
        const stub = env.DO.getByName(what);
        await stub.arm(30);
        await waitFor(async () => log.length > 0);
        await sleep(100);
        await stub.during(what);
        await waitFor(async () => log.some((l) => l.startsWith("alarm ends")));
        await sleep(700);
        out[what] = { log: [...log], after: await stub.current() };
      }
      return out;
    },
  },
  ...insideWithBoth(CALL_HELPERS, "alarms-handler: deleteAll and setAlarm in one turn", `
    const t = Date.now() + 3600000;
    const p = (v) => (v === null ? null : v === t ? "t" : "other");
    s.setAlarm(t); s.deleteAll();
    const setThenDeleteAll = p(await s.getAlarm());
    s.deleteAll(); s.setAlarm(t);
    const deleteAllThenSet = p(await s.getAlarm());
    await s.deleteAll();
    const viaTxn = await how(() => s.transaction(async (txn) => { await txn.setAlarm(t); await s.deleteAll(); return p(await txn.getAlarm()); }));
    const afterTxn = p(await s.getAlarm());
    await s.setAlarm(t);
    const rolledBackDeleteAll = await how(() => s.transaction(async () => { await s.deleteAll(); throw new Error("undo"); }));
    return { setThenDeleteAll, deleteAllThenSet, viaTxn, afterTxn, rolledBackDeleteAll, afterRollback: p(await s.getAlarm()) };`, { alarmHandler: true }),
];
