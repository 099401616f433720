// Differential probes of what workerd's statement cache still enforces for a text after a
// schema change, once many other texts were run since: it holds every text up to 1 MiB of
// UTF-8, however many there are, so a statement run before 200 others is still the statement
// it was (its bindings counted, its implicit transaction decided as it was) until SQLite
// recompiles it; one pushed out by 1 MiB of texts is prepared afresh. `run(text, ...b)` records
// how an exec of the text ended; `padding(tag, bytes)` is a one-statement text of that many
// bytes. All sqlite.
import { inside } from "../scenario.mjs";

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
  // (the statement it held wrote nothing), whatever ran between; a run prepared afresh does.
  sqlite("a statement run before 200 other texts opens the implicit transaction as it was", `
    const sql = s.sql;
    const opens = async (text) => {
      await s.sync();
      const ran = outcomeSync(() => sql.exec(text).toArray().length);
      sql.exec("PRAGMA foreign_keys = OFF");
      const inTransaction = sql.exec("PRAGMA foreign_keys").one().foreign_keys === 1;
      await s.sync();
      sql.exec("PRAGMA foreign_keys = ON");
      return [ran, inTransaction];
    };
    sql.exec("CREATE TABLE t (x)");
    const out = { before: await opens("REINDEX t") };
    for (let j = 0; j < 200; j++) sql.exec("SELECT " + j + " AS n");
    sql.exec("CREATE INDEX tx ON t (x)");
    out.indexed = [await opens("REINDEX t"), await opens("REINDEX t")];
    return out;`),
];
