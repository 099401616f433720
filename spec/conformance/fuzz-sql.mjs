#!/usr/bin/env node
// Off-CI differential fuzzing of ctx.storage.sql: each seed is a random SQL program (schema with
// constraints, triggers and views; writes with RETURNING; queries with joins, CTEs, windows and
// built-in functions; bound values of every JS kind; cursor methods; transactionSync) run on
// workerd and on durasim, whose records are compared statement by statement.
//
//   node spec/conformance/fuzz-sql.mjs FIRST_SEED [LAST_SEED] [--steps N] [--batch N] [--no-counters] [--print]
//
// --print only prints each seed's program (one step a line, numbered as the report numbers them).
// --no-counters leaves rowsRead/rowsWritten out of the records (README "Row counters" lists
// what durasim's counts cannot see), so that other differences show.
//
// Programs are generated here, in Node, so a difference prints the exact statement text and
// bindings to reduce into a fixed scenario. Needs dist/ (`npm run build`).
import { isDeepStrictEqual, parseArgs } from "node:util";
import { inside, normalize } from "./scenario.mjs";
import { runOnWorkerd } from "./workerd-runner.mjs";
import { runOnDurasim } from "./durasim-runner.mjs";
import { randomFrom } from "./scenarios/edges-api.mjs";

process.on("unhandledRejection", () => {});

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { steps: { type: "string", default: "60" }, batch: { type: "string", default: "25" }, "no-counters": { type: "boolean", default: false }, print: { type: "boolean", default: false } },
});
const first = Number(positionals[0] ?? 1);
const last = Number(positionals[1] ?? first);

/** The scenarios' seeded generator (randomFrom), here in Node: integers below n. */
function generator(seed) {
  const rand = new Function(`${randomFrom(seed | 0)}\n    return rand;`)();
  const pick = (a) => a[rand(a.length)];
  return { rand, pick };
}

const LITERALS = ["0", "1", "-1", "42", "9007199254740993", "9223372036854775807", "-9223372036854775808", "1.5", "-0.0", "1e308", "1e-320", "0.1",
  "'a'", "''", "'x''y'", "'1e3'", "' 12 '", "'0x10'", "'12abc'", "'é'", "x'00ff'", "x''", "NULL", "TRUE", "FALSE", "'[1,2,{\"a\":3}]'", "'{\"a\":[1,2],\"b\":null}'", "'2024-01-02 03:04:05'"];
const BINDINGS = ["1", "-0", "NaN", "Infinity", "-Infinity", "2 ** 53", "2 ** 53 + 2", "-(2 ** 53) - 2", "9007199254740993n", "1n", "-5n", "2n ** 63n", "2n ** 63n - 1n", "-(2n ** 63n)",
  "new Uint8Array([1, 2, 3])", "new Uint8Array([]).buffer", "new ArrayBuffer(4)", "new Int16Array([1, -1])", "new DataView(new ArrayBuffer(2))", "null", "true", "false",
  "'a\\u0000b'", "''", "'héllo'", "1.5", "0.1 + 0.2", "undefined", "({})", "[1]", "new Date(0)", "'\\ud800'", "'12'", "1e300 * 10", "Number.MIN_VALUE", "2 ** 63", "-(2 ** 63)"];
const TYPES = ["INTEGER", "TEXT", "REAL", "BLOB", "NUMERIC", "ANY", "INT", "VARCHAR(3)", "FLOATING", "", "BOOLEAN", "DATETIME"];
const STRICT_TYPES = ["INTEGER", "TEXT", "REAL", "BLOB", "ANY", "INT"];
const FUNCS1 = ["abs", "length", "upper", "lower", "trim", "hex", "quote", "typeof", "unicode", "sign", "sqrt", "ceil", "floor", "trunc", "ln", "exp", "json_quote", "json_valid", "json_type", "json", "json_array_length",
  "octet_length", "soundex", "unhex", "zeroblob", "char", "round", "ltrim", "rtrim", "likely", "unlikely", "radians", "degrees", "json_array", "jsonb", "instr", "log", "log2", "log10", "cos", "atan", "acos"];
