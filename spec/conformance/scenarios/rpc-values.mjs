// What crosses RPC, and what the same values become in ctx.storage: host objects (streams,
// Headers, Blob, Request, Response), Proxies, odd arrays, views over one buffer, identity,
// getters, Error values, structured-clone types, non-serialisable values and their exact
// DataCloneError texts, functions nested in objects, RpcTarget hierarchies, symbol keys.
import { cls, both } from "../scenario.mjs";

/**
 * One scenario per group of values, on both backends. Each case is `{ make, check }`: `make`
 * is source text of an expression building a fresh value, `check` source text of an (async)
 * function turning what arrived into a record (default `show`). Every case is recorded three
 * ways: as an argument (checked inside the object), as a result (checked by the driver) and
 * as a value stored with put() and read back with get() inside the object. A case may limit
 * itself to some of those `ways`.
 */
export function crossing(name, cases, { extra = "" } = {}) {
  const entries = Object.entries(cases);
  const table = (render) => `{\n${entries.map(([k, c]) => `  ${JSON.stringify(k)}: ${render(c)}`).join(",\n")}\n}`;
  const source = cls(`  async check(k, v) { return await CHECKS[k](v); }
  async make(k) { return MAKERS[k](); }
  async store(k) { const s = this.ctx.storage; await s.put("k", MAKERS[k]()); return await CHECKS[k](await s.get("k")); }`, {
    extra: `${extra}
const MAKERS = ${table((c) => `() => (${c.make})`)};
const CHECKS = ${table((c) => c.check ?? "show")};
const WAYS = ${table((c) => JSON.stringify(c.ways ?? ["arg", "result", "stored"]))};`,
  });
  return both({
    name: `rpc-values: ${name}`,
    source,
    drive: async (env) => {
      const s = env.DO.getByName("values");
      const out = {};
      for (const k of Object.keys(MAKERS)) {
        const ways = {
          arg: () => outcome(() => s.check(k, MAKERS[k]())),
          result: () => outcome(async () => CHECKS[k](await s.make(k))),
          stored: () => outcome(() => s.store(k)),
        };
        out[k] = {};
        for (const way of WAYS[k]) out[k][way] = await ways[way]();
      }
      return out;
    },
  });
}

const tagOf = "(v) => Object.prototype.toString.call(v)";

/** Facts of an Error value beyond `show`: own keys, cause, aggregated errors, prototype. */
export const ERROR_FACTS = `function errorFacts(e) {
  if (e === null || typeof e !== "object") return { notAnObject: show(e) };
  return {
    tag: Object.prototype.toString.call(e),
    name: show(e.name),
    message: show(e.message),
    ctor: e.constructor?.name ?? null,
    instanceofError: e instanceof Error,
    // DOMException's own code/message/name are the host's shape (Node keeps them on the
    // prototype), not something RPC or storage decides.
    ownKeys: Object.getOwnPropertyNames(e).filter((k) => k !== "stack" && !(e instanceof DOMException && ["code", "message", "name"].includes(k))).sort(),
    stackType: typeof e.stack,
    code: show(e.code),
    cause: "cause" in e ? show(e.cause) : "(none)",
    errors: Array.isArray(e.errors) ? e.errors.map((x) => show(x)) : "(none)",
    extra: show(e.extra),
  };
}`;

/** Reads a stream, whatever its chunks are, into a record: the text and the kinds of chunk
 * (not where chunks split, which a byte pipe does not keep). */
const STREAM_FACTS = `async function streamFacts(v) {
  const tag = Object.prototype.toString.call(v);
  if (tag !== "[object ReadableStream]") return { tag };
  let text = "";
  const kinds = new Set();
  const reader = v.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const kind = Object.prototype.toString.call(value).slice(8, -1);
    kinds.add(kind);
    text += kind === "Uint8Array" ? new TextDecoder().decode(value) : JSON.stringify(show(value));
  }
  return { tag, text, kinds: [...kinds] };
}`;

const bytesStream = (parts, type) =>
  `new ReadableStream({ ${type ? `type: "${type}", ` : ""}start(c) { for (const p of ${JSON.stringify(parts)}) c.enqueue(new TextEncoder().encode(p)); c.close(); } })`;

