// Broad sweeps where one scenario records many combinations at once: list() options against
// edge keys (async API and storage.kv), multi-key get/put/delete, SQL cursor methods at their
// edges (rowsRead/rowsWritten are left to the sql scenarios), ID names and strings at their
// edges (a lone surrogate in a name), and unusual values over RPC.
import { cls, inside, insideBoth } from "../scenario.mjs";
import { SHAPE_HELPERS } from "./shapes.mjs";
import { CALL_HELPERS, insideWith } from "./webidl-helpers.mjs";

/** Keys chosen for their neighbours: the empty key, NUL, prefixes of each other, a slash
 * family, and multibyte characters whose UTF-8 and UTF-16 orders differ. */
const KEYS = ["", "a", "a\0", "aa", "ab", "b", "b/1", "b/2", "b/20", "ba", "c", "é", "\uff61", "😀"];

/** Source text of `(list) => record`: every combination of the options, keys joined. */
const LIST_SWEEP = `async (list) => {
  const out = {};
  const keysOf = (r) => [...r.keys()].map((k) => JSON.stringify(k)).join(" ");
  for (const prefix of [undefined, "", "a", "b/"]) {
    for (const start of [undefined, "", "a", "aa", "b/2"]) {
      for (const end of [undefined, "b", "b/2", "\\uff61"]) {
        for (const reverse of [false, true]) {
          for (const limit of [undefined, 1, 3]) {
            const options = { prefix, start, end, reverse, limit };
            for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
            try {
              out[JSON.stringify(options)] = keysOf(await list(options));
            } catch (e) {
              out[JSON.stringify(options)] = err(e);
            }
          }
        }
      }
    }
  }
  for (const startAfter of ["", "a", "b/1", "😀"]) {
    for (const extra of [{}, { prefix: "b/" }, { end: "b/2" }, { reverse: true }, { limit: 2 }, { start: "a" }, { reverse: true, limit: 1, end: "c" }]) {
      const options = { startAfter, ...extra };
      try {
        out[JSON.stringify(options)] = keysOf(await list(options));
      } catch (e) {
        out[JSON.stringify(options)] = err(e);
      }
    }
  }
  return out;
}`;

