// Strings holding lone UTF-16 surrogates in storage: the runtime writes each as its three WTF-8
// bytes (ED A0 80 to ED BF BF), so such keys stay distinct, sort between U+D7FF and U+E000, bound
// a list() there, and read back as three U+FFFD; SQL text and bound values keep those bytes too.
// Also list() prefixes ending in characters at the edges of each UTF-8 length, where the end of
// the prefix's range is the next code point.
import { inside, insideBoth } from "../scenario.mjs";

/** Source text of `cps(string)`: its code points in hex, so U+FFFD and lone surrogates show. */
const CPS = `const cps = (k) => [...k].map((c) => c.codePointAt(0).toString(16)).join(".");`;

/** Source text of a seeded generator of keys from characters at the edges of UTF-8's lengths,
 * lone surrogates among them, and of list() options over them. */
const RANDOM = `let seed = 12345;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const alphabet = ["", "a", "b", "\\u0000", "\\u007f", "\\u0080", "é", "\\u07ff", "\\u0800", "\\ud7ff", "\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ue000", "\\uffff", "\\u{10000}", "😀", "\\u{10ffff}", "\\ufffd"];
const word = () => Array.from({ length: 1 + rnd(3) }, () => alphabet[rnd(alphabet.length)]).join("");
const options = () => {
  const o = {};
  if (rnd(3) === 0) o.prefix = word();
  if (rnd(3) === 0) o.start = word(); else if (rnd(4) === 0) o.startAfter = word();
  if (rnd(3) === 0) o.end = word();
  if (rnd(2) === 0) o.reverse = true;
  if (rnd(3) === 0) o.limit = 1 + rnd(4);
  return o;
};
const label = (o) => Object.entries(o).map(([k, v]) => k + "=" + (typeof v === "string" ? cps(v) : v)).join(",");`;

