// Option bags the runtime reads as WebIDL dictionaries (or as its own structs): each member is
// read once with [[Get]] (so a getter runs once and an inherited member counts), in the
// runtime's order, and only where the call reaches them. A Proxy logs every read.
import { cls, inside, insideBoth } from "../scenario.mjs";

const BAG = `
    const log = [];
    const bag = (name, values) => new Proxy(values, {
      get(t, k, r) { if (typeof k === "string") log.push(name + "." + k); return Reflect.get(t, k, r); },
      has(t, k) { if (typeof k === "string") log.push(name + " has " + k); return Reflect.has(t, k); },
      ownKeys(t) { log.push(name + " ownKeys"); return Reflect.ownKeys(t); },
      getOwnPropertyDescriptor(t, k) { if (typeof k === "string") log.push(name + " own " + k); return Reflect.getOwnPropertyDescriptor(t, k); },
    });
    const taken = () => log.splice(0);
`;

export default [
  inside("option bags: pipeTo and pipeThrough read each option once, in the runtime's order; inherited ones count", "sqlite", `${BAG}
    const out = {};
    const src = (n = 1) => new ReadableStream({ start(c) { for (let i = 0; i < n; i++) c.enqueue("x"); c.close(); } });
    const sink = (seen) => new WritableStream({ write(ch) { seen.push("write " + ch); }, close() { seen.push("close"); } });
    const seen = [];
    await src().pipeTo(sink(seen), bag("opts", {}));
    out.pipeTo = taken();
    const closedDest = new WritableStream();
    await closedDest.close();
    out.intoClosed = await outcome(() => new ReadableStream({ start(c) { c.enqueue("y"); } }).pipeTo(closedDest, bag("opts", { preventCancel: true })));
    out.intoClosedLog = taken();
    const ts = new TransformStream();
    const through = src().pipeThrough(bag("pair", { readable: ts.readable, writable: ts.writable }), bag("opts", { signal: new AbortController().signal }));
    out.pipeThrough = taken();
    await through.getReader().read();
    const inherited = [];
    await src().pipeTo(sink(inherited), Object.create({ preventClose: true }));
    out.inheritedPreventClose = inherited;
    const destinationFirst = await outcome(() => src().pipeTo({}, bag("opts", {})));
    out.destinationFirst = [destinationFirst, taken()];
    const throwing = { get preventAbort() { throw new RangeError("getter broke"); }, get signal() { log.push("signal read"); } };
    for (const [name, call] of [["pipeTo", () => src().pipeTo(new WritableStream(), throwing)], ["pipeThrough", () => src().pipeThrough(new TransformStream(), throwing)]]) {
      let returned;
      try { returned = call(); } catch (e) { out[name + "Throwing"] = ["threw", err(e), taken()]; continue; }
      out[name + "Throwing"] = ["returned", await outcome(returned), taken()];
    }
    out.values = await outcome(async () => { const it = src(2).values(bag("opts", {})); await it.next(); await it.return(); return taken(); });
    out.reader = await outcome(() => { src().getReader(bag("opts", {})); return taken(); });
    return out;
`),
  ...insideBoth("option bags: storage calls read each option once, in the runtime's order; inherited ones count", `${BAG}
    const out = {};
    await s.put("a", 1, bag("put", {}));
    out.put = taken();
    await s.put({ b: 2 }, bag("putMany", {}));
    out.putMany = taken();
    await s.get("a", bag("get", {}));
    out.get = taken();
    await s.get(["a"], bag("getMany", {}));
    out.getMany = taken();
    await s.list(bag("list", {}));
    out.list = taken();
    await s.delete("a", bag("delete", {}));
    out.delete = taken();
    await s.getAlarm(bag("getAlarm", {}));
    out.getAlarm = taken();
    await s.deleteAlarm(bag("deleteAlarm", {}));
    out.deleteAlarm = taken();
    await s.put({ c: 1, d: 2, e: 3 });
    out.inheritedList = [...(await s.list(Object.create({ prefix: "d", reverse: true, limit: 1 }))).keys()];
    out.inheritedListAll = [...(await s.list(Object.create({ start: "c", end: "e" }))).keys()];
    if (s.kv !== undefined) {
      s.kv.list(bag("kvList", {})).next();
      out.kvList = taken();
      out.kvInherited = [...s.kv.list(Object.create({ prefix: "d" }))].map(([k]) => k);
    }
    await s.sync();
    return out;
`, { alarmHandler: true }),
  inside("option bags: Request, Response and addEventListener read each member once, in the runtime's order", "sqlite", `${BAG}
    const out = {};
    new Request("http://x/", bag("request", { method: "POST", body: "b" }));
    out.request = taken();
    new Response("b", bag("response", {}));
    out.response = taken();
    const target = new EventTarget();
    target.addEventListener("e", () => {}, bag("listen", {}));
    out.listen = taken();
    target.removeEventListener("e", () => {}, bag("unlisten", {}));
    out.unlisten = taken();
    const inheritedOnce = [];
    target.addEventListener("f", () => inheritedOnce.push("f"), Object.create({ once: true }));
    target.dispatchEvent(new Event("f"));
    target.dispatchEvent(new Event("f"));
    out.inheritedOnce = inheritedOnce;
    out.inheritedMethod = new Request("http://x/", Object.create({ method: "PUT" })).method;
    out.inheritedStatus = new Response(null, Object.create({ status: 201 })).status;
    return out;
`),
  {
    name: "option bags: fetch init, alarm, transaction, namespace and WebSocket options are read once each, in the runtime's order, and their types checked",
    backend: "sqlite",
    source: cls(`  async fetch(req) { return new Response(req.method); }
  async alarm() {}
  async go(drive) {
    ${BAG}
    const s = this.ctx.storage;
    const out = {};
    out.setAlarm = [await outcome(() => s.setAlarm(Date.now() + 60_000, bag("setAlarm", {}))), taken()];
    out.deleteAll = [await outcome(() => s.deleteAll(bag("deleteAll", {}))), taken()];
    out.transaction = [await outcome(() => s.transaction(async () => 1, bag("transaction", {}))), taken()];
    out.transactionTypes = {};
    for (const [k, o] of Object.entries({ string: { asOfTime: "x" }, null: { asOfTime: null }, number: { asOfTime: 5 }, date: { asOfTime: new Date() }, low: { lowPriority: {} } })) {
      out.transactionTypes[k] = await outcome(() => s.transaction(async () => 1, o));
    }
    const [client, server] = Object.values(new WebSocketPair());
    out.accept = [outcomeSync(() => server.accept(bag("accept", {}))), taken()];
    out.globalFetch = [await outcome(async () => (await fetch("data:,x", bag("fetch", { method: "GET" }))).status), taken()];
    return out;
  }`),
    drive: async (env) => {
      const log = [];
      const bag = (name, values) => new Proxy(values, {
        get(t, k, r) { if (typeof k === "string") log.push(name + "." + k); return Reflect.get(t, k, r); },
        has(t, k) { if (typeof k === "string") log.push(name + " has " + k); return Reflect.has(t, k); },
      });
      const taken = () => log.splice(0);
      const out = {};
      const stub = env.DO.getByName("a", bag("getByName", {}));
      out.getByName = taken();
      const id = env.DO.newUniqueId(bag("newUniqueId", {}));
      out.newUniqueId = taken();
      env.DO.get(id, bag("get", {}));
      out.get = taken();
      out.getTypes = {};
      for (const [k, o] of Object.entries({ version: { version: 1 }, versionNull: { version: null }, versionObject: { version: {} }, retry: { retry: "x" }, retryTrue: { retry: true }, modeThenVersion: { routingMode: "x", version: 1 }, mode: { routingMode: "x" } })) {
        out.getTypes[k] = outcomeSync(() => (env.DO.getByName("a", o), "ok"));
      }
      out.stubFetch = [await outcome(async () => (await stub.fetch("http://do/", bag("init", { method: "PATCH" }))).text()), taken()];
      out.inside = await stub.go();
      return out;
    },
  },
];
