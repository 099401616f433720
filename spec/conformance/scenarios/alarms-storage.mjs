// Alarms beside storage: the time setAlarm() stores for "now" and the past, setAlarm /
// getAlarm / deleteAlarm inside transaction() and transactionSync() (committed or rolled
// back), the transaction object's own alarm methods, the alarm after deleteAll(), and an alarm
// for now that runs while the call that set it waits on a timer (it sees that call's committed
// writes, not the ones it makes later).
import { cls, insideBoth } from "../scenario.mjs";

export default [
  ...insideBoth("alarms-storage: setAlarm for now or the past stores a time not before the call", `
    const t = Date.now();
    await s.setAlarm(t);
    const now = await s.getAlarm();
    await s.setAlarm(t - 60000);
    const past = await s.getAlarm();
    await s.setAlarm(new Date(1000));
    const epoch = await s.getAlarm();
    await s.deleteAlarm();
    return { nowNotBefore: now >= t, nowClose: now - t < 1000, pastClamped: past >= t, pastClose: past - t < 1000, epochClamped: epoch >= t };`, { alarmHandler: true }),

  ...insideBoth("alarms-storage: alarm methods inside transaction(), committed and rolled back", `
    const far = Date.now() + 3600000;
    const r = {};
    r.methods = await outcome(() => s.transaction(async (txn) => ["setAlarm", "getAlarm", "deleteAlarm"].map((m) => typeof txn[m])));
    await s.transaction(async (txn) => { await txn.setAlarm(far); r.seenInside = (await txn.getAlarm()) === far; r.seenOutside = (await s.getAlarm()) === far; });
    r.committed = (await s.getAlarm()) === far;
    r.rolledBackSet = await outcome(() => s.transaction(async (txn) => { await txn.setAlarm(far + 1000); throw new Error("undo"); }));
    r.afterRollbackSet = (await s.getAlarm()) === far;
    r.rolledBackDelete = await outcome(() => s.transaction(async (txn) => { await txn.deleteAlarm(); r.deletedInside = await txn.getAlarm(); txn.rollback(); }));
    r.afterRollbackDelete = (await s.getAlarm()) === far;
    r.storageSetInside = await outcome(() => s.transaction(async (txn) => { await s.setAlarm(far + 2000); throw new Error("undo"); }));
    r.afterStorageSetInside = (await s.getAlarm()) - far;
    r.badArgument = await outcome(() => s.transaction(async (txn) => txn.setAlarm("soon")));
    await s.deleteAlarm();
    r.end = await s.getAlarm();
    return r;`, { alarmHandler: true }),

  ...insideBoth("alarms-storage: deleteAll() and the alarm outside alarm()", `
    const far = Date.now() + 3600000;
    await s.setAlarm(far);
    await s.put("k", 1);
    await s.deleteAll();
    const r = { alarmAfterDeleteAll: (await s.getAlarm()) === far, keys: [...(await s.list()).keys()] };
    await s.deleteAlarm();
    return r;`, { alarmHandler: true }),

  {
    ...insideBoth("alarms-storage: alarm methods inside transactionSync()", `
    const far = Date.now() + 3600000;
    const r = {};
    r.setInside = await outcome(async () => s.transactionSync(() => { s.setAlarm(far); return "set"; }));
    r.afterSet = (await s.getAlarm()) === far;
    r.rolledBack = await outcome(() => s.transactionSync(() => { s.setAlarm(far + 1000); throw new Error("undo"); }));
    r.afterRollback = (await s.getAlarm()) - far;
    r.deleteRolledBack = await outcome(() => s.transactionSync(() => { s.deleteAlarm(); throw new Error("undo"); }));
    r.afterDeleteRollback = (await s.getAlarm()) - far;
    await s.deleteAlarm();
    return r;`, { alarmHandler: true })[0],
  },
  ...["sqlite", "kv"].map((backend) => ({
    name: `alarms-storage: an alarm for now runs while the call that set it waits, and sees what that call committed [${backend}]`,
    backend,
    source: `const seen = [];\n${cls(`  async alarm(info) { seen.push({ keys: [...(await this.ctx.storage.list()).keys()], getAlarm: await this.ctx.storage.getAlarm() }); }
  async go() {
    const s = this.ctx.storage;
    await s.setAlarm(Date.now());
    await s.put("x", 1);
    await new Promise((r) => setTimeout(r, 300));
    const during = seen.length;
    await s.put("y", 1);
    s.setAlarm(Date.now() + 100);
    await new Promise((r) => setTimeout(r, 400));
    return { during, seen };
  }`)}`,
    drive: async (env) => env.DO.getByName("a").go(),
  })),
];
