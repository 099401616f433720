// AsyncLocalStorage (node:async_hooks, under nodejs_als) across calls: each event delivered to
// a Durable Object starts without its caller's stores, whoever the caller is and whichever
// caller first reached the object; a store the object's own code sets reaches that code's
// continuations (after storage I/O, timers, calls to other objects, a critical section).
import { both } from "../scenario.mjs";

const IMPORTS = `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { AsyncLocalStorage } from "node:async_hooks";
const als = new AsyncLocalStorage();
const store = () => String(als.getStore());`;

/** What a method sees: at its start, after storage I/O, after a timer. */
const SEEN = `  async seen() {
    const start = store();
    await this.ctx.storage.get("k");
    const afterStorage = store();
    await sleep(1);
    return { start, afterStorage, afterTimer: store() };
  }`;

const source = (body) => `${IMPORTS}
export class DO extends DurableObject {
  constructor(ctx, env) { super(ctx, env); this.constructedIn = store(); }
  constructorSaw() { return this.constructedIn; }
${SEEN}
  async fetch(request) { return Response.json({ fetch: store() }); }
${body}
}
`;

const flags = { compatibilityFlags: ["nodejs_als"] };

export default [
  both({
    name: "async-context: a Worker's calls inside als.run do not carry its store into the object",
    source: source(""),
    drive: async (env) => {
      const s = env.DO.getByName("worker-caller");
      // The first call reaches (and constructs) the object inside the caller's store.
      const first = await als.run("caller", () => s.seen());
      const later = await s.seen();
      const other = await als.run("other", () => s.seen());
      const fetched = await als.run("caller", async () => (await s.fetch("http://x/")).json());
      const constructorSaw = await s.constructorSaw();
      // The caller's own continuation keeps its store across the call.
      const callerAfterCall = await als.run("caller", async () => {
        await s.seen();
        return String(als.getStore());
      });
      return { first, later, other, fetched, constructorSaw, callerAfterCall, driverOutside: String(als.getStore()) };
    },
    ...flags,
  }),
  {
    name: "async-context: an object calling another inside als.run does not carry its store into the callee",
    backend: "sqlite",
    source: source(`  async callOther(name) {
    return als.run("from-caller", async () => {
      const callee = await this.env.DO.getByName(name).seen();
      const afterCall = store();
      const calleeConstructorSaw = await this.env.DO.getByName(name).constructorSaw();
      return { callee, afterCall, calleeConstructorSaw, afterSecondCall: store() };
    });
  }`),
    drive: async (env) => {
      const a = env.DO.getByName("caller");
      return {
        fresh: await a.callOther("callee"),
        again: await a.callOther("callee"),
        direct: await env.DO.getByName("callee").seen(),
        callerLater: await a.seen(),
      };
    },
    ...flags,
  },
  both({
    name: "async-context: a store set inside a method reaches its own continuations and no other event",
    source: source(`  async inner() {
    return als.run("inner", async () => {
      const out = { start: store() };
      await this.ctx.storage.put("k", 1);
      out.afterPut = store();
      await sleep(1);
      out.afterTimer = store();
      out.timerCallback = await new Promise((resolve) => setTimeout(() => resolve(store()), 1));
      out.inCriticalSection = await this.ctx.blockConcurrencyWhile(async () => {
        await sleep(1);
        return store();
      });
      out.afterCriticalSection = store();
      out.microtask = await new Promise((resolve) => queueMicrotask(() => resolve(store())));
      return out;
    });
  }
  // A timer set inside a store fires while another critical section holds the gate: it runs
  // once the gate lets it in, still inside its store.
  async timerBehindGate() {
    const fired = als.run("timer", () => new Promise((resolve) => setTimeout(() => resolve(store()), 5)));
    await this.ctx.blockConcurrencyWhile(() => sleep(30));
    return { timer: await fired, method: store() };
  }`),
    drive: async (env) => {
      const s = env.DO.getByName("inner");
      return {
        inner: await s.inner(),
        next: await s.seen(),
        timerBehindGate: await s.timerBehindGate(),
        nextAgain: await s.seen(),
      };
    },
    ...flags,
  }),
  both({
    name: "async-context: concurrent callers with different stores: the object sees none of them",
    source: source(`  async slow(ms) {
    const start = store();
    await sleep(ms);
    return { start, after: store() };
  }`),
    drive: async (env) => {
      const s = env.DO.getByName("two-callers");
      const [a, b, c] = await Promise.all([
        als.run("a", async () => ({ got: await s.slow(10), caller: String(als.getStore()) })),
        als.run("b", async () => ({ got: await s.slow(1), caller: String(als.getStore()) })),
        als.run("c", async () => ({ got: await s.seen(), caller: String(als.getStore()) })),
      ]);
      return { a, b, c, constructorSaw: await s.constructorSaw() };
    },
    ...flags,
  }),
  {
    name: "async-context: a Worker's call to a service binding inside als.run does not carry its store",
    backend: "kv",
    source: source(""),
    entry: `class extends WorkerEntrypoint {
  async probe() {
    const start = store();
    await sleep(1);
    return { start, afterTimer: store() };
  }
  async fetch(request) { return Response.json({ fetch: store() }); }
}`,
    services: { SELF: "test" },
    drive: async (env) => ({
      rpc: await als.run("caller", () => env.SELF.probe()),
      fetch: await als.run("caller", async () => (await env.SELF.fetch("http://self/")).json()),
      rpcAgain: await env.SELF.probe(),
    }),
    ...flags,
  },
];
