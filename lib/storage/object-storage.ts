import type { StorageBackend } from "./backend.js";
import { BookmarkLog } from "./bookmarks.js";
import { WriteCoalescer } from "./coalescer.js";
import { SqliteBackend } from "./sqlite-backend.js";
import { SqliteFeatures } from "./sqlite-features.js";
import { DurableObjectStorage, type StorageOwner } from "./storage.js";

/**
 * One object's storage, which outlives its instances: the backend, the write coalescer and
 * (SQLite) the bookmark log. Each instance gets its own `ctx.storage` view of it, so that a
 * reset instance's view stops working while the data stays.
 */
export class ObjectStorage {
  readonly coalescer: WriteCoalescer;
  readonly bookmarks: BookmarkLog | undefined;

  constructor(
    readonly backend: StorageBackend,
    now: () => number,
    onCommitFailure: (error: Error) => void,
  ) {
    this.coalescer = new WriteCoalescer(backend, onCommitFailure);
    if (backend instanceof SqliteBackend) {
      const bookmarks = (this.bookmarks = new BookmarkLog(backend, now));
      this.coalescer.onCommit(() => bookmarks.committed());
    }
  }

  /** `ctx.storage` for a new instance; applies a restore scheduled by the previous one. */
  open(owner: StorageOwner): DurableObjectStorage {
    this.bookmarks?.applyPendingRestore();
    const sqlite =
      this.backend instanceof SqliteBackend ? new SqliteFeatures(this.backend, this.coalescer, this.bookmarks!) : undefined;
    return new DurableObjectStorage(this.backend, this.coalescer, owner, sqlite);
  }
}
