import type { KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import type { BatchWriter } from "../coalescer.js";
import { decodeValue } from "../codec.js";
import { nextTurnPromise } from "../../util/turn.js";
import { requireArgument, type Site, site, toDate, toIdlString } from "../../util/webidl.js";
import { compareKeys, keyAsListed } from "../keys.js";
import { compileListOptions } from "../list-options.js";
import { toFlags, toKeys, toListOptions } from "./arguments.js";
import { encodeEntries, isOptionsBag, PUT_SIGNATURE_ERROR, type KeyValueRules } from "./validation.js";

/** What a write may ask for: not to hold the output gate. */
export interface WriteOptions {
  allowUnconfirmed: boolean;
}

/** A write of one key: encoded bytes, or undefined for a delete. */
export type KeyWrite = [key: string, value: Uint8Array | undefined];

/** Applies key writes to the backend, inside the writer's open batch. */
export function applyWrites(backend: StorageBackend, writer: BatchWriter, writes: KeyWrite[], options: WriteOptions): void {
  if (writes.length === 0) return;
  writer.beginWrite(options.allowUnconfirmed);
  for (const [key, value] of writes) {
    if (value === undefined) backend.delete(key);
    else backend.put(key, value);
  }
}

/** The alarm rules the storage API needs from the object that owns it. */
export interface AlarmPolicy {
  /** Throws the runtime's TypeError when the object cannot set alarms (no alarm() handler). */
  assertCanSetAlarm(): void;
  /** The current time in epoch milliseconds, on the emulator's clock. */
  now(): number;
  /** The alarm whose alarm() handler is running: it stays stored, but getAlarm() reports null. */
  runningAlarm(): number | null;
  /** setAlarm() is writing `time` (a handler setting its own alarm's time again makes a new alarm). */
  alarmSet(time: number): void;
}

/** Where `ctx.storage`'s or a transaction's operations read and write. */
export interface KeyValueSource {
  /** Throws when the operation `op` (e.g. "get()") may not run now. */
  check(op: string): void;
  readKey(key: string): Uint8Array | undefined;
  readRange(range: KeyRange): StorageEntry[];
  writeKeys(writes: KeyWrite[], options: WriteOptions): void;
  readAlarm(): number | null;
  writeAlarm(scheduledTime: number | null, options: WriteOptions): void;
  readonly alarmPolicy: AlarmPolicy;
}

type Operation = "get" | "put" | "delete" | "list" | "getAlarm" | "setAlarm" | "deleteAlarm";

/**
 * The operations `ctx.storage` and a `transaction()`'s `txn` have in common, from the
 * arguments as passed (with their count: a missing argument and an explicit `undefined`
 * differ) to the result: Web IDL conversion, validation, result shaping. Conversion errors
 * reject the returned promise, except delete()'s, which throw, as in the runtime.
 */
export class KeyValueOperations {
  readonly #sites: Record<Operation, Site>;
  readonly #rules: KeyValueRules;
  readonly #source: KeyValueSource;

  constructor(iface: "DurableObjectStorage" | "DurableObjectTransaction", rules: KeyValueRules, source: KeyValueSource) {
    const at = (method: Operation) => site(iface, method);
    this.#sites = {
      get: at("get"),
      put: at("put"),
      delete: at("delete"),
      list: at("list"),
      getAlarm: at("getAlarm"),
      setAlarm: at("setAlarm"),
      deleteAlarm: at("deleteAlarm"),
    };
    this.#rules = rules;
    this.#source = source;
  }

  async get(count: number, keys: unknown, options: unknown): Promise<unknown> {
    requireArgument(this.#sites.get, count, 1, "string or Array");
    const wanted = toKeys(keys);
    const { allowConcurrency } = toFlags(this.#sites.get, options, 2, "GetOptions");
    this.#source.check("get()");
    // On the KV backend a read that may run concurrently completes as I/O, in a later turn,
    // which lets other events in; SQLite reads are synchronous whatever the option says.
    if (allowConcurrency && this.#rules.policy.concurrentReadsYield) await nextTurnPromise();
    if (Array.isArray(wanted)) {
      const result = new Map<string, unknown>();
      for (const key of [...new Set(this.#rules.keys(wanted, "get"))].sort(compareKeys)) {
        const bytes = this.#source.readKey(key);
        if (bytes !== undefined) result.set(keyAsListed(key), decodeValue(bytes));
      }
      return result;
    }
    const bytes = this.#source.readKey(this.#rules.key(wanted));
    return bytes === undefined ? undefined : decodeValue(bytes);
  }

  async list(options: unknown): Promise<Map<string, unknown>> {
    const converted = toListOptions(this.#sites.list, options, 1);
    this.#source.check("list()");
    const range = compileListOptions(converted, (key) => this.#rules.storageKey(key));
    const result = new Map<string, unknown>();
    if (range === null) return result;
    for (const [key, bytes] of this.#source.readRange(range)) result.set(keyAsListed(key), decodeValue(bytes));
    return result;
  }

  async put(count: number, keyOrEntries: unknown, value: unknown, options: unknown): Promise<void> {
    requireArgument(this.#sites.put, count, 1, "string or object");
    // An array is not an entries object: the runtime converts it to a key, like any non-object.
    const entries = typeof keyOrEntries === "object" && keyOrEntries !== null && !Array.isArray(keyOrEntries) ? keyOrEntries : undefined;
    const key = entries === undefined ? toIdlString(keyOrEntries) : undefined;
    const flags = toFlags(this.#sites.put, options, 3, "PutOptions");
    this.#source.check("put()");
    if (entries !== undefined) {
      // put(entries, options): the second argument is the options.
      if (!isOptionsBag(value)) throw new TypeError(PUT_SIGNATURE_ERROR);
      const writes = encodeEntries(this.#rules, entries);
      this.#source.writeKeys(writes, toFlags(this.#sites.put, value, 2, "PutOptions"));
      return;
    }
    if (value === undefined) throw new TypeError("put() called with undefined value.");
    this.#source.writeKeys([[this.#rules.key(key!), this.#rules.value(value)]], flags);
  }

  delete(count: number, keys: unknown, options: unknown): Promise<boolean | number> {
    requireArgument(this.#sites.delete, count, 1, "string or Array");
    const wanted = toKeys(keys);
    const flags = toFlags(this.#sites.delete, options, 2, "PutOptions");
    return this.#delete(wanted, flags);
  }

  async #delete(wanted: string | string[], flags: WriteOptions): Promise<boolean | number> {
    this.#source.check("delete()");
    if (Array.isArray(wanted)) {
      const existing = [...new Set(this.#rules.keys(wanted, "delete"))].filter((key) => this.#source.readKey(key) !== undefined);
      this.#source.writeKeys(existing.map((key): KeyWrite => [key, undefined]), flags);
      return existing.length;
    }
    const key = this.#rules.key(wanted);
    const existed = this.#source.readKey(key) !== undefined;
    if (existed) this.#source.writeKeys([[key, undefined]], flags);
    return existed;
  }

  async getAlarm(options: unknown): Promise<number | null> {
    toFlags(this.#sites.getAlarm, options, 1, "GetAlarmOptions");
    this.#source.check("getAlarm()");
    const alarm = this.#source.readAlarm();
    return alarm === null || alarm === this.#source.alarmPolicy.runningAlarm() ? null : Math.trunc(alarm);
  }

  async setAlarm(scheduledTime: unknown, options: unknown): Promise<void> {
    const time = toDate(this.#sites.setAlarm, scheduledTime, 1);
    const flags = toFlags(this.#sites.setAlarm, options, 2, "SetAlarmOptions");
    this.#source.check("setAlarm()");
    if (time <= 0) throw new TypeError("setAlarm() cannot be called with an alarm time <= 0");
    const policy = this.#source.alarmPolicy;
    policy.assertCanSetAlarm();
    // The runtime moves past times to "now" (whole milliseconds), so getAlarm() reports now.
    const scheduled = Math.max(time, Math.floor(policy.now()));
    policy.alarmSet(scheduled);
    this.#source.writeAlarm(scheduled, flags);
  }

  async deleteAlarm(options: unknown): Promise<void> {
    const flags = toFlags(this.#sites.deleteAlarm, options, 1, "SetAlarmOptions");
    this.#source.check("deleteAlarm()");
    this.#source.writeAlarm(null, flags);
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
