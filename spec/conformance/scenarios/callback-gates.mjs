// Calls into a function or RpcTarget a Durable Object made and handed out (as an argument, as a
// result, or as `new RpcStub(...)`) reach it through its input gate, like any event: while a
// critical section (blockConcurrencyWhile) holds the gate, they wait for it, whoever calls. One
// made inside the critical section belongs to it: while that section runs, calls to it are let
// in (so the section may hand it out and be called back), even from an unrelated caller; once
// the section has ended it waits like any other. (One made before the section and called back
// from the section's own call chain deadlocks on both runtimes, until blockConcurrencyWhile's 30 s
// timeout: too slow for this suite.)
import { cls } from "../scenario.mjs";

const BODY = `  log = [];
  saved = null;
  keep(f) { this.saved = f.dup(); return "kept"; }
  async callSaved() { return await this.saved(); }
  async pingSaved() { return await this.saved.ping(); }
  async pingIt(t) { return await t.ping(); }
  async giveFunction(to) { await this.env.DO.getByName(to).keep(() => { this.log.push("function"); return "f"; }); return "given"; }
  async giveTarget(to) { await this.env.DO.getByName(to).keep(new Logged(this.log, "target")); return "given"; }
  makeTarget() { return new Logged(this.log, "result"); }
  // Logs its start, gives what make() made to \`to\` (if any), holds until the driver releases
  // the object "gate", logs its end.
  critical(to, make) {
    return this.ctx.blockConcurrencyWhile(async () => {
      this.log.push("section start");
      if (to !== undefined) await this.env.DO.getByName(to).keep(MAKE[make](this.log));
      await this.env.DO.getByName("gate").hold();
      this.log.push("section end");
    });
  }
  // The object "gate": hold() answers once release() was called (polling: a timer keeps the
  // runtime from taking the wait for a hang); isHolding() says whether a hold() is waiting.
  holding = false;
  released = false;
  async hold() {
    this.holding = true;
    await waitFor(async () => this.released, Infinity);
    this.holding = this.released = false;
  }
  release() { this.released = true; }
  isHolding() { return this.holding; }
  async passInSection(to) {
    return await this.ctx.blockConcurrencyWhile(async () => await this.env.DO.getByName(to).pingIt(new Logged(this.log, "chain")));
  }
  async storageThenCall(other) {
    this.log.push("request start");
    const call = this.env.DO.getByName(other).callSaved();
    for (let i = 0; i < 3; i++) { await this.ctx.storage.put("k" + i, i); await this.ctx.storage.get("k" + i); }
    this.log.push("request end");
    return await call;
  }
  read() { const l = [...this.log]; this.log.length = 0; return l; }`;

const EXTRA = `import { RpcStub } from "cloudflare:workers";
class Logged extends RpcTarget {
  constructor(log, tag) { super(); this.log = log; this.tag = tag; }
  ping() { this.log.push(this.tag); return this.tag; }
}
// Starts a critical section of \`a\` (start()), calls call() once the section holds, and returns
// what the call answered and \`a\`'s log once the section has ended. The section ends when the
// driver releases it: after the call has answered when it is to be let in (had it to wait,
// the run times out), or 40 ms after the call otherwise (time for it to reach \`a\`; one
// arriving later waits all the same). So the log follows from what is let in, never from how
// fast a loaded machine runs.
async function duringSection(env, a, start, call, { letIn = false } = {}) {
  const gate = env.DO.getByName("gate");
  const section = start();
  await waitFor(() => gate.isHolding(), Infinity);
  const answer = call();
  if (letIn) await answer;
  else await sleep(40);
  await gate.release();
  await section;
  return [await answer, await a.read()];
}
const MAKE = {
  function: (log) => () => { log.push("function in section"); return "f"; },
  stub: (log) => new RpcStub(() => { log.push("stub in section"); return "s"; }),
};`;

export default [
  {
    name: "callback gates: a function or RpcTarget an object handed out earlier waits, called by another object, for the object's blockConcurrencyWhile to end",
    backend: "sqlite",
    source: cls(BODY, { extra: EXTRA }),
    drive: async (env) => {
      const a = env.DO.getByName("a");
      const out = {};
      await a.giveFunction("b");
      await a.giveTarget("c");
      const result = await a.makeTarget();
      for (const [key, call] of [["function", () => env.DO.getByName("b").callSaved()], ["target", () => env.DO.getByName("c").pingSaved()], ["result", () => result.ping()]]) {
        [out[key], out[key + "Log"]] = await duringSection(env, a, () => a.critical(), call);
      }
      return out;
    },
  },
  {
    name: "callback gates: a function, RpcTarget or RpcStub made inside blockConcurrencyWhile is let in while it runs, whoever calls, and waits for the next one",
    backend: "sqlite",
    source: cls(BODY, { extra: EXTRA }),
    drive: async (env) => {
      const a = env.DO.getByName("a");
      const b = env.DO.getByName("b");
      const out = {};
      for (const make of ["function", "stub"]) {
        [out[make], out[make + "Log"]] = await duringSection(env, a, () => a.critical("b", make), () => b.callSaved(), { letIn: true });
        out[make + "NextSection"] = (await duringSection(env, a, () => a.critical(), () => b.callSaved()))[1];
      }
      out.calledBackInChain = await outcome(() => a.passInSection("b"));
      out.chainLog = await a.read();
      return out;
    },
  },
  {
    name: "callback gates: a callback into an object arrives after the storage operations its running request had in flight",
    backend: "sqlite",
    source: cls(BODY, { extra: EXTRA }),
    drive: async (env) => {
      const a = env.DO.getByName("a");
      await a.giveFunction("b");
      const result = await a.storageThenCall("b");
      return { result, log: await a.read() };
    },
  },
];
