import { decrement } from "../util/counter.js";
import { atTurnEnd } from "../util/turn.js";
import type { StorageBackend } from "./backend.js";
import type { StoragePolicy } from "./policy.js";

/**
 * Write coalescing and commit scheduling for one object's storage.
 *
 * The first write opens a batch on the backend; every write until the object yields to real
 * I/O (the end of the turn) joins it, and the batch commits atomically. The object host also
 * commits early when an event finishes, because the caller may not see the event's result
 * before the writes behind it are durable (the output gate).
 */
export class WriteCoalescer {
  #confirmedPending = false;
  #turnEndArmed = false;
  #injectedFailure: Error | undefined;
  #syncWaiters: Array<() => void> = [];
  /** Open explicit transactions on the SQLite backend: the batch may not commit under them. */
  #holds = 0;
  readonly #commitListeners: Array<() => void> = [];

  constructor(
    private readonly backend: StorageBackend,
    private readonly policy: StoragePolicy,
    /** Called when a commit fails, after the batch was rolled back. */
    private readonly onCommitFailure: (error: Error) => void,
  ) {}

  /** Registers a write about to happen. `allowUnconfirmed` writes do not hold the output gate. */
  beginWrite(allowUnconfirmed = false): void {
    if (!this.backend.inBatch) {
      this.backend.begin();
      this.#armTurnEnd();
    }
    if (!allowUnconfirmed) this.#confirmedPending = true;
  }

  /** Whether the output gate is closed: confirmed writes are waiting to commit. */
  get holdsOutput(): boolean {
    return this.#confirmedPending && this.backend.inBatch;
  }

  get hasPendingWrites(): boolean {
    return this.backend.inBatch;
  }

  /** Makes the next commit fail with `error` (a fault-injection hook for tests). */
  failNextCommit(error: Error): void {
    this.#injectedFailure = error;
  }

  /** Runs `listener` after every successful commit (alarm scheduling, bookmarks). */
  onCommit(listener: () => void): void {
    this.#commitListeners.push(listener);
  }

  /**
   * Keeps the batch open while an explicit transaction spans turns: committing the implicit
   * transaction under an open savepoint would commit half of the explicit one.
   */
  hold(): void {
    this.#holds++;
  }

  unhold(): void {
    this.#holds = decrement(this.#holds, "coalescer holds");
    if (this.#holds === 0 && this.backend.inBatch) this.#armTurnEnd();
  }

  /** Commits the open batch now. Returns the failure, if the commit failed. */
  flush(): Error | undefined {
    if (!this.backend.inBatch || this.#holds > 0) return undefined;
    this.#confirmedPending = false;
    let failure: Error | undefined;
    try {
      const injected = this.#injectedFailure;
      if (injected) {
        this.#injectedFailure = undefined;
        this.backend.rollback();
        failure = injected;
      } else {
        this.backend.commit();
      }
    } catch (error) {
      if (this.backend.inBatch) this.backend.rollback();
      failure = error instanceof Error ? error : new Error(String(error));
    }
    this.#releaseSyncWaiters();
    if (failure) this.onCommitFailure(failure);
    else for (const listener of this.#commitListeners) listener();
    return failure;
  }

  /** Drops the open batch without committing (the object is being reset). */
  discard(): void {
    this.#confirmedPending = false;
    if (this.backend.inBatch) this.backend.rollback();
    this.#releaseSyncWaiters();
  }

  /**
   * Resolves once every write issued so far has been committed (or discarded), at once or at
   * the end of the turn as the policy says (see StoragePolicy.syncCommitsAtOnce).
   */
  sync(): Promise<void> {
    if (this.policy.syncCommitsAtOnce) {
      this.flush();
      return Promise.resolve();
    }
    if (!this.backend.inBatch) return new Promise((resolve) => atTurnEnd(resolve));
    return new Promise((resolve) => this.#syncWaiters.push(resolve));
  }

  #armTurnEnd(): void {
    if (this.#turnEndArmed) return;
    this.#turnEndArmed = true;
    atTurnEnd(() => {
      this.#turnEndArmed = false;
      this.flush();
    });
  }

  #releaseSyncWaiters(): void {
    if (this.#syncWaiters.length === 0) return;
    const waiters = this.#syncWaiters;
    this.#syncWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
