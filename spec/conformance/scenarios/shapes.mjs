// Object shapes of the runtime's API objects as user code can see them: Object.prototype.
// toString tags, constructor names, own and prototype members (kind, arity, enumerable /
// configurable / writable), iterator identity and prototypes, instanceof, and constructors
// user code cannot call. Symbol-keyed members are recorded for well-known symbols only (the
// runtime's private symbols are not part of the contract).
import { cls } from "../scenario.mjs";
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

/** describe(o): the shape of `o`, prototype by prototype, stopping at Object.prototype,
 * Function.prototype or the iterator prototype (whose helper methods depend on the engine). */
function describe(o) {
  if (o === null || (typeof o !== "object" && typeof o !== "function")) return { typeof: typeof o };
  const iteratorProto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  const d = { typeof: typeof o, tag: Object.prototype.toString.call(o), own: members(o, o), protos: [] };
  let p = Object.getPrototypeOf(o);
  while (p && p !== Object.prototype && p !== Function.prototype && p !== iteratorProto) {
    d.protos.push({ ctor: Object.prototype.hasOwnProperty.call(p, "constructor") ? String(p.constructor?.name) : "(none)", members: members(p, o) });
    p = Object.getPrototypeOf(p);
  }
  d.end = p === null ? "null" : p === Object.prototype ? "Object.prototype" : p === iteratorProto ? "Iterator.prototype" : "Function.prototype";
  return d;
}

