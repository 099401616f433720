// Which failed alarm runs count as retries. A failure of the handler counts: the next run sees
// retryCount + 1, and counted retries are limited to 6. A failure before the alarm could be
// armed (the constructor the alarm runs threw, or the object was reset while the alarm waited
// at the gate) is retried on the same backoff without counting: the next run still sees
// retryCount 0. A counted failure after uncounted ones starts the backoff at 2 s again.
// Each object is set up by its name; delays are recorded in coarse buckets (a retry is 2 s plus
// up to 25 %, the next 4 s plus up to 25 %). A retry never comes early, so each bucket ends just
// short of the next nominal delay, leaving a loaded machine more than a second to be late in. SQLite only: the constructor cases need the alarm
// to outlive a reset, which workerd's in-memory KV storage does not keep (see alarms.mjs).
import { cls } from "../scenario.mjs";

const NAMES = ["constructorThrowsOnce", "constructorThenHandler", "constructorThrowsTwice", "resetAheadOfFirstPass", "resetBetweenPasses"];

export default [
  {
    name: "alarms-retries: failures before the alarm is armed are retried without counting",
    backend: "sqlite",
    timeoutMs: 20_000,
    source: `const logs = {};
const failures = {};
const started = {};
const inSection = {};
const released = {};
const since = (name) => { const ms = Date.now() - started[name]; started[name] = Date.now(); return ms < 1900 ? "<1.9s" : ms < 3900 ? "1.9-3.9s" : ms < 7900 ? "3.9-7.9s" : ">7.9s"; };
const say = (name, line) => (logs[name] ??= []).push(line);
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
${cls(`  constructor(ctx, env) {
    super(ctx, env);
    const name = ctx.id.name;
    if (failures[name]?.constructor > 0) { failures[name].constructor--; say(name, "constructor throws " + since(name)); throw new Error("constructor fails"); }
  }
  async alarm(info) {
    const name = this.ctx.id.name;
    say(name, "alarm " + info.retryCount + " " + info.isRetry + " " + since(name));
    if (failures[name]?.handler > 0) { failures[name].handler--; throw new Error("handler fails"); }
  }
  // The alarm comes due 300 ms in; the object is reset once it is stored. One call: with the reset
  // a call of its own, a loaded machine could run the alarm before it.
  async armThenDie(constructor, handler) {
    const name = this.ctx.id.name;
    await this.ctx.storage.setAlarm(Date.now() + 300);
    await this.ctx.storage.sync();
    failures[name] = { constructor, handler };
    started[name] = Date.now();
    this.ctx.abort("reset");
  }
  async die() { this.ctx.abort("reset"); }
  // The alarm comes due 30 ms in; the object is reset before the section ends.
  async resetInSection() {
    await this.ctx.blockConcurrencyWhile(async () => { await this.ctx.storage.setAlarm(Date.now() + 30); await wait(200); this.ctx.abort("reset in section"); });
  }
  // The alarm comes due 30 ms in; die() queues behind the section, after the alarm's first pass.
  // The section holds the gate until the driver has sent die(), and 200 ms more.
  async holdWithAlarm() {
    const name = this.ctx.id.name;
    await this.ctx.blockConcurrencyWhile(async () => {
      await this.ctx.storage.setAlarm(Date.now() + 30);
      await this.ctx.storage.sync();
      inSection[name] = true;
      while (!released[name]) await wait(10);
      await wait(200);
    });
  }
  async current() { return (await this.ctx.storage.getAlarm()) === null ? null : "pending"; }`)}`,
    drive: `async function drive(env) {
  const names = ${JSON.stringify(NAMES)};
  const stub = (name) => env.DO.getByName(name);
  const afterReset = (name, constructor, handler) => outcome(() => stub(name).armThenDie(constructor, handler));
  await Promise.all([
    afterReset("constructorThrowsOnce", 1, 0),
    afterReset("constructorThenHandler", 1, 1),
    afterReset("constructorThrowsTwice", 2, 0),
    (async () => { started.resetAheadOfFirstPass = Date.now(); await outcome(() => stub("resetAheadOfFirstPass").resetInSection()); })(),
    (async () => {
      started.resetBetweenPasses = Date.now();
      const held = outcome(() => stub("resetBetweenPasses").holdWithAlarm());
      // 150 ms after the section started (not after the call: constructing the object can take longer than 30 ms).
      await waitFor(async () => inSection.resetBetweenPasses === true, 5000);
      await sleep(150);
      const dying = outcome(() => stub("resetBetweenPasses").die());
      released.resetBetweenPasses = true;
      await Promise.all([held, dying]);
    })(),
  ]);
  const done = (name) => (logs[name] ?? []).some((l) => l.startsWith("alarm")) && !(failures[name]?.handler > 0);
  await waitFor(async () => names.every(done), 15000);
  await sleep(100);
  const out = {};
  for (const name of names) out[name] = { log: logs[name] ?? [], after: await stub(name).current() };
  return out;
}`,
  },
];
