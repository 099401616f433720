import type { StorageBackend } from "../backend.js";
import type { StorageMeter } from "../meter.js";
import { codeGlobal } from "../../util/code-realm.js";

/** The writer of the instance running the callback (see BatchWriter). */
interface SavepointWriter {
  beginWrite(): void;
  readonly usable: boolean;
}

/**
 * `ctx.storage.transactionSync(callback)`: runs the callback inside a savepoint of the open
 * batch (opened first through the writer), releases it on return and rolls back to it on
 * throw, so calls nest. An async callback is not awaited: its promise is returned and the
 * savepoint is released at once, leaving work after its first `await` outside the
 * transaction, as in workerd. A savepoint SQLite cannot end (a write statement still running
 * under it) is rolled back and the call throws workerd's internal error instead, whichever
 * way the callback ended; the object goes on. A callback that reset the instance (ctx.abort()) took the whole
 * batch with it: there is no savepoint left to end. The meter forgets the writes a rollback undid.
 */
export function transactionSync<T>(backend: StorageBackend, writer: SavepointWriter, meter: StorageMeter, callback: () => T): T {
  writer.beginWrite();
  const savepoint = backend.savepoint();
  const mark = meter.batchMark();
  let result: T;
  try {
    result = Reflect.apply(callback, codeGlobal(), []);
  } catch (error) {
    if (writer.usable) {
      meter.rolledBackTo(mark);
      backend.rollbackTo(savepoint);
    }
    throw error;
  }
  if (!writer.usable) return result;
  try {
    backend.release(savepoint);
  } catch (error) {
    // The savepoint could not be released and was rolled back (see SqliteBackend.release).
    meter.rolledBackTo(mark);
    throw error;
  }
  return result;
}