/** Members of `p` (own keys), read through `self` for accessors: kind, arity, flags. */
function members(p, self) {
  const wellKnown = [Symbol.iterator, Symbol.asyncIterator, Symbol.toStringTag, Symbol.dispose, Symbol.asyncDispose, Symbol.toPrimitive].filter(Boolean);
  const out = {};
  for (const k of Reflect.ownKeys(p)) {
    if (typeof k === "symbol" && !wellKnown.includes(k)) continue;
    const key = String(k);
    if (key === "constructor") continue;
    const d = Object.getOwnPropertyDescriptor(p, k);
    let kind;
    if ("value" in d) {
      kind = typeof d.value === "function" ? `method/${d.value.length}` : `data:${typeof d.value}`;
    } else {
      let v;
      try {
        v = typeof d.get?.call(self);
      } catch (e) {
        v = `throws ${e?.name}`;
      }
      kind = `${d.get ? "get" : ""}${d.set ? "set" : ""}:${v}`;
    }
    out[key] = `${kind} ${d.enumerable ? "e" : "-"}${d.configurable ? "c" : "-"}${"value" in d ? (d.writable ? "w" : "-") : ""}`;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What `new C()` and `C()` do for the constructor behind `o`. */
function construct(o) {
  const C = o.constructor;
  const r = (f) => {
    try {
      return { ok: typeof f() };
    } catch (e) {
      return { error: err(e) };
    }
  };
  return { isFunction: typeof C === "function", instanceOf: typeof C === "function" && o instanceof C, withNew: r(() => new C()), withoutNew: r(() => C()) };
}

export const SHAPE_HELPERS = `${CALL_HELPERS}\n${[describe, members, construct].map(String).join("\n\n")}`;
const inObject = (name, backend, body, rest) => insideWith(SHAPE_HELPERS, `shapes: ${name}`, backend, body, rest);
const inObjectBoth = (name, body, rest) => ["sqlite", "kv"].map((b) => inObject(`${name} [${b}]`, b, body, rest));
const fromDriver = (name, drive, rest = {}) => ({
  name: `shapes: ${name}`,
  backend: "sqlite",
  source: `${SHAPE_HELPERS}\n${cls(`  async hello() { return "hi"; }`)}`,
  drive,
  ...rest,
});

export default [
  inObject("ctx (DurableObjectState)", "sqlite", `return describe(this.ctx);`),
  inObject("the object itself and env", "sqlite", `
    return { self: describe(this), env: describe(this.env), ownKeys: Object.keys(this), envKeys: Object.keys(this.env) };`),
  ...inObjectBoth("storage", `return describe(s);`),
  ...inObjectBoth("transaction", `return s.transaction(async (txn) => describe(txn));`),
  inObject("sql, cursor and the raw iterator", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y')");
    const c = sql.exec("SELECT a, b FROM t ORDER BY a");
    const raw = sql.exec("SELECT a, b FROM t ORDER BY a").raw();
    const first = c.next();
    return {
      sql: describe(sql), cursor: describe(c), raw: describe(raw),
      cursorIteratorIsSelf: c[Symbol.iterator]() === c, rawIteratorIsSelf: raw[Symbol.iterator]() === raw,
      rawIsCursor: raw === c, rawTwice: (() => { const c2 = sql.exec("SELECT 1"); return c2.raw() === c2.raw(); })(),
      nextResult: describe(first), row: describe(first.value), rowKeys: Object.keys(first.value), rowProtoIsObject: Object.getPrototypeOf(first.value) === Object.prototype,
      rawRowIsArray: Array.isArray(raw.next().value), toArrayIsArray: Array.isArray(sql.exec("SELECT 1").toArray()),
      doneResult: (() => { const c3 = sql.exec("SELECT 1 WHERE 0"); const r = c3.next(); return { keys: Object.keys(r), done: r.done, value: show(r.value) }; })(),
      columnNamesArray: Array.isArray(c.columnNames), columnNamesSame: c.columnNames === c.columnNames, columnNamesFrozen: Object.isFrozen(c.columnNames),
      nestedTypes: { Cursor: typeof sql.Cursor, Statement: typeof sql.Statement, cursorIsCursor: c instanceof sql.Cursor },
      constructors: { sql: construct(sql), cursor: construct(c) },
    };`),
  inObject("storage.kv and its list iterator", "sqlite", `
    const kv = s.kv;
    kv.put("a", 1); kv.put("b", 2);
    const it = kv.list();
    const first = it.next();
    return {
      kv: describe(kv), iterator: describe(it), iteratorIsSelf: it[Symbol.iterator]() === it, entry: describe(first.value), entryIsArray: Array.isArray(first.value),
      nextResult: describe(first), afterEnd: (() => { const i2 = kv.list({ prefix: "zz" }); return [show(i2.next()), show(i2.next())]; })(),
      constructors: { kv: construct(kv), iterator: construct(it) },
    };`),
  fromDriver("namespace and ids", async (env) => ({
    namespace: describe(env.DO), byName: describe(env.DO.idFromName("n")), byString: describe(env.DO.idFromString(env.DO.idFromName("n").toString())),
    unique: describe(env.DO.newUniqueId()), subNamespace: describe(env.DO.jurisdiction(undefined)),
    constructors: { namespace: construct(env.DO), id: construct(env.DO.idFromName("n")) },
  })),
  fromDriver("stubs", async (env) => {
    const named = env.DO.getByName("n");
    const unique = env.DO.get(env.DO.newUniqueId());
    return {
      named: describe(named), unique: describe(unique), ownKeys: Reflect.ownKeys(named).map(String), hasHello: "hello" in named, hasAnything: "anything" in named,
      helloType: typeof named.hello, fetchIsInherited: !Object.prototype.hasOwnProperty.call(named, "fetch"), connectType: typeof named.connect,
      stubIdIsId: Object.prototype.toString.call(named.id), constructors: { stub: construct(named) },
    };
  }),
  ...inObjectBoth("storage and API objects through the usual reflection", `
    const targets = { storage: s, id: this.ctx.id, txn: await s.transaction(async (t) => t) };
    const out = {};
    for (const [k, o] of Object.entries(targets)) {
      const forIn = [];
      for (const x in o) forIn.push(x);
      out[k] = { keys: Object.keys(o).sort(), forIn: forIn.sort(), json: outcomeSync(() => JSON.stringify(o)), string: outcomeSync(() => String(o)),
        spread: Object.keys({ ...o }).sort(), frozen: Object.isFrozen(o), extensible: Object.isExtensible(o) };
    }
    return out;`),
  ...inObjectBoth("results of storage calls", `
    await s.put({ a: 1, b: { nested: [new Date(0)] } });
    const list = await s.list();
    const many = await s.get(["a", "b"]);
    const b = await s.get("b");
    return {
      list: { tag: Object.prototype.toString.call(list), isMap: list instanceof Map, proto: Object.getPrototypeOf(list) === Map.prototype, ownKeys: Reflect.ownKeys(list).map(String) },
      many: { isMap: many instanceof Map, proto: Object.getPrototypeOf(many) === Map.prototype },
      value: { proto: Object.getPrototypeOf(b) === Object.prototype, arrayIsArray: b.nested instanceof Array, dateIsDate: b.nested[0] instanceof Date },
      putReturns: show(await s.put("c", 1)), deleteReturns: show(await s.delete("c")), deleteManyReturns: show(await s.delete(["a", "zz"])),
      getAlarmReturns: show(await s.getAlarm()), syncReturns: show(await s.sync()), deleteAllReturns: show(await s.deleteAll()),
      promises: { get: s.get("a") instanceof Promise, list: s.list() instanceof Promise, put: s.put("d", 1) instanceof Promise, transaction: s.transaction(async () => 1) instanceof Promise },
    };`),
  ...inObjectBoth("errors thrown by the storage API", `
    // Own keys only for the JS errors: a DOMException's are the host's (workerd's has own
    // code/name/message, Node's has getters), for the ones user code makes too.
    const caught = async (f) => { try { await f(); return "no error"; } catch (e) {
      return { tag: Object.prototype.toString.call(e), ctor: e.constructor?.name, name: e.name, isError: e instanceof Error,
        ownKeys: e instanceof DOMException ? "(host)" : Object.getOwnPropertyNames(e).sort(),
        protoChain: (() => { const n = []; for (let p = Object.getPrototypeOf(e); p; p = Object.getPrototypeOf(p)) n.push(p.constructor?.name); return n; })() }; } };
    return {
      undefinedValue: await caught(() => s.put("k", undefined)), dataClone: await caught(() => s.put("k", () => 1)),
      conversion: await caught(() => s.get()), listLimit: await caught(() => s.list({ limit: 0 })),
      setAlarmType: await caught(() => s.setAlarm("x")),
    };`),
];
