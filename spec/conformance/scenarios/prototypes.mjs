// The order of own keys on the runtime's API prototypes, `constructor` included: what
// Object.getOwnPropertyNames / Reflect.ownKeys / for-in-free reflection (a test that prints a
// prototype, a mock generator that walks it) see, prototype by prototype up to
// Object.prototype / Function.prototype / EventTarget.prototype / Event.prototype (Node's own). shapes.mjs records the members sorted; this records
// them in the runtime's order with their kind and flags.
import { cls } from "../scenario.mjs";

/** chain(o): for each prototype of `o` (and `o` itself), its own keys in order with kind and
 * flags; symbol keys only when well-known. */
function chain(o) {
  // Named here: Node 20's Symbol.dispose is its own polyfill symbol, printed differently.
  const wellKnown = new Map([[Symbol.iterator, "@@iterator"], [Symbol.asyncIterator, "@@asyncIterator"], [Symbol.toStringTag, "@@toStringTag"],
    [Symbol.dispose, "@@dispose"], [Symbol.asyncDispose, "@@asyncDispose"], [Symbol.toPrimitive, "@@toPrimitive"]]);
  const stop = [Object.prototype, Function.prototype, Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), EventTarget.prototype, Event.prototype];
  const out = [Object.prototype.toString.call(o)];
  for (let p = o; p && !stop.includes(p); p = Object.getPrototypeOf(p)) {
    const keys = [];
    for (const k of Reflect.ownKeys(p)) {
      if (typeof k === "symbol" && !wellKnown.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(p, k);
      const kind = "value" in d ? (typeof d.value === "function" ? `fn/${d.value.length}` : typeof d.value) : `${d.get ? "get" : ""}${d.set ? "set" : ""}`;
      keys.push(`${typeof k === "symbol" ? wellKnown.get(k) : k} ${kind} ${d.enumerable ? "e" : "-"}${d.configurable ? "c" : "-"}${"value" in d ? (d.writable ? "w" : "-") : ""}`);
    }
    out.push(keys);
  }
  return out;
}

const HELPER = String(chain);

const source = `${HELPER}\n${cls(`  async fetch() { return new Response("x"); }
  async webSocketMessage() {}
  hello() { return "hi"; }
  fn() { return (x) => x; }
  target() { return new T(); }
  async inside() {
    const s = this.ctx.storage;
    const r = {};
    r.ctx = chain(this.ctx);
    r.self = chain(Object.getPrototypeOf(Object.getPrototypeOf(this)));
    r.storage = chain(s);
    r.txn = await s.transaction(async (t) => chain(t));
    r.id = chain(this.ctx.id);
    r.namespace = chain(this.env.DO);
    r.stub = chain(this.env.DO.getByName("other"));
    let sql;
    try { sql = s.sql; } catch {}
    if (sql) {
      sql.exec("CREATE TABLE IF NOT EXISTS t (a)");
      const c = sql.exec("SELECT * FROM t");
      r.sql = chain(sql);
      r.cursor = chain(c);
      r.raw = chain(sql.exec("SELECT 1").raw());
      r.kv = chain(s.kv);
      r.kvIterator = chain(s.kv.list());
    }
    r.pair = chain(new WebSocketPair());
    r.rpcTarget = chain(Object.getPrototypeOf(new T()));
    r.entrypoint = chain(WorkerEntrypoint.prototype);
    return r;
  }
  webSockets() {
    return { webSocket: chain(new WebSocketPair()[0]), autoResponse: chain(new WebSocketRequestResponsePair("a", "b")) };
  }`, { extra: 'import { WorkerEntrypoint } from "cloudflare:workers";\nclass T extends RpcTarget { m() { return 1; } }' })}`;

const drive = async (env) => {
  const stub = env.DO.getByName("a");
  const r = { inside: await stub.inside() };
  r.namespace = chain(env.DO);
  r.id = chain(env.DO.idFromName("n"));
  r.uniqueId = chain(env.DO.newUniqueId());
  r.stub = chain(stub);
  const p = stub.hello();
  r.rpcPromise = chain(p);
  await p;
  r.rpcProperty = chain(stub.hello);
  const f = await stub.fn();
  r.functionStub = chain(f);
  const t = await stub.target();
  r.targetStub = chain(t);
  return r;
};

