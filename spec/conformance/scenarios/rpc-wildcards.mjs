// Stubs, RPC promises and properties are ordinary objects apart from the names nothing else
// has: code can give them own properties (a spy replacing a member), define, delete, swap their
// prototype, and cannot make them non-extensible. Their prototypes' members refuse any other
// receiver, the prototype itself (as `__proto__` read through a pipeline hands out) included.
// Fetchers (service bindings, Durable Object stubs received over RPC) are as writable.
import { cls } from "../scenario.mjs";
import { calls } from "./rpc.mjs";

/** Source text of `writes(stub)`: the writes recorded on a Fetcher, each on its own. */
const FETCHER_WRITES = `function writes(stub) {
  const r = {};
  const w = (name, f) => { r[name] = outcomeSync(f); };
  w("set", () => { stub.foo = 1; return [typeof stub.foo, Object.keys(stub)]; });
  w("define", () => Reflect.defineProperty(stub, "d", { value: 1 }));
  w("deleteAbsent", () => Reflect.deleteProperty(stub, "zz"));
  w("preventExtensions", () => [Reflect.preventExtensions(stub), Object.isExtensible(stub)]);
  w("ownKeys", () => Reflect.ownKeys(stub).map(String));
  w("readOnly", () => { stub.d = 2; });
  w("spy", () => { stub.m = () => "spied"; const v = stub.m(); delete stub.m; return [v, typeof stub.m]; });
  w("setPrototypeOf", () => [Reflect.setPrototypeOf(stub, Object.prototype), typeof stub.fetch, typeof stub.other]);
  return r;
}`;

export default [
  {
    name: "rpc-wildcards: writing to Durable Object stubs, RpcTarget stubs, RPC promises and properties",
    backend: "sqlite",
    source: cls(`  obj() { return { a: 1 }; }
  m() { return "object's m"; }
  target() { return new T(); }`, { extra: `class T extends RpcTarget { m() { return "target's m"; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const targets = [];
      for (let i = 0; i < 16; i++) targets.push(await s.target());
      let n = 0;
      const kinds = {
        objectStub: () => env.DO.getByName("n" + n++),
        promise: () => s.obj(),
        property: () => s.prop,
        targetStub: () => targets.pop(),
        targetProperty: () => s.target().x,
      };
      const out = {};
      for (const [k, make] of Object.entries(kinds)) {
        const r = {};
        r.set = outcomeSync(() => { const p = make(); p.foo = 1; return [typeof p.foo, Object.keys(p)]; });
        r.setThen = outcomeSync(() => { const p = make(); p.then = 1; return typeof p.then; });
        r.setProto = outcomeSync(() => { const p = make(); p.__proto__ = null; return [Object.getPrototypeOf(p) === null, typeof p.then, typeof p.other]; });
        r.setPrototypeOf = outcomeSync(() => Reflect.setPrototypeOf(make(), null));
        r.define = outcomeSync(() => Reflect.defineProperty(make(), "d", { value: 1 }));
        r.deleteAbsent = outcomeSync(() => { const p = make(); return [Reflect.deleteProperty(p, "d"), delete p.e]; });
        r.preventExtensions = outcomeSync(() => { const p = make(); return [Reflect.preventExtensions(p), Object.isExtensible(p), Object.isFrozen(p)]; });
        r.ownKeys = outcomeSync(() => Reflect.ownKeys(make()).map(String));
        r.has = outcomeSync(() => ["foo" in make(), "then" in make(), "0" in make(), Symbol.iterator in make(), Symbol.dispose in make()]);
        r.spy = await outcome(async () => {
          const p = make();
          const original = p.m;
          let calls = 0;
          p.m = (...a) => { calls++; return original(...a); };
          const first = await p.m();
          delete p.m;
          return [first, calls, typeof p.m, Object.keys(p)];
        });
        r.nonConfigurable = outcomeSync(() => {
          const p = make();
          Object.defineProperty(p, "nc", { value: 5, enumerable: true });
          return [p.nc, Object.getOwnPropertyDescriptor(p, "nc"), Reflect.deleteProperty(p, "nc"), Reflect.ownKeys(p), Object.keys(p)];
        });
        r.symbolOwn = outcomeSync(() => { const p = make(); const key = Symbol.for("mine"); p[key] = 1; return [p[key], key in p, Object.getOwnPropertySymbols(p).length]; });
        r.getterOwn = outcomeSync(() => { let self; const p = make(); Object.defineProperty(p, "g", { get() { self = this; return 7; }, configurable: true }); return [p.g, self === p]; });
        r.protoSwap = outcomeSync(() => { const p = make(); Object.setPrototypeOf(p, { hello() { return "mine"; } }); return [p.hello(), typeof p.other, typeof p.then, Symbol.dispose in p]; });
        r.inherited = outcomeSync(() => { const p = make(); const o = Object.create(p); o.z = 1; return [Object.keys(o), Object.keys(p), typeof o.q]; });
        out[k] = r;
      }
      return out;
    },
  },
  calls("rpc-wildcards: __proto__ read through a pipeline, and the prototypes' members called on the wrong object", "sqlite", `  obj() { return { a: { b: 1 } }; }
  target() { return new Target(); }`, {
    ofPromise: "s.obj().__proto__",
    ofProperty: "s.obj().a.__proto__",
    ofTargetPromise: "s.target().__proto__",
    ofTargetProperty: "s.target().x.__proto__",
    ofObjectProperty: "s.x.__proto__",
    ofAwaitedTargetProperty: "s.target().then((t) => t.x.__proto__)",
    calledThrough: "s.obj().a.__proto__()",
    promiseThenOnItsPrototype: "(() => { const proto = Object.getPrototypeOf(s.obj()); return proto.then.call(proto); })()",
    promiseThenOnAProperty: "(() => { const proto = Object.getPrototypeOf(s.obj()); return proto.then.call(s.obj().a); })()",
    promiseThenOnAPlainObject: "(() => { const proto = Object.getPrototypeOf(s.obj()); return proto.then.call({}); })()",
    propertyCatchOnAPromise: "(() => { const proto = Object.getPrototypeOf(s.obj().a); return proto.catch.call(s.obj()); })()",
    stubDupOnItsPrototype: "s.target().then((t) => { const proto = Object.getPrototypeOf(t); return proto.dup.call(proto); })",
    stubDisposeOnAPromise: "s.target().then((t) => { const proto = Object.getPrototypeOf(t); return proto[Symbol.dispose].call(s.obj()); })",
    promiseDisposeOnAStub: "s.target().then((t) => Object.getPrototypeOf(s.obj())[Symbol.dispose].call(t))",
  }, { clsOptions: { extra: `class Target extends RpcTarget { get x() { return { y: 1 }; } }` } }),
  {
    name: "rpc-wildcards: writing to a service binding and to a Durable Object stub received over RPC",
    backend: "sqlite",
    ownProcess: true,
    source: cls(`  m() { return "object's m"; }
  received(stub) { return writes(stub); }`, { extra: FETCHER_WRITES }),
    workers: { other: { source: `import { WorkerEntrypoint } from "cloudflare:workers";`, entry: `class extends WorkerEntrypoint { m() { return "service's m"; } }` } },
    services: { SVC: "other" },
    drive: async (env) => ({
      serviceBinding: writes(env.SVC),
      receivedStub: await outcome(() => env.DO.getByName("a").received(env.DO.getByName("b"))),
    }),
  },
];