const SWEEPS = [
  ...insideBoth("sweep: list() option combinations over edge keys", `
    for (const k of ${JSON.stringify(KEYS)}) await s.put(k, k.length);
    const sweep = ${LIST_SWEEP};
    return sweep((o) => s.list(o));`),
  ...insideBoth("sweep: txn.list() option combinations over edge keys, before any write in the transaction", `
    for (const k of ${JSON.stringify(KEYS)}) await s.put(k, k.length);
    const sweep = ${LIST_SWEEP};
    return s.transaction((t) => sweep((o) => t.list(o)));`),
  ...insideBoth("sweep: txn.list() option combinations over edge keys and the transaction's own writes", `
    for (const k of ${JSON.stringify(KEYS)}) await s.put(k, k.length);
    const sweep = ${LIST_SWEEP};
    return s.transaction(async (t) => {
      await t.delete(["aa", "b/2"]);
      await t.put({ "ab0": 1, "b/15": 2, "": "replaced" });
      return sweep((o) => t.list(o));
    });`),
  inside("sweep: storage.kv.list() option combinations over edge keys", "sqlite", `
    for (const k of ${JSON.stringify(KEYS)}) s.kv.put(k, k.length);
    const sweep = ${LIST_SWEEP};
    return sweep(async (o) => new Map(s.kv.list(o)));`),
  ...insideBoth("sweep: get, put and delete with many keys: duplicates, order, empty lists", `
    await s.put({ "10": "ten", "2": "two", "b": "b", "1": "one", "a": "a", "": "empty" });
    const listed = [...(await s.list()).keys()];
    const many = [...(await s.get(["b", "a", "a", "zz", "", "10", "2"])).entries()];
    const none = [...(await s.get([])).entries()];
    const deleted = await s.delete(["a", "a", "zz", "b"]);
    const deletedNone = await s.delete([]);
    const putNone = show(await s.put({}));
    return { listed, many, none, deleted, deletedNone, putNone, after: [...(await s.list()).keys()] };`),
  insideWith(CALL_HELPERS, "sweep: SQL cursor methods at their edges", "sqlite", `
    const sql = s.sql;
    sql.exec("CREATE TABLE t (a, b)");
    sql.exec("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, NULL)");
    const q = (text, ...args) => sql.exec(text, ...args);
    const steps = (c, ops) => ops.map((op) => { try { const v = op === "next" ? c.next() : op === "raw" ? [...c.raw()] : op === "one" ? c.one() : op === "toArray" ? c.toArray() : op === "iter" ? [...c] : op === "cols" ? c.columnNames : null; return show(v); } catch (e) { return err(e); } });
    return {
      oneOfNone: steps(q("SELECT * FROM t WHERE a > 5"), ["one", "next"]),
      oneOfMany: steps(q("SELECT * FROM t"), ["one", "toArray"]),
      oneAfterNext: steps(q("SELECT * FROM t WHERE a = 1"), ["next", "one"]),
      nextAfterDone: steps(q("SELECT a FROM t WHERE a = 1"), ["next", "next", "next", "toArray"]),
      rawAfterNext: steps(q("SELECT * FROM t ORDER BY a"), ["next", "raw", "toArray"]),
      toArrayTwice: steps(q("SELECT a FROM t ORDER BY a"), ["toArray", "toArray", "iter"]),
      iterThenOne: steps(q("SELECT a FROM t ORDER BY a"), ["iter", "one"]),
      colsBefore: steps(q("SELECT a AS x, b AS x, a + 1, 'lit', NULL FROM t ORDER BY a"), ["cols", "next", "raw"]),
      colsOfWrite: steps(q("UPDATE t SET b = 'z' WHERE a = 3"), ["cols", "toArray"]),
      colsOfReturning: steps(q("UPDATE t SET b = 'w' WHERE a >= 2 RETURNING a, b"), ["cols", "next", "toArray"]),
      onlyComments: await howAll({ comment: () => show(q("-- nothing").toArray()), semicolon: () => show(q(";").toArray()), blank: () => show(q("   ").toArray()), empty: () => show(q("").toArray()), trailing: () => show(q("SELECT 1 AS one;  -- done").toArray()) }),
      objectRows: q("SELECT a, b FROM t ORDER BY a").toArray(),
      rawRows: [...q("SELECT a, b FROM t ORDER BY a").raw()],
      duplicateObjectRow: q("SELECT 1 AS x, 2 AS x").one(),
    };`),
  {
    name: "sweep: ID names and ID strings at their edges",
    backend: "sqlite",
    source: cls(`  async whoami() { return { name: this.ctx.id.name ?? null, id: this.ctx.id.toString() }; }`),
    drive: async (env) => {
      const ns = env.DO;
      const names = ["", " ", "\0", "a".repeat(1000), "é", "😀", "\ud800", "line\nbreak", "null", "undefined"];
      const byName = {};
      for (const n of names) {
        const r = {};
        try {
          const id = ns.idFromName(n);
          r.hex = id.toString();
          r.name = show(id.name);
          r.sameAsGetByName = ns.getByName(n).id.equals(id);
          r.stubName = show(ns.getByName(n).name);
          r.roundTrip = ns.idFromString(id.toString()).equals(id);
          r.inside = await ns.getByName(n).whoami().then((w) => ({ nameMatches: w.name === n, idMatches: w.id === id.toString() }));
        } catch (e) {
          r.error = err(e);
        }
        byName[JSON.stringify(n)] = r;
      }
      const hex = ns.idFromName("x").toString();
      const strings = {};
      for (const [label, s] of Object.entries({ upper: hex.toUpperCase(), short: hex.slice(1), long: hex + "0", nonHex: "z" + hex.slice(1), spaced: " " + hex.slice(1), empty: "", unique: ns.newUniqueId().toString() })) {
        try {
          const id = ns.idFromString(s);
          strings[label] = { ok: true, same: id.toString() === s, lower: id.toString() === s.toLowerCase(), name: show(id.name) };
        } catch (e) {
          strings[label] = err(e);
        }
      }
      const id = ns.idFromName("json");
      return { byName, strings, json: JSON.stringify(id) === JSON.stringify(id.toString()) ? "string" : JSON.stringify({ id }).length, stringified: `${id}` === id.toString(), uniqueName: show(ns.newUniqueId().name) };
    },
  },
  {
    name: "sweep: unusual values over RPC, as arguments and results",
    backend: "sqlite",
    source: cls(`  async echo(v) { return v; }
  async describe(v) { return show(v); }`),
    drive: async (env) => {
      const stub = env.DO.getByName("echo");
      const sparse = [1, , 3];
      sparse.length = 5;
      const extra = [1, 2];
      extra.note = "extra";
      const shared = new ArrayBuffer(8);
      const values = {
        negZero: -0, nan: NaN, inf: -Infinity, big: 2n ** 70n, negBig: -(2n ** 64n), sparse, extra,
        symbolKeyed: { [Symbol("s")]: 1, visible: 2 }, nullProto: Object.assign(Object.create(null), { a: 1 }),
        getter: { get g() { return "got"; } }, nonEnumerable: Object.defineProperty({ a: 1 }, "hidden", { value: 2, enumerable: false }),
        objectKeyMap: new Map([[{ k: 1 }, "object key"], [NaN, "nan key"], [-0, "zero key"]]), setOfMixed: new Set([1, "1", 1n, null]),
        invalidDate: new Date(NaN), regexp: Object.assign(/a+/gimsuy, { lastIndex: 3 }), boxed: [Object(1), Object("s"), Object(false), Object(2n)],
        errorWithCause: new RangeError("outer", { cause: new TypeError("inner") }), views: [new Uint8Array(shared, 0, 4), new Int16Array(shared, 4, 2), new DataView(shared, 2, 3)],
        loneSurrogate: "a\ud800b", longString: "x".repeat(100000).length, numericKeys: { 2: "b", 1: "a", z: "z", "-1": "neg" }, holeyNested: [[, 1], { a: [, ,] }],
      };
      const out = {};
      for (const [label, v] of Object.entries(values)) {
        out[label] = { arg: await outcome(() => stub.describe(v)), result: await outcome(async () => show(await stub.echo(v))) };
      }
      return out;
    },
  },
];

