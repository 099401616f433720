// Differential probes of workerd's statement cache for texts of several statements: what a
// deleteAll() keeps of it, whose cursor tells that a text's last statement is still in use, and
// when a text goes from it (a text of several statements that goes leaves nothing busy: its next
// run is a first run). `run(text)` records how an exec of the text ended (its rows, or the
// error); `padding(tag, bytes, unit)` is a one-statement text of that many UTF-8 bytes. All sqlite.
import { inside } from "../scenario.mjs";

const sqlite = (name, body) => inside(`sql cache: ${name}`, "sqlite", body);

const PADDING = `
    const padding = (tag, bytes, unit = "x") => {
      const head = "SELECT '" + tag + "' AS p /*";
      return head + unit.repeat((bytes - head.length - 2) / new TextEncoder().encode(unit).length) + "*/";
    };`;

// `opens(text)`: [text, how its run ended, whether the run opened the turn's implicit
// transaction] (inside one SQLite ignores PRAGMA foreign_keys = OFF, so it reads back 1).
export const OPENS = `
    const opens = async (text) => {
      await s.sync();
      const ran = outcomeSync(() => s.sql.exec(text).toArray().length);
      s.sql.exec("PRAGMA foreign_keys = OFF");
      const inTransaction = s.sql.exec("PRAGMA foreign_keys").one().foreign_keys === 1;
      await s.sync();
      s.sql.exec("PRAGMA foreign_keys = ON");
      return [text, ran, inTransaction];
    };`;