export default [
  crossing("streams", {
    byteStream: { make: bytesStream(["ab", "cd"], "bytes"), check: "(v) => streamFacts(v)" },
    defaultStreamOfBytes: { make: bytesStream(["ab", "cd"]), check: "(v) => streamFacts(v)" },
    defaultStreamOfStrings: { make: `new ReadableStream({ start(c) { c.enqueue("ab"); c.enqueue("cd"); c.close(); } })`, check: "(v) => streamFacts(v)" },
    emptyStream: { make: `new ReadableStream({ start(c) { c.close(); } })`, check: "(v) => streamFacts(v)" },
    responseBody: { make: `new Response("from a body").body`, check: "(v) => streamFacts(v)" },
    blobStream: { make: `new Blob(["blob", "parts"]).stream()`, check: "(v) => streamFacts(v)" },
    inObject: { make: `{ label: "s", body: ${bytesStream(["x"], "bytes")} }`, check: "async (v) => ({ label: v.label, body: await streamFacts(v.body) })" },
    lockedStream: { make: `(() => { const r = ${bytesStream(["x"], "bytes")}; r.getReader(); return r; })()`, check: "(v) => streamFacts(v)" },
    erroredStream: { make: `new ReadableStream({ type: "bytes", start(c) { c.enqueue(new TextEncoder().encode("first")); c.error(new RangeError("stream broke")); } })`, check: "(v) => streamFacts(v)" },
    writableStream: { make: `new WritableStream()`, check: tagOf },
  }, { extra: STREAM_FACTS }),
  crossing("Headers and Blob", {
    headers: {
      make: `new Headers([["x-a", "1"], ["X-B", "two"], ["set-cookie", "a=1"], ["set-cookie", "b=2"]])`,
      check: `(v) => { const tag = Object.prototype.toString.call(v); if (tag !== "[object Headers]") return { tag, shown: show(v) }; let mutable = true; try { v.set("x-new", "1"); } catch { mutable = false; } return { tag, entries: [...v], cookies: v.getSetCookie(), mutable }; }`,
    },
    emptyHeaders: { make: `new Headers()`, check: `(v) => ({ tag: Object.prototype.toString.call(v), entries: typeof v.entries === "function" ? [...v] : null })` },
    blob: {
      make: `new Blob(["hello ", "blob"], { type: "text/plain" })`,
      check: `async (v) => ({ tag: Object.prototype.toString.call(v), size: v.size, type: v.type, text: typeof v.text === "function" ? await v.text() : null })`,
      // Stored: see "a Blob with bytes in storage".
      ways: ["arg", "result"],
    },
    emptyBlob: { make: `new Blob([])`, check: `async (v) => ({ tag: Object.prototype.toString.call(v), size: v.size, type: v.type })` },
    file: {
      make: `new File(["file body"], "a.txt", { type: "text/plain", lastModified: 1000 })`,
      check: `async (v) => ({ tag: Object.prototype.toString.call(v), name: v.name ?? null, lastModified: v.lastModified ?? null, size: v.size, text: typeof v.text === "function" ? await v.text() : null })`,
    },
    formData: { make: `(() => { const f = new FormData(); f.append("a", "1"); return f; })()`, check: tagOf },
    urlSearchParams: { make: `new URLSearchParams("a=1&b=2")`, check: tagOf },
    url: { make: `new URL("https://example.com/p?q=1")`, check: tagOf },
  }),
  both({
    name: "rpc-values: a Blob with bytes in storage",
    differs:
      "durasim refuses to store a Blob that has bytes (DataCloneError naming the workaround): Node can only read a Blob's bytes asynchronously, and put() encodes its value in the call; workerd stores it",
    source: cls(`  async go() {
    const s = this.ctx.storage;
    return outcome(async () => { await s.put("b", new Blob(["bytes"], { type: "text/plain" })); const b = await s.get("b"); return { size: b.size, type: b.type, text: await b.text() }; });
  }`),
    drive: async (env) => env.DO.getByName("blob").go(),
  }),
  crossing("Request and Response", {
    requestWithBody: {
      make: `new Request("https://example.com/path?q=1", { method: "POST", headers: { "x-h": "v", "content-type": "text/plain" }, body: "request body" })`,
      check: `async (r) => ({ tag: Object.prototype.toString.call(r), method: r.method, url: r.url, headers: [...r.headers], bodyUsed: r.bodyUsed, text: await r.text(), redirect: r.redirect })`,
    },
    requestGet: {
      make: `new Request("https://example.com/", { redirect: "manual" })`,
      check: `async (r) => ({ method: r.method, url: r.url, body: r.body === null ? null : "stream", redirect: r.redirect, cf: r.cf === undefined ? "undefined" : show(r.cf) })`,
    },
    consumedRequest: {
      make: `(() => { const r = new Request("https://example.com/", { method: "POST", body: "x" }); r.text(); return r; })()`,
      check: `async (r) => ({ bodyUsed: r.bodyUsed, text: await outcome(() => r.text()) })`,
    },
    response: {
      make: `new Response("response body", { status: 201, statusText: "Made", headers: { "x-r": "1" } })`,
      check: `async (r) => ({ tag: Object.prototype.toString.call(r), status: r.status, statusText: r.statusText, ok: r.ok, headers: [...r.headers], type: r.type, url: r.url, redirected: r.redirected, text: await r.text() })`,
    },
    nullBodyResponse: { make: `new Response(null, { status: 204 })`, check: `async (r) => ({ status: r.status, body: r.body === null ? null : "stream", text: await r.text() })` },
    jsonResponse: { make: `Response.json({ a: [1, 2] })`, check: `async (r) => ({ ct: r.headers.get("content-type"), json: await r.json() })` },
    redirectResponse: { make: `Response.redirect("https://example.com/to", 307)`, check: `(r) => ({ status: r.status, location: r.headers.get("location") })` },
    consumedResponse: {
      make: `(() => { const r = new Response("x"); r.text(); return r; })()`,
      check: `async (r) => ({ bodyUsed: r.bodyUsed, text: await outcome(() => r.text()) })`,
    },
    inObject: {
      make: `{ req: new Request("https://example.com/in"), res: new Response("in object") }`,
      check: `async (v) => ({ url: v.req.url, text: await v.res.text() })`,
    },
  }),
  crossing("Proxies", {
    proxyOfObject: { make: `new Proxy({ a: 1 }, {})` },
    proxyWithTrap: { make: `new Proxy({ a: 1 }, { get: (t, k) => (k === "a" ? "trapped" : t[k]) })` },
    proxyOfArray: { make: `new Proxy([1, 2], {})` },
    proxyOfFunction: { make: `new Proxy(() => "proxied fn", {})`, check: `async (v) => ({ type: typeof v, called: await outcome(() => v()) })` },
    objectHoldingProxy: { make: `{ inner: new Proxy({ b: 2 }, {}) }` },
    revokedProxy: { make: `(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()` },
  }),
  crossing("arrays with extra properties and holes", {
    extraProps: { make: `Object.assign([1, 2], { extra: "x", 10: "far" })`, check: `(v) => ({ v: show(v), keys: Object.keys(v), length: v.length, extra: show(v.extra) })` },
    extraPropsOnly: { make: `Object.assign([], { label: "l" })`, check: `(v) => ({ keys: Object.keys(v), length: v.length })` },
    sparse: { make: `[1, , 3]`, check: `(v) => ({ v: show(v), has1: 1 in v })` },
    trailingHoles: { make: `[1, , ,]`, check: `(v) => ({ length: v.length, keys: Object.keys(v) })` },
    verySparse: { make: `(() => { const a = []; a[100000] = "end"; a[3] = "three"; return a; })()`, check: `(v) => ({ length: v.length, keys: Object.keys(v) })` },
    explicitUndefined: { make: `[undefined, undefined]`, check: `(v) => ({ keys: Object.keys(v), has0: 0 in v })` },
    negativeAndStringKeys: { make: `Object.assign([0], { "-1": "neg", "1.5": "frac" })`, check: `(v) => ({ keys: Object.keys(v), length: v.length })` },
    arraySubclass: { make: `new (class MyArray extends Array {})(1, 2)`, check: `(v) => ({ v: show(v), ctor: v.constructor.name })` },
  }),
  crossing("views, buffers and shared identity", {
    twoViewsOneBuffer: {
      make: `(() => { const b = new ArrayBuffer(8); new Uint8Array(b).set([1, 2, 3, 4, 5, 6, 7, 8]); return { a: new Uint8Array(b, 0, 4), b: new Uint16Array(b, 4, 2), buf: b }; })()`,
      check: `(v) => ({ sameBuffer: v.a.buffer === v.b.buffer, bufferIsBuf: v.a.buffer === v.buf, aOffset: v.a.byteOffset, bOffset: v.b.byteOffset, bufLen: v.buf.byteLength, a: show(v.a), b: show(v.b) })`,
    },
    viewOfLargerBuffer: { make: `new Uint8Array(new ArrayBuffer(16), 4, 2)`, check: `(v) => ({ offset: v.byteOffset, len: v.length, bufferLen: v.buffer.byteLength })` },
    dataViewWithOffset: { make: `new DataView(new ArrayBuffer(8), 2, 4)`, check: `(v) => ({ tag: Object.prototype.toString.call(v), offset: v.byteOffset, len: v.byteLength, bufferLen: v.buffer.byteLength })` },
    resizableBuffer: { make: `new ArrayBuffer(4, { maxByteLength: 16 })`, check: `(v) => ({ len: v.byteLength, resizable: v.resizable ?? null, max: v.maxByteLength ?? null })` },
    sameObjectTwice: { make: `(() => { const o = { n: 1 }; return { x: o, y: o, list: [o] }; })()`, check: `(v) => ({ xy: v.x === v.y, inList: v.list[0] === v.x })` },
    cycleThroughMap: { make: `(() => { const m = new Map(); const o = { m }; m.set("self", o); m.set(o, "key"); return o; })()`, check: `(v) => ({ back: v.m.get("self") === v, keyIdentity: v.m.get(v) })` },
    setOfSharedObjects: { make: `(() => { const o = {}; return { s: new Set([o, o, {}]), o }; })()`, check: `(v) => ({ size: v.s.size, has: v.s.has(v.o) })` },
    arrayCycle: { make: `(() => { const a = [1]; a.push(a); return a; })()`, check: `(v) => ({ self: v[1] === v, len: v.length })` },
  }),
  crossing("getters, symbols, prototypes and property kinds on plain objects", {
    getter: { make: `{ get x() { return "computed"; }, y: 1 }`, check: `(v) => ({ v: show(v), isGetter: typeof Object.getOwnPropertyDescriptor(v, "x")?.get === "function" })` },
    throwingGetter: { make: `{ get x() { throw new RangeError("getter threw"); } }` },
    nonEnumerable: { make: `Object.defineProperty({ a: 1 }, "hidden", { value: 2, enumerable: false })`, check: `(v) => ({ keys: Object.getOwnPropertyNames(v) })` },
    symbolKey: { make: `{ [Symbol("s")]: 1, a: 2 }`, check: `(v) => ({ keys: Object.keys(v), symbols: Object.getOwnPropertySymbols(v).length })` },
    symbolValue: { make: `{ s: Symbol("value") }` },
    integerKeysOrder: { make: `{ b: 1, 2: "two", a: 3, 1: "one" }`, check: `(v) => Object.keys(v)` },
    frozen: { make: `Object.freeze({ a: 1 })`, check: `(v) => ({ frozen: Object.isFrozen(v) })` },
    inheritedFromPlainProto: { make: `Object.create({ inherited: 1 })` },
    classInstance: { make: `new (class Point { constructor() { this.x = 1; } })()` },
    nullProto: { make: `Object.create(null)` },
  }),
  crossing("Error values as arguments, results and stored values", {
    plain: { make: `new Error("plain")`, check: "errorFacts" },
    typeError: { make: `new TypeError("typed")`, check: "errorFacts" },
    withCode: { make: `Object.assign(new Error("coded"), { code: "E_CODE", extra: 1 })`, check: "errorFacts" },
    numericCode: { make: `Object.assign(new RangeError("n"), { code: 42 })`, check: "errorFacts" },
    withCause: { make: `new Error("outer", { cause: new TypeError("inner") })`, check: "errorFacts" },
    causeNotError: { make: `new Error("outer", { cause: { why: "object" } })`, check: "errorFacts" },
    subclass: { make: `new (class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; } })("sub")`, check: "errorFacts" },
    subclassProtoName: { make: `(() => { class ProtoNamed extends Error {} ProtoNamed.prototype.name = "ProtoNamed"; return new ProtoNamed("p"); })()`, check: "errorFacts" },
    customName: { make: `Object.assign(new Error("n"), { name: "NotARealError" })`, check: "errorFacts" },
    builtinName: { make: `Object.assign(new Error("n"), { name: "RangeError" })`, check: "errorFacts" },
    domException: { make: `new DOMException("dom", "NotFoundError")`, check: "(e) => ({ ...errorFacts(e), codeNumber: e.code })" },
    domExceptionCustomName: { make: `new DOMException("dom", "MadeUpName")`, check: "(e) => ({ ...errorFacts(e), codeNumber: e.code })" },
    aggregate: { make: `new AggregateError([new Error("a"), new TypeError("b"), "not an error"], "agg")`, check: "errorFacts" },
    emptyMessage: { make: `new Error()`, check: "errorFacts" },
    nonStringMessage: { make: `Object.assign(new Error("x"), { message: 42 })`, check: "errorFacts" },
    errorInObject: { make: `{ e: new SyntaxError("nested"), list: [new EvalError("in list")] }`, check: `(v) => ({ e: errorFacts(v.e), l: errorFacts(v.list[0]) })` },
  }, { extra: ERROR_FACTS }),
  both({
    name: "rpc-values: thrown errors with own properties, causes and custom names",
    source: cls(`  async withCode() { throw Object.assign(new Error("coded"), { code: "E_CODE", retryable: "mine", extra: { nested: [1] } }); }
  async withCause() { throw new TypeError("outer", { cause: new RangeError("inner", { cause: "root" }) }); }
  async protoName() { class ProtoNamed extends Error {} ProtoNamed.prototype.name = "ProtoNamed"; throw new ProtoNamed("p"); }
  async customName() { throw Object.assign(new Error("n"), { name: "NotARealError" }); }
  async builtinName() { throw Object.assign(new Error("n"), { name: "RangeError" }); }
  async domCode() { throw new DOMException("aborted", "AbortError"); }
  async domCustom() { throw new DOMException("made up", "MadeUpName"); }
  async aggregate() { throw new AggregateError([new Error("a"), new TypeError("b")], "agg"); }
  async subclassWithField() { class HttpError extends Error { constructor(s) { super("http " + s); this.name = "HttpError"; this.status = s; } } throw new HttpError(404); }
  async remoteProp() { throw Object.assign(new Error("pre-flagged"), { remote: false, durableObjectId: "mine" }); }
  async functionProp() { throw Object.assign(new Error("fn prop"), { fn: () => 1 }); }
  async unserialisableProp() { throw Object.assign(new Error("weak prop"), { w: new WeakMap() }); }
  async errorWithStream() { throw Object.assign(new Error("stream prop"), { body: new ReadableStream() }); }`, { extra: ERROR_FACTS }),
    drive: async (env) => {
      const s = env.DO.getByName("thrown");
      const out = {};
      for (const m of ["withCode", "withCause", "protoName", "customName", "builtinName", "domCode", "domCustom", "aggregate", "subclassWithField", "remoteProp", "functionProp", "unserialisableProp", "errorWithStream"]) {
        try {
          await s[m]();
          out[m] = "resolved";
        } catch (e) {
          out[m] = { ...errorFacts(e), remote: show(e.remote), hasId: typeof e.durableObjectId, status: show(e.status), codeNumber: show(e.code), fnType: typeof e.fn, wType: typeof e.w };
        }
      }
      return out;
    },
  }),
  crossing("structured-clone types in detail", {
    regexpFlags: { make: `[/a/dgimsuy, /b/v, new RegExp("c", "")]`, check: `(v) => v.map((r) => ({ src: r.source, flags: r.flags, lastIndex: r.lastIndex }))` },
    regexpLastIndex: { make: `(() => { const r = /a/g; r.lastIndex = 3; r.extra = 1; return r; })()`, check: `(v) => ({ lastIndex: v.lastIndex, extra: show(v.extra) })` },
    dateExtremes: { make: `[new Date(8.64e15), new Date(-8.64e15), new Date(-0), new Date(0.9)]`, check: `(v) => v.map((d) => show(d.getTime()))` },
    dateWithProps: { make: `Object.assign(new Date(0), { extra: 1 })`, check: `(v) => ({ t: v.getTime(), extra: show(v.extra) })` },
    bigints: { make: `[0n, -1n, 2n ** 64n, -(2n ** 200n)]`, check: `(v) => v.map(String)` },
    boxedBigInt: { make: `Object(5n)`, check: `(v) => ({ tag: Object.prototype.toString.call(v), type: typeof v, value: String(v.valueOf()) })` },
    boxedSymbol: { make: `Object(Symbol("boxed"))`, check: tagOf },
    boxedStringWithProps: { make: `Object.assign(new String("ab"), { extra: 1 })`, check: `(v) => ({ tag: Object.prototype.toString.call(v), v: v.valueOf(), extra: show(v.extra), keys: Object.keys(v) })` },
    typedArrays: {
      make: `[new Int8Array([-1]), new Uint8ClampedArray([300]), new Int32Array([-5]), new Float32Array([1.5]), new Float64Array([NaN]), new BigInt64Array([-3n]), new BigUint64Array([3n])]`,
      check: `(v) => v.map((t) => [Object.prototype.toString.call(t), show(t[0])])`,
    },
    mapKeysIdentity: { make: `(() => { const k = { key: 1 }; return new Map([[k, 1], [NaN, "nan"], [-0, "zero"]]); })()`, check: `(v) => ({ keys: [...v.keys()].map((k) => show(k)), nan: v.get(NaN), zero: v.get(0) })` },
    mapWithProps: { make: `Object.assign(new Map([[1, 1]]), { extra: 1 })`, check: `(v) => ({ extra: show(v.extra), size: v.size })` },
    mapSubclass: { make: `new (class MyMap extends Map {})([[1, 2]])`, check: `(v) => ({ tag: Object.prototype.toString.call(v), ctor: v.constructor.name })` },
  }),
  crossing("values that cannot be serialised", {
    symbol: { make: `Symbol("alone")` },
    weakSet: { make: `new WeakSet()` },
    weakRef: { make: `new WeakRef({})` },
    promise: { make: `Promise.resolve(1)` },
    generator: { make: `(function* g() {})()` },
    asyncFunction: { make: `{ f: async function named() {} }`, check: `(v) => typeof v.f` },
    boundFunction: { make: `{ f: function original() {}.bind(null) }`, check: `(v) => typeof v.f` },
    classConstructor: { make: `{ C: class Klass {} }`, check: `(v) => typeof v.C` },
    math: { make: `Math` },
    textEncoder: { make: `new TextEncoder()` },
    abortSignal: { make: `new AbortController().signal` },
    eventTarget: { make: `new EventTarget()` },
    intlObject: { make: `new Intl.NumberFormat("en")` },
    arguments: { make: `(function () { return arguments; })(1, 2)` },
  }),
  both({
    name: "rpc-values: functions nested inside objects, Maps, Sets and arrays",
    source: cls(`  async callAll(v) {
    const out = {};
    out.direct = await v.fn(1);
    out.nested = await v.deep.deeper[0](2);
    out.method = await v.obj.method(3);
    out.fnType = typeof v.fn;
    out.keys = Object.keys(v);
    return out;
  }
  async inMap(m) { return { type: typeof m.get("f"), called: await m.get("f")(4) }; }
  async inSet(set) { const [f] = set; return { type: typeof f, called: await f(5) }; }
  async withProps(f) { return { type: typeof f, props: Object.keys(f), called: await f(6), prop: await outcome(async () => show(await f.label)) }; }
  async makeMap() { return new Map([["f", (x) => "map " + x]]); }`),
    drive: async (env) => {
      const s = env.DO.getByName("nested-fns");
      return {
        object: await outcome(() => s.callAll({ fn: (x) => x * 10, deep: { deeper: [(x) => "deep " + x] }, obj: { method(x) { return "m " + x; } } })),
        inMap: await outcome(() => s.inMap(new Map([["f", (x) => "mapped " + x]]))),
        inSet: await outcome(() => s.inSet(new Set([(x) => "set " + x]))),
        withProps: await outcome(() => s.withProps(Object.assign((x) => "props " + x, { label: "l" }))),
        mapResult: await outcome(async () => { const m = await s.makeMap(); return { type: typeof m.get("f"), called: await m.get("f")(7) }; }),
      };
    },
  }),
  both({
    name: "rpc-values: RpcTarget hierarchies, getters, statics and own members",
    source: cls(`  async make() { return new Leaf(); }
  async sendBack(t) { return [await t.base(), await t.leaf(), await t.g, await outcome(() => t.own())]; }`, {
      extra: `class Base extends RpcTarget { base() { return "base"; } over() { return "base over"; } get g() { return "getter"; } static stat() { return "static"; } }
class Mid extends Base { mid() { return "mid"; } }
class Leaf extends Mid { constructor() { super(); this.own = () => "own"; this.field = 1; } leaf() { return "leaf"; } over() { return "leaf over"; } async asyncM() { return "async"; } }`,
    }),
    drive: async (env) => {
      const s = env.DO.getByName("targets");
      const t = await s.make();
      const read = (f) => outcome(async () => show(await f()));
      return {
        base: await read(() => t.base()),
        mid: await read(() => t.mid()),
        leaf: await read(() => t.leaf()),
        over: await read(() => t.over()),
        async: await read(() => t.asyncM()),
        getter: await read(() => t.g),
        stat: await read(() => t.stat()),
        own: await read(() => t.own()),
        field: await read(() => t.field),
        constructorCall: await read(() => t.constructor()),
        toStringCall: await read(() => t.toString()),
        localTarget: await outcome(() => s.sendBack(new Leaf())),
      };
    },
  }),
  {
    name: "rpc-values: a WritableStream argument writes bytes into the caller's stream",
    backend: "sqlite",
    source: cls(`  async write(ws, kind) {
    const w = ws.getWriter();
    const chunk = { string: "é", view: new Uint16Array([1, 2]), buffer: new ArrayBuffer(3), dataView: new DataView(new ArrayBuffer(8), 2, 4), empty: new Uint8Array(0), number: 42, object: {} }[kind];
    const out = { desiredSize: w.desiredSize, write: await outcome(() => w.write(chunk)) };
    // A refused chunk leaves the stream open: it closes as after any other.
    out.close = await outcome(() => w.close());
    return out;
  }
  async abortIt(ws) { const w = ws.getWriter(); await w.write(new Uint8Array([1])); return outcome(() => w.abort(new RangeError("stop"))); }
  async keep(ws) { this.kept = ws; return "kept"; }
  async writeKept() { const w = this.kept.getWriter(); await w.write(new Uint8Array([7, 8])); await w.close(); return "written"; }
  async describe(ws) { return [Object.prototype.toString.call(ws), ws.locked]; }
  async stream() { return new ReadableStream({ pull(c) { c.enqueue(new TextEncoder().encode("x")); }, cancel: (reason) => { this.reason = show(reason); } }); }
  async cancelReason() { return this.reason ?? null; }`),
    drive: async (env) => {
      const s = env.DO.getByName("writable");
      const sink = () => {
        const seen = { chunks: [], closed: false, aborted: null };
        const stream = new WritableStream({
          write(c) { seen.chunks.push(Object.prototype.toString.call(c) + " " + hex(new Uint8Array(c.buffer ?? c, c.byteOffset ?? 0, c.byteLength))); },
          close() { seen.closed = true; },
          abort(e) { seen.aborted = show(e); },
        });
        return { stream, seen };
      };
      const r = {};
      for (const kind of ["string", "view", "buffer", "dataView", "empty", "number", "object"]) {
        const { stream, seen } = sink();
        r[kind] = { call: await outcome(() => s.write(stream, kind)) };
        await scheduler.wait(5);
        r[kind].sink = { ...seen, locked: stream.locked };
      }
      const aborted = sink();
      r.abort = { call: await outcome(() => s.abortIt(aborted.stream)) };
      await scheduler.wait(5);
      r.abort.sink = aborted.seen;
      const kept = sink();
      r.kept = { keep: await outcome(() => s.keep(kept.stream)), write: await outcome(() => s.writeKept()) };
      await scheduler.wait(5);
      r.kept.sink = kept.seen;
      r.describe = await outcome(() => s.describe(new WritableStream()));
      const locked = new WritableStream();
      locked.getWriter();
      r.lockedArgument = await outcome(() => s.describe(locked));
      r.cancel = await outcome(async () => {
        const reader = (await s.stream()).getReader();
        await reader.read();
        await reader.cancel(new RangeError("receiver's reason"));
        await scheduler.wait(10);
        return s.cancelReason();
      });
      return r;
    },
  },
];
