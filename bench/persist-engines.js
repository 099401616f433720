// `node bench/persist-engines.js [bigMiB]`: the measurement behind the choice of engine for
// persisted SQLite databases (README, "Persistence and wrangler dev"). For each candidate it
// fills a `_cf_KV`-shaped table to 1 MiB and to `bigMiB` (default 100), then times commits of
// one small upsert each: a commit must cost O(change), so the big figure should stay within 2x
// of the small one. Candidates that are not installed are skipped with the command that adds
// them (they are not dependencies): `npm i --no-save node-sqlite3-wasm better-sqlite3@12
// @sqlite.org/sqlite-wasm@3.54.1-build1`. Needs `npm run build` first. Not part of
// `npm run bench`: it writes a few hundred MiB and takes a minute or two.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DirtyPages } from "../dist/sqlite/dirty-pages.js";
import { FileWriteTap } from "../dist/sqlite/file-writes.js";
import { DatabaseFile } from "../dist/storage/persist/database-file.js";
import { median } from "./harness.js";

const require = createRequire(import.meta.url);
const BIG_MIB = Number(process.argv[2] ?? 100);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 40);
const ROW_BYTES = 250;
const work = mkdtempSync(join(tmpdir(), "durasim-engines-"));

const FILL = (rows) =>
  "CREATE TABLE IF NOT EXISTS _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID; BEGIN; " +
  `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${rows}) ` +
  "INSERT INTO _cf_KV SELECT printf('key%08d', i), randomblob(200) FROM c; COMMIT";
const UPSERT = "INSERT INTO _cf_KV VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value";
const randomKey = (rows) => `key${String(1 + Math.floor(Math.random() * rows)).padStart(8, "0")}`;

/** Median ms of one commit of one upsert, after filling to `mib`. */
async function measure(candidate, mib) {
  const rows = Math.round((mib * 2 ** 20) / ROW_BYTES);
  const path = join(work, `${candidate.name.replace(/\W+/g, "_")}-${mib}.sqlite`);
  const db = await candidate.open(path);
  db.fill(rows);
  const times = [];
  for (let i = 0; i < COMMITS; i++) {
    const start = performance.now();
    db.commitOne(randomKey(rows), new Uint8Array(100));
    times.push(performance.now() - start);
  }
  db.close();
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
  return median(times);
}

function sqlJsCandidates() {
  const entry = require.resolve("sql.js");
  delete require.cache[entry];
  const initSqlJs = require(entry);
  const tap = new FileWriteTap(readFileSync(require.resolve("sql.js/dist/sql-wasm.wasm")));
  const ready = initSqlJs({ useOldExtensionFunctions: false, instantiateWasm: tap.instantiateWasm }).then((sqlJs) => {
    tap.calibrate(sqlJs);
    return sqlJs;
  });
  const openSqlJs = async () => {
    const sqlJs = await ready;
    const database = new sqlJs.Database();
    database.exec("PRAGMA journal_mode = MEMORY; PRAGMA cache_size = -256; PRAGMA user_version = 0");
    return database;
  };
  const pageCount = (database) => database.exec("PRAGMA page_count")[0].values[0][0];
  const tapped = (fsync) => ({
    name: `sql.js + page tap -> SQLite WAL (durasim), fsync ${fsync ? "on" : "off"}`,
    async open(path) {
      const database = await openSqlJs();
      const dirty = new DirtyPages(4096);
      tap.watch(database, dirty.sink);
      const file = new DatabaseFile(path, { fsync });
      file.load();
      const commit = () => file.commit(dirty.take(pageCount(database)), pageCount(database));
      return {
        fill(rows) {
          database.exec(FILL(rows));
          commit();
        },
        commitOne(key, value) {
          database.exec("BEGIN");
          database.run(UPSERT, [key, value]);
          database.exec("COMMIT");
          commit();
        },
        close: () => database.close(),
      };
    },
  });
  return [
    {
      name: "sql.js + export() of the whole file per commit",
      async open(path) {
        const database = await openSqlJs();
        return {
          fill: (rows) => database.exec(FILL(rows)),
          commitOne(key, value) {
            database.run(UPSERT, [key, value]);
            writeFileSync(path, database.export());
          },
          close: () => database.close(),
        };
      },
    },
    tapped(true),
    tapped(false),
  ];
}

/** A candidate with a real file VFS, driven through `exec(sql)` and `run(sql, params)`. */
function fileEngine(name, load, connect) {
  return {
    name,
    async open(path) {
      const engine = await load();
      const db = connect(engine, path);
      db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
      return {
        fill: (rows) => db.exec(FILL(rows)),
        commitOne(key, value) {
          db.exec("BEGIN");
          db.run(UPSERT, [key, value]);
          db.exec("COMMIT");
        },
        close: () => db.close(),
      };
    },
  };
}

const candidates = [
  ...sqlJsCandidates(),
  fileEngine(
    "node-sqlite3-wasm (file VFS; no WAL, so its rollback journal)",
    () => import("node-sqlite3-wasm"),
    ({ default: { Database } }, path) => {
      const d = new Database(path);
      return { exec: (sql) => d.exec(sql), run: (sql, params) => d.run(sql, params), close: () => d.close() };
    },
  ),
  fileEngine(
    "better-sqlite3, WAL (native addon)",
    () => import("better-sqlite3"),
    ({ default: Database }, path) => {
      const d = new Database(path);
      return { exec: (sql) => d.exec(sql), run: (sql, params) => d.prepare(sql).run(...params), close: () => d.close() };
    },
  ),
  fileEngine(
    "node:sqlite, WAL (Node >= 22.13)",
    () => import("node:sqlite"),
    ({ DatabaseSync }, path) => {
      const d = new DatabaseSync(path);
      return { exec: (sql) => d.exec(sql), run: (sql, params) => d.prepare(sql).run(...params), close: () => d.close() };
    },
  ),
];

/** @sqlite.org/sqlite-wasm has no Node file VFS: its "unix" VFS writes Emscripten's in-memory FS. */
async function sqliteWasmHasNodeFiles() {
  let sqlite3;
  try {
    sqlite3 = await (await import("@sqlite.org/sqlite-wasm")).default();
  } catch {
    return "not installed";
  }
  // An absolute path fails to open; a relative one opens, in Emscripten's in-memory FS.
  const name = `durasim-sqlite-wasm-probe-${process.pid}.sqlite`;
  const db = new sqlite3.oo1.DB(name, "c");
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  db.close();
  try {
    rmSync(name);
    return "writes real files";
  } catch {
    return "no Node file VFS: its databases live in Emscripten's in-memory file system, nothing reaches the disk";
  }
}

console.log(`\n### Commit of one small write (node ${process.version}; median of ${COMMITS} commits)\n`);
console.log(`| engine | 1 MiB | ${BIG_MIB} MiB | ratio |`);
console.log("|---|---|---|---|");
for (const candidate of candidates) {
  let small;
  let big;
  try {
    small = await measure(candidate, 1);
    big = await measure(candidate, BIG_MIB);
  } catch (error) {
    const why = error.code === "ERR_MODULE_NOT_FOUND" || error.code === "ERR_UNKNOWN_BUILTIN_MODULE" ? "not available" : error.message.split("\n")[0];
    console.log(`| ${candidate.name} | ${why} | | |`);
    continue;
  }
  console.log(`| ${candidate.name} | ${small.toFixed(3)} ms | ${big.toFixed(3)} ms | ${(big / small).toFixed(2)}x |`);
}
console.log(`\n@sqlite.org/sqlite-wasm in Node: ${await sqliteWasmHasNodeFiles()}`);
rmSync(work, { recursive: true, force: true });
