// More of what crosses RPC (as an argument, a result and a stored value, see rpc-values.mjs's
// `crossing`): views of every kind over one buffer, shared and detached buffers, cycles through
// every container and through errors, Error subclasses with causes and AggregateErrors, class
// instances wherever they hide and their refusal texts, Headers, Blobs and AbortSignals.
import { both, cls } from "../scenario.mjs";
import { crossing, ERROR_FACTS } from "./rpc-values.mjs";

// What storage answers for values its serialiser cannot read back, and for a Blob with bytes
// (README, Differences from production), is storage's: these cases are recorded over RPC only.
const RPC_ONLY = ["arg", "result"];

export default [
  crossing("views over one buffer, shared and detached buffers", {
    dataViewAndFloatView: {
      make: `(() => { const b = new ArrayBuffer(16); const d = new DataView(b, 8); d.setFloat64(0, 2.5); return { d, f: new Float64Array(b, 8, 1), i: new Int32Array(b, 0, 2), b }; })()`,
      check: `(v) => ({ same: [v.d.buffer === v.b, v.f.buffer === v.b, v.i.buffer === v.b], float: v.f[0], dv: v.d.getFloat64(0), tags: [v.d, v.f, v.i].map((x) => Object.prototype.toString.call(x)), offsets: [v.d.byteOffset, v.f.byteOffset, v.i.byteOffset], lengths: [v.d.byteLength, v.f.length, v.i.length] })`,
    },
    viewsInMapAndArray: {
      make: `(() => { const b = new ArrayBuffer(4); const a = new Uint8Array(b); a.set([1, 2, 3, 4]); return [new Map([["v", new Uint16Array(b, 2, 1)]]), a]; })()`,
      check: `(v) => ({ shared: v[0].get("v").buffer === v[1].buffer, u16: v[0].get("v")[0], bytes: [...v[1]] })`,
    },
    typedArrayWithProps: { make: `Object.assign(new Uint8Array([1]), { extra: "x" })`, check: `(v) => ({ tag: Object.prototype.toString.call(v), extra: show(v.extra), keys: Object.keys(v) })` },
    typedArraySubclass: { make: `new (class Bytes extends Uint8Array {})([7])`, check: `(v) => ({ tag: Object.prototype.toString.call(v), ctor: v.constructor.name, v: v[0] })` },
    emptyViews: { make: `[new Uint8Array(0), new DataView(new ArrayBuffer(0)), new ArrayBuffer(0)]`, check: `(v) => v.map((x) => [Object.prototype.toString.call(x), x.byteLength])` },
    sharedArrayBuffer: { ways: RPC_ONLY, make: `new SharedArrayBuffer(4)` },
    viewOverShared: { ways: RPC_ONLY, make: `new Uint8Array(new SharedArrayBuffer(4))` },
    detachedBuffer: { make: `(() => { const b = new ArrayBuffer(8); structuredClone(b, { transfer: [b] }); return b; })()`, check: `(v) => ({ tag: Object.prototype.toString.call(v), len: v.byteLength })` },
    viewOfDetached: { make: `(() => { const b = new ArrayBuffer(8); const u = new Uint8Array(b); structuredClone(b, { transfer: [b] }); return u; })()`, check: `(v) => ({ tag: Object.prototype.toString.call(v), len: v.length })` },
  }),
  crossing("cycles through every container", {
    selfObject: { make: `(() => { const o = { n: 1 }; o.self = o; return o; })()`, check: `(v) => ({ self: v.self === v, n: v.n })` },
    setHoldsItself: { make: `(() => { const s = new Set(); s.add(s); s.add(1); return s; })()`, check: `(v) => ({ size: v.size, holdsSelf: v.has(v) })` },
    mapKeyIsItself: { make: `(() => { const m = new Map(); m.set(m, m); return m; })()`, check: `(v) => ({ size: v.size, self: v.get(v) === v })` },
    mutual: { make: `(() => { const a = { name: "a" }; const b = { name: "b", a }; a.b = b; return [a, b]; })()`, check: `(v) => ({ ab: v[0].b === v[1], ba: v[1].a === v[0] })` },
    errorCauseCycle: { ways: RPC_ONLY, make: `(() => { const e = new Error("loop"); e.cause = e; return e; })()`, check: `(v) => ({ tag: Object.prototype.toString.call(v), causeIsSelf: v.cause === v, message: v.message })` },
    errorInOwnProperty: { ways: RPC_ONLY, make: `(() => { const e = new RangeError("holder"); e.holder = { e }; return e; })()`, check: `(v) => ({ back: v.holder?.e === v, name: v.name })` },
    aggregateHoldsItself: { ways: RPC_ONLY, make: `(() => { const e = new AggregateError([], "agg"); e.errors.push(e); return e; })()`, check: `(v) => ({ self: Array.isArray(v.errors) && v.errors[0] === v, n: v.errors?.length })` },
    sameErrorTwice: { make: `(() => { const e = new TypeError("twice"); return { a: e, b: [e] }; })()`, check: `(v) => ({ same: v.a === v.b[0], name: v.a.name })` },
    errorHoldingObjectHoldingError: { ways: RPC_ONLY, make: `(() => { const inner = new Error("inner"); const o = { inner }; return new Error("outer", { cause: o }); })()`, check: `(v) => ({ inner: v.cause.inner.message })` },
    objectInErrorAndBeside: { make: `(() => { const shared = { s: 1 }; return { shared, e: Object.assign(new Error("x"), { shared }) }; })()`, check: `(v) => ({ same: v.e.shared === v.shared })` },
  }),
  crossing("Error subclasses, causes and AggregateErrors", {
    subclassWithCause: { make: `new (class AppError extends TypeError { constructor(m, o) { super(m, o); this.name = "AppError"; } })("app", { cause: new RangeError("root") })`, check: "errorFacts" },
    causeChain: { make: `new Error("a", { cause: new Error("b", { cause: new Error("c", { cause: 3 }) }) })`, check: `(v) => [v.message, v.cause.message, v.cause.cause.message, v.cause.cause.cause]` },
    causeUndefined: { make: `new Error("u", { cause: undefined })`, check: `(v) => ({ has: "cause" in v, own: Object.hasOwn(v, "cause") })` },
    aggregateWithCause: { make: `new AggregateError([new URIError("u")], "agg", { cause: "why" })`, check: "errorFacts" },
    aggregateEmpty: { make: `new AggregateError([])`, check: "errorFacts" },
    aggregateNested: { make: `new AggregateError([new AggregateError([new Error("deep")], "inner")], "outer")`, check: `(v) => ({ outer: v.message, inner: v.errors[0].message, innerName: v.errors[0].name, deep: v.errors[0].errors?.[0]?.message })` },
    errorsOnPlainError: { make: `Object.assign(new Error("not aggregate"), { errors: [new Error("e")] })`, check: "errorFacts" },
    everyNativeType: { make: `[EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((E) => new E("m"))`, check: `(v) => v.map((e) => [e.name, e.constructor.name, e instanceof Error])` },
    stackIsString: { make: `Object.assign(new Error("s"), { stack: "custom stack" })`, check: `(v) => ({ stackType: typeof v.stack })` },
  }, { extra: ERROR_FACTS }),
  crossing("class instances wherever they hide", {
    inMapValue: { make: `new Map([["k", new (class Hidden {})()]])` },
    inSet: { make: `new Set([new (class InSet {})()])` },
    inArrayDeep: { make: `[[{ x: [new (class Deep {})()] }]]` },
    withToJSON: { make: `new (class Jsonable { toJSON() { return "json"; } })()` },
    anonymousClass: { make: `new (class {})()` },
    nullProtoHolding: { make: `Object.assign(Object.create(null), { inner: new (class Inner {})() })` },
    objectCreateArrayProto: { make: `Object.create(Array.prototype)` },
    dateSubclass: { make: `new (class MyDate extends Date {})(0)`, check: `(v) => ({ tag: Object.prototype.toString.call(v), ctor: v.constructor.name })` },
    regexpSubclass: { make: `new (class MyRe extends RegExp {})("x")`, check: `(v) => ({ tag: Object.prototype.toString.call(v), ctor: v.constructor.name })` },
    setSubclass: { make: `new (class MySet extends Set {})([1])`, check: `(v) => ({ tag: Object.prototype.toString.call(v), ctor: v.constructor.name })` },
    errorSubclassWithInstance: { make: `Object.assign(new Error("carrier"), { payload: new (class Payload {})() })`, check: "errorFacts" },
    toStringTagPlain: { make: `{ [Symbol.toStringTag]: "Map", a: 1 }`, check: `(v) => ({ tag: Object.prototype.toString.call(v), keys: Object.keys(v) })` },
    abortController: { make: `new AbortController()` },
    abortSignalInObject: { make: `{ signal: AbortSignal.abort() }` },
    abortSignalTimeout: { make: `AbortSignal.any([])` },
  }, { extra: ERROR_FACTS }),
  crossing("Headers, Blobs and Files in detail", {
    headersInObject: { make: `{ h: new Headers({ "X-Up": "v" }), list: [new Headers([["a", "1"]])] }`, check: `(v) => ({ h: [...v.h], l: [...v.list[0]], tag: Object.prototype.toString.call(v.h) })` },
    sameHeadersTwice: { make: `(() => { const h = new Headers({ a: "1" }); return { x: h, y: h }; })()`, check: `(v) => ({ same: v.x === v.y })` },
    manyCookies: { make: `(() => { const h = new Headers(); h.append("Set-Cookie", "a=1; Path=/"); h.append("set-cookie", "b=2, c=3"); h.append("x", "1"); h.append("X", "2"); return h; })()`, check: `(v) => ({ entries: [...v], cookies: v.getSetCookie(), x: v.get("x") })` },
    blobSlice: { ways: RPC_ONLY, make: `new Blob(["abcdef"], { type: "text/plain" }).slice(1, 4, "text/x")`, check: `async (v) => ({ type: v.type, size: v.size, text: await v.text() })` },
    blobOfBlobs: { ways: RPC_ONLY, make: `new Blob([new Blob(["a"]), new Uint8Array([98]), "c"])`, check: `async (v) => ({ size: v.size, text: await v.text(), type: v.type })` },
    sameBlobTwice: { ways: RPC_ONLY, make: `(() => { const b = new Blob(["x"]); return [b, b]; })()`, check: `(v) => ({ same: v[0] === v[1] })` },
  }),
  crossing("Error property kinds: hidden, computed, symbol-keyed, a name that is no string, an inherited message; invalid dates, negative zeroes", {
    // Storage lists a stored error's stack among its keys: recorded over RPC only.
    nonEnumerableOwn: { ways: RPC_ONLY, make: `Object.defineProperty(new Error("ne"), "hidden", { value: 1, enumerable: false })`, check: `(v) => ({ hidden: show(v.hidden), keys: Object.keys(v), desc: Object.getOwnPropertyDescriptor(v, "hidden")?.enumerable ?? null })` },
    ownGetter: { make: `Object.defineProperty(new Error("g"), "computed", { get() { return "got"; }, enumerable: true })`, check: `(v) => ({ computed: show(v.computed), isGetter: typeof Object.getOwnPropertyDescriptor(v, "computed")?.get })` },
    throwingGetter: { make: `Object.defineProperty(new Error("tg"), "bad", { get() { throw new RangeError("getter threw"); }, enumerable: true })`, check: "errorFacts" },
    symbolProp: { make: `Object.assign(new Error("s"), { [Symbol("k")]: 1 })`, check: `(v) => ({ symbols: Object.getOwnPropertySymbols(v).length })` },
    numericName: { make: `Object.assign(new Error("n"), { name: 42 })`, check: "errorFacts" },
    ownMessageNonEnumerable: { make: `(() => { const e = new Error(); Object.defineProperty(e, "message", { value: "hidden msg", enumerable: false }); return e; })()`, check: "errorFacts" },
    inheritedMessage: { make: `(() => { class M extends Error {} M.prototype.message = "proto msg"; return new M(); })()`, check: "errorFacts" },
    invalidDate: { make: `[new Date(NaN), { d: new Date("nope") }]`, check: `(v) => [String(v[0].getTime()), String(v[1].d.getTime())]` },
    negativeZeroes: { make: `[-0, new Map([[-0, -0]]), new Set([-0]), { z: -0 }]`, check: `(v) => [Object.is(v[0], -0), Object.is([...v[1].keys()][0], -0), Object.is([...v[1].values()][0], -0), Object.is([...v[2]][0], -0), Object.is(v[3].z, -0)]` },
  }, { extra: ERROR_FACTS }),
  // Found by fuzzing (fuzz-values.mjs): what the receiver cannot read (an Error inside itself, a
  // SharedArrayBuffer) is still written, and what the sender refuses further on is refused first.
  crossing("what the receiver cannot read, then what the sender refuses", {
    selfErrorThenInstance: { ways: RPC_ONLY, make: `(() => { const e = new RangeError("c"); e.self = e; return { e, later: new (class Thing {})() }; })()` },
    sharedThenInstance: { ways: RPC_ONLY, make: `[new SharedArrayBuffer(4), new (class Thing {})()]` },
    sharedViewThenSymbol: { ways: RPC_ONLY, make: `{ v: new Uint8Array(new SharedArrayBuffer(4), 1, 2), s: Symbol("late") }` },
    instanceThenSelfError: { ways: RPC_ONLY, make: `(() => { const e = new Error("c"); e.cause = e; return [new (class Thing {})(), e]; })()` },
    selfErrorAlone: { ways: RPC_ONLY, make: `(() => { const e = new Error("c"); e.cause = e; return { e, n: 1 }; })()` },
    messageNoStringThenInstance: { ways: RPC_ONLY, make: `(() => { const e = new Error("m"); Object.defineProperty(e, "message", { value: 9, writable: true, configurable: true }); return new Map([[e, 1], [2, Object.create(Error.prototype)]]); })()` },
    messageNoStringThenSelfError: { ways: RPC_ONLY, make: `(() => { const e = new Error("m"); Object.defineProperty(e, "message", { value: 9, writable: true, configurable: true }); const f = new Error("f"); f.cause = f; return [e, f]; })()` },
  }),
  // Found by fuzzing: a copy the receiver cannot read fails flagged as the receiver's. Sent to an
  // object, a DOMException comes back without the object's id; sent to a function or RpcTarget
  // an object made, every such failure carries that object's id.
  ...both({
    name: "rpc-values: an argument the receiver cannot read, sent to an object, its RpcTarget and its function",
    source: cls(`  take(v) { return "took"; }
  target() { return new (class extends RpcTarget { take(v) { return "took"; } })(); }
  fn() { return { take: (v) => "took" }; }`),
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const badMessage = () => { const e = new Error("m"); Object.defineProperty(e, "message", { value: 9, writable: true, configurable: true }); return e; };
      const selfError = () => { const e = new Error("s"); e.cause = e; return e; };
      const receivers = { object: stub, target: await stub.target(), fn: (await stub.fn()).take };
      const out = {};
      for (const [k, r] of Object.entries(receivers)) {
        const call = (v) => (k === "fn" ? r(v) : r.take(v));
        out[k] = { badMessage: await outcome(() => call(badMessage())), selfError: await outcome(() => call(selfError())), shared: await outcome(() => call([new SharedArrayBuffer(2)])) };
      }
      return out;
    },
  }),
];
