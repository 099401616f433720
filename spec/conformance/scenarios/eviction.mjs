// Idle eviction (workerd evicts an object 10 s after its last event): what keeps an object from
// it: a pending timer, a stub someone holds to an RpcTarget it returned (the call through it
// still reaches the same instance). The scenario waits 11 s of real time on both sides, so there
// is one.
import { cls } from "../scenario.mjs";

// Instances constructed per object name, shared by every instance (module scope).
const source = `const constructed = {};
class Counter extends RpcTarget { n = 0; inc() { return ++this.n; } }
${cls(`  counter() { return new Counter(); }
  constructor(ctx, env) { super(ctx, env); constructed[ctx.id.name] = (constructed[ctx.id.name] ?? 0) + 1; }
  later() { setTimeout(() => {}, 11_500); }
  cleared() { clearTimeout(setTimeout(() => {}, 60_000)); }
  ping() { return constructed[this.ctx.id.name]; }`)}`;

export default [
  {
    name: "eviction: a pending timer or a held RpcTarget stub keeps an idle object from eviction; a cleared timer or a disposed stub does not",
    backend: "sqlite",
    timeoutMs: 25_000,
    source,
    drive: `async function drive(env) {
      await env.DO.getByName("pending").later();
      await env.DO.getByName("cleared").cleared();
      await env.DO.getByName("plain").ping();
      const held = await env.DO.getByName("held").counter();
      await held.inc();
      const disposed = await env.DO.getByName("disposed").counter();
      disposed[Symbol.dispose]();
      await sleep(11_000);
      // Instances of each by now: 1 where the object stayed live, 2 where it was evicted.
      const out = { heldCounter: await held.inc() };
      for (const name of ["pending", "cleared", "plain", "held", "disposed"]) out[name] = await env.DO.getByName(name).ping();
      return out;
    }`,
  },
  {
    // durasim un-broke such a stub once idle eviction dropped the reset instance it was bound to.
    name: "eviction: a stub that saw its object reset stays broken after the time idle eviction takes; a new stub reaches a new instance",
    backend: "sqlite",
    timeoutMs: 25_000,
    source: `const constructed = {};
${cls(`  constructor(ctx, env) { super(ctx, env); constructed[ctx.id.name] = (constructed[ctx.id.name] ?? 0) + 1; }
  die() { this.ctx.abort("reset"); }
  ping() { return constructed[this.ctx.id.name]; }`)}`,
    drive: `async function drive(env) {
      const stub = env.DO.getByName("reset");
      const first = await outcome(() => stub.ping());
      const failed = await outcome(() => stub.die());
      await sleep(11_000);
      return { first, failed, sameStub: await outcome(() => stub.ping()), newStub: await outcome(() => env.DO.getByName("reset").ping()) };
    }`,
  },
];
