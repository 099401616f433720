import type { KeyRange, StorageBackend } from "../backend.js";
import type { StoragePolicy } from "../policy.js";
import { afterMicrotasks, microtask } from "../../util/turn.js";
import { KnownRanges } from "./known-ranges.js";

/**
 * When `ctx.storage`'s promises settle, as workerd settles them (conformance: microtasks). An
 * operation served without I/O settles two microtask hops after its call (`getAlarm()` of a
 * SQLite-backed object: one). KV-backed objects read through the runtime's cache, one per
 * instance: reading a key, a range or the alarm the instance has not seen is I/O, which
 * settles once the microtasks already queued have run, with the input gate held. A write, a
 * `list()` and `deleteAll()` make what they touch known.
 *
 * A transaction's reads of the store, and its writes (the alarm too) once it commits, are seen
 * by the cache too (conformance: microtasks); the writes of one that rolls back are not.
 *
 * The keys known only grow, and every write through the instance makes its keys known; so once
 * the instance writes to an empty store (a new object's first put, the usual case), every key
 * the store holds is known from then on, and only the keys it does not hold (read while absent,
 * or deleted) need to be remembered: the store is the list of the keys it wrote, and the model
 * keeps no copy of them. A `list()` the cache cannot answer makes its whole range known, whatever
 * its limit (see KnownRanges). A read with `noCache` makes nothing known: workerd's cache drops
 * what it read.
 */

/**
 * When an operation's promise settles after its call, as the runtime's storage layers resolve
 * them: after a number of microtask hops, or, for a read of what the cache does not hold, as
 * I/O, in its group (see StoreRead and afterRead).
 */
export type Settlement = number | StoreRead;

/**
 * A read of the store, by the group it settles in. The KV backend's reads of what its cache
 * does not hold settle in groups, as workerd's ActorCache settles them when several are in
 * flight at once (conformance: edges, the order of concurrent reads): a `delete()` of keys it
 * has not seen first, then `get([...])` and `list()`, then a single-key `get()` and
 * `getAlarm()`, each group in call order. A transaction's `delete()` falls in the group of the
 * `get()` it makes. Reads allowing concurrency (`concurrent-`) group alike among themselves,
 * after the gated ones (conformance: edges, reads allowing concurrency; found by `fuzz-kv.mjs`).
 */
export type StoreRead = "delete" | "range" | "key" | ConcurrentRead;

/** A read that lets other events in, by the group it settles in (see StoreRead). */
export type ConcurrentRead = "concurrent-delete" | "concurrent-range" | "concurrent-key";

/**
 * Storage I/O the input gate waits for settles after this many microtask hops: after any
 * realistic chain of microtasks queued before it (workerd's settles after all of them), yet
 * within the turn, so the gate stays held and a test's fake timers need not run anything for
 * it to complete.
 */
export const IO_HOPS = 100;

/** A promise of `value` that settles `hops` microtask hops from now. */
export function afterHops<T>(value: T, hops: number): Promise<T> {
  let settled = Promise.resolve(value);
  if (hops < 2) return hops === 1 ? settled.then(identity) : settled;
  // The last two hops adopt the settled promise: one promise fewer than two then()s (each
  // promise costs a hook call on Node 20, where async contexts use promise hooks).
  for (let hop = 2; hop < hops; hop++) settled = settled.then(identity);
  return adopt(settled);
}

/**
 * Code awaiting storage operations, as the settlements see it: once its instance has reset,
 * what it awaits never settles, as workerd never runs a reset instance's code again (see
 * InputGate's silence).
 */
export interface AwaitingCode {
  /** No settlement reaches it. */
  readonly silenced: boolean;
  /** No read of the store (I/O) reaches it; one served without I/O may, until it is silenced. */
  readonly endedByReset: boolean;
}

/**
 * afterHops() for `code`'s operation: as `hops` say, unless `code` is silenced at that hop, when
 * it never settles. The check is the last hop itself (a reaction returning the value settles in
 * the same hop as afterHops' last), so the timing is afterHops'.
 */
