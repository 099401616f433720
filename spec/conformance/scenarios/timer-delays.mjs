// Timer delays Worker and object code give: one beyond 2^31 - 1 ms (about 24.8 days, Infinity
// too) waits, where Node takes it for 1 ms and fires at once; NaN, negative and small delays
// fire at once on both. Timers are cleared after a wait far longer than those that fire.
import { cls } from "../scenario.mjs";

const delaysFired = `async function delaysFired() {
  const delays = [2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 20, 1e10, Infinity, 2 ** 53, 1e300, "4294967296", { valueOf() { return 2 ** 40; } }, -Infinity, NaN, -1, "20", "abc", null, [5], -(2 ** 31)];
  const fired = delays.map(() => 0);
  const timeouts = delays.map((d, i) => setTimeout(() => { fired[i] += 1; }, d));
  const intervals = delays.map((d, i) => setInterval(() => { fired[i] += 100; }, d));
  await new Promise((resolve) => setTimeout(resolve, 80));
  timeouts.forEach((id) => clearTimeout(id));
  intervals.forEach((id) => clearInterval(id));
  // An interval that fires ticks several times; how many depends on the machine.
  return fired.map((n) => [n % 100, n >= 100]);
}`;

export default [
  {
    name: "timer delays: beyond 2^31 - 1 ms a timer waits, in an object and in a Worker's event",
    backend: "sqlite",
    source: cls(`  async go() { return delaysFired(); }`, { extra: delaysFired }),
    drive: async (env) => ({ object: await env.DO.getByName("a").go(), worker: await delaysFired() }),
  },
];
