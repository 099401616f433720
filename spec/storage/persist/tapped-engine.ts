import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Database, SqlJsStatic } from "sql.js";
import { DirtyPages } from "../../../lib/sqlite/dirty-pages.js";
import { FileWriteTap } from "../../../lib/sqlite/file-writes.js";
import { pageCountOf } from "../../../lib/sqlite/file-header.js";

/**
 * A sql.js module of its own, loaded with the file-write tap, so these tests drive the engine
 * exactly as persistence does without touching the process-wide engine.
 */
export async function tappedSqlJs(): Promise<{ sqlJs: SqlJsStatic; tap: FileWriteTap }> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("sql.js");
  delete require.cache[entry];
  const initSqlJs = require(entry) as (config: object) => Promise<SqlJsStatic>;
  const tap = new FileWriteTap(readFileSync(require.resolve("sql.js/dist/sql-wasm.wasm")));
  const sqlJs = await initSqlJs({ useOldExtensionFunctions: false, instantiateWasm: tap.instantiateWasm });
  tap.calibrate(sqlJs);
  return { sqlJs, tap };
}

/** A database whose commits are collected as dirty pages, the way a persisted object runs. */
export function watchedDatabase(sqlJs: SqlJsStatic, tap: FileWriteTap, bytes?: Uint8Array) {
  const database: Database = new sqlJs.Database(bytes ?? null);
  database.exec("PRAGMA journal_mode = MEMORY; PRAGMA cache_size = -64");
  const dirty = new DirtyPages(4096);
  tap.watch(database, dirty.sink);
  if (bytes === undefined) database.exec("PRAGMA user_version = 0");
  /** Runs `sql` in one transaction and returns what it wrote. */
  const transaction = (sql: string) => {
    database.exec(`BEGIN; ${sql}; COMMIT`);
    return committed();
  };
  const committed = () => {
    const pageCount = database.exec("PRAGMA page_count")[0]!.values[0]![0] as number;
    const pages = dirty.take(pageCount);
    const page1 = pages.get(1);
    if (page1 !== undefined && pageCountOf(page1) !== pageCount) throw new Error("header page count disagrees");
    return { pages, pageCount };
  };
  return { database, transaction, committed };
}
