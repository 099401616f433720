// Order of arrival at an object of fetches and RPC calls a Worker sends in one turn. An RPC
// call on a Durable Object stub first opens a session with the object, a step a fetch does not
// take, so the fetches of that turn arrive ahead of it; each kind keeps its own order, through
// one stub or several. (Found by apps-session-store.mjs's resets.) An object's fetches leave
// one step apart, which interleaves them with its RPC calls; calls into a function or RpcTarget
// it holds arrive first (MIXES pins every mix of up to four, from an object and from a Worker).
import { both, cls } from "../scenario.mjs";

const SOURCE = cls(`  log = [];
  async m(x) { this.log.push(x); return x; }
  async take() { const l = this.log; this.log = []; return l; }
  async fetch(req) { const x = new URL(req.url).pathname.slice(1); this.log.push(x); return new Response(x); }
  async relay(name) {
    // An RPC call, then a fetch sent in a later turn (after a timer): the call was sent first.
    const target = this.env.DO.getByName(name);
    const call = target.m("r1");
    await new Promise((resolve) => setTimeout(resolve, 0));
    return Promise.all([call, send(target, "f2")]);
  }
  counter() { return new Counter(this); }
  logger() { return (x) => { this.log.push(x); return x; }; }
  async sendTurns(name, turns) {
    // Each turn's messages in one turn, a timer between turns.
    const target = this.env.DO.getByName(name);
    const to = { stub: target, counter: await target.counter(), logger: await target.logger() };
    await new Promise((resolve) => setTimeout(resolve, 0));
    return sendTurns(to, turns);
  }`, {
  extra: `function send(stub, x) { return x[0] === "f" ? stub.fetch("http://x/" + x).then((r) => r.text()) : stub.m(x); }
// Logs into its object's current log (take() replaces the array).
class Counter extends RpcTarget { constructor(object) { super(); this.object = object; } hit(x) { this.object.log.push(x); return x; } }
// f: a fetch, r: an RPC call on the stub, c: a call on an RpcTarget, g: a call to a function.
function sendTo(to, x) { return x[0] === "c" ? to.counter.hit(x) : x[0] === "g" ? to.logger(x) : send(to.stub, x); }
async function sendTurns(to, turns) {
  const sent = [];
  for (const turn of turns) {
    for (const x of turn) sent.push(sendTo(to, x));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return Promise.all(sent);
}`,
});

export default [
  both({
    name: "stubs: fetches sent in one turn arrive ahead of the RPC calls sent with them",
    source: SOURCE,
    drive: async (env) => {
      const out = {};
      let i = 0;
      for (const list of [["r1", "f2"], ["r1", "r2", "f3", "r4", "f5"], ["f1", "r2", "f3"], ["f1", "f2", "r3", "r4"], ["r1", "r2"]]) {
        const stub = env.DO.getByName("o" + i++);
        await stub.take();
        out[list.join(" ")] = { results: await Promise.all(list.map((x) => send(stub, x))), arrived: await stub.take() };
      }
      const a = env.DO.getByName("stubs");
      await a.take();
      const results = await Promise.all([a.m("r1"), env.DO.getByName("stubs").fetch("http://x/f2").then((r) => r.text()), env.DO.get(env.DO.idFromName("stubs")).m("r3")]);
      out.threeStubs = { results, arrived: await a.take() };
      const later = env.DO.getByName("later");
      await later.take();
      const second = await Promise.all([later.m("r1"), Promise.resolve().then(() => send(later, "f2"))]);
      out.fetchAMicrotaskLater = { results: second, arrived: await later.take() };
      const relayed = env.DO.getByName("relayed");
      await relayed.take();
      out.fetchATurnLaterFromAnObject = { results: await env.DO.getByName("relay").relay("relayed"), arrived: await relayed.take() };
      return out;
    },
  }),
  both({
    name: "stubs: the order an object's fetches, RPC calls and capability calls arrive in",
    source: SOURCE,
    timeoutMs: 60_000,
    drive: async (env) => {
      // Every mix of two to four messages of kinds f, r, c; longer ones where an object's later
      // fetches fall behind its RPC calls; several turns; a function beside an RpcTarget.
      const mixes = [];
      const grow = (prefix) => {
        if (prefix.length >= 2) mixes.push([prefix.map((kind, i) => kind + (i + 1))]);
        if (prefix.length < 4) for (const kind of ["f", "r", "c"]) grow([...prefix, kind]);
      };
      grow([]);
      for (const line of ["r1 r2 f3 r4 f5 f6", "f1 f2 r3 f4 r5 f6 r7", "r1 r2 r3 f4 r5 f6", "r1 f2 r3 f4 r5 f6", "c1 g2 r3 f4 g5 f6 f7", "r1 | r2 f3 r4 f5", "f1 | r2 f3 r4 f5", "f1 r2 | f3 r4 | f5 r6"]) {
        mixes.push(line.split(" | ").map((turn) => turn.split(" ")));
      }
      const out = {};
      let i = 0;
      for (const fromObject of [true, false]) {
        for (const turns of mixes) {
          const name = "mix" + i++;
          const target = env.DO.getByName(name);
          let results;
          if (fromObject) {
            results = await env.DO.getByName("sender" + i).sendTurns(name, turns);
          } else {
            const to = { stub: target, counter: await target.counter(), logger: await target.logger() };
            await new Promise((resolve) => setTimeout(resolve, 0));
            results = await sendTurns(to, turns);
          }
          let arrived = (await target.take()).join(" ");
          // Each message answered with its own name: only the order differs.
          if (results.join(" ") !== turns.flat().join(" ")) arrived += " (answers: " + results.join(" ") + ")";
          out[(fromObject ? "object: " : "worker: ") + turns.map((turn) => turn.join(" ")).join(" | ")] = arrived;
        }
      }
      return out;
    },
  }),
];
