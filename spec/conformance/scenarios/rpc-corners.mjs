// RPC corners the other files leave thin, each a sweep over many cases at once: every way a
// value can be thrown (non-Errors, getters that throw or reject, DOMExceptions, causes, custom
// properties, frozen and stackless errors), property access on a Durable Object stub (getters,
// data fields, odd names, symbols, string conversion, pipelines onto primitives), values that
// round-trip or cannot be serialised, thenables and functions both ways, the kind of the
// `stack` property an error's copy has, and results whose `then` misbehaves.
import { cls } from "../scenario.mjs";

/** Helper source: the shape of a value's own `stack`: `engine` when it is of the kind V8 gives
 * an error it makes here (an accessor on workerd's and Node 22+'s V8, a data property on Node
 * 20's), and its flags; `flagsOnly` for copies whose stack is a data property on every engine. */
const STACK_SHAPE = `const stackShape = (x) => {
    const p = Object.getOwnPropertyDescriptor(x, "stack");
    if (p === undefined) return "none";
    const engineAccessor = "get" in Object.getOwnPropertyDescriptor(new Error("n"), "stack");
    return { engine: ("get" in p) === engineAccessor, enumerable: p.enumerable, configurable: p.configurable };
  };
  const flagsOnly = (x) => { const p = Object.getOwnPropertyDescriptor(x, "stack"); return { enumerable: p.enumerable, configurable: p.configurable, writable: p.writable ?? "accessor" }; };`;

