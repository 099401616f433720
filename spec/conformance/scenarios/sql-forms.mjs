// Statement forms a DO author may reach for: parameter syntaxes other than `?`, maintenance
// statements, EXPLAIN, table-valued functions and the schema tables SQLite keeps itself.
import { inside } from "../scenario.mjs";

export default [
  inside("sql forms: numbered, named, @ and $ parameters, gaps and the highest number", "sqlite", `
    const q = (sql, ...b) => outcomeSync(() => [...s.sql.exec(sql, ...b).raw()]);
    return { numbered: q("SELECT ?1, ?1, ?2", "a", "b"), numberedGap: q("SELECT ?2", "a", "b"), numberedGapOne: q("SELECT ?2", "a"), named: q("SELECT :x", 1), at: q("SELECT @x, @x", 1), dollar: q("SELECT $x", 1), mixed: q("SELECT ?, :x", 1, 2), high: q("SELECT ?100", ...Array(100).fill(1)), tooHigh: q("SELECT ?101", 1), zero: q("SELECT ?0", 1) };`),
  inside("sql forms: VACUUM, ANALYZE, REINDEX, EXPLAIN, table-valued functions, sqlite_sequence and sqlite_stat1, WITHOUT ROWID, STRICT", "sqlite", `
    s.sql.exec("CREATE TABLE t (a INTEGER PRIMARY KEY AUTOINCREMENT, b)");
    s.sql.exec("INSERT INTO t (b) VALUES (1), (2)");
    const q = (sql) => outcomeSync(() => { const c = s.sql.exec(sql); return { rows: [...c.raw()].length, cols: c.columnNames }; });
    return { vacuum: q("VACUUM"), analyze: q("ANALYZE"), reindex: q("REINDEX"), explain: q("EXPLAIN SELECT 1"), eqp: q("EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1"),
      seq: q("SELECT * FROM sqlite_sequence"), schema: q("SELECT name FROM sqlite_schema"), jsonEach: q("SELECT * FROM json_each('[1,2]')"), jsonTree: q("SELECT key FROM json_tree('{\\"a\\":1}')"),
      genSeries: q("SELECT * FROM generate_series(1,3)"), pragmaFn: q("SELECT * FROM pragma_table_info('t')"), stat1: q("SELECT * FROM sqlite_stat1"), dbstat: q("SELECT * FROM dbstat"),
      withoutRowid: q("CREATE TABLE w (x) WITHOUT ROWID"), strict: q("CREATE TABLE st (x INT) STRICT"), strictBad: q("INSERT INTO st VALUES ('a')") };`),
];