const FUNCS2 = ["substr", "instr", "round", "nullif", "ifnull", "coalesce", "max", "min", "pow", "mod", "log", "json_extract", "->", "->>", "printf", "format", "replace", "json_array", "json_object", "like", "glob",
  "concat", "concat_ws", "atan2", "json_insert", "json_remove", "iif", "rtrim", "ltrim", "trim", "substring", "json_patch", "char", "strftime", "date", "datetime", "julianday", "unixepoch", "timediff"];
const AGGS = ["count", "sum", "total", "avg", "min", "max", "group_concat", "json_group_array", "string_agg", "json_group_object"];
const WINDOWS = ["row_number()", "rank()", "dense_rank()", "percent_rank()", "cume_dist()", "ntile(2)", "lag(X)", "lead(X, 2, 'd')", "first_value(X)", "last_value(X)", "nth_value(X, 2)", "sum(X)", "count(*)", "group_concat(X)"];

/** One seed's program: [[text, bindings (source text), cursor mode], ...]. */
function program(seed, steps) {
  const { rand, pick } = generator(seed);
  const tables = []; // { name, cols: [names], rowid: bool }
  let nParams = 0;
  const col = () => {
    if (tables.length === 0) return pick(LITERALS);
    const t = pick(tables);
    return pick(t.cols);
  };
  const param = () => {
    nParams++;
    return pick(["?", "?", "?", `?${1 + rand(3)}`, ":p", "@q", "$r"]);
  };
  const expr = (d = 0, c = col) => {
    const k = d > 2 ? rand(3) : rand(14);
    switch (k) {
      case 0: return pick(LITERALS);
      case 1: return c();
      case 2: return rand(4) === 0 ? param() : pick(LITERALS);
      case 3: return `${pick(FUNCS1)}(${expr(d + 1, c)})`;
      case 4: {
        const f = pick(FUNCS2);
        return f === "->" || f === "->>" ? `(${expr(d + 1, c)} ${f} ${pick(["'$.a'", "'a'", "0", "'$[1]'", "1"])})` : `${f}(${expr(d + 1, c)}, ${expr(d + 1, c)})`;
      }
      case 5: return `(${expr(d + 1, c)} ${pick(["+", "-", "*", "/", "%", "||", "<<", ">>", "&", "|", "=", "<", ">=", "<>", "IS", "IS NOT", "AND", "OR", "==", "LIKE", "GLOB"])} ${expr(d + 1, c)})`;
      case 6: return `CAST(${expr(d + 1, c)} AS ${pick(["INTEGER", "TEXT", "REAL", "BLOB", "NUMERIC", "INT", "FOO"])})`;
      case 7: return `CASE WHEN ${expr(d + 1, c)} THEN ${expr(d + 1, c)} ELSE ${expr(d + 1, c)} END`;
      case 8: return `(${expr(d + 1, c)} ${pick(["BETWEEN 0 AND 10", "IN (1, 'a', NULL)", "IS NULL", "NOTNULL", "COLLATE NOCASE", "NOT IN (SELECT 1)"])})`;
      case 9: return `${pick(["-", "~", "NOT ", "+"])}${expr(d + 1, c)}`;
      case 10: return tables.length ? `(SELECT ${pick(["count(*)", "max(rowid)", "group_concat(" + pick(pick(tables).cols) + ")"])} FROM ${pick(tables).name})` : "(SELECT 1)";
      case 11: return `printf('${pick(["%d", "%s", "%.3f", "%x", "%q", "%e", "%5.2s", "%c", "%!.20g", "%,d"])}', ${expr(d + 1, c)})`;
      case 12: return `${pick(["json_set", "json_replace", "json_insert"])}(${pick(["'{}'", "'[1,2]'", "'{\"a\":1}'"])}, ${pick(["'$.a'", "'$[#]'", "'$.b.c'", "'$[0]'"])}, ${expr(d + 1, c)})`;
      default: return `${pick(["coalesce", "max", "min", "ifnull"])}(${expr(d + 1, c)}, ${expr(d + 1, c)})`;
    }
  };
  const createTable = () => {
    const name = `t${tables.length}`;
    const strict = rand(3) === 0;
    const withoutRowid = rand(4) === 0;
    const n = 2 + rand(3);
    const cols = [];
    const defs = [];
    for (let i = 0; i < n; i++) {
      const cname = String.fromCharCode(97 + i);
      cols.push(cname);
      let def = `${cname} ${strict ? pick(STRICT_TYPES) : pick(TYPES)}`;
      if (i === 0 && (withoutRowid || rand(2) === 0)) def += " PRIMARY KEY";
      else if (i > 0) {
        const extra = rand(9);
        if (extra === 0) def += " UNIQUE";
        else if (extra === 1) def += ` CHECK (${cname} IS NULL OR length(${cname}) < ${1 + rand(8)})`;
        else if (extra === 2) def += ` NOT NULL`;
        else if (extra === 3) def += ` DEFAULT ${pick(LITERALS)}`;
        else if (extra === 4 && i === n - 1) def = `${cname} ${strict ? "ANY" : ""} GENERATED ALWAYS AS (${expr(2, () => pick(cols.slice(0, -1)))}) ${pick(["VIRTUAL", "STORED"])}`;
        else if (extra === 5 && tables.length) def += ` REFERENCES ${pick(tables).name}${rand(2) ? "(a)" : ""} ${pick(["", "ON DELETE CASCADE", "ON UPDATE SET NULL"])}`;
        else if (extra === 6) def += ` COLLATE ${pick(["NOCASE", "RTRIM", "BINARY", "NOPE"])}`;
      }
      defs.push(def);
    }
    if (withoutRowid && !defs[0].includes("PRIMARY KEY")) defs[0] += " PRIMARY KEY";
    if (rand(4) === 0) defs.push(`UNIQUE (${cols.slice(0, 2).join(", ")})`);
    const opts = [strict && "STRICT", withoutRowid && "WITHOUT ROWID"].filter(Boolean).join(", ");
    tables.push({ name, cols, rowid: !withoutRowid });
    return `CREATE TABLE ${rand(6) === 0 ? "IF NOT EXISTS " : ""}${name} (${defs.join(", ")})${opts ? " " + opts : ""}`;
  };
  const tbl = () => pick(tables);
  const colsOf = (t) => () => pick(t.cols);
  const returning = (t) => (rand(2) ? ` RETURNING ${pick(["*", t.cols[0], `${expr(1, colsOf(t))} AS r`, "rowid, *", `typeof(${pick(t.cols)}) AS ty`])}` : "");
  const insert = () => {
    const t = tbl();
    const cs = t.cols.slice(0, 1 + rand(t.cols.length));
    const row = () => `(${cs.map(() => (rand(3) === 0 ? param() : pick(LITERALS))).join(", ")})`;
    const rows = [row()];
    for (let i = rand(3); i > 0; i--) rows.push(row());
    const verb = pick(["INSERT", "INSERT", "INSERT OR REPLACE", "INSERT OR IGNORE", "REPLACE", "INSERT OR ABORT", "INSERT OR FAIL", "INSERT OR ROLLBACK"]);
    const src = rand(5) === 0 && tables.length > 1 ? ` SELECT ${cs.map(() => expr(2)).join(", ")} FROM ${tbl().name} WHERE true` : ` VALUES ${rows.join(", ")}`;
    const upsert = rand(3) === 0 ? ` ON CONFLICT${rand(2) ? ` (${t.cols[0]})` : ""} DO ${rand(2) ? "NOTHING" : `UPDATE SET ${pick(t.cols)} = ${pick(["excluded." + pick(t.cols), expr(2, colsOf(t))])}`}` : "";
    return `${verb} INTO ${t.name} (${cs.join(", ")})${src}${upsert}${returning(t)}`;
  };
  const update = () => {
    const t = tbl();
    return `UPDATE ${rand(5) === 0 ? "OR IGNORE " : ""}${t.name} SET ${pick(t.cols)} = ${expr(1, colsOf(t))}${rand(2) ? ` WHERE ${expr(1, colsOf(t))}` : ""}${returning(t)}`;
  };
  const del = () => {
    const t = tbl();
    return `DELETE FROM ${t.name}${rand(2) ? ` WHERE ${expr(1, colsOf(t))}` : ""}${returning(t)}`;
  };
  const select = () => {
    const k = rand(9);
    if (k === 0 || tables.length === 0) return `SELECT ${expr()} AS x${rand(2) ? `, ${expr()}` : ""}`;
    const t = tbl();
    const c = colsOf(t);
    if (k === 1) {
      const u = tbl();
      return `SELECT ${t.name}.${pick(t.cols)}, ${u.name === t.name ? "u" : u.name}.${pick(u.cols)} FROM ${t.name} ${pick(["JOIN", "LEFT JOIN", "CROSS JOIN", "RIGHT JOIN", "FULL JOIN", "NATURAL JOIN"])} ${u.name}${u.name === t.name ? " AS u" : ""}${rand(2) ? " ON 1" : " ON " + t.name + ".a = " + (u.name === t.name ? "u" : u.name) + ".a"} ORDER BY 1, 2 LIMIT 10`;
    }
    if (k === 2) return `SELECT ${pick(AGGS)}(${rand(4) === 0 ? "DISTINCT " : ""}${c()}${rand(3) === 0 ? ", '-'" : ""}) AS g, ${rand(2) ? c() : "count(*)"} FROM ${t.name}${rand(2) ? ` GROUP BY ${c()}` : ""}${rand(3) === 0 ? " HAVING count(*) > 0" : ""} ORDER BY 1, 2`;
    if (k === 3) return `SELECT ${c()}, ${pick(WINDOWS).replace("X", c())} OVER (${rand(2) ? `PARTITION BY ${c()} ` : ""}ORDER BY ${c()}, rowid${rand(2) ? " ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING" : ""}) AS w FROM ${t.name} ORDER BY 1, 2`;
    if (k === 4) return `WITH RECURSIVE r(n, s) AS (SELECT ${pick(["1", "?", "0.5", "'a'"])}, '' UNION ALL SELECT n + 1, s || n FROM r WHERE n < ${rand(12)}) SELECT ${rand(2) ? "*" : "count(*), max(s)"} FROM r`;
    if (k === 5) return `SELECT * FROM ${t.name} WHERE ${c()} IN (SELECT ${pick(tbl().cols)} FROM ${tbl().name}) OR EXISTS (SELECT 1 FROM ${tbl().name} WHERE ${expr(2)}) ORDER BY 1`;
    if (k === 6) return `SELECT ${pick(["key, value, type", "atom, path, fullkey", "*"])} FROM ${pick(["json_each", "json_tree"])}(${pick(["'[1,[2],{\"a\":3}]'", "'{\"x\":null,\"y\":1.5}'", "?", c()])}) ${rand(2) ? "" : `, ${t.name}`} LIMIT 8`;
    if (k === 7) return `SELECT ${expr(0, c)} AS x, ${expr(0, c)} AS y FROM ${t.name} ORDER BY ${rand(2) ? "x" : "rowid"}${rand(2) ? " LIMIT " + pick(["2", "?", "-1", "1 OFFSET 1"]) : ""}`;
    return `SELECT * FROM ${t.name} ${rand(2) ? "ORDER BY rowid" : "ORDER BY 1 DESC"}`;
  };
  const ddl = () => {
    const k = rand(7);
    const t = tbl();
    if (k === 0) return `CREATE ${rand(3) === 0 ? "UNIQUE " : ""}INDEX ${rand(3) ? "" : "IF NOT EXISTS "}i${rand(5)} ON ${t.name} (${pick(t.cols)}${rand(2) ? " DESC" : ""}${rand(3) === 0 ? `, ${expr(2, colsOf(t))}` : ""})${rand(3) === 0 ? ` WHERE ${pick(t.cols)} IS NOT NULL` : ""}`;
    if (k === 1) return `CREATE VIEW ${rand(3) ? "" : "IF NOT EXISTS "}v${rand(4)} AS SELECT ${pick(t.cols)} AS x, ${expr(2, colsOf(t))} AS y FROM ${t.name}`;
    if (k === 2) return `CREATE TRIGGER ${rand(3) ? "" : "IF NOT EXISTS "}g${rand(4)} ${pick(["AFTER", "BEFORE"])} ${pick(["INSERT", "DELETE", "UPDATE"])} ON ${t.name} BEGIN ${pick([`INSERT INTO ${tbl().name} (${tbl().cols[0]}) VALUES (${rand(100)})`, `SELECT RAISE(${pick(["ABORT", "IGNORE", "FAIL", "ROLLBACK"])}, 'nope') WHERE ${expr(2)}`, `UPDATE ${tbl().name} SET a = a`, `DELETE FROM ${tbl().name} WHERE rowid = 1`])}; END`;
    if (k === 3) return `ALTER TABLE ${t.name} ${pick([`ADD COLUMN z${rand(3)} ${pick(TYPES)}${rand(2) ? " DEFAULT 7" : ""}`, `RENAME COLUMN ${pick(t.cols)} TO ${pick(t.cols)}2`, `DROP COLUMN ${pick(t.cols)}`, `RENAME TO ${t.name}`])}`;
    if (k === 4) return `DROP ${pick(["TABLE", "VIEW", "INDEX", "TRIGGER"])} ${rand(2) ? "IF EXISTS " : ""}${pick([t.name, "v0", "i1", "g0", "nope"])}`;
    if (k === 5) return createTable();
    return pick(["PRAGMA foreign_keys", "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys = OFF", "PRAGMA defer_foreign_keys = 1", "PRAGMA foreign_key_check", `PRAGMA table_info(${t.name})`, `PRAGMA table_xinfo(${t.name})`,
      "PRAGMA index_list(" + t.name + ")", "PRAGMA user_version", "PRAGMA user_version = 3", "PRAGMA case_sensitive_like = 1", "PRAGMA recursive_triggers = 1", "PRAGMA reverse_unordered_selects", "PRAGMA journal_mode", "PRAGMA cache_size",
      "PRAGMA data_version", "PRAGMA schema_version", "PRAGMA application_id", "PRAGMA legacy_alter_table = 1", "PRAGMA ignore_check_constraints = 1", "PRAGMA quick_check", "PRAGMA synchronous", "PRAGMA temp_store", "PRAGMA count_changes",
      "PRAGMA table_list", "PRAGMA function_list", "PRAGMA hard_heap_limit", "PRAGMA analysis_limit = 5", "PRAGMA automatic_index", "PRAGMA busy_timeout", "PRAGMA cell_size_check", "PRAGMA writable_schema", "PRAGMA trusted_schema"]);
  };
  const oddText = () => pick(["", " ", ";", "-- only a comment", "/* c */", "SELECT 1; SELECT 2", "SELECT 1;;", "SELECT 1 -- trailing", "SELECT 1; -- c", "/* a */ SELECT 1 /* b */;", "SELECT 1; /* unterminated",
    "SELECT ?; SELECT ?", "SELECT 1; SELECT nope", "BEGIN", "COMMIT", "SAVEPOINT s", "RELEASE s", "ROLLBACK", "SELECT ?1, ?3", "SELECT :a, :a, ?", "SELECT ?0", "SELECT ?32767", "SELECT ?32768", "SELECT $a::b", "SELECT @", "SELECT 'unterminated",
    "SELECT \u0000", "SELECT 1 AS \"\"", "SELECT 1 AS \"a\"\"b\", 2 AS a, 3 AS A", "SELECT 1, 1", "SELECT * FROM (SELECT 1, 2)", "ATTACH ':memory:' AS x", "VACUUM", "ANALYZE", "SELECT sqlite_version() IS NOT NULL", "SELECT load_extension('x')",
    "SELECT changes(), total_changes(), last_insert_rowid()", "SELECT * FROM sqlite_master ORDER BY name", "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY 1", "SELECT typeof(?), quote(?)", "SELECT length(?), hex(?)"]);
  const out = [];
  out.push([createTable(), [], 0]);
  for (let i = 0; i < steps; i++) {
    nParams = 0;
    const k = rand(20);
    let text;
    if (k < 5) text = insert();
    else if (k < 7) text = update();
    else if (k < 8) text = del();
    else if (k < 14) text = select();
    else if (k < 17) text = ddl();
    else if (k < 18) text = oddText();
    else if (k < 19) text = "TXN";
    else text = `${select()}; ${pick([insert, update, select, ddl])()}`;
    let n = nParams + (rand(6) === 0 ? pick([-1, 1, 2]) : 0);
    if (/\?|:|@|\$/.test(text) && nParams === 0) n = rand(3);
    const args = [];
    for (let j = 0; j < Math.max(0, n); j++) args.push(rand(3) === 0 ? pick(BINDINGS) : pick(["1", "'a'", "2.5", "null", "7n", "'x'"]));
    if (text === "TXN") {
      const inner = [insert(), update(), select()].slice(0, 1 + rand(3));
      out.push(["TXN", inner, rand(3)]);
    } else out.push([text, args, rand(7)]);
  }
  return out;
}

