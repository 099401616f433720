// A thrown value that holds something only a stub or a stream could carry (an RpcTarget, a
// function, a Durable Object stub, a ReadableStream or a WritableStream, anywhere inside it: a
// property, a nested object, a cause, an AggregateError's errors) cannot be copied to the caller:
// it arrives rebuilt from its description (type, message, `remote`, no other property, and no
// `errors` even for an AggregateError). The same value returned inside a result keeps them all
// (stubs that work). Errors thrown from RPC methods, RpcTarget methods and fetch() alike, and
// by a caller's function the object calls back; an object's promise inside a result, and a
// stream's error, are refused or cut off before any of this.
// ownProcess: a thrown value holds a Durable Object stub.
import { cls } from "../scenario.mjs";

/** Own properties but the stack, in order: name, kind of value (the object's id as "id"),
 * enumerable; and the keys of an `inner` object. Used by the objects and the drivers. */
function desc(e) {
  if (e === null || typeof e !== "object") return { thrown: String(e) };
  const own = Reflect.ownKeys(e).filter((k) => k !== "stack").map((k) => {
    const d = Object.getOwnPropertyDescriptor(e, k);
    const v = !("value" in d) ? "accessor" : d.value && typeof d.value === "object" ? Object.prototype.toString.call(d.value) : typeof d.value === "string" && d.value.length === 64 ? "id" : String(d.value);
    return String(k) + ":" + v + (d.enumerable ? " e" : "");
  });
  return { ctor: e.constructor?.name, name: e.name, message: e.message, own, str: String(e), inner: e.inner && typeof e.inner === "object" ? Object.keys(e.inner) : "-" };
}
const DESC = String(desc);

const KINDS = [
  "innerTarget", "directTarget", "causeTarget", "innerFunction", "innerStub", "innerStream", "innerWritable",
  "innerResponse", "innerSymbolKey", "nonEnumerable", "nonEnumerableTarget", "getterProp", "customSubclass",
  "customSubclassTarget", "customNamed", "domException", "domExceptionTarget", "typeErrorTarget", "errorInArray",
  "arrayWithTarget", "plainWithTarget", "remoteFlagged", "frozenTarget", "nestedErrorTarget", "aggregateTarget",
  "innerBlob", "innerPromise", "innerAbortSignal",
];

const source = cls(`  t(kind) {
    const e = new Error("x");
    switch (kind) {
      case "innerTarget": e.inner = { t: new T() }; throw e;
      case "directTarget": e.t = new T(); throw e;
      case "causeTarget": throw new Error("c", { cause: new T() });
      case "innerFunction": e.inner = { f() {} }; throw e;
      case "innerStub": e.inner = { s: this.env.DO.getByName("z") }; throw e;
      case "innerStream": e.inner = { r: new ReadableStream() }; throw e;
      case "innerWritable": e.inner = { w: new WritableStream() }; throw e;
      case "innerResponse": e.inner = { r: new Response("b") }; throw e;
      case "innerSymbolKey": e[Symbol("s")] = new T(); e.k = 1; throw e;
      case "nonEnumerable": Object.defineProperty(e, "hidden", { value: 5, enumerable: false }); e.k = 1; throw e;
      case "nonEnumerableTarget": Object.defineProperty(e, "hidden", { value: new T(), enumerable: false }); e.k = 1; throw e;
      case "getterProp": Object.defineProperty(e, "g", { get() { return 1; }, enumerable: true }); throw e;
      case "customSubclass": { class MyErr extends Error {} throw new MyErr("m"); }
      case "customSubclassTarget": { class MyErr extends Error { constructor(m) { super(m); this.name = "MyErr"; this.t = new T(); } } throw new MyErr("m"); }
      case "customNamed": { class MyErr extends TypeError { constructor(m) { super(m); this.name = "MyErr"; } } throw new MyErr("m"); }
      case "domException": throw new DOMException("d", "AbortError");
      case "domExceptionTarget": { const d = new DOMException("d", "AbortError"); d.t = new T(); throw d; }
      case "typeErrorTarget": { const t = new TypeError("tt"); t.inner = { t: new T() }; t.code = 3; throw t; }
      case "errorInArray": throw [e];
      case "arrayWithTarget": throw [1, new T()];
      case "plainWithTarget": throw { a: 1, t: new T() };
      case "remoteFlagged": e.remote = "mine"; e.inner = { t: new T() }; throw e;
      case "frozenTarget": e.inner = { t: new T() }; Object.freeze(e); throw e;
      case "nestedErrorTarget": e.inner = new RangeError("r"); e.inner.t = new T(); throw e;
      case "aggregateTarget": throw new AggregateError([new T()], "agg");
      case "innerBlob": e.inner = { b: new Blob(["x"]) }; throw e;
      case "innerPromise": e.inner = { p: Promise.resolve(1) }; throw e;
      case "innerAbortSignal": e.inner = { s: new AbortController().signal }; throw e;
    }
  }
  give(kind) { try { this.t(kind); } catch (e) { return { e }; } }
  thrower() { return new Thrower(this); }
  async fetch(req) { this.t(new URL(req.url).pathname.slice(1)); }`, {
  extra: `class T extends RpcTarget { m() { return 1; } }
class Thrower extends RpcTarget { constructor(o) { super(); this.o = o; } t(k) { return this.o.t(k); } }
${DESC}`,
});

