// Where one statement of an exec() text ends and the next begins. workerd skips C's white space
// (isspace(): a vertical tab too, which SQLite's tokenizer refuses) after each statement before
// it decides whether another follows; an empty statement or a comment after the last one is an
// error. The 100,000-byte limit applies to the text SQLite is handed: what is left of it at each
// statement, counted in UTF-8 bytes. All sqlite.
import { inside } from "../scenario.mjs";

const sqlite = (name, body) => inside(`sql statement text: ${name}`, "sqlite", `    const sql = s.sql;
${body}`);

export default [
  sqlite("white space after the last statement", `
    const out = {};
    const texts = ["SELECT 1 AS a;\\t", "SELECT 1 AS a;\\r\\n", "SELECT 1 AS a;\\n", "SELECT 1 AS a; \\n ", "SELECT 1 AS a\\t", "SELECT 1 AS a\\r\\n", "SELECT 1 AS a;\\f",
      "SELECT 1 AS a;\\u00a0", "\\t", "\\r\\n", "CREATE TABLE a (x);\\r\\nCREATE TABLE b (x);\\r\\n", "CREATE TABLE c (x);\\r\\nINSERT INTO c VALUES (1);\\r\\nSELECT count(*) AS n FROM c",
      "SELECT 1 AS a;\\t-- done", "SELECT 1 AS a;\\n-- done", "SELECT 1 AS a; /* c */", "SELECT 1 AS a;\\t\\n", "SELECT 1 AS a;\\n\\t"];
    for (const t of texts) out[JSON.stringify(t)] = outcomeSync(() => { const c = sql.exec(t); return [c.columnNames, c.toArray()]; });
    // A statement with parameters must be the last: white space after it is no statement.
    out.paramTab = outcomeSync(() => sql.exec("SELECT ? AS v;\\t", 1).toArray());
    out.paramCrLf = outcomeSync(() => sql.exec("SELECT ? AS v;\\r\\n", 1).toArray());
    out.paramNl = outcomeSync(() => sql.exec("SELECT ? AS v;\\n", 1).toArray());
    out.tables = sql.exec("SELECT name FROM sqlite_master ORDER BY name").toArray().map((r) => r.name);
    return out;`),
  sqlite("vertical tabs between and after statements", `
    const out = {};
    for (const t of ["SELECT 1 AS a;\\vSELECT 2 AS b", "SELECT 1 AS a; \\vSELECT 2 AS b", "SELECT 1 AS a;\\v\\v", "SELECT 1 AS a\\v", "\\vSELECT 1 AS a", "SELECT 1 AS a;\\v;",
      "SELECT 1 AS a;\\v-- c", "SELECT ? AS a;\\v", "SELECT 1 AS a;\\v\\n\\t\\f\\r ", "SELECT\\v1", "SELECT 1 AS a;\\u00a0SELECT 2", "SELECT 1 AS a;\\vSELEC 2"])
      out[JSON.stringify(t)] = outcomeSync(() => sql.exec(t, ...(t.includes("?") ? [7] : [])).toArray());
    return out;`),
  sqlite("the length limit counts the UTF-8 bytes left of the text", `
    const text = (bytes, unit = "x") => { const head = "SELECT 1 AS a /*"; return head + unit.repeat((bytes - head.length - 2) / new TextEncoder().encode(unit).length) + "*/"; };
    const length = (t) => new TextEncoder().encode(t).length;
    const run = (t) => outcomeSync(() => sql.exec(t).toArray());
    const out = {};
    for (const n of [99_998, 99_999, 100_000, 100_001]) out[n] = [length(text(n)), run(text(n))];
    out.twoByteOver = [length(text(100_002, "\\u00e9")), run(text(100_002, "\\u00e9"))];
    out.twoByteAt = [length(text(100_000, "\\u00e9")), run(text(100_000, "\\u00e9"))];
    out.secondOver = run("SELECT 0 AS z; " + text(100_001 - 15));
    out.firstShortWholeOver = run("SELECT 0 AS z; " + text(99_995));
    out.wholeOverLastShort = run(text(99_990) + "; SELECT 2 AS b");
    out.manyShort = run(Array(8000).fill("SELECT 1 AS a").join("; "));
    return out;`),
  sqlite("a migration script with CRLF line ends, comments and a trailing blank line", `
    const script = "-- 0001_init.sql\\r\\n" +
      "CREATE TABLE IF NOT EXISTS users (\\r\\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\\r\\n  email TEXT NOT NULL UNIQUE, -- login\\r\\n  created_at INTEGER NOT NULL DEFAULT (unixepoch())\\r\\n);\\r\\n" +
      "\\r\\n/* indexes */\\r\\nCREATE INDEX IF NOT EXISTS users_created ON users (created_at);\\r\\n" +
      "CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE) WITHOUT ROWID;\\r\\n" +
      "INSERT INTO users (email, created_at) VALUES ('a@example.com', 1);\\r\\n\\r\\n";
    const out = {};
    out.first = outcomeSync(() => { const c = sql.exec(script); return [c.columnNames, c.toArray(), c.rowsWritten]; });
    out.again = outcomeSync(() => sql.exec(script).toArray());
    out.withTrailingComment = outcomeSync(() => sql.exec(script + "-- end\\r\\n").toArray());
    out.unixNewlines = outcomeSync(() => sql.exec(script.replaceAll("\\r\\n", "\\n").replace("'a@", "'b@")).toArray());
    out.tables = sql.exec("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").toArray();
    out.users = sql.exec("SELECT id, email FROM users ORDER BY id").toArray();
    return out;`),
];
