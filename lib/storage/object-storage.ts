import { DurableObjectStorage, type StorageOwner } from "./api/storage.js";
import { SqliteFeatures } from "./api/sqlite-features.js";
import type { StorageBackend } from "./backend.js";
import { MemoryBackend } from "./backends/memory.js";
import { SqliteBackend } from "./backends/sqlite.js";
import { BookmarkLog } from "./bookmarks.js";
import { BatchWriter, WriteCoalescer } from "./coalescer.js";
import { KV_POLICY, SQLITE_POLICY, type StoragePolicy } from "./policy.js";

/** Which storage a Durable Object class has: KV-backed (`new_classes`) or SQLite-backed. */
export type StorageKind = StoragePolicy["kind"];

/**
 * One object's storage, which outlives its instances: the backend, the policy chosen with it,
 * the write coalescer and (SQLite) the bookmark log. Each instance gets its own `ctx.storage`
 * view of it, so that a reset instance's view stops working while the data stays.
 */
export class ObjectStorage {
  readonly coalescer: WriteCoalescer;

  private constructor(
    readonly backend: StorageBackend,
    readonly policy: StoragePolicy,
    onCommitFailure: (error: Error) => void,
    /** The SQLite-only surfaces (SQL, storage.kv, transactionSync, PITR); absent on KV-backed objects. */
    private readonly sqlite: { backend: SqliteBackend; bookmarks: BookmarkLog } | undefined,
  ) {
    this.coalescer = new WriteCoalescer(backend, policy, onCommitFailure);
    if (sqlite !== undefined) this.coalescer.onCommit(() => sqlite.bookmarks.committed());
  }

  /** Makes the backend of `kind` and, with it, the policy every layer above consults. */
  static create(kind: StorageKind, now: () => number, onCommitFailure: (error: Error) => void): ObjectStorage {
    if (kind === "kv") return new ObjectStorage(new MemoryBackend(), KV_POLICY, onCommitFailure, undefined);
    const backend = new SqliteBackend();
    return new ObjectStorage(backend, SQLITE_POLICY, onCommitFailure, { backend, bookmarks: new BookmarkLog(backend, now) });
  }

  /** `ctx.storage` for a new instance; applies a restore scheduled by the previous one. */
  open(owner: StorageOwner): DurableObjectStorage {
    const sqlite = this.sqlite;
    sqlite?.bookmarks.applyPendingRestore();
    const writer = new BatchWriter(this.coalescer, owner);
    const features = sqlite && new SqliteFeatures(sqlite.backend, writer, sqlite.bookmarks);
    return new DurableObjectStorage(this.backend, this.policy, writer, owner, features);
  }
}
