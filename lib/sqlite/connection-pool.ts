/**
 * Bounds how many databases are open at once across all SQLite-backed objects. One sql.js
 * module holds at most ~4,093 open databases (its file-descriptor table) in one 2 GiB heap, so
 * an emulator with 100,000 objects keeps only the recently used ones open and parks the rest
 * as file bytes. Pinned connections (open batch, live cursor) are never closed; when everything
 * is pinned the limit is exceeded rather than breaking a transaction.
 */

export interface PooledConnection {
  /** Whether closing it now would lose a transaction or a cursor. */
  readonly pinned: boolean;
  /** Saves the database's bytes and closes it. */
  park(): void;
}

const DEFAULT_LIMIT = 1000;
let limit = DEFAULT_LIMIT;
/** Open connections, least recently used first (Map keeps insertion order). */
const open = new Map<PooledConnection, true>();
/** The last connection `open` holds: touching it again changes nothing. */
let newest: PooledConnection | undefined;

/** Changes how many databases may stay open (tests use a small number). */
export function setOpenDatabaseLimit(maximum: number): void {
  if (!Number.isInteger(maximum) || maximum < 1) throw new RangeError("the open database limit must be a positive integer");
  limit = maximum;
  parkIdle();
}

export function openDatabaseCount(): number {
  return open.size;
}

/** Records a use: `connection` is open and now the most recently used. */
export function touch(connection: PooledConnection): void {
  if (connection === newest) return;
  newest = connection;
  open.delete(connection);
  open.set(connection, true);
  if (open.size > limit) parkIdle(connection);
}

/** Forgets a connection that was closed. */
export function forget(connection: PooledConnection): void {
  open.delete(connection);
  if (connection === newest) newest = undefined;
}

function parkIdle(keep?: PooledConnection): void {
  for (const candidate of open.keys()) {
    if (open.size <= limit) return;
    if (candidate === keep || candidate.pinned) continue;
    open.delete(candidate);
    if (candidate === newest) newest = undefined;
    candidate.park();
  }
}
