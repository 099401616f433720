import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import initSqlJs from "sql.js";
import type { Database, SqlJsStatic, Statement } from "sql.js";
import { FileWriteTap, type WriteSink } from "./file-writes.js";
import { byteOrderMarkKeeper } from "./byte-order-marks.js";
import { learnNativeLimits, type NativeLimits } from "./native-limits.js";
import { learnExtendedCodes, type ExtendedCodeReader } from "./extended-codes.js";
import { learnErrorOffsets, type ErrorOffsetReader } from "./error-offsets.js";
import { loadExtensionStandIn } from "./load-extension.js";
import type { SqliteWasm } from "./wasm-exports.js";
import { learnVdbeLayout, type VdbeLayout } from "./vdbe-layout.js";
import { lowerAscii } from "../util/ascii-case.js";
import { processShared } from "../util/process-shared.js";

/**
 * The SQLite engine: one sql.js module per process. Every database shares its WASM heap and
 * its table of ~4,093 file descriptors, which is why connections are pooled (connection-pool.ts).
 */

export interface SqlEngine {
  readonly sqlJs: SqlJsStatic;
  readonly wasm: SqliteWasm;
  /** The `sqlite3_stmt*` behind a sql.js Statement. */
  statementPointer(statement: Statement): number;
  /** The `sqlite3*` behind a sql.js Database. */
  databasePointer(database: Database): number;
  /** Names of every SQL function sql.js implements (lower case; not the load_extension() stand-in). */
  readonly functionNames: ReadonlySet<string>;
  /** The pages SQLite writes into each database's file (what persistence appends to disk). */
  readonly fileWrites: FileWriteTap;
  /** Where statements keep their program and counters (undefined: this build hides them). */
  readonly vdbe: VdbeLayout | undefined;
  /** Gives a connection the limits workerd sets that SQLite enforces itself (native-limits.ts). */
  readonly limits: NativeLimits;
  /** The extended result code of a connection's last failure, by its `sqlite3*` (extended-codes.ts). */
  readonly extendedCode: ExtendedCodeReader;
  /** The byte offset SQLite recorded for a connection's last failure to prepare, by its `sqlite3*` (error-offsets.ts). */
  readonly errorOffset: ErrorOffsetReader;
  /** What sql.js decoded from the UTF-8 text at `pointer`, with the byte-order mark it dropped (byte-order-marks.ts). */
  readonly keepByteOrderMark: (decoded: string, pointer: number) => string;
  /** Gives a database workerd's load_extension() (load-extension.ts), by its `sqlite3*`. */
  readonly addLoadExtension: (databasePointer: number) => void;
}

/**
 * The engine lives on globalThis under a registered symbol, as one per process: sql.js makes
 * one module per process (its `initSqlJs()` hands the first caller's module to every later
 * caller, ignoring their options), so a second copy of durasim in the process (its ESM and
 * CommonJS builds, say) must share the first copy's engine. Learning its own, it would get a
 * module whose imports its file-write tap never wrapped: no page writes for persistence, no
 * statement layout, and `cursor.rowsRead` would fall back to counting returned rows.
 */
interface EngineSlot {
  loading?: Promise<SqlJsStatic>;
  loaded?: SqlEngine;
}
const engine = processShared<EngineSlot>("sqlEngine", () => ({}));

/** Loads sql.js once per process; later calls return the same module. */
export function loadSqlEngine(): Promise<SqlJsStatic> {
  if (engine.loading === undefined) {
    const wasm = readFileSync(createRequire(import.meta.url).resolve("sql.js/dist/sql-wasm.wasm"));
    const fileWrites = new FileWriteTap(wasm);
    engine.loading = initSqlJs({
      // Without this sql.js registers extension-functions.c (median, stdev, replicate, ...),
      // which workerd does not have.
      useOldExtensionFunctions: false,
      instantiateWasm: fileWrites.instantiateWasm,
    } as Parameters<typeof initSqlJs>[0]).then((sqlJs) => {
      fileWrites.calibrate(sqlJs);
      engine.loaded = describeEngine(sqlJs, fileWrites);
      return sqlJs;
    });
  }
  return engine.loading;
}

/** Pending while the engine loads (starting the load if needed); undefined once it is loaded. */
export function sqlEngineReady(): Promise<void> | undefined {
  return engine.loaded === undefined ? loadSqlEngine().then(() => undefined) : undefined;
}

