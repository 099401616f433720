// What reflection shows of the errors a caller and an object's own code catch: own keys in
// order with their flags (a test's toEqual/toMatchObject and JSON.stringify read enumerable ones),
// Object.keys, the prototype chain and String(e). `stack`'s value is never recorded.
import { cls } from "../scenario.mjs";

/** shape(e): the reflection facts of a caught value. */
function shape(e) {
  if (e === null || (typeof e !== "object" && typeof e !== "function")) return { thrown: String(e), type: typeof e };
  const own = Reflect.ownKeys(e).map((k) => {
    const d = Object.getOwnPropertyDescriptor(e, k);
    // stack: its enumerability only (a data property in Node's V8, an accessor in workerd's newer one).
    const kind = "value" in d ? typeof d.value : `${d.get ? "get" : ""}${d.set ? "set" : ""}`;
    if (k === "stack") return `stack ${d.enumerable ? "e" : "-"}`;
    return `${String(k)} ${kind} ${d.enumerable ? "e" : "-"}${d.configurable ? "c" : "-"}${"value" in d ? (d.writable ? "w" : "-") : ""}`;
  });
  const chain = [];
  for (let p = Object.getPrototypeOf(e); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) chain.push(Object.prototype.hasOwnProperty.call(p, "constructor") ? p.constructor.name : "?");
  const json = (() => { try { return JSON.stringify({ ...e, stack: undefined }); } catch (x) { return "throws " + x.name; } })();
  return { own, keys: Object.keys(e), chain, string: String(e).replace(/reference = [0-9a-z]+/g, "reference = <ref>"), json, isError: e instanceof Error };
}

const HELPER = String(shape);

const source = `${HELPER}\n${cls(`  plain() { throw new Error("plain"); }
  typed() { const e = new TypeError("typed"); e.code = "E_TYPED"; throw e; }
  range() { throw new RangeError("range"); }
  withCause() { throw new Error("outer", { cause: new Error("inner") }); }
  custom() { class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; this.extra = 1; } } throw new MyError("custom"); }
  str() { throw "a string"; }
  dom() { throw new DOMException("dom", "NotFoundError"); }
  obj() { throw { message: "an object", code: 7 }; }
  async rejectsLater() { await null; throw new Error("later"); }
  async fetch(req) {
    if (new URL(req.url).pathname === "/throw") throw new Error("from fetch");
    return new Response("ok");
  }
  abortNow() { this.ctx.abort("gone"); }
  bcw() { return this.ctx.blockConcurrencyWhile(async () => { throw new Error("in bcw"); }); }
  async local() {
    const s = this.ctx.storage;
    const r = {};
    const c = async (name, f) => { try { await f(); r[name] = "no error"; } catch (e) { r[name] = shape(e); } };
    await c("putUndefined", () => s.put("k", undefined));
    await c("dataClone", () => s.put("k", () => 1));
    await c("listLimit", () => s.list({ limit: 0 }));
    await c("getNoArgs", () => s.get());
    await c("setAlarmNoHandler", () => s.setAlarm(Date.now() + 1000));
    await c("txnRollback", () => s.transaction(async (t) => { t.rollback(); await t.get("x"); }));
    await c("keyTooLarge", () => s.get("x".repeat(2049)));
    await s.put("dom", new DOMException("stored", "AbortError"));
    r.storedDom = shape(await s.get("dom"));
    await c("otherStubNested", () => this.env.DO.getByName("other").plain());
    await c("otherStubString", () => this.env.DO.getByName("other").str());
    let sql;
    try { sql = s.sql; } catch (e) { r.sqlGetter = shape(e); }
    if (sql) {
      await c("sqlSyntax", () => sql.exec("SELEC 1"));
      await c("sqlNoTable", () => sql.exec("SELECT * FROM nope"));
      sql.exec("CREATE TABLE IF NOT EXISTS u (a UNIQUE)");
      sql.exec("INSERT OR IGNORE INTO u VALUES (1)");
      await c("sqlConstraint", () => sql.exec("INSERT INTO u VALUES (1)"));
      await c("sqlOne", () => sql.exec("SELECT 1 WHERE 0").one());
      await c("sqlAuth", () => sql.exec("SELECT * FROM _cf_KV"));
      await c("sqlParams", () => sql.exec("SELECT ?", 1, 2));
    }
    await c("otherStubMissing", () => this.env.DO.getByName("other").nope());
    return r;
  }`)}`;

const drive = async (env) => {
  const stub = env.DO.getByName("a");
  const r = {};
  const c = async (name, f) => { try { await f(); r[name] = "no error"; } catch (e) { r[name] = shape(e); } };
  for (const m of ["plain", "typed", "range", "withCause", "custom", "str", "dom", "obj", "rejectsLater", "nope"]) await c(m, () => stub[m]());
  await c("fetchThrow", () => stub.fetch("http://x/throw"));
  await c("argClone", () => stub.plain(() => {}, new WeakMap()));
  await c("bcw", () => env.DO.getByName("b").bcw());
  const aborting = env.DO.getByName("c");
  await c("abort", () => aborting.abortNow());
  await c("afterAbort", () => aborting.plain());
  r.local = await stub.local();
  return r;
};

