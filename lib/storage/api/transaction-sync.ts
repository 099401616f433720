import type { StorageBackend } from "../backend.js";

/**
 * `ctx.storage.transactionSync(callback)`: runs the callback inside a savepoint of the open
 * batch (opened first by `openBatch`), releases it on return and rolls back to it on throw, so
 * calls nest. An async callback is not awaited: its promise is returned and the savepoint is
 * released at once, leaving work after its first `await` outside the transaction, as in workerd.
 */
export function transactionSync<T>(backend: StorageBackend, openBatch: () => void, callback: () => T): T {
  openBatch();
  const savepoint = backend.savepoint();
  let result: T;
  try {
    result = callback();
  } catch (error) {
    backend.rollbackTo(savepoint);
    throw error;
  }
  backend.release(savepoint);
  return result;
}
