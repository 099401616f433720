// More of a Worker's entry points through service bindings: the handler names a Fetcher has
// with and without the flag service_binding_extra_handlers (without it `scheduled` and `queue`
// are plain RPC methods), bad queue messages, props as each call's ctx sees them, and
// request.cf as an object's fetch() handler receives it (frozen; copies and clones are not).

const SOURCE = `import { DurableObject } from "cloudflare:workers";
export class DO extends DurableObject { hi() { return "hi"; } }
`;

const EVENTS_CLASS = `import { WorkerEntrypoint } from "cloudflare:workers";
export class Events extends WorkerEntrypoint {
  scheduled(x, ...rest) { return { called: "scheduled", x, rest: rest.length }; }
  queue(name, messages) { return { called: "queue", name, messages }; }
  tail(events) { return { called: "tail", events }; }
  trace(traces) { return { called: "trace", traces }; }
  email(message) { return { called: "email", message }; }
  test(c) { return { called: "test", c }; }
}`;

const EVENTS_DRIVE = async (env) => {
  const members = {};
  for (const k of ["fetch", "connect", "scheduled", "queue", "tail", "trace", "email", "test", "getRpcMethodForTestOnly"]) members[k] = typeof env.EV[k];
  const calls = {};
  for (const [k, args] of [["scheduled", [{ cron: "x" }]], ["queue", ["q", [1]]], ["tail", [[1]]], ["trace", [[2]]], ["email", [{ from: "a" }]], ["test", [3]]]) calls[k] = await outcome(() => env.EV[k](...args));
  const ok = { id: "a", timestamp: 0, attempts: 1, body: 1 };
  for (const [k, list] of [["queueNull", [ok, null]], ["queueUndefined", [undefined]], ["queueString", [ok, ok, "s"]]]) calls[k] = await outcome(() => env.EV.queue("q", list));
  return { members, calls };
};

/** Binding EV to entrypoint Events of another Worker, driven by EVENTS_DRIVE, with the main Worker's `flags`. */
const eventsScenario = (name, flags) => ({
  name: `worker odd exports: ${name}`,
  backend: "kv",
  compatibilityFlags: flags,
  source: SOURCE,
  workers: { ev: { source: EVENTS_CLASS, entry: `{ async fetch() { return new Response("x"); } }` } },
  services: { EV: { name: "ev", entrypoint: "Events" } },
  drive: EVENTS_DRIVE,
});

export default [
  eventsScenario("a Fetcher's handler names without service_binding_extra_handlers: scheduled, queue, tail, trace and email are RPC methods", []),
  eventsScenario("a Fetcher's handler names with service_binding_extra_handlers: which are the runtime's events and which stay RPC", ["service_binding_extra_handlers"]),
  {
    name: "worker odd exports: props as each call's ctx has them: a copy per call, writable, Dates and Maps kept, absent props",
    backend: "kv",
    source: SOURCE,
    workers: {
      props: {
        source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class P extends WorkerEntrypoint {
  look() {
    const p = this.ctx.props;
    const seen = { frozen: Object.isFrozen(p), before: JSON.stringify(p), when: Object.prototype.toString.call(p.when), map: p.map instanceof Map ? [...p.map] : null, same: p === this.ctx.props, own: Object.getOwnPropertyDescriptor(this.ctx, "props") ? "own" : "inherited" };
    p.added = (p.added ?? 0) + 1;
    seen.after = p.added;
    return seen;
  }
}`,
        entry: `{ async fetch() { return new Response("x"); } }`,
      },
    },
    services: { P: { name: "props", entrypoint: "P", props: { n: 1 } }, NONE: { name: "props", entrypoint: "P" } },
    drive: async (env) => ({
      first: await outcome(() => env.P.look()),
      second: await outcome(() => env.P.look()),
      none: await outcome(() => env.NONE.look()),
    }),
  },
  {
    name: "worker odd exports: request.cf as an object's fetch() receives it through a binding: a copy per read or not, writable, carried by new Request() and clone()",
    backend: "kv",
    source: SOURCE,
    workers: {
      cf: {
        source: "",
        entry: `{
  async fetch(req) {
    const cf = req.cf;
    if (cf === undefined) return Response.json({ cf: "undefined" });
    const same = cf === req.cf;
    let write; try { cf.added = 1; write = req.cf.added ?? "not kept"; } catch (e) { write = e.name; }
    const made = new Request("http://x/", { cf: { a: { b: 1 } } });
    const frozen = (r) => r.cf === undefined ? "none" : [Object.isFrozen(r.cf), Object.values(r.cf).map((v) => typeof v === "object" ? Object.isFrozen(v) : "-"), r.cf === r.cf];
    return Response.json({ cf, same, write, frozen: frozen(req), copied: new Request(req).cf ?? "none", copiedFrozen: frozen(new Request(req)), cloned: req.clone().cf ?? "none", clonedFrozen: frozen(req.clone()), made: frozen(made), madeClone: frozen(made.clone()), proto: Object.getPrototypeOf(cf) === Object.prototype });
  },
}`,
      },
    },
    services: { CF: "cf" },
    drive: async (env) => {
      const ask = (init) => outcome(async () => (await env.CF.fetch("http://svc/", init)).json());
      return {
        none: await ask(undefined),
        given: await ask({ cf: { colo: "AMS", nested: { a: [1] } } }),
        fromRequest: await outcome(async () => (await env.CF.fetch(new Request("http://svc/", { cf: { from: "request" } }))).json()),
        overridden: await outcome(async () => (await env.CF.fetch(new Request("http://svc/", { cf: { from: "request" } }), { cf: { from: "init" } })).json()),
      };
    },
  },
  {
    name: "worker odd exports: request.cf as a Durable Object's fetch() receives it from stub.fetch(): frozen, clones and copies not",
    backend: "sqlite",
    source: `import { DurableObject } from "cloudflare:workers";
export class DO extends DurableObject {
  fetch(req) {
    const frozen = (r) => r.cf === undefined ? "none" : [Object.isFrozen(r.cf), Object.isFrozen(r.cf.nested ?? {}), r.cf === r.cf];
    let write; try { req.cf.added = 1; write = "written"; } catch (e) { write = e.name; }
    return Response.json({ received: frozen(req), write, clone: frozen(req.clone()), copy: frozen(new Request(req)) });
  }
}`,
    drive: async (env) => outcome(async () => (await env.DO.getByName("cf").fetch("http://do/", { cf: { colo: "AMS", nested: { a: 1 } } })).json()),
  },
];
