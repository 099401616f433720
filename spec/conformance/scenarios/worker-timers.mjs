// A stateless Worker event's timers: a Worker's fetch handler or entrypoint method (not a
// Durable Object) sets timers; which of them fire once the event has ended (its response sent,
// its result returned, its waitUntil promises settled)? The Worker keeps what fired in a
// module-level log that a later call reads. Every wait is far longer than the timers it
// outlasts, and nothing depends on how late a timer fires.
import { cls } from "../scenario.mjs";

const mainSource = cls(`  async hello() { return "hi"; }`);

const TIMED = {
  source: `import { WorkerEntrypoint, waitUntil as globalWaitUntil } from "cloudflare:workers";
const log = [];
export class Timed extends WorkerEntrypoint {
  log() { return log.splice(0); }
  // Answers at once; a timer set before answering.
  async answerAtOnce() {
    setTimeout(() => log.push("after the answer"), 30);
    return "answered";
  }
  // Answers after one timer; a timer set before it fires while the method still runs.
  async answerLater() {
    setTimeout(() => log.push("while running"), 10);
    await sleep(60);
    setTimeout(() => log.push("set last"), 30);
    return "answered";
  }
  // An interval whose second tick settles a waitUntil promise; another timer far later.
  async intervalWithWaitUntil(viaGlobal) {
    let ticks = 0;
    let settle;
    const keep = new Promise((resolve) => (settle = resolve));
    const id = setInterval(() => {
      log.push("tick " + ++ticks);
      if (ticks === 2) settle();
      if (ticks === 10) clearInterval(id);
    }, 40);
    setTimeout(() => log.push("far later"), 300);
    if (viaGlobal) globalWaitUntil(keep);
    else this.ctx.waitUntil(keep);
    return "answered";
  }
  // A stream written whole, returned after computing past a timer that then fell due.
  async busyStream() {
    setTimeout(() => log.push("due before the streamed result"), 1);
    let spin = 0;
    for (let i = 0; i < 3e7; i++) spin = (spin + i) % 7;
    const bytes = new TextEncoder().encode("streamed " + spin);
    return new ReadableStream({ start(controller) { controller.enqueue(bytes); controller.close(); } });
  }
  // A stream written by timers after the method has returned.
  async timedStream() {
    const encoder = new TextEncoder();
    setTimeout(() => log.push("beside the stream"), 300);
    return new ReadableStream({
      start(controller) {
        setTimeout(() => controller.enqueue(encoder.encode("a")), 20);
        setTimeout(() => { controller.enqueue(encoder.encode("b")); controller.close(); }, 60);
      },
    });
  }
}`,
  entry: `class extends WorkerEntrypoint {
  async fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/plain") {
      setTimeout(() => log.push("after the response"), 30);
      return new Response("plain");
    }
    if (path === "/busy") {
      // A timer that falls due while the handler still computes: the response is written before
      // the runtime looks at the clock again, so the event ends first.
      setTimeout(() => log.push("due before the response"), 1);
      let spin = 0;
      for (let i = 0; i < 3e7; i++) spin = (spin + i) % 7;
      return new Response("busy " + spin);
    }
    if (path === "/busy-stream") {
      // The same, answered with a stream already written whole: it is pumped out as ready work too.
      setTimeout(() => log.push("due before the streamed response"), 1);
      let spin = 0;
      for (let i = 0; i < 3e7; i++) spin = (spin + i) % 7;
      const bytes = new TextEncoder().encode("streamed " + spin);
      return new Response(new ReadableStream({ start(controller) { controller.enqueue(bytes); controller.close(); } }));
    }
    // The body is written by timers after the handler has returned.
    const { readable, writable } = new TransformStream();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    setTimeout(() => { log.push("during the body"); writer.write(encoder.encode("a")); }, 20);
    setTimeout(() => { writer.write(encoder.encode("b")); writer.close(); }, 60);
    setTimeout(() => log.push("after the body"), 300);
    return new Response(readable);
  }
}`,
};


