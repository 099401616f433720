import { STORAGE_IO, type StorageIoType } from "../io-types.js";

/**
 * What the SQLite-only features say when used on a KV-backed object (the runtime's texts). The
 * objects exist on every `ctx.storage`, as in the runtime; they refuse after converting their
 * arguments.
 */
const NOT_SQLITE = {
  sql:
    "This Durable Object is not backed by SQLite storage, so the SQL API is not available. SQL can be enabled on a new Durable Object class by using the `new_sqlite_classes` instead of `new_classes` under `[[migrations]]` in your wrangler.toml, but an already-deployed class cannot be converted to SQLite (except by deleting the existing data).",
  kv:
    "The storage.kv (synchronous KV) API is only available for SQLite-backed Durable Objects, but this object's namespace is not declared to use SQLite. You can use the older, asyncronous interface via methods of `storage` itself (e.g. `storage.get()`). SQLite can be enabled on a new Durable Object class by using the `new_sqlite_classes` instead of `new_classes` under `migrations` in your wrangler.jsonc or wrangler.toml, but an already-deployed class cannot be converted to SQLite (except by deleting the existing data).",
  transactionSync: "Durable Object is not backed by SQL.",
  pitr: "This Durable Object's storage back-end does not implement point-in-time recovery.",
} as const;

/** The object a storage surface belongs to, which refuses code of another I/O context (see WriteOwner). */
export interface ContextOwner {
  assertOwnContext(ioType: StorageIoType): void;
}

/**
 * Marks the SQLite hooks apart from a bare ContextOwner: `storage.sql` and `storage.kv` keep
 * either in one field (the hooks on a SQLite-backed object, else its instance), as every object
 * has both and most are KV-backed.
 */
export const SQLITE_HOOKS = Symbol("SQLite hooks");

/** What `storage.sql` and `storage.kv` reach on a SQLite-backed object (see SQLITE_HOOKS). */
export interface SqliteHooksMark extends ContextOwner {
  readonly [SQLITE_HOOKS]: true;
}

/**
 * `value`, or the runtime's error for `feature` on a KV-backed object; code of another I/O
 * context than `owner`'s gets the runtime's refusal of that instead, as it reaches the storage
 * before learning its kind.
 */
export function requireSqlite<T>(value: T | undefined, feature: keyof typeof NOT_SQLITE, owner?: ContextOwner): T {
  if (value === undefined) refuseKvBacked(feature, owner);
  return value;
}

/** The hooks `holder` is (see SQLITE_HOOKS), or requireSqlite()'s refusal when it is a KV-backed object's owner. */
export function sqliteHooksOf<T extends SqliteHooksMark>(holder: T | ContextOwner, feature: keyof typeof NOT_SQLITE): T {
  if (!(SQLITE_HOOKS in holder)) refuseKvBacked(feature, holder);
  return holder as T;
}

function refuseKvBacked(feature: keyof typeof NOT_SQLITE, owner: ContextOwner | undefined): never {
  owner?.assertOwnContext(STORAGE_IO);
  throw new Error(NOT_SQLITE[feature]);
}
