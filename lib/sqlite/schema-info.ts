import type { Database } from "sql.js";
import type { SchemaLookup } from "./authorizer.js";
import { rowsKeepingMarks } from "./text-rows.js";
import { lowerAscii } from "../util/ascii-case.js";

/**
 * Facts about the schema that the SQL layer needs (views and triggers for the authorizer), read
 * with trusted internal queries and cached until the schema may have changed. `generation`
 * counts those invalidations: whatever else is cached on the strength of the schema (the
 * statement cache) is valid for one generation only.
 */
export class SchemaInfo implements SchemaLookup {
  #database: () => Database;
  #schemaVersion: () => number;
  #generation = 0;
  /** `PRAGMA schema_version` when DDL last ran in this generation; undefined before. */
  #version: number | undefined;
  #views: Map<string, string> | undefined;
  #triggers: Map<string, string[]> | undefined;

  constructor(database: () => Database, schemaVersion: () => number) {
    this.#database = database;
    this.#schemaVersion = schemaVersion;
  }

  get generation(): number {
    return this.#generation;
  }

  /** Call after a rollback, or when the database is replaced or reopened. */
  invalidate(): void {
    this.#generation++;
    this.#version = undefined;
    this.#views = undefined;
    this.#triggers = undefined;
  }

  /**
   * Call after DDL ran: invalidates unless SQLite's schema cookie shows nothing changed (as for
   * `CREATE TABLE IF NOT EXISTS` on a table that exists), which keeps the statement cache warm
   * for code that runs its DDL on every request.
   */
  afterDdl(): void {
    const version = this.#schemaVersion();
    if (version !== this.#version) this.invalidate();
    this.#version = version;
  }

  viewSql(name: string): string | undefined {
    this.#views ??= new Map(
      this.#rows("SELECT name, sql FROM sqlite_master WHERE type = 'view'").map(([view, sql]) => [
        lowerAscii(String(view)),
        String(sql),
      ]),
    );
    return this.#views.get(lowerAscii(name));
  }

  triggerSql(table: string): readonly string[] {
    if (this.#triggers === undefined) {
      this.#triggers = new Map();
      // Newest first, as SQLite keeps a table's triggers (each one created or loaded, in rowid
      // order, goes to the front of its list) and codes them: the first refused sets the error.
      for (const [on, sql] of this.#rows("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid DESC")) {
        const key = lowerAscii(String(on));
        this.#triggers.set(key, [...(this.#triggers.get(key) ?? []), String(sql)]);
      }
    }
    return this.#triggers.get(lowerAscii(table)) ?? [];
  }

  /** Asked only for a `DROP ... IF EXISTS` of a protected name, so not cached. */
  hasObject(type: string, name: string): boolean {
    return this.#rows("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ? COLLATE NOCASE", [type, name]).length > 0;
  }

  /** Columns of table `name` (0 when there is none); asked only by ALTER TABLE ... ADD. */
  columnCount(name: string): number {
    return Number(this.#rows("SELECT count(*) FROM pragma_table_xinfo(?)", [name])[0]?.[0] ?? 0);
  }

  /** Asked only when a NATURAL join brings in a protected table, so not cached. */
  tableColumns(name: string): readonly string[] {
    return this.#rows("SELECT name FROM pragma_table_xinfo(?) WHERE hidden != 1", [name]).map(([column]) => String(column));
  }

  selectColumns(select: string): readonly string[] {
    return this.#resultColumnNames(select) ?? [];
  }

  resultColumns(select: string): number | undefined {
    return this.#resultColumnNames(select)?.length;
  }

  /** The result columns of `select` prepared on its own; undefined when it cannot be. */
  #resultColumnNames(select: string): string[] | undefined {
    let statement;
    try {
      statement = this.#database().prepare(select);
    } catch {
      return undefined;
    }
    try {
      return statement.getColumnNames();
    } finally {
      statement.free();
    }
  }

  /**
   * The names read here are the user's, and SQLite tells "\uFEFFv" from "v", so they are read
   * as stored: sql.js's exec() drops a leading mark, and then view "\uFEFFv" passed for "v" (its
   * own reads of _cf_KV went unchecked, table v's were refused), a trigger on table "\uFEFFt" was
   * not found, nor primary-key column "\uFEFFk".
   */
  #rows(sql: string, params: string[] = []): unknown[][] {
    return rowsKeepingMarks(this.#database().prepare(sql, params));
  }
}
