// Stubs and the runtime's other callable objects where no RPC carries them: storage refuses
// each in its own words ("RpcStub cannot be serialized in this context.", "Could not serialize
// object of type ..."), while structuredClone() and a WebSocket's attachment leave a callable
// one (an RpcStub of any kind, an RPC promise or property, an `exports` binding) to V8, which
// names its interface: `#<RpcStub> could not be cloned.`, at the top of the value or inside it.
// Objects that are no functions (a Durable Object stub, an RpcTarget, an ID, a namespace) are
// refused alike everywhere.
import { cls } from "../scenario.mjs";

const VALUES = `async function valuesOf(object, fnStub, targetStub) {
  const other = object.env.DO.getByName("other");
  return {
    fnStub, targetStub,
    resultTarget: await other.target(),
    resultFn: await other.fn(),
    localStub: new RpcStub(new T()),
    localFnStub: new RpcStub(() => 1),
    rpcPromise: other.target(),
    rpcProperty: other.anything,
    loopbackService: object.ctx.exports.default,
    loopbackNamespace: object.ctx.exports.DO,
    durableObjectClass: object.ctx.exports.DO({}),
    fetcher: object.ctx.exports.default({ props: {} }),
    doStub: other,
    target: new T(),
    namespace: object.env.DO,
    id: object.ctx.id,
    fn: () => 1,
  };
}`;

const source = (body) => `import { DurableObject, RpcTarget, RpcStub } from "cloudflare:workers";
class T extends RpcTarget { name() { return 1; } }
${VALUES}
export class DO extends DurableObject {
  target() { return new T(); }
  fn() { return () => 1; }
${body}
}`;

const drive = async (env) => {
  const s = env.DO.getByName("a");
  return s.go(() => 1, await s.target());
};

export default [
  {
    name: "stubs in clones: structuredClone() of a stub, an RPC promise, an exports binding and other runtime objects, alone and inside a value",
    backend: "sqlite",
    source: source(`  async go(fnStub, targetStub) {
    const r = {};
    for (const [k, v] of Object.entries(await valuesOf(this, fnStub, targetStub))) {
      r[k] = [outcomeSync(() => structuredClone(v)), outcomeSync(() => structuredClone({ a: [1, v] })), outcomeSync(() => structuredClone(new Map([["k", v]])))];
    }
    return r;
  }`),
    drive,
  },
  {
    name: "stubs in clones: a WebSocket attachment refuses them as structuredClone() does, storage in its own words",
    backend: "sqlite",
    source: source(`  async go(fnStub, targetStub) {
    const [c, s] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(s);
    const r = {};
    for (const [k, v] of Object.entries(await valuesOf(this, fnStub, targetStub))) {
      r[k] = {
        attachment: outcomeSync(() => s.serializeAttachment(v)),
        attachmentInside: outcomeSync(() => s.serializeAttachment({ v })),
        put: await outcome(() => this.ctx.storage.put("k", v)),
        kvPut: outcomeSync(() => this.ctx.storage.kv.put("k", [v])),
      };
    }
    r.attachmentAfter = show(s.deserializeAttachment());
    s.close();
    return r;
  }`),
    drive,
  },
  {
    name: "stubs in clones: a disposed stub, a dup(), a stub in an Error's cause or property, in a Set, structuredClone() and storage",
    backend: "sqlite",
    source: source(`  async go(fnStub) {
    const disposed = (await this.env.DO.getByName("other").fn());
    disposed[Symbol.dispose]();
    const values = {
      disposed,
      dup: fnStub.dup(),
      inCause: new Error("outer", { cause: fnStub }),
      inProperty: Object.assign(new RangeError("r"), { stub: fnStub }),
      inSet: new Set([1, fnStub]),
    };
    const r = {};
    for (const [k, v] of Object.entries(values)) r[k] = { clone: outcomeSync(() => structuredClone(v)), put: await outcome(() => this.ctx.storage.put("k", v)) };
    return r;
  }`),
    drive: async (env) => env.DO.getByName("a").go(() => 1),
  },
];
