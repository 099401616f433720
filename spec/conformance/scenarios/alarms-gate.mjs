// Alarms at the input gate. The runtime delivers an alarm through the gate twice: a first pass
// arms it (from then on getAlarm() reports null), a second runs alarm(). An alarm that comes
// due while the gate is held (here by blockConcurrencyWhile) therefore runs after every event
// queued by the time the gate reopens, and an event queued ahead of the second pass may read,
// delete or replace the armed alarm: the handler runs anyway on SQLite, not on KV.
// Times leave wide margins: the alarm is due 30 ms after arming, the section holds the gate for
// 500 ms, the other events arrive 150 ms in, so each record holds only an order of events.
import { cls, both } from "../scenario.mjs";

const source = `const logs = {};
const say = (name, line) => (logs[name] ??= []).push(line);
const pending = (v) => (v === null ? "null" : "set");
${cls(`  async alarm(info) { say(this.ctx.id.name, "alarm " + info.retryCount + ", getAlarm " + pending(await this.ctx.storage.getAlarm())); }
  async arm(ms) { await this.ctx.storage.setAlarm(Date.now() + ms); }
  async section(ms) {
    const name = this.ctx.id.name;
    await this.ctx.blockConcurrencyWhile(async () => { say(name, "section " + ms + " starts"); await new Promise((r) => setTimeout(r, ms)); say(name, "section " + ms + " ends"); });
    say(name, "section " + ms + " returned");
  }
  async call(label) { say(this.ctx.id.name, label); }
  async peek() { say(this.ctx.id.name, "peek: getAlarm " + pending(await this.ctx.storage.getAlarm())); }
  async cancel() { await this.ctx.storage.deleteAlarm(); say(this.ctx.id.name, "deleteAlarm"); }
  async rearm(ms) { await this.ctx.storage.setAlarm(Date.now() + ms); say(this.ctx.id.name, "setAlarm +" + ms); }
  async current() { return pending(await this.ctx.storage.getAlarm()); }`)}`;

/** Per object: arm the alarm, hold the gate with a 500 ms section, and 150 ms in run
 * `during(stub)` (events that queue behind the section); then wait `settleMs` and report. */
const drive = (cases, settleMs) => `async function drive(env) {
  const cases = {
${cases}
  };
  const out = {};
  await Promise.all(Object.entries(cases).map(async ([name, during]) => {
    const s = env.DO.getByName(name);
    await s.arm(30);
    const held = s.section(500);
    await sleep(150);
    await Promise.all([held, ...during(s)]);
  }));
  await sleep(${settleMs});
  for (const name of Object.keys(cases)) out[name] = { log: logs[name] ?? [], after: await env.DO.getByName(name).current() };
  return out;
}`;

export default [
  ...both({
    name: "alarms-gate: an alarm due while blockConcurrencyWhile holds the gate runs after the events queued by the time it reopens",
    source,
    drive: drive(`    calls: (s) => [s.call("call 1"), s.call("call 2"), s.call("call 3")],
    anotherSection: (s) => [s.section(200), s.call("call queued behind that section")],`, 100),
  }),
  ...both({
    name: "alarms-gate: events queued ahead of the handler see the armed alarm as running, and deleting or replacing it",
    timeoutMs: 15_000,
    source,
    drive: drive(`    peek: (s) => [s.peek()],
    deleteAlarm: (s) => [s.cancel()],
    replaceFar: (s) => [s.rearm(3600000)],
    replaceNear: (s) => [s.rearm(400)],`, 1200),
  }),
];