export function afterHopsHeard<T>(value: T, hops: number, code: AwaitingCode): Promise<T> {
  if (hops < 1) return afterHops(value, hops);
  return afterHops(value, hops - 1).then((settled) => (code.silenced ? never() : settled));
}

/**
 * A promise that never settles, new each time: one shared would keep every promise adopting
 * it (its reactions) for good, and with them what their code holds.
 */
function never(): Promise<never> {
  return new Promise(ignore);
}

function ignore(): void {}

/**
 * A promise that settles as `promise` does, two hops after it has settled: resolving a promise
 * with another queues a job that subscribes to it, whose reaction settles it.
 */
async function adopt<T>(promise: Promise<T>): Promise<T> {
  return promise;
}

/**
 * A promise of `value` that settles as a read of the store (see StoreRead): in its group, one
 * read at a time. In workerd each read completes in a turn of its event loop of its own, and
 * the code awaiting it runs on, through all its awaits, before the next resolves (conformance:
 * edges, gated reads settle one at a time; found by `fuzz-kv.mjs`).
 *
 * A gated read settles as I/O the input gate waits for: once the microtasks already queued have
 * run (IO_HOPS), within the turn. One allowing concurrency completes as I/O the gate does not
 * wait for: once the microtask queue has drained, after the gate has let in the events queued
 * meanwhile and their microtasks have run in turn, before any timer (conformance: edges-api,
 * allowConcurrency reads). The runtime's read completes from its event loop, so an event let in
 * while it was in flight runs up to its own first I/O first: a write it awaits settles before
 * the read does (conformance: gates-probes, a concurrent read beside a write). Its completion
 * then passes `through` (as the code resumes: see Completion).
 */
export function afterRead<T>(value: T, read: StoreRead, through: Completion = run, code?: AwaitingCode): Promise<T> {
  return new Promise((resolve) => {
    if (!isConcurrent(read)) queueRead(read, { run: () => code?.endedByReset || resolve(value), next: afterIoHops }, afterIoHops);
    // Those completing together settle at once, in a microtask that runs once their ticks have;
    // the next once the microtasks this one queued have drained.
    else whenIoCompletes(() => queueRead(read, { run: () => through(() => resolve(value)), next: afterMicrotasks }, microtask));
  });
}

/** Whether `read` lets other events in. */
export function isConcurrent(read: StoreRead): read is ConcurrentRead {
  return read.startsWith("concurrent-");
}

/** Runs `fn` where I/O the input gate does not wait for completes (see afterRead). */
function whenIoCompletes(fn: () => void): void {
  // The first drain ends the turn, where the gate lets the queued events start; the second
  // ends theirs.
  afterMicrotasks(() => afterMicrotasks(fn));
}

/** Runs `fn` where gated I/O completes: IO_HOPS microtask hops from now, within the turn. */
function afterIoHops(fn: () => void): void {
  void afterHops(undefined, IO_HOPS - 1).then(fn);
}

type Schedule = (fn: () => void) => void;

/**
 * A read's settlement, with what the next settlement waits for (for the code awaiting this one
 * to run on), or what a read teaches the cache (which takes no turn of its own: no `next`).
 */
interface Queued {
  run: () => void;
  next?: Schedule;
  /** Its place among every read ever queued (see readsQueued). */
  seq?: number;
}

/** The reads that wait their turn to settle, by group, gated ones first (see StoreRead). */
const queued: Record<StoreRead, Queued[]> = {
  delete: [],
  range: [],
  key: [],
  "concurrent-delete": [],
  "concurrent-range": [],
  "concurrent-key": [],
};
const GROUPS = Object.values(queued);
let completionDue = false;
/** How many entries were ever queued: the last one's `seq`. */
let queuedCount = 0;

/** A mark of the reads queued so far, for afterReadsUntil(). */
export function readsQueued(): number {
  return queuedCount;
}

/**
 * A KV-backed object's `transaction()` settles as a read of a single key would, queued when its
 * closure began: after the reads of several keys or of a range in flight (its closure's too) and
 * the single-key reads queued before `mark` (see readsQueued), before the single-key reads and
 * `getAlarm()`s its closure left in flight (conformance "transaction: an operation its closure
 * does not await ..."; found by fuzz-events kv seed 62). With none in flight, as I/O the gate
 * waits for.
 */