/** The RPC calls sweep: what a method sees of its arguments, and what comes back. */
const RPC_SWEEP_SOURCE = cls(`  count(...args) { return { length: args.length, kinds: args.map((a) => (a === undefined ? "undefined" : a === null ? "null" : typeof a)) }; }
  withDefaults(a = "default a", b = "default b") { return [a, b]; }
  nested() { return { u: undefined, n: null, arr: [undefined, , null], fn: () => "from a nested function", deeper: { f() { return "method of a plain object"; } } }; }
  get prop() { return "getter value"; }
  get throwingGetter() { throw new RangeError("getter threw"); }
  get codedGetter() { throw Object.assign(new TypeError("coded getter"), { code: "E_GETTER" }); }
  get stringGetter() { throw "a string from a getter"; }
  get objectWithThrowingGetter() { return { get inner() { throw new Error("inner getter"); } }; }
  async *gen() { yield 1; }
  returnsPromise() { return { p: Promise.resolve(1) }; }
  returnsSymbol() { return Symbol("s"); }
  returnsThis() { return this; }
  returnsCtx() { return this.ctx; }
  returnsEnv() { return this.env; }
  returnsStorage() { return this.ctx.storage; }
  returnsId() { return this.ctx.id; }
  returnsClassInstance() { return new (class Point { x = 1; })(); }
  returnsWeakMap() { return new WeakMap(); }
  async selfCall() { return this.env.DO.getByName("rpc").count(1, 2); }
  thrower(kind) {
    if (kind === "string") throw "a string";
    if (kind === "number") throw 42;
    if (kind === "object") throw { plain: true };
    if (kind === "null") throw null;
    if (kind === "undefined") throw undefined;
    if (kind === "domexception") throw new DOMException("dom", "NotFoundError");
    if (kind === "aggregate") throw new AggregateError([new Error("a")], "agg");
    if (kind === "custom") { class MyErr extends Error { name = "MyErr"; } throw new MyErr("mine"); }
    throw new Error("plain");
  }`);