/** The object's method body: runs the program and records each step. */
function body(prog) {
  const steps = prog.map(([text, args, mode]) =>
    text === "TXN"
      ? `out.push(outcomeSync(() => s.transactionSync(() => { const inner = []; for (const t of ${JSON.stringify(args)}) inner.push(run(t, [], 0)); ${mode === 0 ? "throw new Error('undo ' + JSON.stringify(inner));" : ""} return inner; })));`
      : `out.push(run(${JSON.stringify(text)}, () => [${args.join(", ")}], ${mode}));`,
  );
  return `    const sql = s.sql;
    const run = (text, args, mode) => {
      let c;
      const r = {};
      try {
        c = sql.exec(text, ...(typeof args === "function" ? args() : args));
        if (mode === 5) r.cols0 = c.columnNames;
        switch (mode) {
          case 1: r.rows = show(c.one()); break;
          case 2: r.rows = show(c.raw().toArray()); break;
          case 3: r.rows = show([c.next(), c.next(), c.next(), c.next()]); break;
          case 4: r.rows = show([...c.raw()]); break;
          case 5: r.rows = show([c.raw().next(), c.toArray(), c.next()]); break;
          default: r.rows = show(c.toArray());
        }
      } catch (e) { r.error = err(e); }
      if (c) { r.cols = c.columnNames; ${opt["no-counters"] ? "" : "r.read = c.rowsRead; r.written = c.rowsWritten;"} }
      return r;
    };
    const out = [];
${steps.join("\n")}
    const dump = {};
    for (const { name } of sql.exec("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '_cf%' AND name NOT LIKE 'sqlite%' ORDER BY name")) {
      dump[name] = outcomeSync(() => sql.exec("SELECT * FROM \\"" + name + "\\"").raw().toArray());
    }
    out.push(dump);
    return out;`;
}

