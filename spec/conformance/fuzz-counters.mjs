#!/usr/bin/env node
// Off-CI differential check of `cursor.rowsRead` / `rowsWritten` alone: each seed is a list of
// random statements over one fixed schema (tables with and without indexes, one WITHOUT ROWID,
// one empty, NULLs in indexed columns), each run on its own and rolled back, so every statement
// sees the same data. Prints the statements whose counts differ from workerd's and the
// agreement rate (statements whose [rows, rowsRead, rowsWritten] or error agree).
//
//   node spec/conformance/fuzz-counters.mjs FIRST_SEED [LAST_SEED] [--statements N] [--show N]
//   node spec/conformance/fuzz-counters.mjs --file FILE    (its statements, one a line, as one list;
//                                                         prints the agreeing ones too)
//
// Needs dist/ (`npm run build`). README "Row counters" lists the forms known to differ.
import { readFileSync } from "node:fs";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { inside, normalize } from "./scenario.mjs";
import { runOnWorkerd } from "./workerd-runner.mjs";
import { runOnDurasim } from "./durasim-runner.mjs";
import { randomFrom } from "./scenarios/edges-api.mjs";

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { statements: { type: "string", default: "40" }, show: { type: "string", default: "40" }, file: { type: "string" } },
});
const first = Number(positionals[0] ?? 1);
const last = Number(positionals[1] ?? first);

const SCHEMA = `CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c REAL);
CREATE INDEX t_a ON t (a);
CREATE INDEX t_bc ON t (b, c);
CREATE TABLE u (id INTEGER PRIMARY KEY, g INTEGER, x TEXT);
CREATE UNIQUE INDEX u_x ON u (x);
CREATE TABLE w (k TEXT PRIMARY KEY, v INTEGER, n) WITHOUT ROWID;
CREATE INDEX w_v ON w (v);
CREATE TABLE e (id INTEGER PRIMARY KEY, a INTEGER);
CREATE INDEX e_a ON e (a);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 30)
  INSERT INTO t SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE i % 6 END, 'b' || (i % 4), i / 3.0 FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 12)
  INSERT INTO u SELECT i, CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 END, 'x' || i FROM r;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 15)
  INSERT INTO w SELECT 'k' || i, i % 4, CASE WHEN i % 3 = 0 THEN NULL ELSE i END FROM r;`;

/** Each table: its name and its columns by role (key, indexed, plain). */
const TABLES = [
  { name: "t", key: "id", indexed: ["a", "b"], plain: ["c"] },
  { name: "u", key: "id", indexed: ["x"], plain: ["g"] },
  { name: "w", key: "k", indexed: ["v"], plain: ["n"] },
  { name: "e", key: "id", indexed: ["a"], plain: [] },
];

function generator(seed) {
  const rand = new Function(`${randomFrom(seed | 0)}\n    return rand;`)();
  const pick = (a) => a[rand(a.length)];
  return { rand, pick };
}

