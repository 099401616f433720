// Idle eviction (workerd evicts an object 10 s after its last event): what keeps an object from
// it. The scenario waits 11 s of real time on both sides, so there is one.
import { cls } from "../scenario.mjs";

// Instances constructed per object name, shared by every instance (module scope).
const source = `const constructed = {};
${cls(`  constructor(ctx, env) { super(ctx, env); constructed[ctx.id.name] = (constructed[ctx.id.name] ?? 0) + 1; }
  later() { setTimeout(() => {}, 11_500); }
  cleared() { clearTimeout(setTimeout(() => {}, 60_000)); }
  ping() { return constructed[this.ctx.id.name]; }`)}`;

export default [
  {
    name: "eviction: a pending timer keeps an idle object from eviction; a cleared one does not",
    backend: "sqlite",
    timeoutMs: 25_000,
    source,
    drive: `async function drive(env) {
      await env.DO.getByName("pending").later();
      await env.DO.getByName("cleared").cleared();
      await env.DO.getByName("plain").ping();
      await sleep(11_000);
      // Instances of each by now: 1 where the object stayed live, 2 where it was evicted.
      const out = {};
      for (const name of ["pending", "cleared", "plain"]) out[name] = await env.DO.getByName(name).ping();
      return out;
    }`,
  },
];
