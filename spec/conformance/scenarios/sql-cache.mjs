// Differential probes of workerd's statement cache for texts of several statements: what a
// deleteAll() keeps of it, and whose cursor tells that a text's last statement is still in use.
// `run(text)` records how an exec of the text ended (its rows, or the error). All sqlite.
import { inside } from "../scenario.mjs";

const sqlite = (name, body) => inside(`sql cache: ${name}`, "sqlite", body);

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
];
