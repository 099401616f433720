// A write that a stub, an RPC promise or property, or a Fetcher refuses reads as the runtime's
// objects refuse it, which are native objects to V8, not proxies: Object.freeze, seal and
// preventExtensions throw "Cannot freeze" and the like; deleting, assigning or redefining a
// non-configurable or read-only own property, assigning a getter-only one, and a prototype that
// would close a cycle each throw V8's words for an ordinary object, naming the runtime's class
// ("#<RpcPromise>"), where the Reflect functions answer false.
import { cls } from "../scenario.mjs";

/** Source text of `refusals(make)`: each refused write on a fresh object from `make()`. */
const REFUSALS = `function refusals(make) {
  const r = {};
  const w = (name, f) => { r[name] = outcomeSync(f); };
  const fixed = () => { const p = make(); Object.defineProperty(p, "x", { value: 1 }); return p; };
  w("freeze", () => Object.freeze(make()));
  w("seal", () => Object.seal(make()));
  w("preventExtensions", () => Object.preventExtensions(make()));
  w("reflectPreventExtensions", () => { const p = make(); return [Reflect.preventExtensions(p), Object.isExtensible(p), Object.isFrozen(p), Object.isSealed(p)]; });
  w("freezeWithOwn", () => Object.freeze(fixed()));
  w("delete", () => { const p = fixed(); delete p.x; });
  w("reflectDelete", () => Reflect.deleteProperty(fixed(), "x"));
  w("assign", () => { const p = fixed(); p.x = 2; });
  w("reflectSet", () => Reflect.set(fixed(), "x", 2));
  w("objectAssign", () => Object.assign(fixed(), { x: 2 }));
  w("redefine", () => Object.defineProperty(fixed(), "x", { value: 2 }) && "defined");
  w("reflectRedefine", () => Reflect.defineProperty(fixed(), "x", { value: 2 }));
  w("defineProperties", () => Object.defineProperties(fixed(), { x: { value: 2 } }) && "defined");
  w("symbol", () => { const p = make(); const k = Symbol("k"); Object.defineProperty(p, k, { value: 1 }); return [outcomeSync(() => { p[k] = 2; }), outcomeSync(() => { delete p[k]; })]; });
  w("getterOnly", () => { const p = make(); Object.defineProperty(p, "g", { get() { return 1; } }); p.g = 2; });
  w("sameValueRedefine", () => Object.defineProperty(fixed(), "x", { value: 1 }) && "defined");
  w("cycle", () => { const p = make(); Object.setPrototypeOf(p, Object.create(p)); });
  w("cycleThroughProtoSetter", () => { const p = make(); p.__proto__ = Object.create(Object.create(p)); });
  w("reflectCycle", () => { const p = make(); return Reflect.setPrototypeOf(p, Object.create(p)); });
  w("notACycle", () => { const p = make(); const q = make(); return [Reflect.setPrototypeOf(p, Object.create(q)), Reflect.setPrototypeOf(q, { own: 1 }), p.own]; });
  // Detached Reflect functions answer false too; a detached Object.freeze still throws.
  const { set, defineProperty, deleteProperty, preventExtensions, setPrototypeOf } = Reflect;
  w("detachedSet", () => set(fixed(), "x", 2));
  w("detachedDefine", () => defineProperty(fixed(), "x", { value: 2 }));
  w("detachedDelete", () => deleteProperty(fixed(), "x"));
  w("detachedPreventExtensions", () => preventExtensions(make()));
  w("detachedCycle", () => { const p = make(); return setPrototypeOf(p, Object.create(p)); });
  w("reflectSetCalledWithNull", () => Reflect.set.call(null, fixed(), "x", 2));
  w("reflectSetApplied", () => Reflect.apply(Reflect.set, undefined, [fixed(), "x", 2]));
  w("reflectSetBound", () => Reflect.set.bind(null)(fixed(), "x", 2));
  w("detachedFreeze", () => { const { freeze } = Object; freeze(make()); });
  // V8's cycle check stops at a proxy in the new prototype chain without calling its traps.
  w("revokedProto", () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); Object.setPrototypeOf(make(), proxy); return "set"; });
  w("strictMockProto", () => { const calls = []; const m = new Proxy({}, { get(t, k) { calls.push(String(k)); throw new Error("mock get " + String(k)); }, getPrototypeOf() { calls.push("getPrototypeOf"); return null; } }); Object.setPrototypeOf(make(), m); return calls; });
  w("proxyOfSelfProto", () => { const p = make(); Object.setPrototypeOf(p, new Proxy(p, {})); return "set"; });
  w("cycleThroughAnother", () => { const p = make(); const q = make(); Object.setPrototypeOf(q, Object.create(p)); return [Reflect.setPrototypeOf(p, q), outcomeSync(() => Object.setPrototypeOf(p, Object.create(q)))]; });
  w("cycleBehindForeignProxy", () => { const p = make(); Object.setPrototypeOf(p, new Proxy(Object.create(p), {})); return "set"; });
  return r;
}`;

export default [
  {
    name: "rpc-refusals: freezing, and refused writes on stubs, RPC promises and properties",
    backend: "sqlite",
    source: cls(`  obj() { return { a: 1 }; }
  target() { return new T(); }`, { extra: `class T extends RpcTarget { m() { return "target's m"; } }\n${REFUSALS}` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const targets = [];
      for (let i = 0; i < 24; i++) targets.push(await s.target());
      let n = 0;
      return {
        objectStub: refusals(() => env.DO.getByName("n" + n++)),
        promise: refusals(() => s.obj()),
        property: refusals(() => s.prop),
        targetStub: refusals(() => targets.pop()),
        targetProperty: refusals(() => s.target().x),
        left: targets.length,
      };
    },
  },
  {
    name: "rpc-refusals: freezing, and refused writes on a service binding and a Durable Object stub received over RPC",
    backend: "sqlite",
    ownProcess: true,
    source: cls(`  received(stub) { return refusals(() => stub); }`, { extra: REFUSALS }),
    workers: { other: { source: `import { WorkerEntrypoint } from "cloudflare:workers";`, entry: `class extends WorkerEntrypoint { m() { return "service's m"; } }` } },
    services: { SVC: "other" },
    drive: async (env) => {
      const one = (f) => outcomeSync(f);
      return {
        freeze: one(() => Object.freeze(env.SVC)),
        seal: one(() => Object.seal(env.SVC)),
        preventExtensions: one(() => Object.preventExtensions(env.SVC)),
        reflect: one(() => [Reflect.preventExtensions(env.SVC), Reflect.defineProperty(env.SVC, "x", { value: 1 }), Reflect.deleteProperty(env.SVC, "x"), Reflect.set(env.SVC, "x", 2)]),
        delete: one(() => { delete env.SVC.x; }),
        assign: one(() => { env.SVC.x = 2; }),
        redefine: one(() => Object.defineProperty(env.SVC, "x", { value: 2 })),
        getterOnly: one(() => { Object.defineProperty(env.SVC, "g", { get() { return 1; } }); env.SVC.g = 2; }),
        cycle: one(() => Object.setPrototypeOf(env.SVC, Object.create(env.SVC))),
        reflectCycle: one(() => Reflect.setPrototypeOf(env.SVC, Object.create(env.SVC))),
        received: await outcome(() => env.DO.getByName("a").received(env.DO.getByName("b"))),
      };
    },
  },
];
