// Alarms at the input gate. The runtime delivers an alarm through the gate twice: a first pass
// arms it (from then on getAlarm() reports null), a second runs alarm(). An alarm that comes
// due while the gate is held (here by blockConcurrencyWhile) therefore runs after every event
// queued by the time the gate reopens, and an event queued ahead of the second pass may read,
// delete or replace the armed alarm: the handler runs anyway on SQLite, not on KV. Before its
// first pass the alarm is only stored: the critical section's own code sees it with getAlarm(),
// and deleting or replacing it there cancels that run.
// Times leave wide margins: each section sets the alarm 30 ms ahead as it starts; other events
// arrive 600 ms after it started (at 150 ms, workerd on a loaded machine had once not yet taken
// the due alarm in, so a peek saw it still set), and the section holds the gate until the driver
// has sent them and 300 ms more (a fixed length ran out before they arrived on a loaded machine),
// so records hold only orders of events.
import { cls, both } from "../scenario.mjs";

const source = `const logs = {};
const released = {};
const say = (name, line) => (logs[name] ??= []).push(line);
const pending = (v) => (v === null ? "null" : "set");
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
${cls(`  async alarm(info) { say(this.ctx.id.name, "alarm " + info.retryCount + ", getAlarm " + pending(await this.ctx.storage.getAlarm())); }
  async section(ms, alarmIn, untilReleased) {
    const name = this.ctx.id.name;
    await this.ctx.blockConcurrencyWhile(async () => {
      // Committed before the section says it started, so the alarm's timer runs from then on.
      if (alarmIn !== undefined) { await this.ctx.storage.setAlarm(Date.now() + alarmIn); await this.ctx.storage.sync(); }
      say(name, "section " + ms + " starts");
      while (untilReleased && !released[name]) await wait(10);
      await wait(ms);
      say(name, "section " + ms + " ends");
    });
    say(name, "section " + ms + " returned");
  }
  // The alarm comes due 30 ms in; 150 ms in, the section reads, deletes or replaces it.
  async sectionChanges(what) {
    const name = this.ctx.id.name;
    const s = this.ctx.storage;
    await this.ctx.blockConcurrencyWhile(async () => {
      await s.setAlarm(Date.now() + 30);
      await wait(150);
      if (what === "read") say(name, "in section: getAlarm " + pending(await s.getAlarm()));
      if (what === "delete") { await s.deleteAlarm(); say(name, "in section: deleteAlarm"); }
      if (what === "replaceFar") { await s.setAlarm(Date.now() + 3600000); say(name, "in section: setAlarm +3600000"); }
      if (what === "replaceNear") { await s.setAlarm(Date.now() + 300); say(name, "in section: setAlarm +300"); }
      await wait(200);
    });
  }
  async call(label) { say(this.ctx.id.name, label); }
  async peek() { say(this.ctx.id.name, "peek: getAlarm " + pending(await this.ctx.storage.getAlarm())); }
  async cancel() { await this.ctx.storage.deleteAlarm(); say(this.ctx.id.name, "deleteAlarm"); }
  async rearm(ms) { await this.ctx.storage.setAlarm(Date.now() + ms); say(this.ctx.id.name, "setAlarm +" + ms); }
  async current() { return pending(await this.ctx.storage.getAlarm()); }`)}`;

/** Runs `start(stub, name)` on one object per name at once, waits `settleMs`, and reports each
 * object's log and whether an alarm is left. */
const driveEach = (names, start, settleMs) => `async function drive(env) {
  const start = ${start};
  await Promise.all(${JSON.stringify(names)}.map((name) => start(env.DO.getByName(name), name)));
  await sleep(${settleMs});
  const out = {};
  for (const name of ${JSON.stringify(names)}) out[name] = { log: logs[name] ?? [], after: await env.DO.getByName(name).current() };
  return out;
}`;

/** A section that sets the alarm; 600 ms after it started, the events `during[name](stub)` starts,
 * then releases the section (which ends 300 ms later). Counted from the start the section logs, not
 * from the call: constructing the object and its first write can take longer than the alarm's 30 ms
 * on a loaded machine. */
const behindSection = (during) => `async (s, name) => {
    const during = { ${during} };
    const held = s.section(300, 30, true);
    await waitFor(async () => (logs[name] ?? []).includes("section 300 starts"), 5000);
    await sleep(600);
    const events = during[name](s);
    released[name] = true;
    await Promise.all([held, ...events]);
  }`;

export default [
  ...both({
    name: "alarms-gate: an alarm due while blockConcurrencyWhile holds the gate runs after the events queued by the time it reopens",
    source,
    drive: driveEach(["calls", "anotherSection"], behindSection(`calls: (s) => [s.call("call 1"), s.call("call 2"), s.call("call 3")],
      anotherSection: (s) => [s.section(200), s.call("call queued behind that section")]`), 400),
  }),
  ...both({
    name: "alarms-gate: events queued ahead of the handler see the armed alarm as running, and deleting or replacing it",
    timeoutMs: 15_000,
    source,
    drive: driveEach(["peek", "deleteAlarm", "replaceFar", "replaceNear"], behindSection(`peek: (s) => [s.peek()], deleteAlarm: (s) => [s.cancel()],
      replaceFar: (s) => [s.rearm(3600000)], replaceNear: (s) => [s.rearm(400)]`), 1500),
  }),
  ...both({
    name: "alarms-gate: before its first pass the alarm is only stored: the section it waits behind reads it, and deleting or replacing it cancels the run",
    timeoutMs: 15_000,
    source,
    drive: driveEach(["read", "delete", "replaceFar", "replaceNear"], `(s, name) => s.sectionChanges(name)`, 900),
  }),
];