/** The loaded engine; SQLite-backed storage only exists after `loadSqlEngine()` resolved. */
export function getSqlEngine(): SqlEngine {
  const loaded = engine.loaded;
  if (loaded === undefined) {
    throw new Error("durasim internal: the SQLite engine is not loaded; await loadSqlEngine() first");
  }
  return loaded;
}

/**
 * Opens a database (empty, or from file bytes) with the connection settings workerd uses.
 * `watch` receives every page SQLite writes into its file from the start.
 */
export function openDatabase(bytes?: Uint8Array, watch?: WriteSink): Database {
  const database = new (getSqlEngine().sqlJs.Database)(bytes ?? null);
  if (watch !== undefined) getSqlEngine().fileWrites.watch(database, watch);
  getSqlEngine().addLoadExtension(getSqlEngine().databasePointer(database));
  // workerd builds SQLite with SQLITE_DEFAULT_FOREIGN_KEYS=1 and without
  // SQLITE_DEFAULT_RECURSIVE_TRIGGERS (sql.js has the opposite of both). A MEMORY journal
  // keeps ROLLBACK and savepoints working at a tenth of the cost of the default journal file,
  // and a small page cache lets thousands of databases share the 2 GiB heap.
  database.exec(
    "PRAGMA foreign_keys = ON; PRAGMA recursive_triggers = OFF; " +
      "PRAGMA journal_mode = MEMORY; PRAGMA cache_size = -256;",
  );
  // workerd's file has its header page from the start (switching it to WAL writes one), so
  // `databaseSize` of a new object is one page. Setting a header field writes it here too.
  // (WAL itself would also give `PRAGMA data_version` workerd's 2, but made opening objects
  // about a quarter slower in bench/sql.js.)
  if (bytes === undefined || bytes.length === 0) database.exec("PRAGMA user_version = 0");
  return database;
}

function describeEngine(sqlJs: SqlJsStatic, fileWrites: FileWriteTap): SqlEngine {
  const wasm = sqlJs as unknown as SqliteWasm;
  for (const name of [
    "_sqlite3_step", "_sqlite3_bind_double", "_sqlite3_bind_text", "_sqlite3_bind_blob",
    "_sqlite3_errmsg", "_sqlite3_changes", "_sqlite3_sql", "_sqlite3_column_text", "_sqlite3_column_name",
    "_sqlite3_column_type", "_sqlite3_column_blob", "_sqlite3_column_bytes", "_malloc", "_free", "UTF8ToString", "stringToNewUTF8", "writeArrayToMemory",
    "_sqlite3_create_function_v2", "_sqlite3_result_error", "addFunction",
  ] as const) {
    if (typeof wasm[name] !== "function") {
      throw new Error(`durasim internal: sql.js no longer exports ${name}; pin sql.js 1.16`);
    }
  }
  const scratch = new sqlJs.Database();
  try {
    const functionNames = new Set(
      (scratch.exec("SELECT DISTINCT name FROM pragma_function_list")[0]?.values ?? [])
        .map(([name]) => lowerAscii(String(name))),
    );
    const statementKey = constructorSlot(scratch.prepare("SELECT 1"));
    const statementPointer = (statement: Statement) => (statement as unknown as Record<string, number>)[statementKey]!;
    const databasePointer = (database: Database) => (database as unknown as { db: number }).db;
    return {
      sqlJs,
      wasm,
      functionNames,
      fileWrites,
      vdbe: learnVdbeLayout(sqlJs, fileWrites.memory, statementPointer),
      limits: learnNativeLimits(sqlJs, fileWrites.memory, databasePointer),
      extendedCode: learnExtendedCodes(sqlJs, fileWrites.memory, databasePointer),
      errorOffset: learnErrorOffsets(sqlJs, fileWrites.memory, databasePointer),
      keepByteOrderMark: byteOrderMarkKeeper(fileWrites.memory),
      addLoadExtension: loadExtensionStandIn(wasm),
      statementPointer,
      databasePointer,
    };
  } finally {
    scratch.close();
  }
}

/**
 * sql.js is minified, so the field holding a Statement's `sqlite3_stmt*` has a mangled name.
 * Its constructor stores that pointer from its first argument: build a throwaway instance with
 * a sentinel and see where it lands.
 */
function constructorSlot(sample: Statement): string {
  const sentinel = 0x7ead_beef;
  const Ctor = sample.constructor as new (pointer: number, database: unknown) => object;
  sample.free();
  const probe = new Ctor(sentinel, null) as Record<string, unknown>;
  const key = Object.keys(probe).find((k) => probe[k] === sentinel);
  if (key === undefined) throw new Error("durasim internal: cannot locate sql.js statement pointer");
  return key;
}
