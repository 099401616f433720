// What a caller still holds of an object that reset (ctx.abort(), a throwing
// blockConcurrencyWhile): stubs to the RpcTargets and functions it returned, a call to one of
// them in flight as it reset, and a ReadableStream it returned, still arriving.
import { cls } from "../scenario.mjs";

const source = cls(
  `  memory = 0;
  counter() { return new Counter(() => ++this.memory); }
  adder() { return (x) => x + ++this.memory; }
  stream() { let sent = false; return new ReadableStream({ pull: async (c) => { if (sent) await new Promise(() => {}); sent = true; c.enqueue(new Uint8Array([1, 2])); } }); }
  die(how) { if (how === "abort") this.ctx.abort("going down"); return this.ctx.blockConcurrencyWhile(async () => { throw new RangeError("bcw failed"); }); }
  bump() { return ++this.memory; }`,
  { extra: `class Counter extends RpcTarget { constructor(bump) { super(); this.bump = bump; } inc() { return this.bump(); } slow() { return new Promise(() => {}); } }` },
);

const drive = (how) => `async function drive(env) {
  const s = env.DO.getByName("${how}");
  const counter = await s.counter();
  const adder = await s.adder();
  const reader = (await s.stream()).getReader();
  const before = { inc: await outcome(() => counter.inc()), add: await outcome(() => adder(10)), read: await outcome(async () => [...(await reader.read()).value]) };
  const inFlight = outcome(() => counter.slow());
  const reading = outcome(() => reader.read());
  const died = await outcome(() => s.die("${how}"));
  return {
    before,
    died,
    inFlight: await Promise.race([inFlight, sleep(500).then(() => "still pending")]),
    reading: await Promise.race([reading, sleep(500).then(() => "still pending")]),
    inc: await outcome(() => counter.inc()),
    add: await outcome(() => adder(10)),
    dup: await outcome(async () => { const copy = counter.dup(); return copy.inc(); }),
    fresh: await outcome(() => env.DO.getByName("${how}").bump()),
  };
}`;

export default ["abort", "bcw"].map((how) => ({
  name: `resets: what the caller holds of an object that reset (${how === "abort" ? "ctx.abort()" : "a throwing blockConcurrencyWhile"}): returned RpcTargets, functions, a stream`,
  backend: "sqlite",
  source,
  drive: drive(how),
}));