export function afterReadsUntil<T>(value: T, mark: number): Promise<T> {
  return new Promise((resolve) => {
    const keys = queued.key;
    const at = keys.findIndex((entry) => entry.seq! > mark);
    queueRead("key", { run: () => resolve(value), next: afterIoHops }, afterIoHops, at < 0 ? undefined : at);
  });
}

/**
 * Queues `entry` in the group of `read`, at its end or `at`; `schedule` starts settling the
 * queue when it is idle.
 */
function queueRead(read: StoreRead, entry: Queued, schedule: Schedule, at?: number): void {
  entry.seq = ++queuedCount;
  if (at === undefined) queued[read].push(entry);
  else queued[read].splice(at, 0, entry);
  if (completionDue) return;
  completionDue = true;
  schedule(completeNext);
}

/**
 * Settles the first read of the first group that has one, once the cache has learned what the
 * reads before it in its group read; the next waits as this one says.
 */
function completeNext(): void {
  let next: Schedule = afterMicrotasks;
  try {
    for (let entry = nextQueued(); entry !== undefined; entry = nextQueued()) {
      entry.run();
      if (entry.next !== undefined) {
        next = entry.next;
        break;
      }
    }
  } finally {
    // Even past a completion that threw, the others still settle.
    if (GROUPS.some((group) => group.length > 0)) next(completeNext);
    else completionDue = false;
  }
}

function nextQueued(): Queued | undefined {
  return GROUPS.find((group) => group.length > 0)?.shift();
}

/**
 * How I/O's completion reaches the code that awaits it: at once, or (an object's) through its
 * input gate, which a critical section the I/O was not started in holds closed until it ends.
 */
export type Completion = (complete: () => void) => void;

function run(complete: () => void): void {
  complete();
}

function identity<T>(value: T): T {
  return value;
}

/**
 * What decides when an operation settles, besides the one key of a `get(key)`, `put(key, value)`
 * or `delete(key)` (given apart, see cachedSettlement): the storage keys of one of `[...keys]`
 * or of `put(entries)`, a whole-range list, concurrency.
 */
export interface SettlementDetail {
  keys?: readonly string[];
  /** An operation of a `transaction()`'s `txn`. */
  inTransaction?: boolean;
  /** What a `list()` reads. */
  range?: KeyRange;
  allowConcurrency?: boolean;
  /** A read that leaves the cache as it was. */
  noCache?: boolean;
}

/** An operation of `ctx.storage` or of a transaction. */
export type StorageOperation = Operation | "deleteAll";

export type Operation = "get" | "put" | "delete" | "list" | "getAlarm" | "setAlarm" | "deleteAlarm";

const WITHOUT_IO = 2;

/** When `op` settles where no cache stands between it and the store: two hops, `getAlarm()` one. */
export function uncachedSettlement(op: StorageOperation): Settlement {
  return op === "getAlarm" ? 1 : WITHOUT_IO;
}

/** Every key is known: a full list() or a deleteAll() showed them all. */
const EVERYTHING = 1;
/** The alarm is known. */
const ALARM_KNOWN = 2;
/** Every key the store holds is known (the instance wrote them all; see above). */
const STORED_KNOWN = 4;

/** Sets of up to this many keys are kept as an array. */
const FEW = 16;

/**
 * Every live object keeps one, so the keys the instance has seen live in it directly: most
 * objects touch a handful, and an array of a few (made by the first) costs a third of a Set's
 * table, while a scan of a few is as quick as a lookup. It is the base class of the storage
 * operations (see KeyValueOperations), so it costs `ctx.storage` two fields and no object.
 */
export class SettlementModel {
  /** The keys seen: an array while they are few, a Set once they are many. */
  #keys: string[] | Set<string> | undefined;
  /** EVERYTHING, ALARM_KNOWN and STORED_KNOWN (one field for all). */
  #known = 0;
  /** The ranges bounded lists made known, once there is one. */
  #ranges: KnownRanges | undefined;