export default [
  // Texts cached before the wipe: one that left a read busy, one whose busy read a run used up,
  // one whose last cursor was open; then a text first run after it.
  sqlite("texts cached before deleteAll() stay cached, with nothing busy", `
    const sql = s.sql;
    const run = (text) => outcomeSync(() => sql.exec(text).toArray());
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)");
    const leftBusy = "SELECT x FROM t; SELECT 1 AS y", usedUp = "SELECT x FROM t; SELECT 2 AS y", open = "SELECT x FROM t; SELECT 3 AS y UNION ALL SELECT 4";
    const out = { before: [run(leftBusy), run(usedUp), run(usedUp)] };
    sql.exec(open).next();
    await s.deleteAll();
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (5)");
    out.after = [1, 2, 3].map(() => [run(leftBusy), run(usedUp), run(open)]);
    const fresh = "SELECT x FROM t; SELECT 5 AS y";
    out.firstRunAfter = [run(fresh), run(fresh), run(fresh)];
    return out;`),
  // The text's last statement is the same SQL as a single-statement exec whose cursor is open.
  sqlite("a text's last cursor, not another over the same SQL, keeps the text in use", `
    const sql = s.sql;
    const run = (text) => outcomeSync(() => sql.exec(text).toArray());
    sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)");
    const text = "SELECT 1 AS a; SELECT x FROM t";
    const out = { first: run(text) };
    const single = sql.exec("SELECT x FROM t");
    single.next();
    out.besideSingle = [run(text), run(text)];
    out.single = outcomeSync(() => single.toArray());
    out.after = [run(text), run(text)];
    const own = sql.exec(text);
    own.next();
    out.besideOwn = [run("SELECT x FROM t"), run(text), outcomeSync(() => own.toArray()), run(text)];
    return out;`),
  // Each text is run once, then texts of `over` bytes more than 1 MiB in all with it (one
  // statement or several; ASCII, or two-byte letters), then twice more.
  sqlite("a text goes once it and the texts run since pass 1 MiB of UTF-8", PADDING + `
    const sql = s.sql;
    const run = (text) => outcomeSync(() => sql.exec(text).toArray());
    const out = {};
    for (const [over, unit, several] of [[0, "x", false], [1, "x", false], [0, "\u00e9", false], [1, "\u00e9", false], [1, "x", true], [3, "\ud800", true]]) {
      const text = "SELECT 1 AS a; SELECT 2 AS b /* " + over + unit + several + " */";
      run(text);
      const texts = [];
      for (let i = 0; i < 10; i++) texts.push(padding(over + unit + several + i, 99_000, unit));
      const bytes = texts.reduce((n, t) => n + new TextEncoder().encode(t).length, text.length);
      texts.push(padding(over + unit + several + "last", 1024 * 1024 + over - bytes));
      for (const t of texts) run(several ? "SELECT 0 AS z; " + t.slice(0, -2) + "*/" : t);
      out[over + unit + several] = [run(text), run(text)];
    }
    return out;`),
  // Texts that failed to prepare (syntax, authorizer, too long) pass the bound; then the text
  // itself is run, or first a text from the cache, or one prepared.
  sqlite("a text that failed to prepare holds its place but pushes nothing out", PADDING + `
    const sql = s.sql;
    const run = (text) => outcomeSync(() => sql.exec(text).toArray());
    const out = {};
    const failing = [(i) => padding("syntax" + i, 99_000) + " nope", (i) => "SELECT * FROM _cf_KV /*" + "x".repeat(99_000) + i + "*/", (i) => padding("long" + i, 110_000)];
    for (const [f, fail] of failing.entries()) {
      for (const next of ["", "SELECT 'cached' AS c", "SELECT 'prepared' AS p" + f]) {
        const text = "SELECT 1 AS a; SELECT 2 AS b /* " + f + next + " */";
        run(text);
        run("SELECT 'cached' AS c");
        const errors = new Set();
        for (let i = 0; i < 11; i++) errors.add(run(fail(i)).error?.message.slice(-40));
        if (next !== "") run(next);
        out[f + next] = [[...errors], run(text), run(text)];
      }
    }
    return out;`),
  // A schema change that breaks a statement a text's first run left busy: the next run is
  // refused as busy, the one after recompiles it and fails.
  sqlite("a cached text's busy statement is refused before it is recompiled", `
    const sql = s.sql;
    const run = (text) => outcomeSync(() => sql.exec(text).toArray());
    sql.exec("CREATE TABLE t (x, k); INSERT INTO t VALUES (1, 2)");
    const texts = ["SELECT x FROM t; SELECT 1 AS a", "SELECT 1 AS a; SELECT k FROM t WHERE x = 1; SELECT 2 AS b"];
    const first = texts.map(run);
    sql.exec("ALTER TABLE t RENAME COLUMN x TO y");
    return { first, then: texts.map((text) => [run(text), run(text), run(text)]) };`),
  // Texts cached, then a schema change that breaks them, run with too few, too many and the
  // right number of values; then the same after deleteAll() (which prepares them afresh).
  sqlite("a cached statement's bindings are checked before it is recompiled", `
    const sql = s.sql;
    const run = (t, ...b) => outcomeSync(() => { const c = sql.exec(t, ...b); return [c.columnNames, [...c.raw()]]; });
    const texts = ["SELECT ?, a FROM q", "SELECT 1 AS one; SELECT ?, a FROM q", "INSERT INTO q (a) VALUES (?)", "SELECT a FROM q"];
    const runs = (...b) => texts.map((t) => run(t, ...b));
    sql.exec("CREATE TABLE q (a)");
    const out = { first: texts.map((t) => run(t, ...(t.includes("?") ? [1] : []))) };
    sql.exec("ALTER TABLE q RENAME COLUMN a TO b");
    out.broken = [runs(), runs(1, 2), runs(1), runs()];
    sql.exec("ALTER TABLE q RENAME COLUMN b TO a");
    out.mended = runs();
    sql.exec("ALTER TABLE q RENAME COLUMN a TO c");
    runs();
    await s.deleteAll();
    sql.exec("CREATE TABLE q (d)");
    out.afterDeleteAll = runs();
    return out;`),
  // Whether each run opened the turn's implicit transaction (inside one SQLite ignores PRAGMA
  // foreign_keys = OFF, so it reads back 1), for texts whose writing depends on the schema, run
  // again after a schema change (an index made or dropped, a rolled-back one, deleteAll()).
  sqlite("the run that recompiles a statement opens the implicit transaction as it was", `
    const sql = s.sql;${OPENS}
    const texts = ["REINDEX t", "REINDEX", "SELECT 1 WHERE 0; REINDEX t -- its own", "EXPLAIN REINDEX t", "EXPLAIN QUERY PLAN REINDEX t"];
    const all = async () => { const out = []; for (const text of texts) out.push(await opens(text)); return out; };
    sql.exec("CREATE TABLE t (x)");
    const out = { before: await all() };
    sql.exec("CREATE INDEX tx ON t (x)");
    out.indexed = [await all(), await all()];
    sql.exec("DROP INDEX tx");
    out.dropped = [await all(), await all()];
    outcomeSync(() => s.transactionSync(() => { sql.exec("CREATE INDEX tx ON t (x)"); texts.forEach((text) => sql.exec(text).toArray()); throw new Error("undo"); }));
    out.rolledBack = [await all(), await all()];
    sql.exec("CREATE INDEX tx ON t (x)");
    await all();
    await s.deleteAll();
    sql.exec("CREATE TABLE t (x)");
    out.afterDeleteAll = await all();
    return out;`),
];