/** Helper source: thenables of every odd kind, made fresh by name. */
const THENABLES = `
const thenables = {
  throwingGetter: () => ({ get then() { throw new RangeError("then getter"); } }),
  throwingThen: () => ({ then() { throw new TypeError("then threw"); } }),
  resolveThenThrow: () => ({ then(res) { res("first"); throw new Error("after resolve"); } }),
  resolveTwice: () => ({ then(res, rej) { res("one"); res("two"); rej(new Error("late")); } }),
  rejectsNonError: () => ({ then(res, rej) { rej("plain string"); } }),
  thenNotFn: () => ({ then: "str", a: 1 }),
  resolvesThenable: () => ({ then(res) { res({ then(r2) { r2("inner"); } }); } }),
};`;
const WORKER = {
  source: `import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
${THENABLES}
export class Ep extends WorkerEntrypoint { give(k) { return thenables[k](); } }`,
  entry: `{ async fetch() { return new Response("x"); } }`,
};
/** Helper source: a result that the microtasks it queued go on filling. */
const QUEUED = `function queued() { const out = []; queueMicrotask(() => out.push("micro1")); Promise.resolve().then(() => out.push("then1")).then(() => out.push("then2")).then(() => out.push("then3")); return out; }`;
export default [
  {
    name: "rpc corners: values thrown every way: non-Errors, getters that throw or reject, DOMExceptions, causes, custom properties, frozen and stackless errors",
    backend: "sqlite",
    source: cls(`
  get boom() { throw new RangeError("getter boom"); }
  get asyncish() { return Promise.reject(new TypeError("getter rejects")); }
  throwStr() { throw "a string"; }
  throwNum() { throw 42; }
  throwNull() { throw null; }
  throwUndef() { throw undefined; }
  throwObj() { throw { code: 7, msg: "plain" }; }
  throwArr() { throw [1, 2]; }
  throwSym() { throw Symbol("s"); }
  throwBig() { throw 5n; }
  throwDom() { throw new DOMException("dom msg", "NotFoundError"); }
  throwCustom() { class MyErr extends Error { constructor(m) { super(m); this.name = "MyErr"; this.extra = { a: [1] }; } } throw new MyErr("custom"); }
  throwCauseChain() { throw new Error("outer", { cause: new TypeError("inner", { cause: "root" }) }); }
  throwNoMsg() { throw new Error(); }
  throwNameNum() { const e = new Error("x"); e.name = 5; throw e; }
  throwDateProp() { const e = new Error("d"); e.when = new Date(0); e.map = new Map([[1, 2]]); e.big = 3n; throw e; }
  throwFnProp() { const e = new Error("f"); e.fn = () => 1; throw e; }
  throwStackless() { const e = new Error("s"); delete e.stack; throw e; }
  throwStackStr() { const e = new Error("s"); e.stack = "custom stack"; throw e; }
  throwFrozen() { throw Object.freeze(new Error("frozen")); }
  async rejectLater() { await null; throw new SyntaxError("later"); }
  throwAgg() { throw new AggregateError([new Error("a"), "b"], "agg"); }
  throwMsgObj() { const e = new Error("m"); e.message = { x: 1 }; throw e; }
  throwTypeErrSubclass() { class T2 extends TypeError {} throw new T2("t2"); }
  throwErrLikeName() { const e = new Error("n"); e.name = "AbortError"; throw e; }
  throwCode() { const e = new Error("c"); e.code = "ECODE"; e.status = 404; throw e; }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const out = {};
      const deep = async (f) => { try { await f(); return "no throw"; } catch (e) {
        if (e === null || typeof e !== "object") return { thrown: show(e), type: typeof e };
        const r = { ...err(e), keys: Object.keys(e).sort(), stackType: typeof e.stack, hasStackOwn: Object.hasOwn(e, "stack"), proto: Object.getPrototypeOf(e)?.constructor?.name, isError: e instanceof Error };
        r.stackStartsWithName = typeof e.stack === "string" ? e.stack.split("\n")[0] : null;
        if ("cause" in e) r.cause = show(e.cause);
        if ("cause" in e && e.cause && e.cause.cause !== undefined) r.causeCause = show(e.cause.cause);
        for (const k of ["extra", "when", "map", "big", "fn", "code", "status", "errors"]) if (k in e) r["p_" + k] = show(e[k]);
        r.str = String(e).slice(0, 80);
        return r;
      } };
      for (const m of ["boom", "asyncish"]) out[m] = await deep(() => stub[m]);
      for (const m of ["throwStr", "throwNum", "throwNull", "throwUndef", "throwObj", "throwArr", "throwSym", "throwBig", "throwDom", "throwCustom", "throwCauseChain", "throwNoMsg", "throwNameNum", "throwDateProp", "throwFnProp", "throwStackless", "throwStackStr", "throwFrozen", "rejectLater", "throwAgg", "throwMsgObj", "throwTypeErrSubclass", "throwErrLikeName", "throwCode"]) out[m] = await deep(() => stub[m]());
      return out;
    },
  },
  {
    name: "rpc corners: property access on a stub: getters, data fields, odd names, symbols, string conversion, pipelines onto primitives",
    backend: "sqlite",
    source: cls(`
  get num() { return 5; }
  get fnGetter() { return (x) => x * 2; }
  get objGetter() { return { a: 1, nested: { b: 2 } }; }
  get targetGetter() { return new (class T extends RpcTarget { hi() { return "hi"; } get v() { return 9; } })(); }
  dataLike = 3;
  _private() { return "underscore"; }
  ["#hash"]() { return "hash"; }
  ["with space"]() { return "space"; }
  [Symbol.for("sym")]() { return "sym"; }
  method() { return "m"; }
  nested() { return { f: () => "nested fn", t: new (class extends RpcTarget { go() { return "went"; } })() }; }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const out = {};
      out.thenType = typeof stub.then;
      out.num = await outcome(() => stub.num);
      out.numCall = await outcome(() => stub.num());
      out.fnGetterCall = await outcome(() => stub.fnGetter(4));
      out.fnGetterAwait = await outcome(async () => typeof (await stub.fnGetter));
      out.objGetter = await outcome(() => stub.objGetter);
      out.objGetterPath = await outcome(() => stub.objGetter.nested.b);
      out.objGetterMissing = await outcome(() => stub.objGetter.nope.deeper);
      out.objGetterCallNonFn = await outcome(() => stub.objGetter.a());
      out.targetV = await outcome(() => stub.targetGetter.v);
      out.targetHi = await outcome(() => stub.targetGetter.hi());
      out.dataLike = await outcome(() => stub.dataLike);
      out.dataLikeCall = await outcome(() => stub.dataLike());
      out.underscore = await outcome(() => stub._private());
      out.hash = await outcome(() => stub["#hash"]());
      out.space = await outcome(() => stub["with space"]());
      out.symType = typeof stub[Symbol.for("sym")];
      out.missing = await outcome(() => stub.nope());
      out.missingAwait = await outcome(() => stub.nope);
      out.missingPath = await outcome(() => stub.nope.deeper());
      out.methodAwaitProp = await outcome(async () => typeof (await stub.method));
      out.toStringType = typeof stub.toString;
      out.toStringCall = await outcome(() => stub.toString());
      out.valueOf = await outcome(() => stub.valueOf());
      out.hasOwnProperty = await outcome(() => stub.hasOwnProperty("x"));
      out.constructorCall = await outcome(() => stub.constructor());
      out.templ = outcomeSync(() => `${stub}`);
      out.strConv = outcomeSync(() => String(stub));
      out.nestedF = await outcome(() => stub.nested().f());
      out.nestedT = await outcome(() => stub.nested().t.go());
      out.nestedMissing = await outcome(() => stub.nested().zz());
      out.pipelineOnPrimitive = await outcome(() => stub.method().length);
      out.pipelineOnPrimitiveCall = await outcome(() => stub.method().toUpperCase());
      out.inOp = outcomeSync(() => "method" in stub);
      out.symIter = typeof stub[Symbol.iterator];
      out.symAsyncIter = typeof stub[Symbol.asyncIterator];
      out.symToPrim = typeof stub[Symbol.toPrimitive];
      out.symDispose = typeof stub[Symbol.dispose];
      return out;
    },
  },
  {
    name: "rpc corners: RegExps, sparse arrays, cycles, Dates, BigInts, views, boxed primitives and undefined arguments, echoed and described by the object",
    backend: "sqlite",
    source: cls(`
  echo(v) { return v; }
  describe(v) { return { tag: Object.prototype.toString.call(v), proto: Object.getPrototypeOf(v)?.constructor?.name ?? null, keys: typeof v === "object" && v !== null ? Reflect.ownKeys(v).map(String) : null, len: v?.length, flags: v?.flags, lastIndex: v?.lastIndex, byteLength: v?.byteLength, size: v?.size }; }
  argc() { return arguments.length; }
  args(...a) { return a.map((x) => x === undefined ? "undef" : typeof x); }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const out = {};
      const re = /ab+c/gimsuy; re.lastIndex = 3;
      const sparse = [1, , 3]; sparse.length = 6;
      const circ = { a: 1 }; circ.self = circ; circ.list = [circ];
      const m = new Map(); m.set(m, m);
      const cases = { re, reSticky: /x/dy, sparse, circ, selfMap: m, date: new Date(1e12), badDate: new Date(NaN), big: 2n ** 100n, negBig: -(2n ** 70n),
        u8sub: new Uint8Array([1,2,3,4]).subarray(1, 3), dv: new DataView(new ArrayBuffer(4), 1, 2), ab0: new ArrayBuffer(0),
        resizable: new ArrayBuffer(2, { maxByteLength: 16 }), i64: new BigUint64Array([2n ** 64n - 1n]), set: new Set([1, "1", {a: 1}]), boxedStr: new String("bs"), boxedNum: new Number(-0), boxedBool: new Boolean(false), boxedBig: Object(7n),
        nested: new Map([[new Set([1]), [new Date(0)]]]), nullProto: Object.assign(Object.create(null), { x: 1 }), negZero: -0, nan: NaN, inf: -Infinity, emptyStr: "", longArr: new Array(3), objWithUndef: { u: undefined }, arrOfUndef: [undefined] };
      for (const [k, v] of Object.entries(cases)) {
        out[k] = { echo: await outcome(() => stub.echo(v)), desc: await outcome(() => stub.describe(v)) };
      }
      out.argcUndefTrail = await outcome(() => stub.argc(1, undefined, undefined));
      out.argcNone = await outcome(() => stub.argc());
      out.argsHoles = await outcome(() => stub.args(undefined, null, 1));
      return out;
    },
  },
  {
    name: "rpc corners: what cannot be serialised, as arguments and as results, and the errors it raises",
    backend: "sqlite",
    source: cls(`
  echo(v) { return v; }
  retSym() { return Symbol("r"); }
  retWeakMap() { return new WeakMap(); }
  retClass() { return new (class Foo { x = 1; })(); }
  retGen() { return (function* () {})(); }
  retPromiseObj() { return { p: Promise.resolve(1) }; }
  retProxyFn() { return new Proxy(() => 1, {}); }
  retErrWithSym() { const e = new Error("x"); e.s = Symbol("q"); return e; }
  throwErrWithSym() { const e = new Error("x"); e.s = Symbol("q"); throw e; }
  retSharedAB() { return new SharedArrayBuffer(4); }
  retMessagePort() { return typeof MessageChannel === "function" ? new MessageChannel().port1 : "none"; }
  retWeakRef() { return new WeakRef({}); }
  retArguments() { return (function () { return arguments; })(1, 2); }
  retNestedPromise() { return [Promise.resolve(2)]; }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const out = {};
      const argCases = { sym: Symbol("a"), weakMap: new WeakMap(), weakSet: new WeakSet(), klass: new (class Bar {})(), gen: (function* () {})(), promise: Promise.resolve(1), promiseInObj: { p: Promise.resolve(1) }, sab: typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(2) : "none", weakRef: new WeakRef({}), argumentsObj: (function () { return arguments; })(1), symInMap: new Map([[Symbol("k"), 1]]), errSym: Object.assign(new Error("e"), { s: Symbol("z") }) };
      for (const [k, v] of Object.entries(argCases)) out["arg_" + k] = await outcome(() => stub.echo(v));
      for (const m of ["retSym", "retWeakMap", "retClass", "retGen", "retPromiseObj", "retProxyFn", "retErrWithSym", "throwErrWithSym", "retSharedAB", "retMessagePort", "retWeakRef", "retArguments", "retNestedPromise"]) out[m] = await outcome(() => stub[m]());
      return out;
    },
  },
  {
    name: "rpc corners: thenable results, and functions both ways: their properties, this, bound, async, generator and class functions",
    backend: "sqlite",
    source: cls(`
  thenableResult() { return { then(resolve) { resolve("from then"); } }; }
  objWithThen() { return { a: 1, then: 5 }; }
  async fnWithProps() { const f = (x) => x + 1; f.extra = 9; return f; }
  async callIt(f, ...a) { return await f(...a); }
  async fnInfo(f) { return { type: typeof f, name: f.name, length: f.length, extra: typeof f.extra, keys: Object.keys(f), proto: Object.getPrototypeOf(f) === Function.prototype, str: String(f).slice(0, 30) }; }
  async callTwice(f) { return [await f(1), await f(2)]; }
  async keep(f) { this.kept = f; return "kept"; }
  async useKept() { try { return await this.kept(3); } catch (e) { return err(e); } }
  async bound(f) { return await f.call({ x: 1 }, 5); }
  async applyIt(f) { return await f.apply(null, [6, 7]); }
  retAsyncFn() { return async (x) => { await null; return x * 3; }; }
  retThrowingFn() { return () => { throw new URIError("fn threw"); }; }
  retGenFn() { return function* () { yield 1; }; }
  retClassCtor() { return class Foo {}; }
  retBoundFn() { return function (x) { return [this === undefined, x]; }.bind(undefined); }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("t");
      const out = {};
      out.thenableResult = await outcome(() => stub.thenableResult());
      out.objWithThen = await outcome(() => stub.objWithThen());
      out.fnWithProps = await outcome(async () => { const f = await stub.fnWithProps(); return { call: await f(1), extra: await outcome(() => f.extra), name: typeof f.name, len: typeof f.length }; });
      out.fnInfo = await outcome(() => stub.fnInfo(function named(a, b) {}));
      out.fnInfoArrow = await outcome(() => stub.fnInfo(async () => {}));
      out.callTwice = await outcome(() => stub.callTwice((x) => x * 10));
      out.callThrows = await outcome(() => stub.callIt(() => { throw new EvalError("cb threw"); }));
      out.callReturnsFn = await outcome(async () => typeof (await stub.callIt(() => () => 1)));
      out.callReturnsUnclonable = await outcome(() => stub.callIt(() => new (class Z {})()));
      out.callNotFn = await outcome(() => stub.callIt(5));
      out.keep = await outcome(() => stub.keep((x) => x));
      out.useKept = await outcome(() => stub.useKept());
      out.bound = await outcome(() => stub.bound(function (a) { return [typeof this, a]; }));
      out.apply = await outcome(() => stub.applyIt((...a) => a));
      out.asyncFn = await outcome(async () => (await stub.retAsyncFn())(4));
      out.asyncFnPipelined = await outcome(() => stub.retAsyncFn()(5));
      out.throwingFn = await outcome(async () => (await stub.retThrowingFn())());
      out.genFn = await outcome(async () => (await stub.retGenFn())());
      out.classCtor = await outcome(async () => (await stub.retClassCtor())());
      out.boundFn = await outcome(async () => (await stub.retBoundFn())(8));
      out.passGen = await outcome(() => stub.callIt(function* () {}));
      out.passClass = await outcome(() => stub.fnInfo(class K {}));
      out.passBuiltin = await outcome(() => stub.callIt(Math.max, 1, 5));
      out.passBound = await outcome(() => stub.callIt(((a, b) => a + b).bind(null, 10), 1));
      return out;
    },
  },
  {
    name: "rpc corners: the stack of an error's copy is of the kind the engine gives its own errors (thrown, returned, as an argument, a cause, from fetch(), a callback, an RpcTarget); stored and cloned copies list theirs",
    backend: "sqlite",
    source: cls(`
    thrower() { throw new RangeError("deep", { cause: new TypeError("c") }); }
    retErr() { return { e: new TypeError("ret"), agg: new AggregateError([new Error("in")], "a"), dom: new DOMException("d", "AbortError"), odd: Object.assign(new Error("o"), { stack: 5 }) }; }
    throwDom() { throw new DOMException("td", "NotFoundError"); }
    async fetch() { throw new URIError("from fetch"); }
    async callBack(f) { ${STACK_SHAPE} try { await f(); } catch (e) { return { shape: stackShape(e), keys: Object.getOwnPropertyNames(e) }; } }
    target() { return new (class extends RpcTarget { fail() { throw new EvalError("target"); } })(); }
    check(e) { ${STACK_SHAPE} return { arg: stackShape(e), cause: stackShape(e.cause), keys: Object.getOwnPropertyNames(e) }; }
    async stored() { ${STACK_SHAPE} await this.ctx.storage.put("e", new Error("s", { cause: new Error("sc") })); const r = await this.ctx.storage.get("e"); return { stored: flagsOnly(r), storedCause: flagsOnly(r.cause), cloned: flagsOnly(structuredClone(new Error("sc"))) }; }
  `),
    drive: `async (env) => {
      ${STACK_SHAPE}
      const stub = env.DO.getByName("s"); const out = {};
      try { await stub.thrower(); } catch (e) { out.thrown = stackShape(e); out.thrownCause = stackShape(e.cause); out.thrownKeys = Object.getOwnPropertyNames(e); out.thrownText = e.stack.split("\\n")[0]; }
      try { await stub.throwDom(); } catch (e) { out.thrownDom = stackShape(e); out.thrownDomKeys = Object.keys(e); }
      const r = await stub.retErr();
      out.returned = stackShape(r.e); out.agg = stackShape(r.agg); out.aggInner = stackShape(r.agg.errors[0]); out.dom = flagsOnly(r.dom); out.odd = stackShape(r.odd); out.oddValue = show(r.odd.stack);
      out.returnedKeys = Object.getOwnPropertyNames(r.e);
      out.arg = await stub.check(new SyntaxError("arg", { cause: new Error("ac") }));
      out.stored = await stub.stored();
      try { await stub.fetch("http://x/"); } catch (e) { out.fetchThrown = stackShape(e); out.fetchKeys = Object.getOwnPropertyNames(e); }
      out.callback = await stub.callBack(() => { throw new RangeError("cb"); });
      try { await stub.target().fail(); } catch (e) { out.targetThrown = stackShape(e); }
      return out;
    }`,
    },
  {
    name: "rpc corners: results whose then is a getter that throws, a then that throws, calls its callbacks twice or after throwing, from an object, an RpcTarget, a function, an entrypoint and a callback; thenables as arguments awaited by the object",
    backend: "sqlite",
    timeoutMs: 8000,
    source: cls(`
  give(k) { return thenables[k](); }
  get prop() { return thenables.throwingGetter(); }
  target() { return new (class extends RpcTarget { give(k) { return thenables[k](); } })(); }
  fn() { return (k) => thenables[k](); }
  async awaitArg(x) { const v = await x; return { type: typeof v, v: show(v) }; }
  async callBack(f, k) { try { return show(await f(k)); } catch (e) { return { threw: err(e) }; } }
`, { extra: THENABLES }),
    workers: { other: WORKER },
    services: { EP: { name: "other", entrypoint: "Ep" } },
    drive: `async (env) => {
      ${THENABLES}
      const stub = env.DO.getByName("t");
      const out = {};
      const t = await stub.target();
      const f = await stub.fn();
      for (const k of Object.keys(thenables)) {
        out[k] = { object: await outcome(() => stub.give(k)), target: await outcome(() => t.give(k)), fn: await outcome(() => f(k)), entrypoint: await outcome(() => env.EP.give(k)), callback: await outcome(() => stub.callBack((k) => thenables[k](), k)) };
      }
      out.prop = await outcome(() => stub.prop);
      out.awaitThenableArg = await outcome(() => stub.awaitArg({ then(resolve) { resolve(7); } }));
      out.awaitThenableRejects = await outcome(() => stub.awaitArg({ then(resolve, reject) { reject(new Error("no")); } }));
      return out;
    }`,
  },
  {
    name: "rpc corners: a result is copied a microtask after the method returns, whether it returned it or a promise of it: what it queued meanwhile shows",
    backend: "sqlite",
    source: cls(`
  sync() { const out = []; queueMicrotask(() => out.push("micro1")); Promise.resolve().then(() => out.push("then1")).then(() => out.push("then2")).then(() => out.push("then3")).then(() => out.push("then4")); setTimeout(() => out.push("timer"), 0); return out; }
  async asyncFn() { const out = []; queueMicrotask(() => out.push("micro1")); Promise.resolve().then(() => out.push("then1")).then(() => out.push("then2")).then(() => out.push("then3")).then(() => out.push("then4")); return out; }
  get prop() { const out = []; queueMicrotask(() => out.push("micro1")); return out; }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("s");
      return { sync: await stub.sync(), asyncFn: await stub.asyncFn(), prop: await stub.prop };
    },
  },
  {
    name: "rpc corners: when the result of an RpcTarget's method or getter, a function, an entrypoint's method or getter, a callback and fetch() is copied: what it queued meanwhile shows",
    backend: "sqlite",
    source: cls(`
  target() { return new (class extends RpcTarget { sync() { return queued(); } get prop() { return queued(); } })(); }
  fn() { return () => queued(); }
  async callBack(f) { return await f(); }
  async fetch() { const out = queued(); return new Response(JSON.stringify(out)); }
`, { extra: QUEUED }),
    workers: { other: { source: `import { WorkerEntrypoint } from "cloudflare:workers";\n${QUEUED}\nexport class Ep extends WorkerEntrypoint { sync() { return queued(); } get prop() { return queued(); } }`, entry: `{ async fetch() { return new Response("x"); } }` } },
    services: { EP: { name: "other", entrypoint: "Ep" } },
    drive: `async (env) => {
      ${QUEUED}
      const stub = env.DO.getByName("s");
      const t = await stub.target();
      const f = await stub.fn();
      return { target: await t.sync(), targetProp: await t.prop, fn: await f(), ep: await env.EP.sync(), epProp: await env.EP.prop, callback: await stub.callBack(() => queued()), fetchText: await (await stub.fetch("http://x/")).text() };
    }`,
  },
];
