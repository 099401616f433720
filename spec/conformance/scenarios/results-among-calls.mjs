// When a caller's continuation runs among a stream of RPC calls it sends one object in one
// turn. workerd starts the object's calls one event-loop turn apart, so the result of each
// reaches the caller while the later ones still run: a Worker sees the first result after the
// object has run the second call, an object after the third. Fetches sent together run back to
// back. The object and the driver share the module's LOG (one isolate on both sides): "endN"
// is logged by the object as call N ends, "doneN" by the caller as its result arrives.
import { both, cls } from "../scenario.mjs";

const SOURCE = cls(`  async put(i) { await this.ctx.storage.put("k" + i, i); LOG.push("end" + i); return i; }
  async putUnawaited(i) { this.ctx.storage.put("k" + i, i); LOG.push("end" + i); return i; }
  putSync(i) { this.ctx.storage.put("k" + i, i); LOG.push("end" + i); return i; }
  async reads(i) { LOG.push("start" + i); await this.ctx.storage.get("x"); await this.ctx.storage.get("x"); LOG.push("end" + i); return i; }
  async plain(i) { LOG.push("end" + i); return i; }
  plainSync(i) { LOG.push("end" + i); return i; }
  async fetch(req) { const i = new URL(req.url).searchParams.get("i"); await this.ctx.storage.put("k" + i, i); LOG.push("end" + i); return new Response(i); }
  async relay(name, plan) { return runPlan(this.env.DO, name, plan); }`, {
  extra: `const LOG = [];
// plan: "method:i" steps sent in one turn ("fetch:i": a fetch; "b/method:i": to another
// object), "tick" a microtask that logs "mt".
async function runPlan(ns, name, plan) {
  LOG.length = 0;
  const all = [];
  for (const step of plan.split(" ")) {
    if (step === "tick") {
      Promise.resolve().then(() => LOG.push("mt"));
      continue;
    }
    const [target, what] = step.includes("/") ? step.split("/") : ["", step];
    const stub = ns.getByName(name + target);
    const [method, i] = what.split(":");
    const result = method === "fetch" ? stub.fetch("http://x/?i=" + i) : stub[method](i);
    all.push(result.then(() => LOG.push("done" + i)));
  }
  await Promise.all(all);
  return LOG.join(" ");
}`,
});

const RPC = ["put", "putUnawaited", "putSync", "reads", "plain", "plainSync"].map((m) => [0, 1, 2, 3, 4, 5].map((i) => m + ":" + i).join(" "));
const PLANS = [
  ...RPC,
  "plain:0 plain:1 plain:2 plain:3 tick",
  "plain:0 b/plain:1 c/plain:2 d/plain:3",
];
// From a Worker only: an object's fetches and a Worker's calls alternating between two objects
// arrive otherwise (README, "Differences from production").
const WORKER_PLANS = ["fetch:0 fetch:1 fetch:2 fetch:3 fetch:4 fetch:5"];
const OBJECT_PLANS = ["plain:0 b/plain:1 plain:2 b/plain:3 plain:4 b/plain:5"];

export default both({
  name: "order: results of a stream of calls to one object reach the caller among the later calls",
  source: SOURCE,
  timeoutMs: 30_000,
  drive: `async (env) => {
    const out = {};
    let k = 0;
    const run = async (from, plan) => {
      const name = "o" + k++;
      // Every object the plan reaches exists already: constructing one takes turns of its own.
      for (const other of ["", "b", "c", "d"]) await env.DO.getByName(name + other).plain(-1);
      out[from + ": " + plan] = from === "worker" ? await runPlan(env.DO, name, plan) : await env.DO.getByName("sender" + k).relay(name, plan);
    };
    for (const plan of ${JSON.stringify([...PLANS, ...WORKER_PLANS])}) await run("worker", plan);
    for (const plan of ${JSON.stringify([...PLANS, ...OBJECT_PLANS])}) await run("object", plan);
    return out;
  }`,
});
