// storage.deleteAll() and the alarm, by compatibility date and flag (delete_all_deletes_alarm
// from 2026-02-24, opted out with delete_all_preserves_alarm): getAlarm() after deleteAll(),
// and whether the alarm still fires. The deleted case waits past the alarm's time (as alarms.mjs does).
import { cls, both } from "../scenario.mjs";
import { driveAll, module } from "./alarms-handler.mjs";

const source = `const fired = [];\n${cls(`  async alarm() { fired.push(true); }
  async go() {
    const s = this.ctx.storage;
    await s.put("k", 1);
    const t = Date.now() + 50;
    await s.setAlarm(t);
    await s.deleteAll();
    const alarm = await s.getAlarm();
    return { alarmKept: alarm === t, alarmNull: alarm === null, keys: (await s.list()).size };
  }
  async current() { return this.ctx.storage.getAlarm(); }`)}`;

const drive = `async function drive(env) {
  const s = env.DO.getByName("a");
  const after = await s.go();
  // A kept alarm is waited for as long as it stays set (a loaded machine may run it well after
  // its 50 ms); without one, 400 ms pass in which a deleted alarm must not fire.
  const quietUntil = Date.now() + 400;
  await waitFor(async () => fired.length > 0 || ((await s.current()) === null && Date.now() >= quietUntil), 10000);
  const firedInTime = fired.length > 0;
  return { after, firedInTime, count: fired.length, afterFiring: await s.current() };
}`;

const cases = [
  ["before 2026-02-24", "2026-01-01", []],
  ["before 2026-02-24, delete_all_deletes_alarm", "2026-01-01", ["delete_all_deletes_alarm"]],
  ["after 2026-02-24", "2026-11-01", []],
  ["after 2026-02-24, delete_all_preserves_alarm", "2026-11-01", ["delete_all_preserves_alarm"]],
];

const scenarios = cases.flatMap(([label, compatibilityDate, compatibilityFlags]) =>
  both({ name: `alarms: deleteAll() and the alarm, ${label}`, source, drive, compatibilityDate, compatibilityFlags }),
);

// deleteAll() inside alarm(): whether the running alarm, one the handler set, and a retry after a
// throw survive it, by the same date and flags (several objects per scenario, as alarms-handler.mjs).
const INSIDE = ["deleteAll", "setThenDeleteAll", "deleteAllThenSet", "deleteAllThenThrow", "setThenDeleteAllThenThrow"];
const insideSource = module(`      case "deleteAll": await s.put("k", 1); await s.deleteAll(); log("after", pending(await s.getAlarm())); break;
      case "setThenDeleteAll": if (once) { await s.setAlarm(Date.now() + 200); await s.deleteAll(); log("after", pending(await s.getAlarm())); } break;
      case "deleteAllThenSet": if (once) { await s.deleteAll(); await s.setAlarm(Date.now() + 200); log("after", pending(await s.getAlarm())); } break;
      case "deleteAllThenThrow": if (once) { await s.put("k", 1); await s.deleteAll(); log("after", pending(await s.getAlarm())); throw new Error("fail"); } break;
      case "setThenDeleteAllThenThrow": if (once) { await s.setAlarm(Date.now() + 200); await s.deleteAll(); throw new Error("fail"); } break;`);
const insideCases = [
  ["before 2026-02-24", "2026-01-01", [], ["sqlite", "kv"]],
  ["after 2026-02-24", "2026-11-01", [], ["sqlite", "kv"]],
  ["before 2026-02-24, delete_all_deletes_alarm", "2026-01-01", ["delete_all_deletes_alarm"], ["sqlite"]],
  ["after 2026-02-24, delete_all_preserves_alarm", "2026-11-01", ["delete_all_preserves_alarm"], ["sqlite"]],
];
for (const [label, compatibilityDate, compatibilityFlags, backends] of insideCases) {
  for (const backend of backends) {
    scenarios.push({
      name: `alarms: deleteAll() inside alarm(), ${label} [${backend}]`,
      backend,
      timeoutMs: 15_000,
      source: insideSource,
      drive: driveAll(INSIDE, { settleMs: 600 }),
      compatibilityDate,
      compatibilityFlags,
    });
  }
}

export default scenarios;
