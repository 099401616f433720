// A stateless Worker event (an entrypoint's RPC method, a fetch handler) whose answer nothing
// can ever produce: workerd cancels it as soon as its I/O context has nothing left that could
// run (no timer, no I/O in flight; a promise only another request could settle counts as
// nothing, nor do waitUntil promises, which do not hold the answer), failing the caller with
// "The Workers runtime canceled this request because it detected that your Worker's code had
// hung ..." (`remote` when it reaches the caller through a fetch, or through a call that
// rethrows it). A Response body that never ends is cancelled the same way. A Durable Object's
// handler, an RpcTarget's method and an event waiting on a call to an object stay pending.
// durasim cannot prove in-process that nothing will settle a promise (README, Differences from
// production): it leaves the first kind pending too. Each call is raced against a timer of the
// driver's (a pending call shows as "pending").
import { cls } from "../scenario.mjs";

const ENTRYPOINT = `import { WorkerEntrypoint } from "cloudflare:workers";
let release;
const gate = new Promise((resolve) => (release = resolve));
class Target extends RpcTarget { never() { return new Promise(() => {}); } }
export class H extends WorkerEntrypoint {
  never() { return new Promise(() => {}); }
  thenable() { return { then() {} }; }
  async awaitNever() { await new Promise(() => {}); return 1; }
  timerThenNever() { setTimeout(() => {}, 30); return new Promise(() => {}); }
  intervalThenNever() { const i = setInterval(() => {}, 20); setTimeout(() => clearInterval(i), 100); return new Promise(() => {}); }
  async crossRequest() { return await gate; }
  release() { release("released"); return "ok"; }
  async callsHangingWorker() { return await this.env.H.never(); }
  timerResolves() { return new Promise((resolve) => setTimeout(() => resolve("late"), 30)); }
  waitUntilNever() { this.ctx.waitUntil(new Promise(() => {})); return "ok"; }
  target() { return new Target(); }
  async callsHangingObject() { return await this.env.DO.getByName("c").never(); }
}`;

const SOURCE = cls(`  never() { return new Promise(() => {}); }
  async fetch() { return new Promise(() => {}); }
  hello() { return "hello"; }`, { extra: ENTRYPOINT });

const OTHER_ENTRY = `{ fetch(request) {
  const path = new URL(request.url).pathname;
  if (path === "/never") return new Promise(() => {});
  return new Response(new ReadableStream({ pull() { return new Promise(() => {}); } }));
} }`;

/** Starts every call of `calls` at once and records each outcome, or "pending" once `ms` have passed. */
const RACE = `async function raceAll(calls, ms) {
  const deadline = new Promise((resolve) => setTimeout(() => resolve("pending"), ms));
  const entries = Object.entries(calls).map(([name, f]) => [name, Promise.race([outcome(f), deadline])]);
  const out = {};
  for (const [name, p] of entries) out[name] = await p;
  return out;
}`;

const scenario = (name, drive, rest = {}) => ({
  name: `hung requests: ${name}`,
  backend: "sqlite",
  source: `${SOURCE}\n${RACE}`,
  workers: { other: { entry: OTHER_ENTRY } },
  services: { H: { name: "test", entrypoint: "H" }, SVC: "other" },
  drive,
  ...rest,
});

export default [
  scenario(
    "a stateless event nothing can answer is cancelled",
    async (env) => {
      const calls = {
        never: () => env.H.never(),
        thenable: () => env.H.thenable(),
        awaitNever: () => env.H.awaitNever(),
        timerThenNever: () => env.H.timerThenNever(),
        intervalThenNever: () => env.H.intervalThenNever(),
        crossRequest: () => env.H.crossRequest(),
        callsHangingWorker: () => env.H.callsHangingWorker(),
        fetchNever: async () => (await env.SVC.fetch("http://x/never")).text(),
        bodyNeverEnds: async () => (await env.SVC.fetch("http://x/stream")).text(),
      };
      const all = raceAll(calls, 800);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const release = await outcome(() => env.H.release());
      return { ...(await all), release };
    },
    {
      differs:
        "workerd cancels a stateless Worker event as soon as nothing in its I/O context can run any more; durasim cannot prove in-process that nothing will settle a promise (test code, Node's own I/O), so the call stays pending (README, Differences from production)",
    },
  ),
  scenario("what stays pending or answers", async (env) =>
    raceAll(
      {
        timerResolves: () => env.H.timerResolves(),
        waitUntilNever: () => env.H.waitUntilNever(),
        rpcTargetNever: async () => (await env.H.target()).never(),
        callsHangingObject: () => env.H.callsHangingObject(),
        objectNever: () => env.DO.getByName("a").never(),
        objectFetchNever: async () => (await env.DO.getByName("b").fetch("http://x/")).text(),
        objectStillServes: async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return env.DO.getByName("a").hello();
        },
      },
      500,
    ),
  ),
];