function statements(seed, count) {
  const { rand, pick } = generator(seed);
  const columns = (t) => [t.key, ...t.indexed, ...t.plain];
  const value = (t, c) =>
    c === "k" ? pick(["'k1'", "'k9'", "'k99'", "NULL"]) : c === "b" ? pick(["'b1'", "'b3'", "'zz'"]) : c === "x" ? pick(["'x2'", "'x7'", "'x50'"]) : pick(["0", "1", "3", "5", "29", "40", "NULL", "2.5"]);
  const cmp = (t, alias = "") => {
    const c = pick(columns(t));
    const col = alias ? `${alias}.${c}` : c;
    switch (rand(8)) {
      case 0: return `${col} = ${value(t, c)}`;
      case 1: return `${col} ${pick(["<", ">", "<=", ">="])} ${value(t, c)}`;
      case 2: return `${col} BETWEEN ${value(t, c)} AND ${value(t, c)}`;
      case 3: return `${col} IN (${value(t, c)}, ${value(t, c)}${rand(2) ? `, ${value(t, c)}` : ""})`;
      case 4: return `${col} IS ${rand(2) ? "NOT " : ""}NULL`;
      case 5: {
        const s = pick(TABLES);
        return `${col} ${rand(2) ? "NOT " : ""}IN (SELECT ${pick(columns(s))} FROM ${s.name}${rand(2) ? ` WHERE ${cmp(s)}` : ""})`;
      }
      case 6: {
        const s = pick(TABLES);
        return `${rand(2) ? "NOT " : ""}EXISTS (SELECT 1 FROM ${s.name} s WHERE s.${pick(columns(s))} = ${col})`;
      }
      default: return `${cmp(t, alias)} ${pick(["AND", "OR"])} ${cmp(t, alias)}`;
    }
  };
  const where = (t, alias) => (rand(3) === 0 ? "" : ` WHERE ${cmp(t, alias)}`);
  const tail = (t) => `${rand(2) ? ` ORDER BY ${pick(columns(t))}${rand(2) ? " DESC" : ""}` : ""}${rand(3) === 0 ? ` LIMIT ${pick(["1", "3", "10"])}${rand(3) === 0 ? " OFFSET 2" : ""}` : ""}`;
  const select = () => {
    const t = pick(TABLES);
    switch (rand(10)) {
      case 0: case 1: return `SELECT * FROM ${t.name}${where(t)}${tail(t)}`;
      case 2: return `SELECT ${pick(["count(*)", `sum(${pick(columns(t))})`, `max(${pick(columns(t))})`, `count(DISTINCT ${pick(columns(t))})`])} FROM ${t.name}${where(t)}`;
      case 3: {
        const g = pick(columns(t));
        return `SELECT ${g}, count(*) FROM ${t.name}${where(t)} GROUP BY ${g}${rand(2) ? " HAVING count(*) > 1" : ""}${tail(t)}`;
      }
      case 4: {
        const s = pick(TABLES);
        const join = pick(["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN"]);
        const on = join === "CROSS JOIN" ? "" : ` ON ${rand(3) === 0 ? "1" : `p.${pick(columns(t))} = q.${pick(columns(s))}`}`;
        return `SELECT p.${t.key}, q.${s.key} FROM ${t.name} p ${join} ${s.name} q${on}${where(t, "p")}${rand(2) ? ` ORDER BY 1, 2` : ""}${rand(2) ? " LIMIT 5" : ""}`;
      }
      case 5: return `SELECT DISTINCT ${pick(columns(t))} FROM ${t.name}${where(t)}${tail(t)}`;
      case 6: {
        const s = pick(TABLES);
        return `SELECT ${t.key} FROM ${t.name}${where(t)} ${pick(["UNION", "UNION ALL", "EXCEPT", "INTERSECT"])} SELECT ${s.key} FROM ${s.name}${where(s)}`;
      }
      case 7: return `SELECT ${pick(columns(t))}, ${pick(["row_number()", "rank()", "sum(" + pick(columns(t)) + ")", "lag(" + pick(columns(t)) + ")", "count(*)"])} OVER (${rand(2) ? `PARTITION BY ${pick(columns(t))} ` : ""}ORDER BY ${pick(columns(t))}) FROM ${t.name}${where(t)}${tail(t)}`;
      case 8: return `WITH RECURSIVE r(n) AS (SELECT ${pick(["1", "0", "5"])} UNION ALL SELECT n + 1 FROM r WHERE n < ${rand(8)}) SELECT ${rand(2) ? "*" : "count(*)"} FROM r${rand(2) ? ` JOIN ${t.name} ON ${t.name}.${t.key} = r.n` : ""}`;
      default: {
        const s = pick(TABLES);
        return `SELECT ${t.key}, (SELECT ${pick(["count(*)", "max(" + pick(columns(s)) + ")"])} FROM ${s.name} s WHERE s.${pick(columns(s))} = ${t.name}.${pick(columns(t))}) FROM ${t.name}${where(t)}${tail(t)}`;
      }
    }
  };
  const write = () => {
    const t = pick(TABLES);
    const c = pick([...t.indexed, ...t.plain]);
    switch (rand(5)) {
      case 0: return `UPDATE ${t.name} SET ${c} = ${value(t, c)}${where(t)}`;
      case 1: return `DELETE FROM ${t.name}${where(t)}`;
      case 2: {
        const s = pick(TABLES);
        return `INSERT ${pick(["", "OR IGNORE ", "OR REPLACE "])}INTO ${t.name} (${columns(t).slice(0, 2).join(", ")}) SELECT ${t.key === "k" ? "'n' || " : "100 + "}${s.key === "k" ? "v" : s.key}, ${s.indexed[0]} FROM ${s.name}${where(s)}`;
      }
      case 3: return `CREATE ${rand(3) === 0 ? "UNIQUE " : ""}INDEX i ON ${t.name} (${c}${rand(2) ? " DESC" : ""})${rand(3) === 0 ? ` WHERE ${c} IS NOT NULL` : ""}`;
      default: return pick(["ANALYZE", `ANALYZE ${t.name}`, `REINDEX ${t.name}`, `DROP INDEX ${t.name === "w" ? "w_v" : t.name === "u" ? "u_x" : `${t.name}_a`}`]);
    }
  };
  return Array.from({ length: count }, () => (rand(3) === 0 ? write() : select()));
}