  /**
   * When operation `op` on `store` settles, under `policy` (the storage's). `allowConcurrency`
   * only changes a read the cache cannot answer: one it can settles as any other. `key`: the
   * one key of a `get(key)`, `put(key, value)` or `delete(key)` (`detail.keys` is then not
   * read), given apart so that the usual operation makes no array.
   */
  cachedSettlement(op: StorageOperation, detail: SettlementDetail, policy: StoragePolicy, store: StorageBackend, key?: string): Settlement {
    if (!policy.readsThroughCache) return uncachedSettlement(op);
    const concurrent = detail.allowConcurrency === true && policy.concurrentReadsYield;
    // What a read shows becomes known when it completes: a read of the same keys while it is
    // in flight is I/O too.
    switch (op) {
      case "get": {
        if (key !== undefined ? this.holdsKey(key, store) : this.holds(detail.keys ?? [], store)) return WITHOUT_IO;
        const io = keyOrRangeRead(key !== undefined, concurrent);
        if (!detail.noCache) {
          const keys = keysOf(detail, key);
          whenRead(io, () => this.learnAgainst(keys, store));
        }
        return io;
      }
      case "put": {
        if ((this.#known & STORED_KNOWN) !== 0) return WITHOUT_IO;
        if (this.#keys === undefined && isEmpty(store)) {
          // The instance's first keys go to an empty store: the store lists them from now on.
          this.#known |= STORED_KNOWN;
          return WITHOUT_IO;
        }
        if (key !== undefined || detail.keys !== undefined) this.learn(keysOf(detail, key));
        return WITHOUT_IO;
      }
      case "list": {
        const range = detail.range ?? {};
        if ((this.#known & EVERYTHING) !== 0 || this.#ranges?.holdsList(range, store, (key) => this.knows(key, store)) || this.#startsAtKnownKey(range, store)) return WITHOUT_IO;
        const io = concurrent ? "concurrent-range" : "range";
        if (!detail.noCache) whenRead(io, () => this.#learnRange(range));
        return io;
      }
      case "getAlarm": {
        // A known alarm settles in one hop, as on SQLite.
        if ((this.#known & ALARM_KNOWN) !== 0) return 1;
        // One allowing concurrency asks as a read allowing concurrency does.
        const io = concurrent ? "concurrent-key" : "key";
        whenRead(io, () => (this.#known |= ALARM_KNOWN));
        return io;
      }
      case "delete": {
        // The result says whether the key existed: for a key it has not seen, the cache asks.
        const keys = keysOf(detail, key);
        const cached = this.holds(keys, store);
        this.learn(keys);
        if (cached) return WITHOUT_IO;
        // A transaction's delete asks through its own get(), so it settles among those reads
        // (conformance "edges-api: a transaction's deletes among its reads"); one that allows
        // concurrency asks as such a read does, letting other events in, in the same group.
        if (detail.inTransaction) return keyOrRangeRead(key !== undefined, concurrent);
        return concurrent ? "concurrent-delete" : "delete";
      }
      case "setAlarm":
      case "deleteAlarm":
        this.#known |= ALARM_KNOWN;
        return WITHOUT_IO;
      case "deleteAll":
        this.#known |= EVERYTHING | ALARM_KNOWN;
        return WITHOUT_IO;
      default:
        if (key !== undefined || detail.keys !== undefined) this.learn(keysOf(detail, key));
        return WITHOUT_IO;
    }
  }

  /**
   * The cache sees `keys` of `store` outside a settlement: read or written by a transaction
   * (written: after its commit), or written by a put whose write failed after its settlement
   * was decided (which learned nothing while the store lists the keys it wrote).
   */
  learnAgainst(keys: readonly string[], store: StorageBackend): void {
    // A key the store holds is known through it (it leaves only by a delete, which is learned).
    if ((this.#known & EVERYTHING) === 0) this.learn((this.#known & STORED_KNOWN) === 0 ? keys : keys.filter((key) => !store.has(key)));
  }

  /** A transaction's commit wrote the alarm: the cache knows it, as it knows one setAlarm() wrote. */
  learnAlarm(): void {
    this.#known |= ALARM_KNOWN;
  }

  /**
   * A forward list of one key that starts at a stored key the cache holds: the cache answers it
   * with that key alone (workerd's counts the keys it holds from the start before it would read on).
   */
  #startsAtKnownKey(range: KeyRange, store: StorageBackend): boolean {
    const start = range.start ?? "";
    return !range.reverse && range.limit === 1 && store.has(start) && this.knows(start, store);
  }

  #learnRange(range: KeyRange): void {
    if (range.start === undefined && range.end === undefined) this.#known |= EVERYTHING;
    else (this.#ranges ??= new KnownRanges()).add(range);
  }

  /** Whether the cache answers a read of `key` without I/O. */
  holdsKey(key: string, store: StorageBackend): boolean {
    return (this.#known & EVERYTHING) !== 0 || this.knows(key, store);
  }

  /** Whether the cache answers a read of `keys` without I/O (of undefined: a range, every key). */
  holds(keys: readonly string[] | undefined, store: StorageBackend): boolean {
    if ((this.#known & EVERYTHING) !== 0) return true;
    if (keys === undefined) return false;
    // A loop, not every(): a closure for each read (most read one key) is garbage.
    for (let i = 0; i < keys.length; i++) if (!this.knows(keys[i]!, store)) return false;
    return true;
  }

  private knows(key: string, store: StorageBackend): boolean {
    if ((this.#known & STORED_KNOWN) !== 0 && store.has(key)) return true;
    if (this.#ranges?.holdsKey(key)) return true;
    const known = this.#keys;
    return known instanceof Set ? known.has(key) : known !== undefined && known.includes(key);
  }

  /** Remembers `keys`; the array of few grows once per operation, to the exact length. */
  private learn(keys: readonly string[]): void {
    const few = this.#keys;
    if (!(few instanceof Set) && keys.length <= FEW) {
      if (few === undefined && distinct(keys)) {
        // The instance's first keys (a new object's first put): a copy of exact length.
        if (keys.length > 0) this.#keys = keys.slice();
        return;
      }
      const known = few ?? [];
      const unseen = keys.filter((key, at) => !known.includes(key) && keys.indexOf(key) === at);
      if (unseen.length === 0) return;
      if (known.length + unseen.length <= FEW) {
        // concat() makes an array of the exact length; push() would reserve room for 17.
        this.#keys = known.concat(unseen);
        return;
      }
    }
    const many = few instanceof Set ? few : (this.#keys = new Set(few));
    for (const key of keys) many.add(key);
  }
}

/** How a read of one key (`get(key)`) or of several settles, as I/O, allowing concurrency or not. */
function keyOrRangeRead(single: boolean, concurrent: boolean): StoreRead {
  if (concurrent) return single ? "concurrent-key" : "concurrent-range";
  return single ? "key" : "range";
}

/** The keys an operation touches: its one `key`, or its detail's (see cachedSettlement). */
function keysOf(detail: SettlementDetail, key: string | undefined): readonly string[] {
  return key !== undefined ? [key] : (detail.keys ?? []);
}

/**
 * Runs `learn` as a read of the store completes: a gated one just before it settles, in its
 * group's turn; one that lets other events in once it has completed (it may settle later, in
 * its group's turn): a read those events make meanwhile of what it covers is I/O too
 * (conformance: gates-probes, two concurrent lists).
 */
function whenRead(read: StoreRead, learn: () => void): void {
  if (isConcurrent(read)) whenIoCompletes(learn);
  else queueRead(read, { run: learn }, afterIoHops);
}

function isEmpty(store: StorageBackend): boolean {
  return store.list({ limit: 1 }).length === 0;
}

/** Whether no key appears twice (for the few keys of one operation). */
function distinct(keys: readonly string[]): boolean {
  for (let at = 1; at < keys.length; at++) if (keys.lastIndexOf(keys[at]!, at - 1) >= 0) return false;
  return true;
}
