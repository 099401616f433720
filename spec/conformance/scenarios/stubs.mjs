// Checklist §10.3: stubs (shape, laziness, E-order) and stub.fetch.
import { cls, both } from "../scenario.mjs";
import { TICKS_SHORTENED } from "./microtasks.mjs";

// Module-level counters are visible to the driver: the driver runs in the same module.
const counted = `let constructed = 0;\n${cls(`  constructor(ctx, env) { super(ctx, env); constructed++; }
  async hello() { return constructed; }`)}`;

/**
 * Where an awaited call settles among microtasks queued around it: a chain t1..t40 started
 * before the call, a plain async function awaited beside it ("plain"), and the call ("call").
 * Runs of ticks are shortened ("t1..t40"). Made by object code or by Worker code (the driver
 * runs as the main Worker's fetch handler), to an object, an RpcTarget or a Worker, the call is
 * I/O: it settles once the microtask queue has drained. (In durasim a call from test code,
 * outside any Worker event, is served within the microtask queue: README "Differences from
 * production".)
 */
const ORDER = `async function order(stub, call) {
  const log = [];
  const chain = (n) => { if (n <= 40) Promise.resolve().then(() => { log.push("t" + n); chain(n + 1); }); };
  chain(1);
  const plain = (async () => { await (async (x) => x)(1); log.push("plain"); })();
  const called = (async () => { await call(stub); log.push("call"); })();
  await Promise.all([plain, called]);
  return ticksShortened(log);
}
${TICKS_SHORTENED}`;

export default [
  both({
    name: "stubs: own keys, not thenable, wildcard properties",
    source: cls(`  async hello() { return "hi"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("k");
      const unique = env.DO.get(env.DO.newUniqueId());
      return {
        keys: Object.keys(stub),
        uniqueKeys: Object.keys(unique),
        then: typeof stub.then,
        thenIn: "then" in stub,
        awaitedIsSelf: (await stub) === stub,
        anything: typeof stub.anything,
        sameProperty: stub.anything === stub.anything,
        dispose: typeof stub[Symbol.dispose],
        idType: Object.prototype.toString.call(stub.id),
        idStable: stub.id === stub.id,
        typeofStub: typeof stub,
      };
    },
  }),
  {
    name: "stubs: creating stubs and ids never constructs the object",
    backend: "sqlite",
    source: counted,
    drive: async (env) => {
      env.DO.getByName("lazy");
      env.DO.get(env.DO.idFromName("lazy"));
      const before = constructed;
      const first = await env.DO.getByName("lazy").hello();
      const second = await env.DO.getByName("lazy").hello();
      return { before, first, second, after: constructed };
    },
  },
  both({
    name: "stubs: calls on one stub are delivered in call order",
    source: cls(`  log = [];
  async push(i) { this.log.push(i); await new Promise((r) => setTimeout(r, (7 - i) % 3)); return i; }
  async read() { return this.log; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("order");
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stub.push(i)));
      return { results, log: await stub.read() };
    },
  }),
  {
    name: "stubs: fetch round trip (method, url, headers, body, status)",
    backend: "sqlite",
    source: cls(`  async fetch(req) {
    const body = await req.text();
    return new Response(JSON.stringify({ method: req.method, url: req.url, h: req.headers.get("x-a"), body }),
      { status: 201, headers: { "x-b": "2" } });
  }`),
    drive: async (env) => {
      const res = await env.DO.getByName("f").fetch("https://any.host/p?q=1", { method: "POST", headers: { "x-a": "1" }, body: "payload" });
      return { status: res.status, xb: res.headers.get("x-b"), body: await res.json() };
    },
  },
  {
    name: "stubs: fetch with a Request object and with a relative URL",
    backend: "kv",
    source: cls(`  async fetch(req) { return new Response(req.url); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("f");
      return {
        request: await outcome(async () => (await stub.fetch(new Request("http://x/y"))).text()),
        relative: await outcome(async () => (await stub.fetch("/y")).text()),
        noScheme: await outcome(async () => (await stub.fetch("example.com/y")).text()),
      };
    },
  },
  both({
    name: "stubs: fetch on a class without fetch()",
    source: cls(`  async hello() { return "hi"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("nofetch");
      const r = await outcome(async () => (await stub.fetch("http://x/")).status);
      return { fetch: r, stillWorks: await stub.hello() };
    },
  }),
  {
    name: "stubs: fetch handler that throws",
    backend: "sqlite",
    source: cls(`  async fetch(req) { throw new RangeError("fetch exploded"); }
  async hello() { return "alive"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("ft");
      return { fetch: await outcome(() => stub.fetch("http://x/")), after: await outcome(() => stub.hello()) };
    },
  },
  {
    name: "stubs: fetch handler returning a non-Response",
    backend: "sqlite",
    source: cls(`  async fetch(req) { return "not a response"; }`),
    drive: async (env) => ({ fetch: await outcome(async () => (await env.DO.getByName("nr").fetch("http://x/")).status) }),
  },
  {
    name: "stubs: a stub passed over RPC stays callable but loses id and name",
    backend: "sqlite",
    ownProcess: true,
    source: cls(`  async who() { return this.ctx.id.name ?? null; }
  async relay(other) { return { who: await other.who(), id: typeof other.id, name: typeof other.name }; }`),
    drive: async (env) => env.DO.getByName("relay").relay(env.DO.getByName("target")),
  },
  {
    name: "stubs: one object calls another through env",
    backend: "kv",
    source: cls(`  async who() { return this.ctx.id.name; }
  async ask(name) { return "via " + this.ctx.id.name + ": " + await this.env.DO.getByName(name).who(); }`),
    drive: async (env) => env.DO.getByName("first").ask("second"),
  },
  {
    name: "stubs: an awaited call's result, and its order among microtasks",
    backend: "sqlite",
    source: cls(`  hello(x) { return x; }
  target() { return new Target(); }
  async fromObject() {
    return order(this.env.DO.getByName("other"), (s) => s.hello(1));
  }`, { extra: `${ORDER}\nclass Target extends RpcTarget { hello(x) { return x; } }` }),
    workers: {
      svc: {
        source: 'import { RpcTarget } from "cloudflare:workers";\nclass Target extends RpcTarget { hello(x) { return x; } }',
        entry: "{ async hello(x) { return x; }, async target() { return new Target(); } }",
      },
    },
    services: { SVC: "svc" },
    drive: `async function drive(env) {
  const stub = env.DO.getByName("m");
  const p = stub.hello(0);
  const facts = {
    sameMethod: stub.hello === stub.hello,
    typeofResult: typeof p,
    isPromise: p instanceof Promise,
    sameThen: p.then === p.then,
    thenType: typeof p.then,
    thenIsOwn: Object.prototype.hasOwnProperty.call(p, "then"),
    pipelinedType: typeof p.anything,
    samePipelined: p.anything === p.anything,
  };
  facts.awaited = await p;
  facts.insideObject = await stub.fromObject();
  facts.fromWorker = await order(stub, (s) => s.hello(1));
  const target = await stub.target();
  facts.fromWorkerToTarget = await order(target, (t) => t.hello(1));
  facts.fromWorkerToService = await order(env.SVC, (svc) => svc.hello(1));
  const workerTarget = await env.SVC.target(null);
  facts.fromWorkerToWorkersTarget = await order(workerTarget, (t) => t.hello(1));
  return facts;
}`,
  },
];
