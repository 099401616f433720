// With service_binding_extra_handlers, a Durable Object's stub (and a facet's) has the Fetcher's
// scheduled() and queue() as well, but the runtime cannot deliver those events to an object:
// after the Fetcher's argument checks, both fail with an internal error, the object's methods
// of those names never run, and the object is not constructed for them. A queue event sent while
// the object has no instance breaks the stub that sent it: every later call through it (RPC or
// fetch) fails with a reset error; other stubs, and an object that is running, are unaffected.
// A stub or a service binding received over RPC (a Fetcher) has them as its receiver's Worker does.
import { cls } from "../scenario.mjs";

const SOURCE = cls(`  constructor(ctx, env) { super(ctx, env); built.push(ctx.id.name); }
  scheduled(...args) { this.log.push("scheduled " + args.length); return "object scheduled"; }
  queue(...args) { this.log.push("queue " + args.length); return "object queue"; }
  hello() { this.log.push("hello"); return "hello " + this.log.join(","); }
  get log() { return (this._log ??= []); }
  built() { return built; }
  async fetch() { return new Response("fetched " + this.log.join(",")); }
  async callOther(name, event) {
    const s = this.env.DO.getByName(name);
    return {
      event: await outcome(() => (event === "queue" ? s.queue("q", []) : s.scheduled({}))),
      next: await outcome(() => s.hello()),
      fresh: await outcome(() => this.env.DO.getByName(name).hello()),
    };
  }
  async received(other) {
    return {
      typeofs: [typeof other.scheduled, other.scheduled === other.scheduled],
      scheduled: await outcome(() => other.scheduled()),
      queue: await outcome(() => other.queue("q", [])),
      next: await outcome(() => other.hello()),
    };
  }
  async receivedService(svc) {
    return { typeofs: [typeof svc.scheduled, svc.scheduled === svc.scheduled], scheduled: await outcome(() => svc.scheduled({ scheduledTime: 5 })) };
  }
  async facet(event) {
    const f = this.ctx.facets.get("f", () => ({ class: this.ctx.exports.DO }));
    return {
      typeofs: [typeof f.scheduled, typeof f.queue, f.scheduled === f.scheduled],
      event: await outcome(() => (event === "queue" ? f.queue("q", []) : f.scheduled())),
      next: await outcome(() => f.hello()),
      parent: this.log.join(","),
    };
  }`, {
  extra: `import { WorkerEntrypoint } from "cloudflare:workers";
export class E extends WorkerEntrypoint { scheduled(controller) { return "method " + typeof controller; } }
const built = [];`,
});

const scenario = (name, drive) => ({
  name: `stub extra handlers: ${name}`,
  backend: "sqlite",
  source: SOURCE,
  compatibilityFlags: ["service_binding_extra_handlers"],
  drive,
});

export default [
  scenario("a Durable Object stub has scheduled() and queue() with the Fetcher's argument checks", async (env) => {
    const s = env.DO.getByName("a");
    return {
      typeofs: [typeof s.scheduled, typeof s.queue, typeof s.tail, s.scheduled === s.scheduled, s.queue === s.queue, "scheduled" in s, "queue" in s],
      badScheduled: await outcome(() => s.scheduled(5)),
      badQueue: await outcome(() => s.queue()),
      badMessages: await outcome(() => s.queue("q", [5])),
      next: await outcome(() => s.hello()),
    };
  }),
  scenario("scheduled() fails with an internal error, runs nothing and breaks nothing", async (env) => {
    const s = env.DO.getByName("a");
    const out = { unconstructed: await outcome(() => s.scheduled()), built: [...(await env.DO.getByName("z").built())] };
    out.next = await outcome(() => s.hello());
    out.running = await outcome(() => s.scheduled({ cron: "* * * * *", scheduledTime: 5 }));
    out.after = await outcome(() => s.hello());
    out.fetch = await outcome(async () => (await s.fetch("http://x/")).text());
    return out;
  }),
  scenario("queue() to a running object fails with an internal error and leaves it alone", async (env) => {
    const s = env.DO.getByName("b");
    await env.DO.getByName("b").hello();
    const other = env.DO.getByName("b");
    return {
      sameStub: [await outcome(() => s.hello()), await outcome(() => s.queue("q", [{ id: "m", timestamp: new Date(1), body: 1, attempts: 1 }])), await outcome(() => s.hello())],
      freshStub: [await outcome(() => other.queue("q", [])), await outcome(() => other.hello())],
    };
  }),
  scenario("queue() to an object with no instance breaks the stub that sent it", async (env) => {
    const before = env.DO.getByName("c");
    const s = env.DO.getByName("c");
    const out = { queue: await outcome(() => s.queue("q", [])) };
    const after = env.DO.getByName("c");
    out.built = [...(await env.DO.getByName("z").built())];
    out.rpc = await outcome(() => s.hello());
    out.again = await outcome(() => s.hello());
    out.fetch = await outcome(async () => (await s.fetch("http://x/")).text());
    out.before = await outcome(() => before.hello());
    out.after = await outcome(() => after.hello());
    out.stillBroken = await outcome(() => s.hello());
    out.scheduled = await outcome(() => s.scheduled());
    return out;
  }),
  scenario("the same from another object's code", async (env) => ({
    scheduled: await outcome(() => env.DO.getByName("e").callOther("f", "scheduled")),
    queue: await outcome(() => env.DO.getByName("g").callOther("h", "queue")),
  })),
  // The stub crosses RPC: ownProcess, see scenario.mjs.
  { ...scenario("a stub received over RPC, and a service binding too (Fetchers both)", async (env) => ({
    object: await env.DO.getByName("r").received(env.DO.getByName("fresh")),
    service: await env.DO.getByName("r").receivedService(env.SVC),
  })), ownProcess: true, services: { SVC: { name: "test", entrypoint: "E" } } },
  scenario("a facet's stub", async (env) => ({
    scheduled: await outcome(() => env.DO.getByName("p").facet("scheduled")),
    queue: await outcome(() => env.DO.getByName("p2").facet("queue")),
  })),
];