const RPC_SWEEP = {
  name: "sweep: RPC calls: arguments seen, defaults, nested values, getters, odd results and thrown values",
  backend: "sqlite",
  source: RPC_SWEEP_SOURCE,
  drive: async (env) => {
    const s = env.DO.getByName("rpc");
    const o = (f) => outcome(f);
    const nested = await o(async () => {
      const r = await s.nested();
      return { keys: Object.keys(r), u: "u" in r, arr: show(r.arr), fn: await r.fn(), deeper: typeof r.deeper.f };
    });
    const thrown = {};
    for (const kind of ["string", "number", "object", "null", "undefined", "domexception", "aggregate", "custom", "error"]) thrown[kind] = await o(() => s.thrower(kind));
    return {
      counts: {
        none: await o(() => s.count()), undef: await o(() => s.count(undefined)), trailingUndef: await o(() => s.count(1, undefined)),
        holes: await o(() => s.count(undefined, undefined, 3)), nul: await o(() => s.count(null)), many: await o(() => s.count(...Array.from({ length: 40 }, (_, i) => i))),
      },
      defaults: { none: await o(() => s.withDefaults()), undef: await o(() => s.withDefaults(undefined, "b")), nul: await o(() => s.withDefaults(null)) },
      nested,
      getter: await o(() => s.prop), throwingGetter: await o(() => s.throwingGetter), getterCalled: await o(() => s.prop()),
      codedGetter: await o(async () => { try { await s.codedGetter; return "no throw"; } catch (e) { return { ...err(e), code: e.code }; } }),
      stringGetter: await o(() => s.stringGetter), innerGetter: await o(() => s.objectWithThrowingGetter.inner),
      gen: await o(() => s.gen()), promiseInside: await o(() => s.returnsPromise()), symbol: await o(() => s.returnsSymbol()),
      self: await o(async () => Object.prototype.toString.call(await s.returnsThis())), ctx: await o(() => s.returnsCtx()), env: await o(() => s.returnsEnv()),
      storage: await o(() => s.returnsStorage()), id: await o(async () => Object.prototype.toString.call(await s.returnsId())),
      classInstance: await o(() => s.returnsClassInstance()), weakMap: await o(() => s.returnsWeakMap()), selfCall: await o(() => s.selfCall()),
      thrown,
    };
  },
};

/** Runtime objects as RPC arguments and results: what crosses, as what, and the refusals. */
const RUNTIME_OBJECTS = {
  name: "sweep: runtime objects as RPC arguments and results",
  backend: "sqlite",
  source: cls(`  async take(v) { return { tag: Object.prototype.toString.call(v), type: typeof v }; }
  async give(which) {
    const s = this.ctx.storage;
    switch (which) {
      case "namespace": return this.env.DO;
      case "id": return this.ctx.id;
      case "stub": return this.env.DO.getByName("given");
      case "ctx": return this.ctx;
      case "storage": return s;
      case "sql": return s.sql;
      case "cursor": return s.sql.exec("SELECT 1 AS one");
      case "kv": return s.kv;
      case "env": return this.env;
      case "exportsNamespace": return this.ctx.exports.DO;
      case "exportsClass": return this.ctx.exports.DO({});
      case "exports": return this.ctx.exports;
      case "headers": return new Headers([["a", "1"]]);
      case "abortSignal": return new AbortController().signal;
      case "url": return new URL("http://x/");
      case "textEncoder": return new TextEncoder();
    }
  }`, { extra: `import { exports } from "cloudflare:workers";` }),
  drive: async (env) => {
    const s = env.DO.getByName("objects");
    const describeResult = async (which) => {
      try {
        const v = await s.give(which);
        return { tag: Object.prototype.toString.call(v), type: typeof v };
      } catch (e) {
        return err(e);
      }
    };
    const given = {};
    for (const which of ["namespace", "id", "stub", "ctx", "storage", "sql", "cursor", "kv", "env", "exportsNamespace", "exportsClass", "exports", "headers", "abortSignal", "url", "textEncoder"]) given[which] = await describeResult(which);
    const taken = {};
    const args = { namespace: env.DO, id: env.DO.idFromName("x"), stub: env.DO.getByName("x"), headers: new Headers(), url: new URL("http://x/"), abortSignal: new AbortController().signal, exportsNamespace: exports.DO, exportsService: exports.default, exportsClass: exports.DO({}) };
    for (const [label, v] of Object.entries(args)) taken[label] = await outcome(() => s.take(v));
    return { given, taken };
  },
};

