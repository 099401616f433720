// A caller giving up on a stateless Worker's fetch (its signal aborting while the handler runs)
// cancels that Worker's event, where an object's handler runs on (aborted-request-bodies.mjs):
// the event lasts only while a promise its code gave waitUntil() is pending. Until then its code
// runs on (a read of a body still being sent fails as the client is gone); once they have all
// settled, or at once without any, it ends: its timers never fire and what it awaits never settles.
// The handler is the main Worker's own, reached through a service binding to itself, so that it
// can note what it saw in a module global the driver reads (one isolate for both events).
import { cls } from "../scenario.mjs";
import { abortingBody } from "./aborted-request-bodies.mjs";

const LOG = `const log = [];
const note = (x) => { log.push(x); };`;

/** Calls SELF.fetch() with a signal that aborts: with a body (abortingBody()), after its 20th
 * chunk; without, a moment after the call. Returns what the caller saw, what the handler noted
 * within a while, and what became of the body stream. */
const drive = async (env, withBody, abortingBody) => {
  const controller = new AbortController();
  const sent = { all: false, cancelled: null };
  const body = abortingBody(controller, sent);
  if (!withBody) setTimeout(() => controller.abort(), 30);
  const init = withBody ? { method: "POST", body, signal: controller.signal } : { signal: controller.signal };
  const call = await outcome(() => env.SELF.fetch("http://x/", init).then((r) => r.text()));
  // Long enough for a handler running on to pass its timer, well short of a pending waitUntil's
  // 1.5 s (a loaded machine must not let that settle first).
  await sleep(400);
  return { call, log, sentAll: sent.all, cancelled: sent.cancelled };
};

/** Reads the request body chunk by chunk and notes how that ended. */
const READ_LOOP = `const reader = request.body.getReader();
      let bytes = 0;
      try {
        for (;;) { const { done, value } = await reader.read(); if (done) break; bytes += value.length; }
        note(["done", bytes > 1_000_000 ? "all" : "part"]);
      } catch (e) { note(["threw", e.name, e.message, e.retryable ?? null, bytes > 1_000_000 ? "all" : "part"]); }`;

const scenario = (name, handler, withBody = true) => ({
  name: `worker event cancel: ${name}`,
  backend: "sqlite",
  source: cls(`  hello() { return 1; }`, { extra: LOG }),
  services: { SELF: "test" },
  entry: `{ async fetch(request, env, ctx) {
      note("start");
      ${handler}
      return new Response("answered");
    } }`,
  drive: `async (env) => (${drive})(env, ${withBody}, ${abortingBody})`,
});

export default [
  scenario(
    "the caller aborts while the handler reads its body, nothing given to waitUntil: the read never settles",
    `setTimeout(() => note("timer"), 150);
      ${READ_LOOP}
      note("after the read");`,
  ),
  scenario(
    "the caller aborts while the handler reads its body, a waitUntil promise pending: the read fails and the handler runs on",
    `ctx.waitUntil(sleep(1500).then(() => note("waitUntil settled")));
      ${READ_LOOP}
      note(["its signal", request.signal.aborted]);
      await sleep(50);
      note("after a timer");`,
  ),
  scenario(
    "the event ends once the waitUntil promises pending at the abort settle",
    `let release;
      ctx.waitUntil(new Promise((resolve) => { release = resolve; }).then(() => note("waitUntil settled")));
      ${READ_LOOP}
      release();
      setTimeout(() => note("timer"), 0);
      await sleep(50);
      note("after a timer");`,
  ),
  scenario(
    "the caller aborts without a body while the handler waits on a timer",
    `setTimeout(() => note("other timer"), 150);
      await sleep(100);
      note("after a timer");`,
    false,
  ),
  scenario(
    "the caller aborts without a body, a waitUntil promise pending",
    `ctx.waitUntil(sleep(1500).then(() => note("waitUntil settled")));
      await sleep(100);
      note("after a timer");`,
    false,
  ),
  {
    name: "worker event cancel: the caller's reasons (a timeout, a string, an Error) while the handler waits",
    backend: "sqlite",
    source: cls(`  hello() { return 1; }`, { extra: LOG }),
    services: { SELF: "test" },
    entry: `{ async fetch(request, env, ctx) { note("start"); await sleep(3000); note("woke"); return new Response("late"); } }`,
    drive: async (env) => {
      const out = [];
      for (const make of [() => AbortSignal.timeout(20), () => AbortSignal.any([AbortSignal.timeout(20)])]) {
        out.push(await outcome(() => env.SELF.fetch("http://x/", { signal: make() })));
      }
      for (const reason of ["a string", new TypeError("typed"), 42]) {
        const controller = new AbortController();
        setTimeout(() => controller.abort(reason), 20);
        out.push(await outcome(() => env.SELF.fetch("http://x/", { signal: controller.signal })));
      }
      await sleep(100);
      return { out, log };
    },
  },
  {
    name: "worker event cancel: a reason that is no Error, aborting before the call or while the handler waits, to a Worker and to an object",
    backend: "sqlite",
    source: cls(`  async fetch() { await sleep(3000); return new Response("late"); }`, { extra: LOG }),
    services: { SELF: "test" },
    entry: `{ async fetch(request, env, ctx) { await sleep(3000); return new Response("late"); } }`,
    drive: async (env) => {
      const out = {};
      for (const [name, fetcher] of [["worker", env.SELF], ["object", env.DO.getByName("a")]]) {
        for (const reason of ["a string", 42, undefined, null]) {
          const key = name + " " + String(reason);
          out[key + " before"] = await outcome(() => fetcher.fetch("http://x/", { signal: AbortSignal.abort(reason) }));
          const controller = new AbortController();
          setTimeout(() => controller.abort(reason), 20);
          out[key + " while"] = await outcome(() => fetcher.fetch("http://x/", { signal: controller.signal }));
        }
      }
      return out;
    },
  },
];