/** A scenario whose main Worker reaches the timed Worker's default export (SVC) and its Timed entrypoint (TIMED). */
const timed = (name, drive) => ({
  name: `worker timers: ${name}`,
  backend: "kv",
  source: mainSource,
  workers: { timed: TIMED },
  services: { SVC: "timed", TIMED: { name: "timed", entrypoint: "Timed" } },
  timeoutMs: 8000,
  drive,
});

/** A Worker whose timer callbacks throw (or reject) while its event still runs. */
const THROWING = {
  source: `const log = [];
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));`,
  entry: `{
  async fetch(req) {
    setTimeout(() => { throw new Error("thrown in a fetch handler's timer"); }, 10);
    await wait(60);
    return new Response("answered");
  },
  async throwing(x) {
    setTimeout(() => { log.push("before the throw"); throw new RangeError("thrown in a method's timer"); }, 10);
    setTimeout(() => log.push("a later timer"), 30);
    await wait(60);
    return log.splice(0);
  },
  async rejecting(x) {
    setTimeout(async () => { throw new TypeError("rejected in a method's timer"); }, 10);
    await wait(60);
    return "answered";
  },
}`,
};

export default [
  timed(
    "a fetch handler's timers end with its response", `async (env) => {
      const plain = await (await env.SVC.fetch("http://w/plain")).text();
      await sleep(200);
      const afterPlain = await env.TIMED.log();
      const streamed = await (await env.SVC.fetch("http://w/stream")).text();
      await sleep(400);
      return { plain, afterPlain, streamed, afterStream: await env.TIMED.log() };
    }`,
  ),
  timed(
    "a timer that fell due while the fetch handler computed ends with its response, unfired", `async (env) => {
      const busy = await (await env.SVC.fetch("http://w/busy")).text();
      await sleep(200);
      return { busy, after: await env.TIMED.log() };
    }`,
  ),
  timed(
    "a timer that fell due while the fetch handler computed ends with its streamed response, unfired", `async (env) => {
      const busy = await (await env.SVC.fetch("http://w/busy-stream")).text();
      await sleep(200);
      return { busy, after: await env.TIMED.log() };
    }`,
  ),
  timed(
    "a timer that fell due while an entrypoint method computed ends with the stream it returned, unfired", `async (env) => {
      const busy = await new Response(await env.TIMED.busyStream()).text();
      await sleep(200);
      return { busy, after: await env.TIMED.log() };
    }`,
  ),
  timed(
    "an entrypoint method's timers end with its result", `async (env) => {
      const atOnce = await env.TIMED.answerAtOnce();
      await sleep(200);
      const afterAtOnce = await env.TIMED.log();
      const later = await env.TIMED.answerLater();
      await sleep(200);
      return { atOnce, afterAtOnce, later, afterLater: await env.TIMED.log() };
    }`,
  ),
  timed(
    "waitUntil keeps an entrypoint's timers running until it settles", `async (env) => {
      const result = await env.TIMED.intervalWithWaitUntil(false);
      await sleep(400);
      const viaCtx = await env.TIMED.log();
      await env.TIMED.intervalWithWaitUntil(true);
      await sleep(400);
      return { result, viaCtx, viaGlobal: await env.TIMED.log() };
    }`,
  ),
  timed(
    "a stream an entrypoint returns is written by its timers", `async (env) => {
      const stream = await env.TIMED.timedStream();
      const text = await outcome(() => new Response(stream).text());
      await sleep(400);
      return { text, log: await env.TIMED.log() };
    }`,
  ),
  {
    name: "worker timers: a timer callback that throws is only logged; its event goes on",
    backend: "kv",
    source: mainSource,
    workers: { throwing: THROWING },
    services: { SVC: "throwing" },
    drive: async (env) => ({
      fetch: await outcome(async () => (await env.SVC.fetch("http://w/")).text()),
      throwing: await outcome(() => env.SVC.throwing(1)),
      rejecting: await outcome(() => env.SVC.rejecting(1)),
    }),
  },
];
