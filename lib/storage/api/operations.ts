import type { KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import type { BatchWriter } from "../coalescer.js";
import { decodeValue } from "../codec.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { isIdlObject, requireArgument, type Site, site, toDate, toIdlString } from "../../util/webidl.js";
import { compareKeys, keyAsListed } from "../keys.js";
import { compileListOptions } from "../list-options.js";
import type { StorageMeter } from "../meter.js";
import type { StoragePolicy } from "../policy.js";
import { toFlags, toKeys, toListOptionsWithFlags } from "./arguments.js";
import {
  afterHops,
  afterHopsHeard,
  afterRead,
  type AwaitingCode,
  type Completion,
  isConcurrent,
  type Operation,
  type Settlement,
  type SettlementDetail,
  SettlementModel,
  type StorageOperation,
} from "./settlement.js";

export type { AwaitingCode, Completion, Settlement, SettlementDetail, StorageOperation } from "./settlement.js";
import { encodeForStore, encodeValues, isOptionsBag, PUT_SIGNATURE_ERROR, readEntries, type KeyValueRules, type ValueFormat } from "./validation.js";

/** What a write may ask for: not to hold the output gate. */
export interface WriteOptions {
  allowUnconfirmed: boolean;
}

/** A write of one key: encoded bytes, or undefined for a delete. */
export type KeyWrite = [key: string, value: Uint8Array | undefined];

/**
 * Applies key writes to the backend, inside the writer's open batch. None is still a write where
 * `policy` says every write reaches the store (a put() of no entries on SQLite).
 */
export function applyWrites(backend: StorageBackend, writer: BatchWriter, writes: KeyWrite[], options: WriteOptions, policy: StoragePolicy): void {
  if (writes.length === 0 && !policy.everyWriteReachesStore) return;
  writer.beginWrite(options.allowUnconfirmed);
  if (writes.length === 0) backend.createKvTable?.();
  if (backend.putAll !== undefined && writes.length > 1 && writes.every(isPut)) {
    backend.putAll(writes);
    return;
  }
  for (let i = 0; i < writes.length; i++) {
    // Indexed, not destructured: destructuring calls the array iterator, which code may patch.
    const write = writes[i]!;
    if (write[1] === undefined) backend.delete(write[0]);
    else backend.put(write[0], write[1]);
  }
}

/** Writes one key's bytes to the backend, inside the writer's open batch (see applyWrites). */
export function applyWrite(backend: StorageBackend, writer: BatchWriter, key: string, bytes: Uint8Array, options: WriteOptions): void {
  writer.beginWrite(options.allowUnconfirmed);
  backend.put(key, bytes);
}

function isPut(write: KeyWrite): write is StorageEntry {
  return write[1] !== undefined;
}

/** The alarm rules the storage API needs from the object that owns it. */
export interface AlarmPolicy {
  /**
   * Throws the runtime's TypeError when the object whose code is calling cannot set alarms (no
   * alarm() handler); asked before the I/O context is checked.
   */
  assertCanSetAlarm(): void;
  /** The current time in epoch milliseconds, on the emulator's clock. */
  now(): number;
  /** The alarm whose alarm() handler is running: it stays stored, but getAlarm() reports null. */
  runningAlarm(): number | null;
  /** setAlarm() is writing `time` (a handler setting its own alarm's time again makes a new alarm). */
  alarmSet(time: number): void;
}

export { IO_HOPS, afterHops } from "./settlement.js";

/** Where `ctx.storage`'s or a transaction's operations read and write. */
export interface KeyValueSource {
  /**
   * When `op`'s promise settles; asked once its arguments are converted, before it runs. `key`:
   * the one key of a `get(key)`, `put(key, value)` or `delete(key)` (see SettlementModel.cachedSettlement).
   */
  settlement(op: StorageOperation, detail: SettlementDetail, key?: string): Settlement;
  /** Throws when the operation `op` (e.g. "get()") may not run now. */
  check(op: string): void;
  /**
   * Throws the runtime's refusal when code of another I/O context calls; asked once the
   * arguments are converted and checked, as the runtime reaches its storage only then (see
   * WriteOwner.assertOwnContext for `needsActor`).
   */
  checkContext(needsActor?: boolean): void;
  readKey(key: string): Uint8Array | undefined;
  readRange(range: KeyRange): StorageEntry[];
  /** Rows the last readRange() read, as workerd counts its statement (SQLite backend), or undefined. */
  readonly rangeRowsRead: number | undefined;
  writeKeys(writes: KeyWrite[], options: WriteOptions): void;
  readAlarm(): number | null;
  writeAlarm(scheduledTime: number | null, options: WriteOptions): void;
  readonly alarmPolicy: AlarmPolicy;
  /** Counts each operation as production bills it. */
  readonly meter: StorageMeter;
}

function sitesOf(iface: string): Record<Operation, Site> {
  const at = (method: Operation) => site(iface, method);
  return {
    get: at("get"),
    put: at("put"),
    delete: at("delete"),
    list: at("list"),
    getAlarm: at("getAlarm"),
    setAlarm: at("setAlarm"),
    deleteAlarm: at("deleteAlarm"),
  };
}

/** Error sites per interface, made once (not per object). */
const SITES = {
  DurableObjectStorage: sitesOf("DurableObjectStorage"),
  DurableObjectTransaction: sitesOf("DurableObjectTransaction"),
};

/** The settlement detail of a `getAlarm()` allowing concurrency (made once: most calls pass no options). */
const CONCURRENT: SettlementDetail = Object.freeze({ allowConcurrency: true });
/** The settlement detail of an operation whose flags do not change it, given only its key (made once). */
const NO_DETAIL: SettlementDetail = Object.freeze({});

/** V8's words for a call made with no stack left. */
const STACK_OVERFLOW = "Maximum call stack size exceeded";

/**
 * The operations `ctx.storage` and a `transaction()`'s `txn` have in common, from the
 * arguments as passed (with their count: a missing argument and an explicit `undefined`
 * differ) to the result: Web IDL conversion, validation, result shaping. Conversion errors
 * reject the returned promise, except delete()'s, which throw, as in the runtime.
 *
 * Each source extends it (one object per `ctx.storage` rather than two: every live object
 * keeps one) and supplies the KeyValueSource methods the operations go through. Its base is
 * the instance's read cache (SettlementModel), which `ctx.storage`'s source consults; a
 * transaction's stays empty.
 */
export abstract class KeyValueOperations extends SettlementModel implements KeyValueSource {
  /** The key and value rules of the storage's policy. */
  readonly rules: KeyValueRules;

  constructor(rules: KeyValueRules) {
    super();
    this.rules = rules;
  }

  /** The interface its errors name (a getter, not a field: every live object has a source). */
  protected abstract readonly iface: keyof typeof SITES;
  /** How values it puts are serialised (the owning Worker's date). */
  protected abstract readonly valueFormat: ValueFormat;

  abstract settlement(op: StorageOperation, detail: SettlementDetail, key?: string): Settlement;
  abstract check(op: string): void;
  abstract checkContext(needsActor?: boolean): void;
  /**
   * An operation is in flight until `operation` settles. `ctx.storage` keeps the input gate
   * closed meanwhile; a transaction's operations run while its critical section holds the gate.
   */
  protected inFlight(_operation: Promise<unknown>): void {}
  /**
   * How a read that let other events in completes, decided at its call: at once here; an
   * object's storage resumes its code through the input gate (see StorageOwner.ungatedCompletion).
   */
  protected ungatedCompletion(): Completion | undefined {
    return undefined;
  }
  /**
   * The code awaiting this storage's operations, if it can be silenced (an object instance that
   * resets): once it is, what it awaits never settles (see AwaitingCode).
   */
  protected get awaitingCode(): AwaitingCode | undefined {
    return undefined;
  }
  /** Whether the instance this storage belongs to was reset (or evicted) while its code ran on. */
  protected get outlived(): boolean {
    return false;
  }
  abstract readKey(key: string): Uint8Array | undefined;
  /** Which keys of a delete() are written as deleted: those it found, or all where every write reaches the store. */
  protected deletesKept(keys: readonly string[], existing: readonly string[]): readonly string[] {
    return this.rules.policy.everyWriteReachesStore ? keys : existing;
  }
  /** Whether a read of `key` is answered without the store (a transaction's own write). */
  protected writtenHere(_key: string): boolean {
    return false;
  }
  abstract readRange(range: KeyRange): StorageEntry[];
  abstract readonly rangeRowsRead: number | undefined;
  abstract writeKeys(writes: KeyWrite[], options: WriteOptions): void;
  /** Writes one key (a `put(key, value)`): as writeKeys() of that write alone. */
  protected writeKey(key: string, bytes: Uint8Array, options: WriteOptions): void {
    this.writeKeys([[key, bytes]], options);
  }
  abstract readAlarm(): number | null;
  abstract writeAlarm(scheduledTime: number | null, options: WriteOptions): void;
  abstract readonly alarmPolicy: AlarmPolicy;
  abstract readonly meter: StorageMeter;

  /**
   * Each operation converts and validates its arguments, decides its settlement and does its work
   * at once (what a read returns is the state at its call, however late it settles), all inside
   * one `try`: what it throws becomes `refused(error)`, what it returns `settled(timing, value)`.
   * (No closure per step: every get() and put() would make two and an array.)
   */
  private refused(error: unknown): Promise<never> {
    // The stack ran out inside the operation: in the runtime it runs out at the call, which
    // throws (there is no promise); the writes made before commit, and the object goes on.
    if (error instanceof RangeError && error.message === STACK_OVERFLOW) throw error;
    // Writes need no await: a put() nobody awaits that fails (an oversized value) is the
    // code's unhandled rejection, as in the runtime (logged, and heard by the Worker's
    // `unhandledrejection` listeners). A refusal after the instance was reset is not: the
    // runtime never runs a reset instance's code again, so no such rejection exists there.
    const rejected = Promise.reject(inCodeRealm(error));
    if (this.outlived) rejected.catch(() => undefined);
    return rejected;
  }

  /** The promise of an operation that did its work (see refused): `value`, settled as `timing` says. */
  private settled<T>(timing: Settlement, value: T): Promise<T> {
    // A read that allows concurrency lets other events in; every other operation holds the gate.
    if (typeof timing === "string" && isConcurrent(timing)) return afterRead(value, timing, this.ungatedCompletion());
    const code = this.awaitingCode;
    const settled =
      typeof timing === "number"
        ? code === undefined
          ? afterHops(value, timing)
          : afterHopsHeard(value, timing, code)
        : afterRead(value, timing, undefined, code);
    this.inFlight(settled);
    return settled;
  }

  get(count: number, keys: unknown, options: unknown): Promise<unknown> {
    let timing: Settlement;
    let value: unknown;
    try {
      requireArgument(SITES[this.iface].get, count, 1, "string or Array");
      const wanted = toKeys(keys);
      const flags = toFlags(SITES[this.iface].get, options, 2, "GetOptions");
      const { allowConcurrency, noCache } = flags;
      this.check("get()");
      this.checkContext();
      if (Array.isArray(wanted)) {
        const storageKeys = [...new Set(this.rules.keys(wanted, "get", (key) => this.writtenHere(key)))].sort(compareKeys);
        timing = this.settlement("get", { keys: storageKeys, allowConcurrency, noCache });
        value = this.readMany(storageKeys);
      } else {
        const key = this.rules.key(wanted);
        const refusal = this.writtenHere(key) ? undefined : this.rules.storeRefusal(key);
        if (refusal !== undefined) throw refusal;
        // The flags are the detail: a get(key) makes no object to settle.
        timing = this.settlement("get", flags, key);
        value = this.readOne(key);
      }
    } catch (error) {
      return this.refused(error);
    }
    return this.settled(timing, value);
  }

  private readOne(key: string): unknown {
    const bytes = this.readKey(key);
    this.meter.read(key, bytes);
    return bytes === undefined ? undefined : decodeValue(bytes);
  }

  private readMany(keys: readonly string[]): Map<string, unknown> {
    const result = new Map<string, unknown>();
    const meter = this.meter;
    for (const key of keys) {
      const bytes = this.readKey(key);
      meter.read(key, bytes);
      if (bytes !== undefined) result.set(keyAsListed(key), decodeValue(bytes));
    }
    return inCodeRealm(result);
  }

  list(options: unknown): Promise<Map<string, unknown>> {
    let timing: Settlement;
    let listed: Map<string, unknown>;
    try {
      const [converted, { allowConcurrency, noCache }] = toListOptionsWithFlags(SITES[this.iface].list, options, 1);
      const range = compileListOptions(converted, (key) => this.rules.storageKey(key));
      // The runtime answers an empty range before it reaches the store, with a promise already
      // resolved (one hop, no I/O even on the KV backend): a rolled-back or committed
      // transaction lists it without complaint.
      if (range !== null) this.check("list()");
      this.checkContext();
      timing = range === null ? 1 : this.settlement("list", { range, allowConcurrency, noCache });
      const result = new Map<string, unknown>();
      const entries = range === null ? [] : this.readRange(range);
      this.meter.listed(entries, range === null ? 0 : this.rangeRowsRead);
      for (const [key, bytes] of entries) result.set(keyAsListed(key), decodeValue(bytes));
      listed = inCodeRealm(result);
    } catch (error) {
      return this.refused(error);
    }
    return this.settled(timing, listed);
  }

  put(count: number, keyOrEntries: unknown, value: unknown, options: unknown): Promise<void> {
    let timing: Settlement;
    try {
      requireArgument(SITES[this.iface].put, count, 1, "string or object");
      // An array is not an entries object: the runtime converts it to a key, like any non-object.
      // A function is an object, so its own enumerable properties are entries.
      const isEntries = isIdlObject(keyOrEntries) && !Array.isArray(keyOrEntries);
      // Arguments convert in order, the entries object reading every value; serialising waits
      // until the options are read too (the runtime's own body does it after its arguments).
      const entries = isEntries ? readEntries(keyOrEntries) : undefined;
      const key = entries === undefined ? toIdlString(keyOrEntries) : undefined;
      let flags = toFlags(SITES[this.iface].put, options, 3, "PutOptions");
      if (entries !== undefined) {
        // put(entries, options): the second argument is the options.
        if (!isOptionsBag(value)) throw new TypeError(PUT_SIGNATURE_ERROR);
        flags = toFlags(SITES[this.iface].put, value, 2, "PutOptions");
      } else if (value === undefined) {
        throw new TypeError("put() called with undefined value.");
      }
      // The runtime serialises the values before it reaches the store (or finds its transaction
      // rolled back or committed), and the store checks each key and size.
      const policy = this.rules.policy;
      if (entries === undefined) {
        // One key, its write made of no array (the usual put()).
        const encoded = encodeForStore(policy, value, this.valueFormat);
        this.check("put()");
        const storageKey = this.rules.key(key!);
        const bytes = this.rules.checkValue(storageKey, encoded);
        this.checkContext();
        timing = this.settlement("put", NO_DETAIL, storageKey);
        this.writeKey(storageKey, bytes, flags);
        this.meter.wrote(storageKey, bytes);
      } else {
        const values = encodeValues(policy, entries, this.valueFormat);
        this.check("put()");
        // Each entry becomes its write in place: its key in the stored form, its value's bytes.
        const keys = values.map((entry) => this.rules.checkEntryInPlace(entry)[0]);
        const writes = values as unknown as KeyWrite[];
        this.checkContext();
        timing = this.settlement("put", { keys });
        this.writeKeys(writes, flags);
        const meter = this.meter;
        for (let i = 0; i < writes.length; i++) meter.wrote(writes[i]![0], writes[i]![1]!);
      }
    } catch (error) {
      return this.refused(error);
    }
    return this.settled(timing, undefined);
  }

  delete(count: number, keys: unknown, options: unknown): Promise<boolean | number> {
    requireArgument(SITES[this.iface].delete, count, 1, "string or Array");
    const wanted = toKeys(keys);
    const flags = toFlags(SITES[this.iface].delete, options, 2, "PutOptions");
    // Unlike the other operations, the runtime's delete() throws these refusals rather than reject.
    this.checkContext(true);
    this.check("delete()");
    // So does the KV backend's refusal of an oversized key, before anything is deleted.
    const storageKeys = Array.isArray(wanted) ? [...new Set(this.rules.keys(wanted, "delete"))] : [this.rules.key(wanted)];
    // A transaction's delete of one key it has not written asks the store whether the key
    // exists, which may refuse the key: the transaction has recorded the delete by then
    // (workerd's ActorCache writes the tombstone first), and it stays, to be committed.
    const refusal = Array.isArray(wanted) || this.writtenHere(storageKeys[0]!) ? undefined : this.rules.storeRefusal(storageKeys[0]!);
    if (refusal !== undefined) {
      this.writeKeys([[storageKeys[0]!, undefined]], flags);
      throw refusal;
    }
    let timing: Settlement;
    let existing: string[];
    try {
      timing = Array.isArray(wanted) ? this.settlement("delete", { keys: storageKeys, allowConcurrency: flags.allowConcurrency }) : this.settlement("delete", flags, storageKeys[0]);
      existing = storageKeys.filter((key) => this.readKey(key) !== undefined);
      // A delete of no keys writes nothing, even where every write reaches the store.
      if (storageKeys.length > 0) this.writeKeys(this.deletesKept(storageKeys, existing).map((key): KeyWrite => [key, undefined]), flags);
      this.meter.deleted(storageKeys.length, existing.length);
    } catch (error) {
      return this.refused(error);
    }
    return this.settled(timing, Array.isArray(wanted) ? existing.length : existing.length > 0);
  }

  getAlarm(options: unknown): Promise<number | null> {
    let timing: Settlement;
    let reported: number | null;
    try {
      const { allowConcurrency } = toFlags(SITES[this.iface].getAlarm, options, 1, "GetAlarmOptions");
      this.check("getAlarm()");
      this.checkContext();
      timing = this.settlement("getAlarm", allowConcurrency ? CONCURRENT : {});
      const alarm = this.readAlarm();
      this.meter.alarmRead();
      reported = alarm === null || alarm === this.alarmPolicy.runningAlarm() ? null : Math.trunc(alarm);
    } catch (error) {
      return this.refused(error);
    }
    return this.settled(timing, reported);
  }

  setAlarm(scheduledTime: unknown, options: unknown): Promise<void> {
    let timing: Settlement;
    try {
      const time = toDate(SITES[this.iface].setAlarm, scheduledTime, 1);
      const flags = toFlags(SITES[this.iface].setAlarm, options, 2, "SetAlarmOptions");
      if (time <= 0) throw new TypeError("setAlarm() cannot be called with an alarm time <= 0");
      const policy = this.alarmPolicy;
      policy.assertCanSetAlarm();
      this.check("setAlarm()");
      this.checkContext(true);
      // The runtime moves past times to "now" (whole milliseconds), so getAlarm() reports now.
      const scheduled = Math.max(time, Math.floor(policy.now()));
      timing = this.settlement("setAlarm", {});
      policy.alarmSet(scheduled);
      this.writeAlarm(scheduled, flags);
      this.meter.alarmSet();
    } catch (error) {
      return this.refused(error);
    }
    return this.settled(timing, undefined);
  }

  deleteAlarm(options: unknown): Promise<void> {
    let timing: Settlement;
    try {
      const flags = toFlags(SITES[this.iface].deleteAlarm, options, 1, "SetAlarmOptions");
      this.check("deleteAlarm()");
      this.checkContext();
      timing = this.settlement("deleteAlarm", {});
      const existed = this.readAlarm() !== null;
      this.writeAlarm(null, flags);
      this.meter.alarmDeleted(existed);
    } catch (error) {
      return this.refused(error);
    }
    return this.settled(timing, undefined);
  }
}

/** The key-value methods `ctx.storage` and a transaction share (TypeScript's view of them). */
export interface KeyValueMethods {
  get(keys: unknown, options?: unknown): Promise<unknown>;
  put(keyOrEntries: unknown, value?: unknown, options?: unknown): Promise<void>;
  delete(keys: unknown, options?: unknown): Promise<boolean | number>;
  list(options?: unknown): Promise<Map<string, unknown>>;
  getAlarm(options?: unknown): Promise<number | null>;
  setAlarm(scheduledTime: number | Date, options?: unknown): Promise<void>;
  deleteAlarm(options?: unknown): Promise<void>;
}

/**
 * Puts the KeyValueMethods on `cls`'s own prototype (the runtime's objects have one prototype
 * each, so the two classes cannot share a base class), forwarding each call, with its argument
 * count, to the instance's KeyValueOperations.
 */
export function defineKeyValueMethods(cls: Function, operationsOf: (self: object) => KeyValueOperations): void {
  const methods: KeyValueMethods & ThisType<object> = {
    get(keys, options) {
      return operationsOf(this).get(arguments.length, keys, options);
    },
    put(keyOrEntries, value, options) {
      return operationsOf(this).put(arguments.length, keyOrEntries, value, options);
    },
    delete(keys, options) {
      return operationsOf(this).delete(arguments.length, keys, options);
    },
    list(options) {
      return operationsOf(this).list(options);
    },
    getAlarm(options) {
      return operationsOf(this).getAlarm(options);
    },
    setAlarm(scheduledTime, options) {
      return operationsOf(this).setAlarm(scheduledTime, options);
    },
    deleteAlarm(options) {
      return operationsOf(this).deleteAlarm(options);
    },
  };
  for (const [name, method] of Object.entries(methods)) {
    Object.defineProperty(cls.prototype, name, { value: method, writable: true, configurable: true });
  }
}
