/**
 * What the storage API's objects hold, by the runtime's names for them. Its refusal of code of
 * another I/O context (another Durable Object's, or a stateless Worker event's, that reached an
 * object's storage through a module-level variable) ends with "(I/O type: <name>)":
 * `ctx.storage` and everything reached through it (`sql.exec()`, `storage.kv`) hold the actor's
 * cache; a transaction's `txn`, the transaction; a SQL cursor that has not run out, the
 * database's state; a `storage.kv.list()` iterator, its list cursor.
 */
export const STORAGE_IO = "ActorCacheInterface";
export const TRANSACTION_IO = "Transaction";
export const CURSOR_IO = "State";
export const KV_LIST_IO = "ListCursor";

export type StorageIoType = typeof STORAGE_IO | typeof TRANSACTION_IO | typeof CURSOR_IO | typeof KV_LIST_IO;
