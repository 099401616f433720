import { Buffer } from "node:buffer";
import { dirname } from "node:path";
import type { Database, SqlValue } from "sql.js";
import { openDatabase } from "../../sqlite/engine.js";
import { removeInterruptedWrites, type Durability } from "../../storage/persist/durability.js";
import { DatabaseFile } from "../../storage/persist/database-file.js";
import { pageSizeOf } from "../../sqlite/file-header.js";
import { objectsKeepingMarks } from "../../sqlite/text-rows.js";

/**
 * A binding's SQLite database in wrangler dev's format (Miniflare's tables, in a file
 * DatabaseFile keeps with a WAL as workerd does). The binding's store is the source of truth
 * in memory; this only records it: every transaction opens the image, runs its statements
 * and appends the pages that changed, found by comparing the images before and after. That
 * costs O(database size) per write, which suits it: values and bodies live in blob files, the
 * database holds only keys and metadata. No sql.js database stays open between writes.
 */
export type Row = Record<string, SqlValue>;

export class PersistedDatabase {
  readonly #file: DatabaseFile;
  #image: Uint8Array;

  /** Opens (or creates) the database at `path`, running `schema` (idempotent DDL) on it. */
  constructor(path: string, durability: Durability, schema: string) {
    removeInterruptedWrites(dirname(path));
    this.#file = new DatabaseFile(path, durability);
    this.#image = this.#file.load() ?? new Uint8Array(0);
    this.transaction((db) => db.exec(schema));
  }

  /** Every row `sql` selects, as objects. */
  query(sql: string, params: SqlValue[] = []): Row[] {
    const db = openDatabase(this.#image);
    try {
      return objectsKeepingMarks(db.prepare(sql, params));
    } finally {
      db.close();
    }
  }

  /** Runs `write` in one transaction and makes its changes durable. */
  transaction(write: (db: Database) => void): void {
    const db = openDatabase(this.#image);
    let next: Uint8Array;
    try {
      db.exec("BEGIN");
      write(db);
      db.exec("COMMIT");
      next = db.export();
    } finally {
      db.close();
    }
    const pages = changedPages(this.#image, next);
    this.#file.commit(pages, next.byteLength / pageSizeOf(next));
    this.#image = next;
  }
}

/** The pages of `next` that differ from `previous` (all of them when there was none). */
function changedPages(previous: Uint8Array, next: Uint8Array): Map<number, Uint8Array> {
  const size = pageSizeOf(next);
  const pages = new Map<number, Uint8Array>();
  for (let offset = 0; offset < next.byteLength; offset += size) {
    const page = next.subarray(offset, offset + size);
    const before = previous.subarray(offset, offset + size);
    if (before.byteLength !== size || !Buffer.from(page).equals(before)) pages.set(offset / size + 1, page);
  }
  return pages;
}
