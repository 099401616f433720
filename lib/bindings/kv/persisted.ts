import type { Durability } from "../../storage/persist/durability.js";
import type { BlobFiles } from "../shared/blob-files.js";
import { MemoryStore, type OrderedStore, type StoreSnapshot } from "../shared/ordered-store.js";
import { PersistedDatabase } from "../shared/persisted-database.js";
import type { KvEntry } from "./entry.js";

/**
 * A KV namespace on disk, in wrangler dev's format (Miniflare 4's): a row per key in
 * `_mf_entries` (blob id, expiration in milliseconds, metadata JSON) and the value in a blob
 * file. Keys and metadata are mirrored in memory; values are read from their blob on demand.
 * Every write is on disk before it returns. A replaced value's blob goes unless a snapshot may
 * name it (see BlobFiles).
 */
const SCHEMA = `CREATE TABLE IF NOT EXISTS _mf_entries (
  key TEXT PRIMARY KEY,
  blob_id TEXT NOT NULL,
  expiration INTEGER,
  metadata TEXT
);
CREATE INDEX IF NOT EXISTS _mf_entries_expiration_idx ON _mf_entries(expiration);`;

interface PersistedEntry extends KvEntry {
  readonly blobId: string;
}

export class PersistedKvData implements OrderedStore<KvEntry> {
  readonly #memory = new MemoryStore<PersistedEntry>();
  readonly #database: PersistedDatabase;
  readonly #blobs: BlobFiles;
  readonly #now: () => number;

  constructor(databasePath: string, blobs: BlobFiles, durability: Durability, now: () => number) {
    this.#database = new PersistedDatabase(databasePath, durability, SCHEMA);
    this.#blobs = blobs;
    this.#now = now;
    for (const row of this.#database.query("SELECT key, blob_id, expiration, metadata FROM _mf_entries")) {
      const expiration = row.expiration === null ? undefined : Math.floor(Number(row.expiration) / 1000);
      const metadata = row.metadata === null ? undefined : String(row.metadata);
      this.#memory.set(String(row.key), this.#entry(String(row.blob_id), expiration, metadata));
    }
  }

  get(key: string): KvEntry | undefined {
    return this.#memory.get(key);
  }

  set(key: string, entry: KvEntry): void {
    const blobId = this.#blobs.writing(this.#now(), (write) => {
      const id = write(entry.value);
      this.#database.transaction((db) => db.run("INSERT OR REPLACE INTO _mf_entries VALUES (?, ?, ?, ?)", rowOf(key, id, entry)));
      return id;
    });
    this.#replace(key, this.#entry(blobId, entry.expiration, entry.metadata));
  }

  delete(key: string): boolean {
    if (this.#memory.get(key) === undefined) return false;
    this.#database.transaction((db) => db.run("DELETE FROM _mf_entries WHERE key = ?", [key]));
    this.#replace(key, undefined);
    return true;
  }

  entries(from?: { after?: string; start?: string }): IterableIterator<[string, KvEntry]> {
    return this.#memory.entries(from);
  }

  snapshot(): StoreSnapshot<KvEntry> {
    this.#blobs.snapshotTaken();
    return this.#memory.snapshot() as StoreSnapshot<KvEntry>;
  }

  restore(snapshot: StoreSnapshot<KvEntry>): void {
    const before = new Set([...this.#memory.entries()].map(([, entry]) => entry.blobId));
    this.#memory.restoreAndPersist(snapshot as StoreSnapshot<PersistedEntry>, () =>
      this.#database.transaction((db) => {
        db.run("DELETE FROM _mf_entries");
        for (const [key, entry] of this.#memory.entries()) {
          db.run("INSERT INTO _mf_entries VALUES (?, ?, ?, ?)", rowOf(key, entry.blobId, entry));
          before.delete(entry.blobId);
        }
      }),
    );
    this.#blobs.release(before);
  }

  /** An entry whose value is read from its blob when asked for. */
  #entry(blobId: string, expiration: number | undefined, metadata: string | undefined): PersistedEntry {
    const blobs = this.#blobs;
    const entry = { blobId, get value() { return blobs.read(blobId); } };
    if (expiration !== undefined) Object.assign(entry, { expiration });
    if (metadata !== undefined) Object.assign(entry, { metadata });
    return entry;
  }

  /** Puts `entry` (or nothing) under `key` in memory, removing the blob it replaces. */
  #replace(key: string, entry: PersistedEntry | undefined): void {
    const previous = this.#memory.get(key);
    if (entry === undefined) this.#memory.delete(key);
    else this.#memory.set(key, entry);
    if (previous !== undefined) this.#blobs.release([previous.blobId]);
  }
}

function rowOf(key: string, blobId: string, entry: KvEntry): Array<string | number | null> {
  return [key, blobId, entry.expiration === undefined ? null : entry.expiration * 1000, entry.metadata ?? null];
}
