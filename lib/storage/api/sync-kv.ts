import type { KeyRange, StorageEntry } from "../backend.js";
import type { SqliteBackend } from "../backends/sqlite.js";
import { decodeValue, encodeValue } from "../codec.js";
import { normalizeKey } from "../keys.js";
import { compileListOptions } from "../list-options.js";
import { SQLITE_POLICY } from "../policy.js";
import { errorReference } from "../../util/error-reference.js";
import type { StorageMeter } from "../meter.js";
import { defineInterface, requireArgument, site, toIdlString } from "../../util/webidl.js";
import { toListOptions } from "./arguments.js";
import { requireSqlite } from "./sqlite-only.js";

export interface SyncKvHooks {
  /** The database whose `_cf_KV` table it reads and writes, once the instance may still reach it (after a reset it throws the runtime's error). */
  reachableBackend(): SqliteBackend;
  /** Called before a write, so the storage layer can open its implicit batch. */
  beforeWrite(): void;
  /** Counts the rows each operation reads and writes. */
  readonly meter: StorageMeter;
}

const SYNC_KV = "SyncKvStorage";
const GET = site(SYNC_KV, "get");
const PUT = site(SYNC_KV, "put");
const DELETE = site(SYNC_KV, "delete");
const LIST = site(SYNC_KV, "list");

/** Rows fetched per step of a `list()` iterator. */
const PAGE_SIZE = 128;

/**
 * `ctx.storage.kv`: synchronous KV over the same `_cf_KV` rows as the async API. `list()`
 * is lazy and only the newest iterator is valid, as in workerd. Without a backend (a
 * KV-backed object) every method converts its arguments, then refuses.
 */
export class SyncKvStorage {
  /** Undefined on a KV-backed object (one field: every object has a `storage.kv`). */
  readonly #hooks: SyncKvHooks | undefined;
  #listGeneration = 0;

  constructor(hooks: SyncKvHooks | undefined) {
    this.#hooks = hooks;
  }

  get<T = unknown>(key: string): T | undefined {
    requireArgument(GET, arguments.length, 1, "string");
    const text = toIdlString(key);
    const storageKey = normalizeKey(text);
    const bytes = requireSqlite(this.#hooks, "kv").reachableBackend().get(storageKey);
    this.#hooks!.meter.read(storageKey, bytes);
    return bytes === undefined ? undefined : (decodeValue(bytes) as T);
  }

  /** Unlike the async `put()`, workerd stores `undefined` here (list() then shows the key). */
  put<T>(key: string, value: T): void {
    requireArgument(PUT, arguments.length, 1, "string");
    const text = toIdlString(key);
    requireArgument(PUT, arguments.length, 2, "Value");
    const backend = requireSqlite(this.#hooks, "kv").reachableBackend();
    const bytes = encodeValue(value);
    const storageKey = normalizeKey(text);
    SQLITE_POLICY.checkEntry(storageKey, bytes);
    const hooks = this.#hooks!;
    hooks.beforeWrite();
    backend.put(storageKey, bytes);
    hooks.meter.wrote(storageKey, bytes);
  }

  delete(key: string): boolean {
    requireArgument(DELETE, arguments.length, 1, "string");
    const text = toIdlString(key);
    const backend = requireSqlite(this.#hooks, "kv").reachableBackend();
    const hooks = this.#hooks!;
    hooks.beforeWrite();
    const existed = backend.delete(normalizeKey(text));
    hooks.meter.deleted(1, existed ? 1 : 0);
    return existed;
  }

  list<T = unknown>(options?: unknown): ListIterator<T> {
    const range = compileListOptions(toListOptions(LIST, options, 1));
    const backend = requireSqlite(this.#hooks, "kv").reachableBackend();
    const generation = ++this.#listGeneration;
    const pages = range === null ? emptyPages() : pagesOf(backend, range, this.#hooks!.meter);
    // The connection counts database replacements (deleteAll() swaps the file).
    const { connection } = backend;
    const replacements = connection.replacements;
    return new ListIterator<T>(pages, () => generation === this.#listGeneration, () => connection.replacements !== replacements);
  }

  static {
    defineInterface(this, SYNC_KV, (value) => typeof value === "object" && value !== null && #listGeneration in value, {
      order: ["get", "list", "put", "delete"],
    });
  }
}

/**
 * The iterator `kv.list()` returns: lazy, and invalid once a newer list() started, unless it
 * already finished (a finished one stays finished). Like workerd's, which steps a SQLite
 * statement, it sees writes made while it is open, past the last key it returned.
 */
class ListIterator<T> {
  readonly #pages: Generator<StorageEntry>;
  readonly #current: () => boolean;
  readonly #wiped: () => boolean;
  #exhausted = false;

  constructor(pages: Generator<StorageEntry>, current: () => boolean, wiped: () => boolean) {
    this.#pages = pages;
    this.#current = current;
    this.#wiped = wiped;
  }

  next(): IteratorResult<[string, T], undefined> {
    if (this.#exhausted) return { done: true, value: undefined };
    if (!this.#current()) {
      throw new Error(
        "kv.list() iterator was invalidated because a new call to kv.list() was started. " +
          "Only one kv.list() iterator can exist at a time.",
      );
    }
    // deleteAll() deleted the database under workerd's statement.
    if (this.#wiped()) throw new Error(`internal error; reference = ${errorReference()}`);
    const entry = this.#pages.next();
    if (entry.done) {
      this.#exhausted = true;
      return { done: true, value: undefined };
    }
    const [key, bytes] = entry.value;
    return { done: false, value: [key, decodeValue(bytes) as T] };
  }

  [Symbol.iterator](): this {
    return this;
  }

  static {
    defineInterface(this, "ListIterator", (value) => typeof value === "object" && value !== null && #pages in value, { iterator: true });
  }
}

/**
 * Walks the range a page at a time, resuming after the last key it returned; each page's rows
 * are billed as it is read. When the entries changed while a page was being handed out (the
 * caller wrote between two steps), the rest of the page is read again, so the walk sees what a
 * live statement would: keys written ahead of it, not keys deleted ahead of it, new values.
 */
function* pagesOf(backend: SqliteBackend, range: KeyRange, meter: StorageMeter): Generator<StorageEntry> {
  let { start, end } = range;
  let remaining = range.limit ?? Infinity;
  while (remaining > 0) {
    const version = backend.entriesVersion;
    const page = backend.list({ start, end, reverse: range.reverse, limit: Math.min(PAGE_SIZE, remaining) });
    meter.listed(page, backend.listRowsRead);
    for (const entry of page) {
      if (backend.entriesVersion !== version) break;
      yield entry;
      remaining--;
      if (range.reverse) end = entry[0];
      else start = entry[0] + "\0";
    }
    // entriesVersion only grows: unchanged means the page was handed out whole.
    if (backend.entriesVersion === version && page.length < PAGE_SIZE) return;
  }
}

function* emptyPages(): Generator<StorageEntry> {}