export default [
  ...insideBoth("storage surrogates: list() bounds and prefixes holding lone surrogates, keys holding them, get and delete", `${CPS}
    const keys = ["\\ud7ff", "\\ue000", "\\uffff", "\\u{10000}", "\\u{10ffff}", "\\ud800", "\\udbff\\ud800", "\\udfff", "a\\ud83d", "a\\ud83d\\ude00", "a\\ude00", "a"];
    for (const k of keys) await s.put(k, k);
    const out = { all: [...(await s.list())].map(([k, v]) => cps(k) + "=" + cps(v)) };
    for (const b of ["\\ud800", "\\udbff", "\\udc00", "\\udfff", "a\\ud83d", "a\\ud83e", "a\\ude00"]) {
      out["start " + cps(b)] = await outcome(async () => [...(await s.list({ start: b })).values()].map(cps));
      out["end " + cps(b)] = await outcome(async () => [...(await s.list({ end: b })).values()].map(cps));
      out["startAfter " + cps(b)] = await outcome(async () => [...(await s.list({ startAfter: b })).values()].map(cps));
      out["prefix " + cps(b)] = await outcome(async () => [...(await s.list({ prefix: b })).values()].map(cps));
      out["prefix reverse " + cps(b)] = await outcome(async () => [...(await s.list({ prefix: b, reverse: true })).values()].map(cps));
    }
    out.getEach = {};
    for (const k of keys) out.getEach[cps(k)] = await outcome(async () => cps(await s.get(k)));
    out.getMany = await outcome(async () => [...(await s.get(keys))].map(([k, v]) => cps(k) + "=" + cps(v)));
    out.deleteHigh = await s.delete("\\ud800");
    out.after = [...(await s.list())].map(([k, v]) => cps(k) + "=" + cps(v));
    out.txn = await outcome(() => s.transaction(async (t) => {
      await t.put("\\udc01", "\\udc01");
      await t.delete("\\udfff");
      return [...(await t.list({ start: "\\ud7ff", end: "\\ue001" }))].map(([k, v]) => cps(k) + "=" + cps(v));
    }));
    return out;`),
  inside("storage surrogates: storage.kv keys and list() bounds holding lone surrogates", "sqlite", `${CPS}
    const keys = ["\\ud7ff", "\\ue000", "\\ud800", "\\udbff\\ud800", "\\udfff", "a\\ud83d", "a\\ud83d\\ude00", "a"];
    for (const k of keys) s.kv.put(k, k);
    const out = { all: [...s.kv.list()].map(([k, v]) => cps(k) + "=" + cps(v)) };
    for (const b of ["\\ud800", "\\udfff", "a\\ud83d"]) {
      out["start " + cps(b)] = outcomeSync(() => [...s.kv.list({ start: b })].map(([, v]) => cps(v)));
      out["end reverse " + cps(b)] = outcomeSync(() => [...s.kv.list({ end: b, reverse: true })].map(([, v]) => cps(v)));
      out["prefix " + cps(b)] = outcomeSync(() => [...s.kv.list({ prefix: b })].map(([, v]) => cps(v)));
      out["get " + cps(b)] = outcomeSync(() => cps(s.kv.get(b)));
    }
    out.deleted = s.kv.delete("\\udfff");
    out.deletedAgain = s.kv.delete("\\udfff");
    out.asyncList = [...(await s.list())].map(([k, v]) => cps(k) + "=" + cps(v));
    return out;`),
  inside("storage surrogates: SQL values and SQL text holding lone surrogates", "sqlite", `${CPS}
    const sql = s.sql;
    const out = {};
    const rows = (q, ...b) => outcomeSync(() => [...sql.exec(q, ...b).raw()].map((r) => r.map((v) => (typeof v === "string" ? cps(v) : v))));
    out.bound = rows("SELECT ?, hex(?), length(?), typeof(?)", "\\ud800", "\\ud800", "\\ud800", "\\ud800");
    out.compared = rows("SELECT ? < ?, ? < ?, ? = ?", "\\ud800", "\\ue000", "\\ud7ff", "\\ud800", "\\ud800", "\\udfff");
    sql.exec("CREATE TABLE t(k TEXT PRIMARY KEY, v)");
    out.inserted = rows("INSERT INTO t VALUES (?, 1), (?, 2), (?, 3), (?, 4) RETURNING k", "\\ud800", "\\udfff", "\\ue000", "\\ud7ff");
    out.sorted = rows("SELECT k, v, hex(k) FROM t ORDER BY k");
    out.lookup = rows("SELECT v FROM t WHERE k = ?", "\\udfff");
    out.literal = rows("SELECT hex('\\ud800'), length('\\ud800x')");
    out.fromBlob = rows("SELECT CAST(x'eda080' AS TEXT), hex(CAST(x'eda080' AS TEXT))");
    out.like = rows("SELECT ? LIKE ?, instr(?, ?)", "a\\ud800b", "a_b", "a\\ud800b", "b");
    out.syntaxErrorAfter = rows("SELECT '\\ud800' FROMM t");
    out.syntaxErrorInSecond = rows("SELECT 1; SELECT '\\udfff\\ud800', 2 +");
    out.secondStatement = rows("SELECT '\\ud800'; SELECT hex('\\udc00'), ?", "\\ud801");
    out.identifier = rows('CREATE TABLE "\\ud800t"(x); SELECT name, hex(name) FROM sqlite_master WHERE name LIKE ?', "%t");
    out.toArray = outcomeSync(() => sql.exec("SELECT ? AS x", "\\udc00").toArray().map((r) => cps(r.x)));
    return out;`),
  inside("storage surrogates: SQL errors naming and pointing past lone surrogates, and column names holding them", "sqlite", `${CPS}
    const sql = s.sql;
    const out = {};
    const run = (f) => { const r = outcomeSync(f); return r.error ? { error: cps(r.error.message) } : { ok: show(r.ok) }; };
    sql.exec("CREATE TABLE x(a)");
    out.columnNames = run(() => sql.exec('SELECT 1 AS "a\\ud800", 2 AS "a\\udc00"').columnNames.map(cps));
    out.literalColumnName = run(() => sql.exec("SELECT 'x\\ud800'").columnNames.map(cps));
    out.rowKeys = run(() => Object.keys(sql.exec('SELECT 1 AS "a\\ud800", 2 AS "b\\udc00"').one()).map(cps));
    out.noTable = run(() => sql.exec('SELECT * FROM "t\\ud800"'));
    out.noQuotedColumn = run(() => sql.exec('SELECT "c\\ud800" FROM x'));
    out.noBareColumn = run(() => sql.exec("SELECT \\ud800"));
    out.columnAfterLiteral = run(() => sql.exec("SELECT '\\ud800\\udfff', nope FROM x"));
    out.syntaxAfter = run(() => sql.exec("SELECT 1 \\ud800\\ud800 2"));
    out.syntaxAfterLiteral = run(() => sql.exec("SELECT '\\ud800' FROMM x"));
    out.noFunction = run(() => sql.exec("SELECT f\\ud800(1)"));
    out.functionAfterLiteral = run(() => sql.exec("SELECT '\\udc00' || g(1)"));
    out.unrecognized = run(() => sql.exec("SELECT '\\ud800' || $"));
    out.secondStatement = run(() => sql.exec("SELECT '\\ud800'; SELECT nope2 FROM x"));
    return out;`),
  ...insideBoth("storage surrogates: seeded random list() options over keys holding lone surrogates and edge characters", `${CPS}${RANDOM}
    for (const k of Array.from({ length: 60 }, word)) await s.put(k, cps(k));
    const out = [];
    for (let i = 0; i < 150; i++) {
      const o = options();
      out.push([label(o), await outcome(async () => [...(await s.list(o)).values()].join(" "))]);
    }
    return out;`),
  inside("storage surrogates: seeded random storage.kv.list() options over keys holding lone surrogates and edge characters", "sqlite", `${CPS}${RANDOM}
    for (const k of Array.from({ length: 60 }, word)) s.kv.put(k, cps(k));
    const out = [];
    for (let i = 0; i < 150; i++) {
      const o = options();
      out.push([label(o), outcomeSync(() => [...s.kv.list(o)].map(([, v]) => v).join(" "))]);
    }
    return out;`),
  ...insideBoth("storage surrogates: list() prefixes ending at the edges of each UTF-8 length", `${CPS}
    const keys = ["é", "é\\u0000", "éa", "ê", "\\uffff", "\\uffffa", "\\u{10ffff}", "\\u{10ffff}a", "\\u{10fffe}", "\\u{10000}", "\\ud7ff", "\\ue000", "\\u07ff", "\\u0800", "\\u007f", "\\u0080", "z"];
    for (const k of keys) await s.put(k, 1);
    const out = {};
    const listed = (m) => [...m.keys()].map(cps);
    for (const prefix of ["é", "\\uffff", "\\u{10ffff}", "\\u{10fffe}", "\\ud7ff", "\\u007f", "\\u07ff", "\\udbff", "\\ud800"]) {
      out["prefix " + cps(prefix)] = await outcome(async () => listed(await s.list({ prefix })));
      out["prefix reverse limit " + cps(prefix)] = await outcome(async () => listed(await s.list({ prefix, reverse: true, limit: 2 })));
    }
    for (const bound of ["\\ud800", "\\udfff", "\\uffff", "\\u{10000}"]) {
      out["start " + cps(bound)] = await outcome(async () => listed(await s.list({ start: bound, limit: 3 })));
      out["end reverse " + cps(bound)] = await outcome(async () => listed(await s.list({ end: bound, reverse: true, limit: 3 })));
      out["startAfter " + cps(bound)] = await outcome(async () => listed(await s.list({ startAfter: bound, limit: 3 })));
    }
    return out;`),
];