/** Entrypoint ctx, tracing and spans, alarmInfo, the events a WebSocket dispatches, exports' bindings. */
const moreSource = `import { DurableObject, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";
${HELPER}
let alarmInfo;
export class DO extends DurableObject {
  async arm() { await this.ctx.storage.setAlarm(Date.now()); }
  alarm(info) { alarmInfo = chain(info); }
  async events() {
    const [a, b] = new WebSocketPair();
    a.accept();
    b.accept();
    const seen = {};
    // After the close handshake an accept()ed end gets an error event ("Network connection lost.").
    const got = new Promise((resolve) => {
      a.addEventListener("message", (e) => { seen.message = chain(e); });
      a.addEventListener("close", (e) => { seen.close = chain(e); });
      a.addEventListener("error", (e) => { seen.error = chain(e); seen.errorFields = [e.filename, e.message, e.lineno, e.colno, String(e.error)]; resolve(); });
      setTimeout(resolve, 1000);
    });
    b.send("hi");
    b.close(1000, "bye");
    await got;
    return seen;
  }
}
export class Handlers extends WorkerEntrypoint {
  async scheduled(controller) { globalThis.scheduledSeen = chain(controller); }
  async queue(batch) { globalThis.queueSeen = { batch: chain(batch), message: chain(batch.messages[0]) }; }
}
export class Named extends WorkerEntrypoint {
  async orders() {
    const t = this.ctx.tracing;
    return { ctx: chain(this.ctx), tracing: chain(t), span: chain(t.startSpan("s")) };
  }
}
`;

export default [
  { name: "prototypes: own key order of API prototypes [sqlite]", backend: "sqlite", source, drive },
  { name: "prototypes: own key order of API prototypes [kv]", backend: "kv", source, drive },
  {
    name: "prototypes: own key order of WebSocket prototypes",
    backend: "sqlite",
    source,
    drive: async (env) => env.DO.getByName("a").webSockets(),
    differs:
      "WebSocket.prototype also holds addEventListener/removeEventListener (durasim's guards, so a throwing listener " +
      "does not crash Node) and dispatchEvent (which calls on<type> properties first), and WebSocketRequestResponsePair's request/response have setters (for the runtime's " +
      "strict-mode message); README 'Differences from production'",
  },
  {
    name: "prototypes: own key order of entrypoint ctx, tracing, alarmInfo, WebSocket events and exports' bindings",
    backend: "sqlite",
    source: moreSource,
    entry: `class extends WorkerEntrypoint { async fetch() { return new Response("default"); } }`,
    drive: `async (env) => {
      const { exports } = await import("cloudflare:workers");
      const stub = env.DO.getByName("a");
      await stub.arm();
      const r = { entrypoint: await exports.Named.orders(), events: await stub.events() };
      await waitFor(async () => alarmInfo !== undefined, 2000);
      r.alarmInfo = alarmInfo;
      r.serviceBinding = chain(exports.Named);
      r.classBinding = chain(exports.DO);
      r.fetcher = chain(exports.Named({ props: {} }));
      return r;
    }`,
  },
  {
    name: "prototypes: own key order of ScheduledController, QueueController and QueueMessage",
    backend: "sqlite",
    source: moreSource,
    compatibilityFlags: ["service_binding_extra_handlers"],
    services: { H: { name: "test", entrypoint: "Handlers" } },
    drive: async (env) => {
      await env.H.scheduled({ scheduledTime: new Date(1000), cron: "* * * * *" });
      await env.H.queue("q", [{ id: "a", timestamp: new Date(1000), attempts: 1, body: { x: 1 } }]);
      return { scheduled: globalThis.scheduledSeen, queue: globalThis.queueSeen };
    },
  },
];