/** The object's method: the schema once, then each statement in a transaction it rolls back. */
function body(list) {
  return `    const sql = s.sql;
    sql.exec(${JSON.stringify(SCHEMA)});
    const out = [];
    for (const text of ${JSON.stringify(list)}) {
      let r;
      try {
        s.transactionSync(() => {
          const c = sql.exec(text);
          const n = c.toArray().length;
          r = [n, c.rowsRead, c.rowsWritten];
          throw new Error("undo");
        });
      } catch (e) { if (r === undefined) r = String(e.message); }
      out.push(r);
    }
    return out;`;
}

const seeds = Array.from({ length: last - first + 1 }, (_, i) => first + i);
const lists =
  opt.file === undefined
    ? new Map(seeds.map((seed) => [`fuzz-counters ${seed}`, statements(seed, Number(opt.statements))]))
    : new Map([[`fuzz-counters ${opt.file}`, readFileSync(opt.file, "utf8").split("\n").filter((line) => line.trim() !== "")]]);
const scenarios = [...lists].map(([name, list]) => normalize(inside(name, "sqlite", body(list), { timeoutMs: 30_000 })));
const onWorkerd = await runOnWorkerd(scenarios);
let total = 0;
let agreeing = 0;
let shown = 0;
for (const s of scenarios) {
  const w = onWorkerd.get(s.name);
  const d = await runOnDurasim(s);
  const list = lists.get(s.name);
  if (!("record" in w) || !("record" in d)) {
    console.log(`FAILED ${s.name}: ${w.failure ?? ""} | ${d.failure ?? ""}`);
    continue;
  }
  list.forEach((text, i) => {
    total++;
    if (isDeepStrictEqual(w.record[i], d.record[i])) {
      agreeing++;
      if (opt.file !== undefined) console.log(`agree  ${JSON.stringify(text)}: ${JSON.stringify(w.record[i])}`);
    }    else if (shown++ < Number(opt.show)) console.log(`DIFFER ${JSON.stringify(text)}: workerd ${JSON.stringify(w.record[i])} | durasim ${JSON.stringify(d.record[i])}`);
  });
}
console.log(`fuzz-counters: ${opt.file ?? `seeds ${first}..${last}`}, ${agreeing}/${total} statements agree (${((100 * agreeing) / Math.max(total, 1)).toFixed(1)} %)`);
