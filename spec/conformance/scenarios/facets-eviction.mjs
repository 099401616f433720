// Idle eviction with facets (workerd evicts an object 10 s after its last event). A facet is
// evicted with its parent, so what keeps a facet busy must keep its parent: a call still in
// flight to it, an RpcTarget of it a caller holds; not a timer pending in it. The scenario waits
// 11 s of real time on both sides, so there is one.
const source = `import { DurableObject, RpcTarget } from "cloudflare:workers";
const constructed = {};
class Counter extends RpcTarget { n = 0; inc() { return ++this.n; } }
export class Child extends DurableObject {
  later() { setTimeout(() => {}, 11_500); }
  counter() { return new Counter(); }
  slow() { return new Promise((resolve) => setTimeout(() => resolve("slow done"), 11_500)); }
}
export class DO extends DurableObject {
  constructor(ctx, env) { super(ctx, env); constructed[ctx.id.name] = (constructed[ctx.id.name] ?? 0) + 1; }
  facet() { return this.ctx.facets.get("a", () => ({ class: this.ctx.exports.Child })); }
  async facetTimer() { await this.facet().later(); }
  async facetCounter() { return this.facet().counter(); }
  async facetSlowCall() { this.slow = this.facet().slow(); }
  async slowResult() { return this.slow; }
  ping() { return constructed[this.ctx.id.name]; }
}
`;

export default [
  {
    name: "facets: a call in flight to a facet or a held RpcTarget of it keeps its idle parent from eviction; a facet's pending timer does not",
    backend: "sqlite",
    timeoutMs: 25_000,
    classes: { DO: "DO", CHILD: "Child" },
    source,
    drive: `async function drive(env) {
      await env.DO.getByName("plain").ping();
      await env.DO.getByName("timer").facetTimer();
      const counter = await env.DO.getByName("counter").facetCounter();
      await counter.inc();
      await env.DO.getByName("slow").facetSlowCall();
      await sleep(11_000);
      // Instances of each by now: 1 where the parent stayed live, 2 where it was evicted.
      const out = { counter: await counter.inc(), slowResult: await env.DO.getByName("slow").slowResult() };
      for (const name of ["plain", "timer", "counter", "slow"]) out[name] = await env.DO.getByName(name).ping();
      return out;
    }`,
  },
];
