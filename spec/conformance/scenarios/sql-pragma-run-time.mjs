// workerd authorizes a table-valued PRAGMA (its name as well as its argument) only when the
// PRAGMA runs, that is when the statement first reaches the pragma's virtual table (SQLite's
// pragma vtab prepares the inner `PRAGMA ...` there, and the authorizer sees it then). A
// statement that never reaches it (a constant false WHERE, an empty table joined before it)
// succeeds; one that reaches it fails even when it returns no row. durasim refuses all of these
// when the statement is prepared: deciding at the first returned row instead would be wrong both
// ways (the `count(*)` and `name = 'nope'` cases), and sql.js offers no hook that tells whether
// the virtual table was filtered. A declared difference; FINDINGS.md has the cases.
import { inside } from "../scenario.mjs";

export default [
  inside("sql pragma arguments: a table-valued PRAGMA is authorized when it runs", "sqlite", `
    const sql = s.sql;
    await s.put("k", 1);
    await s.setAlarm(Date.now() + 3600000);
    sql.exec("CREATE TABLE t (x); CREATE TABLE u (x)");
    sql.exec("INSERT INTO u VALUES (1)");
    const out = {};
    for (const text of [
      "SELECT * FROM pragma_table_info('_cf_KV') WHERE 0",
      "SELECT * FROM pragma_compile_options WHERE 0",
      "SELECT * FROM t, pragma_table_info('_cf_KV')",
      "SELECT * FROM t, pragma_compile_options",
      "SELECT (SELECT name FROM pragma_table_info('_cf_KV')) AS n FROM t",
      "SELECT count(*) AS n FROM pragma_compile_options WHERE 0",
      "SELECT count(*) AS n FROM t, pragma_table_info('_cf_KV')",
      "SELECT name FROM pragma_table_info('_cf_KV') WHERE name = 'nope'",
      "SELECT * FROM u, pragma_table_info('_cf_KV') WHERE u.x = 2",
      "SELECT count(*) AS n FROM pragma_compile_options",
      "SELECT u.x FROM u, pragma_table_info('_cf_KV') LIMIT 1",
      "SELECT x FROM u WHERE x = 1 OR EXISTS (SELECT 1 FROM pragma_compile_options)",
    ]) {
      out[text] = outcomeSync(() => sql.exec(text).toArray());
    }
    return out;`, {
    alarmHandler: true,
    differs:
      "workerd authorizes a table-valued PRAGMA when its virtual table is first reached, which follows SQLite's query plan; sql.js gives no hook that tells when that happens, so durasim refuses the statement when it is prepared (README 'Differences from production')",
  }),
];
