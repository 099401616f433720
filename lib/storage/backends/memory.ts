// Buffer from its module, not the global: Node defines the global as a getter, which optimised
// code calls through a generic global load at every use (here, every stored value in and out).
import { Buffer } from "node:buffer";
import type { BackendSnapshot, KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import { compareKeys } from "../keys.js";
import {
  FEW_KEYS,
  type FewKeys,
  fewDelete,
  fewEntries,
  fewEntriesReversed,
  fewGet,
  fewNextLowerKey,
  fewPairs,
  fewSet,
  fewSetAll,
  fewSize,
  NO_KEYS,
} from "./few-keys.js";
import { ManyKeys } from "./many-keys.js";
import { appendOwn } from "../../util/own-arrays.js";

/** An object's keys: few in an array of pairs, more in a B+tree (see few-keys.ts, many-keys.ts). */
type Tree = ManyKeys | FewKeys;

// The backend's few operations on either kind of tree. A write returns the tree to keep: a
// B+tree changes in place, an array of few keys is replaced.

function isFew(tree: Tree): tree is FewKeys {
  return Array.isArray(tree);
}

function sizeOf(tree: Tree): number {
  return isFew(tree) ? fewSize(tree) : tree.size;
}

function getIn(tree: Tree, key: string): string | undefined {
  return isFew(tree) ? fewGet(tree, key) : tree.get(key);
}

function setIn(tree: Tree, key: string, value: string): Tree {
  if (isFew(tree)) return fewSet(tree, key, value);
  tree.set(key, value);
  return tree;
}

function deleteIn(tree: Tree, key: string): Tree {
  if (isFew(tree)) return fewDelete(tree, key);
  tree.delete(key);
  return tree;
}

/** A copy later writes to either side never show in (O(1): shared, copy-on-write). */
function cloneOf(tree: Tree): Tree {
  return isFew(tree) ? tree : tree.clone();
}

/**
 * Values are held as one-byte strings, a character per byte: about 16 bytes plus the value's
 * own, where a Uint8Array with its ArrayBuffer and backing store costs over 200 bytes more, which
 * was the biggest part of an object holding a few small values. Readers get a fresh copy of
 * the bytes, as they would from a database.
 */
function toStored(bytes: Uint8Array): string {
  // Encoded values arrive as Buffers already: no view of their bytes need be made for them.
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString("latin1");
}

function fromStored(stored: string): Uint8Array {
  return Buffer.from(stored, "latin1");
}

/**
 * The undo log is flat: pairs of (key, its previous value), (WHOLE_TREE, the tree to put back,
 * or null for an empty one) and (ALARM, the previous alarm), replayed newest first. A record
 * object and a Set entry per written key were most of the garbage a batch made.
 */
const WHOLE_TREE = Symbol("whole tree");
const ALARM = Symbol("alarm");
type UndoLog = unknown[];

/** Past this many log slots, keys already saved are tracked so a key written again adds nothing. */
const TRACK_SAVED_FROM = 64;

/** The committed tree (shared copy-on-write, never written) and alarm. */
interface MemorySnapshot extends BackendSnapshot {
  tree: Tree;
  alarm: number | null;
}

/**
 * The KV backend: the keys in UTF-8 order, few in one array, more in a B+tree (point reads
 * O(log n), O(1) for keys read or written lately; range scans O(log n + limit)), and an undo
 * log that makes each batch atomic.
 */
export class MemoryBackend implements StorageBackend {
  #tree: Tree = NO_KEYS;
  #alarm: number | null = null;
  #undo: UndoLog | null = null;
  /**
   * What the undo log already saved since the batch's start (or its latest savepoint), so a
   * write need not log it again; undefined: nothing known. WHOLE_TREE: the log puts back the
   * whole tree, so key writes need no records (the batch began on an empty tree, as every new
   * object's first writes do, or ran deleteAll()). A Set: the keys whose previous value is
   * logged (a key written many times in one batch needs only its first), made once the log is
   * long (replaying a key's older records too is still right, only longer). One field for
   * both (every object has a backend); dropped when the batch ends, so an idle object keeps none.
   */
  #saved: Set<string> | typeof WHOLE_TREE | undefined;

  get(key: string): Uint8Array | undefined {
    const stored = getIn(this.#tree, key);
    return stored === undefined ? undefined : fromStored(stored);
  }

  has(key: string): boolean {
    return getIn(this.#tree, key) !== undefined;
  }

  list({ start, end, reverse = false, limit = Infinity }: KeyRange): StorageEntry[] {
    const out: StorageEntry[] = [];
    const tree = this.#tree;
    // (An empty store is asked whether it is empty once per new object: no iterator for it.)
    if (limit <= 0 || sizeOf(tree) === 0) return out;
    if (!reverse) {
      for (const [key, value] of isFew(tree) ? fewEntries(tree, start) : tree.entries(start)) {
        if (end !== undefined && compareKeys(key, end) >= 0) break;
        appendOwn(out, [key, fromStored(value)]);
        if (out.length >= limit) break;
      }
    } else {
      const from = end === undefined ? undefined : isFew(tree) ? fewNextLowerKey(tree, end) : tree.nextLowerKey(end);
      if (end !== undefined && from === undefined) return out;
      for (const [key, value] of isFew(tree) ? fewEntriesReversed(tree, from) : tree.entriesReversed(from)) {
        if (start !== undefined && compareKeys(key, start) < 0) break;
        appendOwn(out, [key, fromStored(value)]);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  put(key: string, value: Uint8Array): void {
    this.saveKey(key);
    const tree = this.#tree;
    if (isFew(tree) && fewSize(tree) >= FEW_KEYS && fewGet(tree, key) === undefined) {
      this.#tree = ManyKeys.of(fewPairs(tree));
    }
    this.#tree = setIn(this.#tree, key, toStored(value));
  }

  putAll(entries: readonly StorageEntry[]): void {
    const tree = this.#tree;
    if (!isFew(tree) || fewSize(tree) + entries.length > FEW_KEYS) {
      for (const [key, value] of entries) this.put(key, value);
      return;
    }
    // Each undo record reads the tree before the call: a key given twice logs its committed
    // value twice, which rolls back to the same state as put() one by one.
    for (let i = 0; i < entries.length; i++) this.saveKey(entries[i]![0]);
    this.#tree = fewSetAll(tree, entries, toStored);
  }

  delete(key: string): boolean {
    const previous = getIn(this.#tree, key);
    if (previous === undefined) return false;
    this.saveKey(key, previous);
    this.#tree = deleteIn(this.#tree, key);
    return true;
  }

  deleteAll(): void {
    // clone() is copy-on-write, so keeping the old tree for rollback costs O(1).
    this.record(WHOLE_TREE, sizeOf(this.#tree) === 0 ? null : cloneOf(this.#tree));
    this.#saved = WHOLE_TREE;
    this.#tree = NO_KEYS;
    this.setAlarm(null);
  }

  getAlarm(): number | null {
    return this.#alarm;
  }

  setAlarm(scheduledTime: number | null): void {
    this.record(ALARM, this.#alarm);
    this.#alarm = scheduledTime;
  }

  get inBatch(): boolean {
    return this.#undo !== null;
  }

  begin(): void {
    if (this.#undo !== null) throw new Error("durasim internal: batch already open");
    this.#undo = [];
    this.forgetSaved();
  }

  commit(): void {
    this.requireBatch();
    this.#undo = null;
    this.forgetSaved();
  }

  rollback(): void {
    this.rollbackTo(0);
    this.#undo = null;
    this.forgetSaved();
  }

  savepoint(): number {
    // Writes after the savepoint must record the values it would restore.
    this.forgetSaved();
    return this.requireBatch().length;
  }

  release(_savepoint: number): void {
    // Undo records stay until the batch ends: an outer rollback still needs them.
    this.requireBatch();
  }

  rollbackTo(savepoint: number): void {
    const undo = this.requireBatch();
    this.forgetSaved();
    while (undo.length > savepoint) {
      const previous = undo.pop();
      const what = undo.pop();
      if (what === WHOLE_TREE) {
        this.#tree = (previous as Tree | null) ?? NO_KEYS;
      } else if (what === ALARM) {
        this.#alarm = previous as number | null;
      } else if (previous === undefined) {
        this.#tree = deleteIn(this.#tree, what as string);
      } else {
        this.#tree = setIn(this.#tree, what as string, previous as string);
      }
    }
  }

  snapshot(): BackendSnapshot {
    if (this.#undo !== null) throw new Error("durasim internal: snapshot() while a batch is open");
    // clone() shares the tree's nodes copy-on-write: O(1) now, and later writes copy only the
    // nodes they touch, so the snapshot never changes.
    const snapshot: MemorySnapshot = { backendSnapshot: true, tree: cloneOf(this.#tree), alarm: this.#alarm };
    return snapshot;
  }

  restore(snapshot: BackendSnapshot | undefined): void {
    if (this.#undo !== null) throw new Error("durasim internal: restore() while a batch is open");
    const state = snapshot as MemorySnapshot | undefined;
    this.#tree = state === undefined ? NO_KEYS : cloneOf(state.tree);
    this.#alarm = state?.alarm ?? null;
  }

  close(): void {
    this.#tree = NO_KEYS;
    this.#undo = null;
  }

  private saveKey(key: string, previous?: string): void {
    const undo = this.requireBatch();
    if (this.#saved === WHOLE_TREE) return;
    if (sizeOf(this.#tree) === 0) {
      // Whatever this batch writes from here on, rolling back to now empties the tree.
      appendOwn(undo, WHOLE_TREE);
      appendOwn(undo, null);
      this.#saved = WHOLE_TREE;
      return;
    }
    const saved = this.#saved ?? (undo.length >= TRACK_SAVED_FROM ? (this.#saved = new Set()) : undefined);
    if (saved !== undefined) {
      if (saved.has(key)) return;
      saved.add(key);
    }
    appendOwn(undo, key);
    appendOwn(undo, previous ?? getIn(this.#tree, key));
  }

  private record(what: typeof WHOLE_TREE | typeof ALARM, previous: unknown): void {
    const undo = this.requireBatch();
    appendOwn(undo, what);
    appendOwn(undo, previous);
  }

  private forgetSaved(): void {
    this.#saved = undefined;
  }

  private requireBatch(): UndoLog {
    if (this.#undo === null) throw new Error("durasim internal: storage write outside a batch");
    return this.#undo;
  }
}
