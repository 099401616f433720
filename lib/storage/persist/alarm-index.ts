import { SqliteConnection } from "../../sqlite/connection.js";
import { objectsKeepingMarks } from "../../sqlite/text-rows.js";
import { DatabaseFile } from "./database-file.js";
import type { Durability } from "./durability.js";

/**
 * A namespace's alarm index, `metadata.sqlite`, in workerd's schema: which objects have an
 * alarm, when, and the name each was reached by (workerd's alarm scheduler reads it at start-up,
 * fires what is due and gives `alarm()` its `ctx.id.name` back). durasim reads it when an
 * emulator opens a directory, so persisted alarms fire without opening every object, and keeps
 * it up to date so `wrangler dev` fires durasim's alarms too.
 */

const CREATE = "CREATE TABLE IF NOT EXISTS _cf_ALARM (actor_id TEXT PRIMARY KEY, scheduled_time INTEGER, actor_name TEXT) WITHOUT ROWID";

export interface ScheduledAlarm {
  id: string;
  /** Epoch milliseconds. */
  time: number;
  name: string | undefined;
}

export class AlarmIndex {
  readonly #connection: SqliteConnection;

  constructor(path: string, durability: Durability) {
    this.#connection = new SqliteConnection(undefined, new DatabaseFile(path, durability));
  }

  /** Every indexed alarm, by object id. */
  entries(): ScheduledAlarm[] {
    const database = this.#connection.database();
    const exists = database.exec("SELECT 1 FROM sqlite_master WHERE name = '_cf_ALARM'").length > 0;
    if (!exists) return [];
    // Integer division keeps nanoseconds past 2^53 exact until they are milliseconds.
    const rows = objectsKeepingMarks(database.prepare("SELECT actor_id AS id, scheduled_time / 1000000 AS time, actor_name AS name FROM _cf_ALARM"));
    return rows.map(({ id, time, name }) => ({ id: String(id), time: Number(time), name: typeof name === "string" ? name : undefined }));
  }

  scheduled(id: string, time: number, name: string | undefined): void {
    this.#write(
      "INSERT INTO _cf_ALARM VALUES (?, CAST(? AS INTEGER) * 1000000, ?) " +
        "ON CONFLICT DO UPDATE SET scheduled_time = excluded.scheduled_time, actor_name = excluded.actor_name",
      [id, time, name ?? null],
    );
  }

  cleared(id: string): void {
    this.#write("DELETE FROM _cf_ALARM WHERE actor_id = ?", [id]);
  }

  close(): void {
    this.#connection.close();
  }

  #write(sql: string, values: (string | number | null)[]): void {
    const database = this.#connection.database();
    database.exec(`BEGIN; ${CREATE}`);
    try {
      database.run(sql, values);
      database.exec("COMMIT");
    } catch (error) {
      database.exec("ROLLBACK");
      throw error;
    }
    this.#connection.persist();
  }
}