function firstDiff(a, b, path = "$") {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDiff(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: workerd ${JSON.stringify(a)} | durasim ${JSON.stringify(b)}`;
}

const steps = Number(opt.steps);
const seeds = Array.from({ length: last - first + 1 }, (_, i) => first + i);
if (opt.print) {
  for (const seed of seeds) program(seed, steps).forEach((step, i) => console.log(`${seed} ${i} ${JSON.stringify(step)}`));
  process.exit(0);
}
let differing = 0;
for (let i = 0; i < seeds.length; i += Number(opt.batch)) {
  const batch = seeds.slice(i, i + Number(opt.batch)).map((seed) => ({ seed, prog: program(seed, steps) }));
  const scenarios = batch.map(({ seed, prog }) => normalize(inside(`fuzz-sql ${seed}`, "sqlite", body(prog), { timeoutMs: 30_000 })));
  const onWorkerd = await runOnWorkerd(scenarios);
  for (const [j, s] of scenarios.entries()) {
    const w = onWorkerd.get(s.name);
    const d = await runOnDurasim(s);
    if ("record" in w && "record" in d && isDeepStrictEqual(w.record, d.record)) continue;
    differing++;
    const { prog } = batch[j];
    if (!("record" in w) || !("record" in d)) {
      console.log(`DIFFER ${s.name}: ${w.failure ?? ""} | ${d.failure ?? ""}`);
      continue;
    }
    // Only the first differing step matters: later ones usually follow from it.
    const idx = w.record.findIndex((x, k) => !isDeepStrictEqual(x, d.record[k]));
    console.log(`DIFFER ${s.name} step ${idx}: ${JSON.stringify(prog[idx] ?? "dump")}`);
    console.log(`  ${firstDiff(w.record[idx], d.record[idx])}`);
  }
}
console.log(`fuzz-sql: seeds ${first}..${last}, ${differing} differ`);
