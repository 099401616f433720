// Differential probes of what workerd's statement cache still enforces for a text after a
// schema change, once many other texts were run since: it holds every text up to 1 MiB of
// UTF-8, however many there are, so a statement run before 200 others is still the statement
// it was (its bindings counted, its implicit transaction decided as it was) until SQLite
// recompiles it; one pushed out by 1 MiB of texts is prepared afresh. `run(text, ...b)` records
// how an exec of the text ended; `padding(tag, bytes)` is a one-statement text of that many
// bytes. All sqlite.
import { cls, inside } from "../scenario.mjs";
import { OPENS } from "./sql-cache.mjs";

const sqlite = (name, body) => inside(`sql cache: ${name}`, "sqlite", body);

const PADDING = `
    const padding = (tag, bytes) => {
      const head = "SELECT '" + tag + "' AS p /*";
      return head + "x".repeat(bytes - head.length - 2) + "*/";
    };`;

export default [
  // Texts cached, then 190 short texts, alone or after texts bringing them a little under or over 1 MiB
  // with them; then a schema change that breaks the texts, run with too many and the right number.
  sqlite("a statement run before 200 other texts still has its bindings checked", PADDING + `
    const sql = s.sql;
    const run = (t, ...b) => outcomeSync(() => sql.exec(t, ...b).toArray());
    const out = {};
    for (const [i, spread] of ["short", "under", "over"].entries()) {
      const table = "q" + i;
      sql.exec("CREATE TABLE " + table + " (a)");
      const texts = ["SELECT ?, a FROM " + table, "INSERT INTO " + table + " (a) VALUES (?)", "SELECT 1 AS one; SELECT ?, a FROM " + table];
      texts.forEach((t) => run(t, 1));
      const shorts = [];
      for (let j = 10; j < 200; j++) shorts.push("SELECT " + j + " AS n /* " + spread + " */");
      const alter = "ALTER TABLE " + table + " RENAME COLUMN a TO b";
      const bytes = [...texts, ...shorts, alter].reduce((n, t) => n + t.length, 0);
      // Eleven paddings (each under the 100,000-byte statement limit) bring the texts since the first one to 300 bytes under or over 1 MiB.
      const each = Math.floor((1024 * 1024 - bytes + (spread === "over" ? 300 : -300)) / 11);
      if (spread !== "short") for (let j = 0; j < 11; j++) run(padding(spread + j, each));
      shorts.forEach((t) => run(t));
      sql.exec(alter);
      out[spread] = [texts.map((t) => run(t, 1, 2)), texts.map((t) => run(t, 1)), texts.map((t) => run(t))];
    }
    return out;`),
  // The run that recompiles REINDEX t after an index was made opens no implicit transaction
  // (the statement it held wrote nothing), whatever ran between; the run after does.
  sqlite("a statement run before 200 other texts opens the implicit transaction as it was", `
    const sql = s.sql;${OPENS}
    sql.exec("CREATE TABLE t (x)");
    const out = { before: await opens("REINDEX t") };
    for (let j = 0; j < 200; j++) sql.exec("SELECT " + j + " AS n");
    sql.exec("CREATE INDEX tx ON t (x)");
    out.indexed = [await opens("REINDEX t"), await opens("REINDEX t")];
    return out;`),
  // workerd's cached statement of a text is the one its cursor `held` reads, open across 200
  // texts and a schema change that breaks the text: a run meanwhile prepares the text afresh
  // (its compile error, no bindings check), and once the cursor is done, the statement it held
  // is checked again. A run beside the cursor of the text's first run, `first`, is no such one.
  sqlite("a run while a cursor holds the cached statement is prepared afresh, checked against nothing", `
    const sql = s.sql;
    const run = (t, ...b) => outcomeSync(() => sql.exec(t, ...b).toArray());
    sql.exec("CREATE TABLE q (a); INSERT INTO q VALUES (1), (2), (3)");
    const text = "SELECT ?, a FROM q";
    const first = sql.exec(text, 1);
    first.next();
    const out = { beside: run(text, 1) };
    for (let j = 0; j < 200; j++) run("SELECT " + j + " AS n");
    out.first = outcomeSync(() => first.toArray());
    const held = sql.exec(text, 2);
    held.next();
    for (let j = 200; j < 400; j++) run("SELECT " + j + " AS n");
    out.alter = run("ALTER TABLE q RENAME COLUMN a TO b");
    out.meanwhile = [run(text, 1, 2), run(text, 1)];
    out.held = outcomeSync(() => held.toArray());
    out.after = [run(text, 1, 2), run(text, 1)];
    return out;`),
  // The cache is the SqlStorage's: an instance after ctx.abort() starts with an empty one, so a
  // text the first instance ran is prepared afresh after a schema change (no bindings check).
  {
    name: "sql cache: a new instance of the object starts with an empty cache",
    backend: "sqlite",
    source: cls(`
  async prime() {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE q (a)");
    for (const text of ["SELECT ?, a FROM q", "SELECT 1 AS one; SELECT ?, a FROM q"]) sql.exec(text, 1).toArray();
    sql.exec("SELECT a FROM q; SELECT 1 AS one").toArray();
  }
  async stop() { this.ctx.abort("restart"); }
  async after() {
    const sql = this.ctx.storage.sql;
    const run = (t, ...b) => outcomeSync(() => sql.exec(t, ...b).toArray());
    sql.exec("INSERT INTO q VALUES (5); ALTER TABLE q RENAME COLUMN a TO b");
    return [run("SELECT ?, a FROM q", 1, 2), run("SELECT 1 AS one; SELECT ?, a FROM q", 1, 2), run("SELECT a FROM q; SELECT 1 AS one")];
  }`),
    drive: async (env) => {
      await env.DO.getByName("a").prime();
      const stopped = await outcome(() => env.DO.getByName("a").stop());
      return { stopped, after: await outcome(() => env.DO.getByName("a").after()) };
    },
  },
];