/** Runtime objects as stored values. */
const STORED_RUNTIME_OBJECTS = (backend) => ({
  name: `sweep: runtime objects as stored values [${backend}]`,
  backend,
  source: cls(`  async store() {
    const s = this.ctx.storage;
    const values = {
      namespace: this.env.DO, id: this.ctx.id, stub: this.env.DO.getByName("x"), ctx: this.ctx, storage: s, env: this.env,
      exportsNamespace: this.ctx.exports.DO, exportsService: this.ctx.exports.default, exportsClass: this.ctx.exports.DO({}), exports: this.ctx.exports,
      fn: () => 1, asyncFn: async () => 1, symbolValue: Symbol("s"), inArray: [this.ctx.id], inMap: new Map([["id", this.ctx.id]]),
      facets: this.ctx.facets, nestedInObject: { deep: { storage: s } },
    };
    const sqlite = (() => { try { return s.sql !== undefined; } catch { return false; } })();
    if (sqlite) Object.assign(values, { sql: s.sql, cursor: s.sql.exec("SELECT 1"), rawIterator: s.sql.exec("SELECT 1").raw(), kv: s.kv, kvList: s.kv.list() });
    await s.transaction(async (txn) => { values.txn = txn; });
    const out = {};
    for (const [k, v] of Object.entries(values)) {
      try {
        await s.put(k, v);
        out[k] = { stored: Object.prototype.toString.call(await s.get(k)) };
      } catch (e) {
        out[k] = err(e);
      }
    }
    return out;
  }`, { extra: `import { exports } from "cloudflare:workers";` }),
  drive: async (env) => env.DO.getByName("stored").store(),
});

SWEEPS.push(RUNTIME_OBJECTS, STORED_RUNTIME_OBJECTS("sqlite"), STORED_RUNTIME_OBJECTS("kv"));


/** JSON.stringify of the runtime's objects: what serialises, and as what. */
const JSON_OF_OBJECTS = {
  name: "sweep: JSON.stringify of runtime objects",
  backend: "sqlite",
  source: cls(`  async json() {
    const s = this.ctx.storage;
    const stub = this.env.DO.getByName("json");
    const j = (f) => { try { return show(JSON.stringify(f())); } catch (e) { return err(e); } };
    return {
      env: j(() => this.env), namespace: j(() => this.env.DO), namedId: j(() => this.env.DO.idFromName("n")), uniqueId: JSON.stringify(this.env.DO.newUniqueId()).length,
      stub: j(() => stub), uniqueStub: j(() => this.env.DO.get(this.env.DO.newUniqueId())), storage: j(() => s), sql: j(() => s.sql), cursor: j(() => s.sql.exec("SELECT 1 AS a")),
      kv: j(() => s.kv), txn: await s.transaction(async (t) => j(() => t)), facets: j(() => this.ctx.facets), ctx: j(() => this.ctx), self: j(() => this),
      rpcPromise: j(() => { const p = stub.hello(); p.catch(() => {}); return p; }), stubMethod: j(() => stub.hello), inArray: j(() => [this.ctx.id, stub]),
    };
  }
  async hello() { return "hi"; }`),
  drive: async (env) => {
    const j = (f) => { try { return show(JSON.stringify(f())); } catch (e) { return err(e); } };
    return { inObject: await outcome(() => env.DO.getByName("json").json()), driverStub: j(() => env.DO.getByName("d")), driverNamespace: j(() => env.DO) };
  },
};

SWEEPS.push(JSON_OF_OBJECTS);


/** Fetchers (service bindings, specialised exports, stubs that crossed RPC) as reflection sees them. */
const FETCHER_SHAPES = {
  name: "sweep: the shapes of Fetchers",
  backend: "sqlite",
  source: `${SHAPE_HELPERS}\n${cls(`  async hello() { return "hi"; }
  async relay(stub) { return describe(stub); }`, { extra: `import { WorkerEntrypoint, exports } from "cloudflare:workers";\nexport class Named extends WorkerEntrypoint { async ping() { return "pong"; } }` })}`,
  services: { SELF: "test" },
  entry: `{ async fetch() { return new Response("default"); } }`,
  drive: async (env) => ({
    binding: describe(env.SELF),
    specialised: describe(exports.Named({ props: {} })),
    crossedRpc: await env.DO.getByName("a").relay(env.DO.getByName("b")),
    fetchIsOwnOfProto: Object.hasOwn(Object.getPrototypeOf(env.SELF), "fetch"),
  }),
};

SWEEPS.push(FETCHER_SHAPES);

export default [...SWEEPS, RPC_SWEEP];
