// Orders found by spec/conformance/fuzz-events.mjs (random events through the gates), each
// reduced to the smallest program that showed it. Every order is one that workerd's gates decide
// (the same in every run), recorded as a log; nothing waits on real time being long enough.
import { both, cls } from "../scenario.mjs";

export default [
  // Seed 18: b's answer left before a's, because a's waited for the end of the turn in which
  // its confirmation came (a commit c's outgoing call made) and b became ready in that turn.
  ...both({
    name: "gates fuzzed: an answer whose own write is unconfirmed leaves after an earlier answer that waited for its write",
    source: cls(`  log = [];
  async a() { this.log.push("a"); await this.ctx.storage.delete("k"); return "a"; }
  async c() {
    this.log.push("c");
    await this.ctx.storage.transaction(async () => {});
    this.log.push("c in");
    await this.env.DO.getByName("other").logged();
    this.log.push("c called");
    return "c";
  }
  async b() { this.log.push("b"); this.ctx.storage.put("j", 1, { allowUnconfirmed: true }); return "b"; }
  async logged() { return this.log; }`),
    drive: async (env) => {
      const order = [];
      const stub = env.DO.getByName("g");
      await Promise.all(["a", "c", "b"].map((m) => outcome(() => stub[m]()).then((r) => order.push(r))));
      return { order, log: await stub.logged() };
    },
  }),
  // Seed 7: durasim rejected the section's promise, so the code after it ran on a reset object.
  ...both({
    name: "gates fuzzed: code awaiting a blockConcurrencyWhile() whose callback throws never resumes",
    source: cls(`  async go() {
    LOG.push("go");
    try {
      await this.ctx.blockConcurrencyWhile(async () => { LOG.push("section"); throw new Error("section fails"); });
      LOG.push("after the section");
    } catch (e) {
      LOG.push("caught " + e.message);
    } finally {
      LOG.push("finally");
    }
    return "returned";
  }
  async logged() { return LOG; }`, { extra: "const LOG = [];" }),
    drive: async (env) => {
      const first = await outcome(() => env.DO.getByName("g").go());
      // A later turn: continuations still owed by then would have run.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { first, log: await env.DO.getByName("g").logged() };
    },
  }),
  // Seed 16: a's answer, waiting for its write's confirmation when b reset the object, left
  // with the reset error after b's own; workerd's broken output gate fails its waiters first.
  {
    name: "gates fuzzed: an answer waiting for its write's confirmation fails before the call that reset the object",
    backend: "sqlite",
    source: cls(`  async a() { await this.ctx.storage.put("k", 1); return "a"; }
  async b() { this.ctx.abort("b resets"); }`),
    drive: async (env) => {
      const order = [];
      const stub = env.DO.getByName("g");
      await Promise.all(["a", "b"].map((m) => outcome(() => stub[m]()).then((r) => order.push([m, r]))));
      return order;
    },
  },
  // Seed 58: the call queued behind a failing section got the reset error before the call
  // whose section failed; workerd fails the events running first, then those queued.
  ...both({
    name: "gates fuzzed: a call queued behind a blockConcurrencyWhile() that throws fails after the call that made it",
    source: cls(`  async a() { await this.ctx.blockConcurrencyWhile(async () => { throw new Error("section fails"); }); }
  async b() { return "b"; }`),
    drive: async (env) => {
      const order = [];
      const stub = env.DO.getByName("g");
      await Promise.all(["a", "b"].map((m) => outcome(() => stub[m]()).then((r) => order.push([m, r]))));
      return order;
    },
  }),
  // Seeds 24, 58, 61: an answer waiting for its committed write's confirmation failed with
  // the reset error of a section that threw; that breaks only the input gate, so it leaves.
  {
    name: "gates fuzzed: an answer waiting for its write's confirmation leaves as it is when another call's blockConcurrencyWhile() throws",
    backend: "sqlite",
    source: cls(`  async a() { await this.ctx.storage.put("k", 1); return "a"; }
  async b() { await this.ctx.blockConcurrencyWhile(async () => { throw new Error("section fails"); }); }
  async read() { return this.ctx.storage.get("k"); }`),
    drive: async (env) => {
      const order = [];
      const stub = env.DO.getByName("g");
      await Promise.all(["a", "b"].map((m) => outcome(() => stub[m]()).then((r) => order.push([m, r]))));
      return { order, k: await env.DO.getByName("g").read() };
    },
  },
  // Seed 22: a fetch whose handler had returned its Response got it, though another event
  // reset the object in that turn; workerd sends a fetch's Response at the end of the turn (an
  // RPC result at once), so the reset error goes instead, after the aborting call's own.
  ...both({
    name: "gates fuzzed: a fetch's Response fails with the reset error when another event aborts in the turn it was returned",
    source: cls(`  async fetch(req) {
    const how = new URL(req.url).searchParams.get("how");
    if (how === "get") await this.ctx.storage.get("k");
    if (how === "write") this.ctx.storage.put("w", 1);
    if (how === "abort") { LOG.push("b aborts"); this.ctx.abort("b resets"); }
    LOG.push("a returns");
    if (how === "stream") return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("s")); c.close(); } }));
    if (how === "null") return new Response(null);
    return Response.json("a");
  }
  async a() { LOG.push("a returns"); return "a"; }
  async b(delay) {
    if (delay === "micro") for (let i = 0; i < 20; i++) await Promise.resolve();
    if (delay === "get") await this.ctx.storage.get("k");
    if (delay === "timer") await new Promise((resolve) => setTimeout(resolve, 0));
    LOG.push("b aborts");
    this.ctx.abort("b resets");
  }`, { extra: "const LOG = [];" }),
    entry: `{
  async fetch(req, env) {
    const { name, how } = await req.json();
    const r = await outcome(() => env.DO.getByName(name).fetch("http://do/?how=" + how).then((res) => res.text()));
    return Response.json(r);
  }
}`,
    services: { SELF: "test" },
    drive: `async (env) => {
  const out = {};
  const text = (r) => ("ok" in r ? r.ok : r.error.message + (r.error.remote ? " (remote)" : ""));
  const cases = [["none", "status"], ["none", "body"], ["none", "rpc"], ["none", "null"], ["none", "stream"], ["none", "write"], ["micro", "status"], ["micro", "body"],
    ["micro", "rpc"], ["get", "status"], ["get", "body"], ["timer", "status"], ["timer", "rpc"]];
  for (const [delay, how] of cases) {
    const stub = env.DO.getByName(delay + " " + how);
    LOG.length = 0;
    const a = how === "rpc" ? stub.a() : stub.fetch("http://do/?how=" + how).then((res) => { LOG.push("a headers"); return how === "status" ? res.status : res.text(); });
    await Promise.all([outcome(() => a).then((r) => LOG.push("a: " + text(r))), outcome(() => stub.b(delay)).then((r) => LOG.push("b: " + text(r)))]);
    out[delay + " " + how] = LOG.join(" | ");
  }
  // The seed's own shape: both events are fetches the main Worker makes; the first reads a key.
  for (const first of ["get", "none"]) {
    const name = "worker " + first;
    LOG.length = 0;
    const via = (how) => env.SELF.fetch("http://w/", { method: "POST", body: JSON.stringify({ name, how }) }).then((res) => res.json());
    await Promise.all([via(first).then((r) => LOG.push("a: " + text(r))), via("abort").then((r) => LOG.push("b: " + text(r)))]);
    out[name] = LOG.join(" | ");
  }
  return out;
}`,
  }),
];
