// Objects storage cannot hold because the runtime made them as its own kind: an RpcTarget (a
// reference to live code: "Remote RPC references can only be serialized for RPC.", wherever it
// sits: in an object, an array, a Map, an error's property, cause or AggregateError errors), the
// Durable Object itself (named by its class), a Headers iterator, a MessageChannel (named itself,
// not by the MessagePort inside it). put(), storage.kv.put() and structuredClone() refuse alike,
// and RPC refuses the same objects, but for RpcTargets, which cross as stubs. An object that only
// inherits an RpcTarget class's prototype (Object.create) is ordinary data to storage.
// ownProcess: the drive hands a Durable Object stub around.
import { both, cls } from "../scenario.mjs";

const scenarios = both({
  name: "storage: an RpcTarget, the object itself and other runtime-made objects cannot be stored or cloned",
  ownProcess: true,
  drive: async (env) => env.DO.getByName("a").go(),
  source: cls(`  echo(v) { return v; }
  async go() {
    const s = this.ctx.storage;
    let sql = false;
    try { s.sql; sql = true; } catch {}
    class T extends RpcTarget { m() { return 1; } }
    const kinds = {
      bare: () => new RpcTarget(), sub: () => new T(), inObject: () => ({ t: new T() }), inArray: () => [new T()], inMap: () => new Map([[1, new T()]]),
      inError: () => Object.assign(new Error("x"), { t: new T() }), inErrorNested: () => Object.assign(new Error("x"), { inner: { t: new T() } }),
      inCause: () => new Error("c", { cause: new T() }), inAggregate: () => new AggregateError([new T()], "a"),
      prototypeOnly: () => ({ t: Object.create(T.prototype) }),
      self: () => this, selfInObject: () => ({ o: this }), headersEntries: () => new Headers({ a: "1" }).entries(), headersKeys: () => new Headers().keys(),
      headersValues: () => new Headers().values(), headersIterator: () => new Headers()[Symbol.iterator](),
      channel: () => new MessageChannel(), channelInError: () => Object.assign(new Error("x"), { c: new MessageChannel() }), port: () => new MessageChannel().port1,
    };
    const tag = (v) => Object.prototype.toString.call(v) + " " + JSON.stringify(Object.keys(v ?? {}));
    const r = {};
    for (const [k, make] of Object.entries(kinds)) {
      const v = make();
      r[k] = {
        put: await outcome(async () => { await s.put("k", v); return tag(await s.get("k")); }),
        clone: outcomeSync(() => tag(structuredClone(v))),
        kv: sql ? outcomeSync(() => { s.kv.put("k", v); return tag(s.kv.get("k")); }) : "-",
      };
      if (k !== "prototypeOnly") r[k].rpc = await outcome(async () => tag(await this.env.DO.getByName("echo").echo(v)));
    }
    return r;
  }`),
});

// A WorkerEntrypoint is refused the same way, by its class's name; an object that only inherits
// its prototype (or a Durable Object class's) is ordinary data.
scenarios.push({
  name: "storage: structuredClone() refuses a WorkerEntrypoint by its class's name, not an object inheriting its prototype",
  backend: "sqlite",
  source: `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
export class DO extends DurableObject { async hi() { return 1; } }
export class Named extends WorkerEntrypoint {
  async go() {
    return {
      self: outcomeSync(() => structuredClone(this)), inObject: outcomeSync(() => structuredClone({ a: this })),
      prototypeOnly: outcomeSync(() => Object.keys(structuredClone({ n: Object.create(Named.prototype), d: Object.create(DO.prototype) }))),
    };
  }
}
`,
  entry: `class extends WorkerEntrypoint { async fetch() { return new Response("default"); } }`,
  drive: `async (env) => { const { exports } = await import("cloudflare:workers"); return outcome(() => exports.Named.go()); }`,
});

export default scenarios;