const scenarios = [
  { name: "errors: reflection of errors a caller and an object catch [sqlite]", backend: "sqlite", source, drive },
  { name: "errors: reflection of errors a caller and an object catch [kv]", backend: "kv", source, drive },
];

// The runtime names the object on the thrown value itself (the thrower sees `durableObjectId`
// afterwards; a frozen value stays unnamed, a sealed one with the key is overwritten), and a
// `durableObjectReset` property an error of the object's own carries is no reset.
const inPlaceSource = `let kept;\n${cls(`  plain() { kept = new Error("x"); kept.code = 1; throw kept; }
  obj() { kept = { a: 1 }; throw kept; }
  frozen() { kept = Object.freeze(new Error("x")); throw kept; }
  sealed() { kept = Object.seal(Object.assign(new Error("x"), { durableObjectId: "mine" })); throw kept; }
  ownFlags() { kept = Object.assign(new Error("r"), { remote: false, durableObjectReset: true, retryable: true, overloaded: true }); throw kept; }
  later() { return { keys: Object.keys(kept), named: kept.durableObjectId === this.ctx.id.toString() ? "self" : String(kept.durableObjectId) }; }`)}`;

scenarios.push({
  name: "errors: the thrown value is named in place, and its own durableObjectReset is no reset",
  backend: "sqlite",
  source: inPlaceSource,
  drive: `async function drive(env) {
    const s = env.DO.getByName("a");
    const r = {};
    for (const m of ["plain", "obj", "frozen", "sealed", "ownFlags"]) {
      let caller;
      try { await s[m](); caller = "no error"; } catch (e) { caller = { keys: Object.keys(e), named: e.durableObjectId === s.id.toString() ? "callee" : String(e.durableObjectId), remote: e.remote, reset: e.durableObjectReset }; }
      r[m] = { caller, thrower: await s.later() };
    }
    r.stillTheSameInstance = await s.later().then(() => "ok", (e) => e.message);
    return r;
  }`,
});

// What a thrown value keeps: the runtime serialises it as storage does (class instances and
// null-prototype objects become plain objects, also at the top level and in arrays), a stub
// inside it cannot be carried (the error arrives bare), and a message that is not a string
// reads as "". ownProcess: the thrown error holds a Durable Object stub.
const thrownCopySource = cls(`  t(kind) {
    class Foo { constructor() { this.a = 1; } }
    const e = new Error("x");
    switch (kind) {
      case "topClass": throw new Foo();
      case "topNull": { const o = Object.create(null); o.a = 1; throw o; }
      case "propClass": e.p = new Foo(); throw e;
      case "propNull": e.p = Object.create(null); e.p.a = 1; throw e;
      case "propMap": e.p = new Map([[1, 2]]); throw e;
      case "propTarget": e.p = new T(); throw e;
      case "propStub": e.p = this.env.DO.getByName("z"); throw e;
      case "propRequest": e.p = new Request("http://x/"); throw e;
      case "propRequestBody": e.p = new Request("http://x/", { method: "POST", body: "b" }); throw e;
      case "propHeaders": e.p = new Headers({ a: "1" }); throw e;
      case "propDate": e.p = new Date(0); throw e;
      case "causeClass": throw new Error("x", { cause: new Foo() });
      case "msgNumber": e.message = 42; throw e;
      case "topArray": throw [1, new Foo()];
    }
  }`, { extra: "class T extends RpcTarget { m() { return 1; } }" });
const THROWN_KINDS = ["topClass", "topNull", "propClass", "propNull", "propMap", "propTarget", "propStub", "propRequest", "propRequestBody", "propHeaders", "propDate", "causeClass", "msgNumber", "topArray"];
scenarios.push({
  name: "errors: what a thrown value keeps: class instances, null-prototype objects, stubs, odd messages",
  backend: "sqlite",
  source: thrownCopySource,
  ownProcess: true,
  drive: `async function drive(env) {
  const s = env.DO.getByName("a");
  const r = {};
  for (const k of ${JSON.stringify(THROWN_KINDS)}) { try { await s.t(k); r[k] = "no error"; } catch (e) { r[k] = { shown: show(e), keys: Object.keys(e), p: e && typeof e === "object" && "p" in e ? Object.prototype.toString.call(e.p) + (e.p && typeof e.p === "object" ? " " + Object.getPrototypeOf(e.p)?.constructor?.name : "") : "-", cause: e?.cause === undefined ? "-" : Object.prototype.toString.call(e.cause) }; } }
  return r;
}`,
});

export default scenarios;