export default [{
  name: "rpc: a thrown value holding a capability or a stream arrives rebuilt, a returned one keeps it",
  backend: "sqlite",
  source,
  ownProcess: true,
  drive: `async function drive(env) {
  const s = env.DO.getByName("a");
  const r = {};
  const caught = async (f) => { try { await f(); return "no error"; } catch (e) { return desc(e); } };
  for (const k of ${JSON.stringify(KINDS)}) r[k] = await caught(() => s.t(k));
  for (const k of ["innerTarget", "innerWritable", "innerStream", "aggregateTarget", "causeTarget", "innerFunction", "domExceptionTarget"]) {
    const { e } = await s.give(k);
    const held = e.inner?.t ?? e.inner?.w ?? e.inner?.r ?? e.inner?.f ?? e.cause;
    r["returned " + k] = { e: desc(e), held: held === undefined ? "-" : Object.prototype.toString.call(held) + " " + typeof held };
    if (e.inner?.t) r["returned " + k].call = await outcome(() => e.inner.t.m());
  }
  const thrower = await s.thrower();
  for (const k of ["innerTarget", "innerWritable", "customNamed", "aggregateTarget", "plainWithTarget"]) r["target " + k] = await caught(() => thrower.t(k));
  for (const k of ["innerTarget", "innerWritable", "aggregateTarget", "customSubclass", "customNamed", "domException", "plainWithTarget", "nonEnumerable", "typeErrorTarget", "innerBlob"]) {
    r["fetch " + k] = await caught(() => s.fetch("http://x/" + k));
  }
  r.alive = await outcome(() => s.give("x"));
  return r;
}`,
}, {
  name: "rpc: what a caller's callback throws reaches the object as the object's thrown values reach their callers",
  backend: "sqlite",
  ownProcess: true,
  source: cls(`  async callBack(cb, kind) {
    try { await cb(kind); return "no error"; } catch (e) { return desc(e); }
  }
  async nested(kind) { return { p: this.t(kind) }; }
  async t(kind) { const e = new Error("x"); if (kind === "target") e.inner = { t: new T() }; if (kind === "writable") e.w = new WritableStream(); if (kind === "plain") e.k = 1; throw e; }
  async streamErr(kind) { return new ReadableStream({ pull(c) { const e = new TypeError("se"); if (kind === "target") e.t = new T(); e.k = 1; c.error(e); } }); }`,
  { extra: `class T extends RpcTarget { m() { return 1; } }
${DESC}` }),
  drive: `async function drive(env) {
  const s = env.DO.getByName("a");
  const r = {};
  const cb = (kind) => { const e = new Error("cb"); if (kind === "target") e.inner = { t: new (class extends Object {})() }; if (kind === "fn") e.f = () => 1; if (kind === "plain") e.k = 1; if (kind === "writable") e.w = new WritableStream(); if (kind === "agg") throw new AggregateError([() => 1], "agg"); throw e; };
  for (const k of ["plain", "target", "fn", "writable", "agg"]) r["cb " + k] = await s.callBack(cb, k);
  for (const k of ["plain", "target", "writable"]) { try { const v = await s.nested(k); r["nested " + k] = "resolved"; } catch (e) { r["nested " + k] = desc(e); } }
  for (const k of ["plain", "target", "writable"]) { try { await s.nested(k).p; r["pipelined " + k] = "resolved"; } catch (e) { r["pipelined " + k] = desc(e); } }
  for (const k of ["plain", "target"]) { try { const rs = await s.streamErr(k); await rs.getReader().read(); r["stream " + k] = "read"; } catch (e) { r["stream " + k] = desc(e); } }
  return r;
}`,
}, {
  name: "rpc: a WorkerEntrypoint's thrown values reach exports and service-binding callers as an object's do",
  backend: "sqlite",
  source: `import { DurableObject, WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
class T extends RpcTarget { m() { return 1; } }
export class DO extends DurableObject {}
function make(kind) {
  const e = new Error("x");
  switch (kind) {
    case "plain": e.k = 1; return e;
    case "target": e.inner = { t: new T() }; return e;
    case "writable": e.w = new WritableStream(); return e;
    case "readable": e.r = new ReadableStream(); return e;
    case "aggregateTarget": return new AggregateError([new T()], "agg");
    case "aggregate": return new AggregateError([1], "agg");
    case "object": return { a: 1 };
    case "objectTarget": return { t: new T() };
  }
}
export class Named extends WorkerEntrypoint {
  async t(kind) { throw make(kind); }
  async thrower() { return new (class extends RpcTarget { t(k) { throw make(k); } })(); }
}
${DESC}`,
  services: { SELF: { name: "test", entrypoint: "Named" } },
  entry: `class extends WorkerEntrypoint { async fetch() { return new Response("default"); } }`,
  drive: `async (env) => {
    const { exports } = await import("cloudflare:workers");
    const caught = async (f) => { try { await f(); return "no error"; } catch (e) { return desc(e); } };
    const r = {};
    for (const k of ["plain", "target", "writable", "readable", "aggregateTarget", "aggregate", "object", "objectTarget"]) {
      r[k] = {
        exports: await caught(() => exports.Named.t(k)),
        service: await caught(() => env.SELF.t(k)),
        target: await caught(async () => (await env.SELF.thrower()).t(k)),
      };
    }
    return r;
  }`,
}];
