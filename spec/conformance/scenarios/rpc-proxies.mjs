// A Proxy whose prototype (its getPrototypeOf trap's answer) is an RpcTarget's is an RpcTarget to
// the runtime, however its get trap answers symbols: `new RpcStub()` takes it, and a call reads
// the member through the proxy (its get trap) unless it is an own property. Cap'n Web's stubs are
// such proxies (callable, a get trap that makes any string a pipelined call, no own keys), and
// its tests wrap them in the runtime's RpcStub. A proxy with any other prototype stays a function
// (callable) or is walked by own properties only.
import { cls } from "../scenario.mjs";

const PROXIES = `class Base extends RpcTarget {}
function targetProxy(callable, extraTraps = {}) {
  return new Proxy(callable ? () => {} : {}, {
    get(t, p) {
      if (p === "missing") return undefined;
      if (p === "val") return 42;
      if (p === "nested") return { inner: () => "inner called" };
      if (typeof p === "string") return (...a) => "called " + p + "(" + a.join(",") + ")";
      return undefined;
    },
    has(t, p) { return typeof p === "string"; },
    getOwnPropertyDescriptor(t, p) { return p === "shadow" ? { value: 1, configurable: true, enumerable: true, writable: true } : undefined; },
    ownKeys() { return []; },
    apply(t, self, args) { return "applied " + args.join(","); },
    getPrototypeOf() { return Base.prototype; },
    ...extraTraps,
  });
}`;

export default [
  {
    name: "rpc-proxies: a Proxy with an RpcTarget's prototype wrapped in new RpcStub(), called from Worker code",
    backend: "sqlite",
    source: `import { RpcStub } from "cloudflare:workers";\n${cls(`  hello() { return "hi"; }`, { extra: PROXIES })}`,
    drive: async () => {
      const out = {};
      const fn = () => new RpcStub(targetProxy(true));
      const obj = () => new RpcStub(targetProxy(false));
      const plain = (callable) => new RpcStub(targetProxy(callable, { getPrototypeOf: () => (callable ? Function.prototype : Object.prototype) }));
      out.callableMethod = await outcome(() => fn().increment(1));
      out.callableApply = await outcome(() => fn()(7));
      out.objectMethod = await outcome(() => obj().increment(2));
      out.missing = await outcome(() => fn().missing());
      out.value = await outcome(() => fn().val);
      out.valueCalled = await outcome(() => fn().val());
      out.nested = await outcome(() => fn().nested.inner());
      out.ownShadowed = await outcome(() => obj().shadow());
      out.plainCallableMethod = await outcome(() => plain(true).increment(1));
      out.plainCallableApply = await outcome(() => plain(true)(3));
      out.plainObjectMethod = await outcome(() => plain(false).increment(1));
      out.instanceOf = targetProxy(true) instanceof RpcTarget;
      return out;
    },
  },
  {
    name: "rpc-proxies: a Proxy with an RpcTarget's prototype returned by a Durable Object",
    backend: "sqlite",
    source: cls(`  callable() { return targetProxy(true); }
  object() { return targetProxy(false); }
  wrapped() { return { inner: targetProxy(false) }; }`, { extra: PROXIES }),
    drive: async (env) => {
      const s = env.DO.getByName("p");
      const out = {};
      out.callableMethod = await outcome(async () => (await s.callable()).increment(1));
      out.callableApply = await outcome(async () => (await s.callable())(5));
      out.objectMethod = await outcome(async () => (await s.object()).increment(2));
      out.objectPipelined = await outcome(() => s.object().increment(3));
      out.objectValue = await outcome(() => s.object().val);
      out.objectMissing = await outcome(() => s.object().missing());
      out.embedded = await outcome(async () => (await s.wrapped()).inner.increment(4));
      return out;
    },
  },
  {
    // (workerd also reads its handler names through the trap as it constructs the object; only
    // the calls' own names are recorded here.)
    name: "rpc-proxies: a Durable Object whose constructor returns a Proxy of itself: calls read their method through the trap",
    backend: "sqlite",
    source: `const reads = [];
${cls(`  constructor(ctx, env) {
    super(ctx, env);
    return new Proxy(this, { get: (t, k, r) => { if (k === "whoAmI" || k === "readsSoFar") reads.push(k); return Reflect.get(t, k, r); } });
  }
  whoAmI() { return this === undefined ? "none" : "instance"; }
  readsSoFar() { return [...reads]; }`)}`,
    drive: async (env) => {
      const s = env.DO.getByName("x");
      return { who: await outcome(() => s.whoAmI()), reads: await outcome(() => s.readsSoFar()) };
    },
  },
  {
    // A member that is undefined is none to the runtime, whether absent, a prototype value or what
    // a getter gave: on a Durable Object, on one whose constructor returns a Proxy of itself, and
    // on an RpcTarget it returned.
    name: "rpc-proxies: calling a member that is undefined (a prototype value, a getter's answer), on a Durable Object, a proxy of one and an RpcTarget",
    backend: "sqlite",
    source: `${cls(`  get absentValue() { return undefined; }
  target() { return new Target(); }`, { extra: `class Target extends RpcTarget { get absentValue() { return undefined; } get five() { return 5; } }
Object.defineProperty(Target.prototype, "undefinedValue", { value: undefined });` })}
Object.defineProperty(DO.prototype, "undefinedValue", { value: undefined });
export class PX extends DO {
  constructor(ctx, env) { super(ctx, env); return new Proxy(this, {}); }
}`,
    classes: { DO: "DO", PX: "PX" },
    drive: async (env) => {
      const out = {};
      for (const ns of ["DO", "PX"]) {
        const s = env[ns].getByName("x");
        out[ns] = {
          undefinedValue: await outcome(() => s.undefinedValue()),
          absentValue: await outcome(() => s.absentValue()),
          missing: await outcome(() => s.missing()),
          read: await outcome(() => s.absentValue),
        };
      }
      const t = await env.DO.getByName("t").target();
      out.target = {
        undefinedValue: await outcome(() => t.undefinedValue()),
        absentValue: await outcome(() => t.absentValue()),
        five: await outcome(() => t.five()),
        read: await outcome(() => t.absentValue),
      };
      return out;
    },
  },
];
