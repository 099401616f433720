// SQLite's limits as a Durable Object's database sets them, each just under and just over:
// bound parameters, columns, blob and string sizes (bound and made in SQL), compound SELECT
// terms, expression depth, LIKE pattern length, function arguments, recursion of triggers.
import { inside } from "../scenario.mjs";

const CASES = `{
  params100: () => sql.exec("SELECT " + Array(100).fill("?").join(" + ") + " AS s", ...Array(100).fill(1)).one(),
  paramsIn101: () => sql.exec("SELECT 1 IN (" + Array(101).fill("?").join(", ") + ") AS s", ...Array(101).fill(1)).one(),
  paramsNamed101: () => sql.exec("SELECT " + Array.from({ length: 101 }, (_, i) => ":p" + i).join(", ")).one(),
  paramsNamedRepeated: () => sql.exec("SELECT " + Array(90).fill(":p").join(" || ") + " AS s", "x").one(),
  paramsMixed: () => sql.exec("SELECT ?100 AS a, ? AS b", ...Array(101).fill(3)).one(),
  paramNumber100: () => sql.exec("SELECT ?100 AS s", ...Array(100).fill(2)).one(),
  paramNumber101: () => sql.exec("SELECT ?101 AS s", ...Array(101).fill(2)).one(),
  paramNumberHuge: () => sql.exec("SELECT ?32767 AS s").one(),
  columns100: () => { sql.exec("CREATE TABLE c100 (" + Array.from({ length: 100 }, (_, i) => "c" + i).join(", ") + ")"); return "ok"; },
  columns101: () => { sql.exec("CREATE TABLE c101 (" + Array.from({ length: 101 }, (_, i) => "c" + i).join(", ") + ")"); return "ok"; },
  selectColumns101: () => Object.keys(sql.exec("SELECT " + Array.from({ length: 101 }, (_, i) => i + " AS c" + i).join(", ")).one()).length,
  selectColumns2001: () => Object.keys(sql.exec("SELECT " + Array.from({ length: 2001 }, (_, i) => i + " AS c" + i).join(", ")).one()).length,
  blobBound2MB: () => sql.exec("SELECT length(?) AS n", new Uint8Array(2_000_000)).one(),
  blobBoundOver: () => sql.exec("SELECT length(?) AS n", new Uint8Array(2_000_001)).one(),
  stringBound2MB: () => sql.exec("SELECT length(?) AS n", "x".repeat(2_000_000)).one(),
  stringBoundOver: () => sql.exec("SELECT length(?) AS n", "x".repeat(2_000_001)).one(),
  zeroblob2MB: () => sql.exec("SELECT length(zeroblob(2000000)) AS n").one(),
  zeroblobOver: () => sql.exec("SELECT length(zeroblob(2000001)) AS n").one(),
  randomblobOver: () => sql.exec("SELECT length(randomblob(2000001)) AS n").one(),
  compound500: () => sql.exec(Array.from({ length: 500 }, (_, i) => "SELECT " + i).join(" UNION ALL ")).toArray().length,
  compound501: () => sql.exec(Array.from({ length: 501 }, (_, i) => "SELECT " + i).join(" UNION ALL ")).toArray().length,
  depth: () => sql.exec("SELECT " + "(".repeat(1001) + "1" + ")".repeat(1001) + " AS v").one(),
  likeLong: () => sql.exec("SELECT 'a' LIKE ? AS v", "%".repeat(50001)).one(),
  likeOk: () => sql.exec("SELECT 'a' LIKE ? AS v", "%".repeat(50000)).one(),
  functionArgs127: () => sql.exec("SELECT max(" + Array(127).fill(1).join(", ") + ") AS v").one(),
  functionArgs128: () => sql.exec("SELECT max(" + Array(128).fill(1).join(", ") + ") AS v").one(),
  attach: () => sql.exec("ATTACH DATABASE ':memory:' AS other").toArray(),
  triggerDepth: () => {
    sql.exec("CREATE TABLE tr (n INTEGER)");
    sql.exec("CREATE TRIGGER tr_ins AFTER INSERT ON tr WHEN NEW.n < 2000 BEGIN INSERT INTO tr VALUES (NEW.n + 1); END");
    sql.exec("INSERT INTO tr VALUES (0)");
    return sql.exec("SELECT count(*) AS c FROM tr").one();
  },
  recursiveTriggers: () => sql.exec("PRAGMA recursive_triggers").toArray(),
  cteDeep: () => sql.exec("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 100000) SELECT count(*) AS c FROM r").one(),
}`;

export default [
  inside("sql limits: parameters, columns, value sizes, compound terms, depth, patterns, arguments, triggers", "sqlite", `
    const sql = s.sql;
    const out = {};
    for (const [k, f] of Object.entries(${CASES})) out[k] = outcomeSync(f);
    return out;`, { timeoutMs: 30_000 }),
  inside("sql limits: 101 parameters chained by + fail on the expression depth first", "sqlite", `
    return outcomeSync(() => s.sql.exec("SELECT " + Array(101).fill("?").join(" + ") + " AS s", ...Array(101).fill(1)).one());`),
];
