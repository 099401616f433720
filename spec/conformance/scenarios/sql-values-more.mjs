// Values crossing exec(): TEXT that is not valid UTF-8 (each bad sequence read back as U+FFFD,
// as V8 decodes it), buffers bound in unusual states (detached, resizable, growable, changed
// after exec() while rows that read them are still to come), numbers at the edges of SQLite's
// 64-bit integers, and which realm's prototypes the rows, arrays, buffers and errors have.
import { inside } from "../scenario.mjs";

const sqlite = (name, body) => inside(`sql values: ${name}`, "sqlite", `    const sql = s.sql;
${body}`);

export default [
  sqlite("text that is not UTF-8", `
    const out = {};
    for (const h of ["ff", "c3", "eda080", "f09f98", "c0af", "f4908080", "61ff62", "e282", "e2ac", "efbfbf", "00", "6100ff"]) {
      out[h] = outcomeSync(() => { const r = sql.exec("SELECT CAST(x'" + h + "' AS TEXT) AS v, length(CAST(x'" + h + "' AS TEXT)) AS l").one(); return [[...r.v].map((c) => c.codePointAt(0).toString(16)), r.l]; });
    }
    sql.exec("CREATE TABLE t (v TEXT)");
    sql.exec("INSERT INTO t VALUES (CAST(x'61ff62' AS TEXT))");
    out.stored = outcomeSync(() => { const r = sql.exec("SELECT v, hex(v) AS h FROM t").raw().next().value; return [r[0].length, r[1]]; });
    out.boundBack = outcomeSync(() => { const v = sql.exec("SELECT v FROM t").one().v; return sql.exec("SELECT hex(?) AS h, ? = v AS same FROM t", v, v).one(); });
    out.asName = outcomeSync(() => sql.exec("SELECT 1 AS \\"a\\ud800b\\"").columnNames.map((n) => [...n].map((c) => c.codePointAt(0).toString(16))));
    return out;`),
  sqlite("lone surrogates in the statement's text", `
    const out = {};
    const codes = (v) => [...String(v)].map((c) => c.codePointAt(0).toString(16));
    out.literal = outcomeSync(() => { const r = sql.exec("SELECT '\\ud800' AS v, length('\\ud800') AS l, hex('\\udfffx') AS h").one(); return [codes(r.v), r.l, r.h]; });
    out.pair = outcomeSync(() => { const r = sql.exec("SELECT '\\ud83d\\ude00' AS v, length('\\ud83d\\ude00') AS l").one(); return [codes(r.v), r.l]; });
    out.reversedPair = outcomeSync(() => { const r = sql.exec("SELECT '\\ude00\\ud83d' AS v").one(); return codes(r.v); });
    out.errorAfter = outcomeSync(() => sql.exec("SELECT '\\ud800' AS v, nope"));
    out.syntaxAfter = outcomeSync(() => sql.exec("SELECT '\\ud800\\ud800' AS v FROM WHERE"));
    out.inComment = outcomeSync(() => sql.exec("/* \\udc00 */ SELECT 1 AS a").toArray());
    out.asAlias = outcomeSync(() => codes(sql.exec("SELECT 1 AS \\ud800").columnNames[0]));
    out.secondStatement = outcomeSync(() => sql.exec("SELECT '\\ud800' AS v; SELECT 2 AS b, nope").toArray());
    sql.exec("CREATE TABLE t (v TEXT PRIMARY KEY)");
    out.stored = outcomeSync(() => { sql.exec("INSERT INTO t VALUES ('\\ud800'), ('\\udbff')"); return sql.exec("SELECT hex(v) AS h FROM t ORDER BY v").toArray(); });
    return out;`),
  sqlite("bound buffers detached, resizable, growable, changed after exec()", `
    const t = (v) => outcomeSync(() => sql.exec("SELECT typeof(?1) AS t, hex(?1) AS h", v).one());
    const out = {};
    const d = new ArrayBuffer(4);
    const view = new Uint8Array(d);
    structuredClone(d, { transfer: [d] });
    out.detached = t(d);
    out.viewOfDetached = t(view);
    const r = new ArrayBuffer(2, { maxByteLength: 8 });
    new Uint8Array(r).set([1, 2]);
    out.resizable = t(r);
    r.resize(4);
    out.resized = t(r);
    out.trackingView = t(new Uint8Array(r));
    out.growable = t(new SharedArrayBuffer(2, { maxByteLength: 8 }));
    const m = new Uint8Array([1, 2, 3]);
    out.changedAfter = outcomeSync(() => { const c = sql.exec("SELECT hex(?1) AS h FROM (VALUES (1), (2), (3))", m); const first = c.next().value; m[0] = 9; return [first, ...c.toArray()]; });
    const counted = { n: 0, toString() { return "call" + ++this.n; } };
    out.convertedOnce = outcomeSync(() => [sql.exec("SELECT ?1 AS a, ?1 AS b FROM (VALUES (1), (2))", counted).toArray(), counted.n]);
    return out;`),
  sqlite("numbers bound near the edges of 64-bit integers", `
    const out = {};
    const values = { minInt64: -(2 ** 63), belowMax: 2 ** 63 - 1024, max: 2 ** 63, negSafe: -(2 ** 53), e20: 1e20, half: 4294967296.5, int32: -(2 ** 31), tiny: Number.MIN_VALUE, eps: Number.EPSILON };
    for (const [k, v] of Object.entries(values)) out[k] = outcomeSync(() => sql.exec("SELECT ?1 AS v, typeof(?1) AS t, CAST(?1 AS INTEGER) AS i, quote(?1) AS q", v).one());
    sql.exec("CREATE TABLE n (i INTEGER, r REAL, x NUMERIC, a ANY, b BLOB)");
    out.stored = outcomeSync(() => {
      for (const v of [2 ** 53 + 2, 1.0, 2 ** 63]) sql.exec("INSERT INTO n VALUES (?1, ?1, ?1, ?1, ?1)", v);
      return sql.exec("SELECT i, typeof(i) AS ti, r, typeof(r) AS tr, x, typeof(x) AS tx, a, typeof(a) AS ta, b, typeof(b) AS tb FROM n").toArray();
    });
    return out;`),
  sqlite("rows, arrays, buffers and errors belong to the object's realm", `
    sql.exec("CREATE TABLE t (a, b BLOB); INSERT INTO t VALUES (1, x'0102'), (2, NULL)");
    const c = () => sql.exec("SELECT a, b FROM t ORDER BY a");
    const row = sql.exec("SELECT a, b FROM t WHERE a = 1").one();
    const caught = (f) => { try { f(); return "no error"; } catch (e) { return [e instanceof Error, e instanceof TypeError, e.constructor === Error, Object.getPrototypeOf(e) === Error.prototype]; } };
    const iterResult = c().next();
    const rawResult = c().raw().next();
    return {
      row: [row instanceof Object, Object.getPrototypeOf(row) === Object.prototype, row.constructor === Object, row.b instanceof ArrayBuffer, ArrayBuffer.isView(row.b)],
      toArray: (() => { const a = c().toArray(); return [a instanceof Array, Array.isArray(a), Object.getPrototypeOf(a) === Array.prototype, a[0] instanceof Object]; })(),
      raw: [rawResult.value instanceof Array, Object.getPrototypeOf(rawResult.value) === Array.prototype, Object.getPrototypeOf(rawResult) === Object.prototype],
      rawToArray: (() => { const a = c().raw().toArray(); return [a instanceof Array, a[0] instanceof Array]; })(),
      names: [c().columnNames instanceof Array, Object.getPrototypeOf(c().columnNames) === Array.prototype],
      next: [Object.getPrototypeOf(iterResult) === Object.prototype, iterResult.value instanceof Object, Object.keys(iterResult)],
      done: (() => { const x = c(); x.toArray(); const d = x.next(); return [Object.getPrototypeOf(d) === Object.prototype, Object.keys(d), "value" in d]; })(),
      cursor: [c() instanceof sql.Cursor, typeof sql.Cursor, sql.Cursor.name, c().constructor === sql.Cursor],
      iterator: (() => { const it = c()[Symbol.iterator](); const proto = Object.getPrototypeOf(it); return [typeof proto.next, Object.getPrototypeOf(proto) === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), Object.prototype.toString.call(it)]; })(),
      prepareError: caught(() => sql.exec("SELEC")), stepError: caught(() => sql.exec("SELECT json('x')")), bindError: caught(() => sql.exec("SELECT ?", Symbol())),
      countError: caught(() => sql.exec("SELECT ?")), oneError: caught(() => sql.exec("SELECT 1 WHERE 0").one()), authError: caught(() => sql.exec("SELECT sqlite_version()")),
      emptyBlob: (() => { const v = sql.exec("SELECT x'' AS v").one().v; return [v instanceof ArrayBuffer, v.byteLength]; })(),
    };`),
];
