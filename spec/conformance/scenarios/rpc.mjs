// Checklist §10.4–6: what RPC can reach, exact errors, serialisation, pipelining.
import { cls, both } from "../scenario.mjs";

/** A scenario that records `outcome(() => call(stub))` for each entry of `calls`. The calls
 * are source text (`s` is the stub) so one driver serves many scenarios. */
export function calls(name, backend, body, callMap, rest = {}) {
  return {
    name,
    backend,
    source: cls(body, rest.clsOptions),
    drive: `async function drive(env) {
  const s = env.DO.getByName("rpc");
  const out = {};
  for (const k of Object.keys(CALLS)) out[k] = await outcome(() => CALLS[k](s));
  return out;
}
const CALLS = { ${Object.entries(callMap).map(([k, code]) => `${JSON.stringify(k)}: async (s) => ${code}`).join(",\n  ")} };`,
    ...rest,
  };
}

const echo = `  async echo(x) { return x; }
  async echoArgs(...a) { return a; }`;

export default [
  both(
    calls("rpc: only prototype methods and getters are reachable", "sqlite", `  field = 1;
  constructor(ctx, env) { super(ctx, env); this.own = () => "own"; this.ownValue = 5; }
  async method() { return "method"; }
  get getter() { return "getter"; }
  get number() { return 42; }
  static stat() { return "static"; }
  #priv() { return "private"; }`, {
      method: "s.method()",
      getter: "s.getter",
      getterNumber: "s.number",
      getterCalled: "s.getter()",
      ownFunction: "s.own()",
      ownValue: "s.ownValue",
      classField: "s.field",
      static: "s.stat()",
      unknown: "s.nope()",
      unknownProperty: "s.nope",
      methodAsProperty: "s.method.then((f) => typeof f)",
    }),
  ),
  // An own property (set in the constructor or later) hides the prototype member of its name,
  // on a Durable Object and on an RpcTarget alike.
  calls("rpc: an own property hides the prototype member of its name", "sqlite", `  constructor(ctx, env) { super(ctx, env); this.hiddenAtStart = 1; }
  hiddenAtStart() { return "proto"; }
  shadowed() { return "proto"; }
  get shadowedGetter() { return "proto getter"; }
  hide() { this.shadowed = () => "own"; Object.defineProperty(this, "shadowedGetter", { value: "own value" }); return "hidden"; }
  target() { const t = new Target(); t.method = () => "own"; return t; }`, {
      hiddenAtStart: "s.hiddenAtStart()",
      before: "s.shadowed()",
      beforeGetter: "s.shadowedGetter",
      hide: "s.hide()",
      after: "s.shadowed()",
      afterAsProperty: "s.shadowed",
      afterGetter: "s.shadowedGetter",
      targetMethod: "s.target().method()",
      targetOther: "s.target().other()",
    }, { clsOptions: { extra: `class Target extends RpcTarget { method() { return "proto"; } other() { return "other"; } }` } }),
  calls("rpc: Object.prototype members are not reachable", "sqlite", `  async hello() { return "hi"; }`, {
    toString: "s.toString()",
    hasOwnProperty: "s.hasOwnProperty('x')",
    valueOf: "s.valueOf()",
    proto: "s.__proto__",
    isPrototypeOf: "s.isPrototypeOf({})",
    toLocaleString: "s.toLocaleString()",
  }),
  calls("rpc: inherited methods from a base class are reachable", "kv", `  async own() { return "own"; }`, {
    own: "s.own()",
    inherited: "s.inherited()",
    overridden: "s.over()",
    baseGetter: "s.baseGetter",
  }, {
    source: `import { DurableObject } from "cloudflare:workers";
class Base extends DurableObject { async inherited() { return "base"; } async over() { return "base"; } get baseGetter() { return "bg"; } }
export class DO extends Base { async own() { return "own"; } async over() { return "derived"; } }
`,
  }),
  both(
    calls("rpc: reserved names are refused even when defined", "sqlite", `  async alarm() { return "alarm"; }
  async webSocketMessage() { return "m"; }
  async webSocketClose() { return "c"; }
  async webSocketError() { return "e"; }
  async dup() { return "dup"; }
  async connect() { return "connect"; }`, {
      alarm: "s.alarm()",
      webSocketMessage: "s.webSocketMessage()",
      webSocketClose: "s.webSocketClose()",
      webSocketError: "s.webSocketError()",
      dup: "s.dup()",
      constructor: "s.constructor()",
      fetchAsRpc: "s.fetch()",
    }),
  ),
  calls("rpc: reserved names that the class does not define", "kv", `  async hello() { return "hi"; }`, {
    alarm: "s.alarm()",
    webSocketMessage: "s.webSocketMessage('x')",
    dup: "s.dup()",
  }),
  both({
    name: "rpc: a class without extends DurableObject (legacy) has no RPC but fetch works",
    source: `export class DO {
  constructor(state, env) { this.state = state; }
  async fetch(req) { return new Response("legacy " + typeof this.state.storage.get); }
  async hello() { return "hi"; }
}
`,
    drive: async (env) => {
      const stub = env.DO.getByName("legacy");
      return {
        rpc: await outcome(() => stub.hello()),
        fetch: await outcome(async () => (await stub.fetch("http://x/")).text()),
        property: await outcome(() => stub.anything),
      };
    },
  }),
  calls("rpc: calling something that is not a function", "sqlite", `  get value() { return 5; }
  get obj() { return { a: { b: 1 }, f() { return "f"; } }; }`, {
    valueCalled: "s.value()",
    nestedValue: "s.obj.a.b",
    nestedCalled: "s.obj.a.b()",
    nestedMissing: "s.obj.zz",
    nestedMissingCalled: "s.obj.zz()",
    methodOnObject: "s.obj.f()",
  }),
  both(
    calls("rpc: structured-clone values round-trip", "sqlite", echo, {
      undefinedValue: "s.echo(undefined)",
      nullValue: "s.echo(null)",
      negativeZero: "s.echo(-0)",
      nan: "s.echo(NaN)",
      infinity: "s.echo(-Infinity)",
      bigint: "s.echo(2n ** 70n)",
      string: "s.echo('é😀\\u0000')",
      loneSurrogate: "s.echo('\\ud800x')",
      date: "s.echo(new Date(86400000))",
      invalidDate: "s.echo(new Date(NaN))",
      regexp: "s.echo(/a+b/gi)",
      map: "s.echo(new Map([[2, 'b'], ['1', 'a'], [{ k: 1 }, null]]))",
      set: "s.echo(new Set([3, 1, 2]))",
      arrayBuffer: "s.echo(new Uint8Array([1, 2, 255]).buffer)",
      typedArray: "s.echo(new Int16Array([-1, 2]))",
      dataView: "s.echo(new DataView(new ArrayBuffer(2)))",
      sparse: "s.echo([1, , 3])",
      nested: "s.echo({ a: [{ b: new Map([['c', new Set([1])]]) }] })",
      boxed: "s.echo([new Number(1), new String('s'), new Boolean(false)])",
      nullProto: "s.echo(Object.assign(Object.create(null), { a: 1 }))",
      undefinedProp: "s.echo({ a: undefined, b: 1 })",
      manyArgs: "s.echoArgs(1, undefined, 'x')",
      noArgs: "s.echoArgs()",
    }),
  ),
  calls("rpc: cycles and shared references survive", "kv", `  async check(x) { return { selfCycle: x.self === x, shared: x.l === x.r, arr: x.arr[0] === x.arr }; }
  async make() { const o = { n: 1 }; o.self = o; return o; }`, {
    arg: "(() => { const o = { l: {}, arr: [] }; o.self = o; o.r = o.l; o.arr.push(o.arr); return s.check(o); })()",
    result: "s.make().then((o) => o.self === o)",
  }),
  both(
    calls("rpc: errors keep name and message and gain remote and durableObjectId", "sqlite", `  async e() { throw new Error("plain"); }
  async te() { throw new TypeError("type"); }
  async re() { throw new RangeError("range"); }
  async se() { throw new SyntaxError("syntax"); }
  async refe() { throw new ReferenceError("ref"); }
  async ee() { throw new EvalError("eval"); }
  async ue() { throw new URIError("uri"); }
  async custom() { class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; this.extra = 1; } } throw new MyError("custom"); }
  async renamed() { const e = new Error("renamed"); e.name = "TypeError"; throw e; }
  async withCause() { throw new Error("outer", { cause: new Error("inner") }); }
  async aggregate() { throw new AggregateError([new Error("a")], "agg"); }
  async dom() { throw new DOMException("dom msg", "NotFoundError"); }
  async str() { throw "just a string"; }
  async num() { throw 42; }
  async obj() { throw { plain: "object" }; }
  async nul() { throw null; }
  async emptyMessage() { throw new Error(); }
  async sync() { throw new Error("sync"); }`, {
      error: "s.e()",
      typeError: "s.te()",
      rangeError: "s.re()",
      syntaxError: "s.se()",
      referenceError: "s.refe()",
      evalError: "s.ee()",
      uriError: "s.ue()",
      customSubclass: "s.custom()",
      renamed: "s.renamed()",
      // Rejections turned into values, to record what travels besides name and message.
      causeTravels: "s.withCause().catch((e) => ({ cause: show(e.cause), keys: Object.keys(e).sort() }))",
      customKeys: "s.custom().catch((e) => ({ keys: Object.keys(e).sort(), extra: show(e.extra), isError: e instanceof Error }))",
      aggregate: "s.aggregate()",
      domException: "s.dom()",
      string: "s.str()",
      number: "s.num()",
      object: "s.obj()",
      null: "s.nul()",
      emptyMessage: "s.emptyMessage()",
      syncThrow: "s.sync()",
    }),
  ),
  both({
    name: "rpc: a thrown error neither resets state nor breaks the stub",
    source: cls(`  n = 0;
  async inc() { return ++this.n; }
  async boom() { this.n += 10; throw new Error("boom"); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("st");
      return [await stub.inc(), await outcome(() => stub.boom()), await stub.inc(), await env.DO.getByName("st").inc()];
    },
  }),
  calls("rpc: class instances cannot be serialised", "sqlite", `  async take(x) { return "took"; }
  async give() { class Thing { constructor() { this.a = 1; } } return new Thing(); }
  async giveNested() { class Thing {} return { list: [new Thing()] }; }
  async giveSymbol() { return Symbol("s"); }
  async giveWeakMap() { return new WeakMap(); }
  async giveRequest() { return new Request("http://x/"); }`, {
    argInstance: "(() => { class Thing { constructor() { this.a = 1; } } return s.take(new Thing()); })()",
    argSymbol: "s.take(Symbol('x'))",
    argWeakMap: "s.take(new WeakMap())",
    resultInstance: "s.give()",
    resultNested: "s.giveNested()",
    resultSymbol: "s.giveSymbol()",
    resultWeakMap: "s.giveWeakMap()",
    resultRequest: "s.giveRequest().then((r) => r.url)",
  }),
  {
    name: "rpc: a DataCloneError for an argument arrives as a rejection",
    backend: "kv",
    source: cls(`  async take(x) { return "took"; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("dc");
      let sync = null;
      let p;
      try {
        p = stub.take(new (class Foo {})());
      } catch (e) {
        sync = err(e);
      }
      return { sync, rejection: await outcome(p) };
    },
  },
  both({
    name: "rpc: functions become callable stubs both ways",
    source: cls(`  async callBack(f) { return "got " + await f(2, 3); }
  async makeAdder(n) { return (x) => x + n; }
  async objWithFn() { return { name: "o", twice: (x) => x * 2 }; }
  async callTwice(f) { return [await f(), await f()]; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("fn");
      let calls = 0;
      const adder = await stub.makeAdder(10);
      const o = await stub.objWithFn();
      return {
        callback: await stub.callBack((a, b) => a * b),
        adderType: typeof adder,
        adder: await adder(5),
        objName: o.name,
        objFn: await o.twice(21),
        counted: await stub.callTwice(() => ++calls),
        throwingCallback: await outcome(() => stub.callBack(() => { throw new RangeError("cb fail"); })),
      };
    },
  }),
  both({
    name: "rpc: RpcTarget results are stubs with remote state",
    source: cls(`  async counter(start) { return new Counter(start); }`, {
      extra: `class Counter extends RpcTarget {
  #n; constructor(n) { super(); this.#n = n; this.visible = "own field"; }
  inc(by = 1) { this.#n += by; return this.#n; }
  get value() { return this.#n; }
}`,
    }),
    drive: async (env) => {
      const stub = env.DO.getByName("t");
      const c = await stub.counter(5);
      return {
        type: typeof c,
        inc: await c.inc(),
        inc2: await c.inc(10),
        value: await c.value,
        privateField: await outcome(async () => c["#n"]),
        ownField: await outcome(async () => await c.visible),
        unknown: await outcome(() => c.nope()),
      };
    },
  }),
  both({
    name: "rpc: promise pipelining",
    source: cls(`  async counter() { return new Counter(); }
  async nested() { return { a: { b: () => "deep", v: 7 } }; }
  async prim() { return 5; }
  async fail() { throw new TypeError("first call failed"); }`, {
      extra: `class Counter extends RpcTarget { n = 0; inc() { return ++this.n; } }`,
    }),
    drive: async (env) => {
      const stub = env.DO.getByName("pipe");
      const counter = stub.counter();
      return {
        chained: await stub.counter().inc(),
        sameTarget: [await counter.inc(), await counter.inc()],
        deep: await outcome(() => stub.nested().a.b()),
        deepValue: await outcome(() => stub.nested().a.v),
        onPrimitive: await outcome(() => stub.prim().foo()),
        onFailure: await outcome(() => stub.fail().anything()),
        isPromise: stub.prim() instanceof Promise,
        thenType: typeof stub.prim().then,
      };
    },
  }),
  {
    name: "rpc: returning plain objects, arrays, undefined and nothing",
    backend: "sqlite",
    source: cls(`  async nothing() {}
  async undef() { return undefined; }
  syncMethod() { return "sync"; }
  async promiseOfPromise() { return Promise.resolve(Promise.resolve("pp")); }
  async bigArray() { return Array.from({ length: 1000 }, (_, i) => i).reduce((a, b) => a + b, 0); }`),
    drive: async (env) => {
      const s = env.DO.getByName("ret");
      return {
        nothing: await outcome(() => s.nothing()),
        undef: await outcome(() => s.undef()),
        sync: await outcome(() => s.syncMethod()),
        pp: await outcome(() => s.promiseOfPromise()),
        bigArray: await outcome(() => s.bigArray()),
      };
    },
  },
  {
    name: "rpc: a 1 MiB argument and result",
    backend: "sqlite",
    source: cls(`  async len(x) { return x.length; }
  async make(n) { return "y".repeat(n); }`),
    drive: async (env) => {
      const s = env.DO.getByName("big");
      return { argLen: await s.len("x".repeat(1 << 20)), resultLen: (await s.make(1 << 20)).length };
    },
  },
  {
    name: "rpc: odd method names",
    backend: "kv",
    source: cls(`  async ["a-b"]() { return "dash"; }
  async ["with space"]() { return "space"; }
  async ["😀"]() { return "emoji"; }
  async [""]() { return "empty"; }
  async then() { return "then!"; }`),
    drive: async (env) => {
      const s = env.DO.getByName("odd");
      return {
        dash: await outcome(() => s["a-b"]()),
        space: await outcome(() => s["with space"]()),
        emoji: await outcome(() => s["😀"]()),
        empty: await outcome(() => s[""]()),
        thenType: typeof s.then,
      };
    },
  },
  {
    name: "rpc: arguments and results are limited to 32 MiB",
    backend: "kv",
    // Four 32 MiB payloads take a few seconds on both sides when the machine is idle, more than
    // the default 10 s under the load of a landing.
    timeoutMs: 60_000,
    source: cls(`  len(s) { return s.length; }
  big(n) { return "x".repeat(n); }`),
    drive: async (env) => {
      const s = env.DO.getByName("big");
      const mib32 = 32 * 1024 * 1024;
      return {
        argUnder: await outcome(() => s.len("x".repeat(mib32 - 64))),
        argOver: await outcome(() => s.len("x".repeat(mib32 + 1))),
        resultOver: await outcome(() => s.big(mib32 + 1)),
        stillWorks: await outcome(() => s.len("ok")),
      };
    },
  },
];
