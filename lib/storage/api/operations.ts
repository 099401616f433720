import type { KeyRange, StorageBackend, StorageEntry } from "../backend.js";
import type { BatchWriter } from "../coalescer.js";
import { decodeValue } from "../codec.js";
import { nextTurnPromise } from "../../util/turn.js";
import { compareKeys, keyAsListed } from "../keys.js";
import { compileListOptions, type ListOptions } from "../list-options.js";
import { encodeEntries, isOptionsBag, PUT_SIGNATURE_ERROR, type KeyValueRules } from "./validation.js";

export interface GetOptions {
  allowConcurrency?: boolean;
  noCache?: boolean;
}
export interface PutOptions {
  allowConcurrency?: boolean;
  allowUnconfirmed?: boolean;
  noCache?: boolean;
}
export interface SetAlarmOptions {
  allowConcurrency?: boolean;
  allowUnconfirmed?: boolean;
}

/** A write of one key: encoded bytes, or undefined for a delete. */
export type KeyWrite = [key: string, value: Uint8Array | undefined];

/** Applies key writes to the backend, inside the writer's open batch. */
export function applyWrites(backend: StorageBackend, writer: BatchWriter, writes: KeyWrite[], options: PutOptions): void {
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

/**
 * The operations `ctx.storage` and a `transaction()`'s `txn` have in common: argument handling,
 * validation and result shaping. Subclasses supply where reads come from and where writes go.
 * Every public method returns a promise, and validation errors reject it, as in the runtime.
 */
export abstract class StorageOperations {
  protected abstract readonly rules: KeyValueRules;
  /** The Web IDL interface name the runtime's argument-conversion errors mention. */
  protected abstract readonly interfaceName: "DurableObjectStorage" | "DurableObjectTransaction";
  protected abstract readonly alarmPolicy: AlarmPolicy;
  /** Throws when the operation `op` (e.g. "get()") may not run now. */
  protected abstract check(op: string): void;
  protected abstract readKey(key: string): Uint8Array | undefined;
  protected abstract readRange(range: KeyRange): StorageEntry[];
  protected abstract writeKeys(writes: KeyWrite[], options: PutOptions): void;
  protected abstract readAlarm(): number | null;
  protected abstract writeAlarm(scheduledTime: number | null, options: SetAlarmOptions): void;

  async get(keys: unknown, options?: GetOptions): Promise<unknown> {
    if (arguments.length === 0) throw this.#missingArgument("get", "string or Array");
    this.check("get()");
    // On the KV backend a read that may run concurrently completes as I/O, in a later turn,
    // which lets other events in; SQLite reads are synchronous whatever the option says.
    if (options?.allowConcurrency && this.rules.policy.concurrentReadsYield) await nextTurnPromise();
    if (Array.isArray(keys)) {
      const wanted = [...new Set(this.rules.keys(keys, "get"))].sort(compareKeys);
      const result = new Map<string, unknown>();
      for (const key of wanted) {
        const bytes = this.readKey(key);
        if (bytes !== undefined) result.set(keyAsListed(key), decodeValue(bytes));
      }
      return result;
    }
    const bytes = this.readKey(this.rules.key(keys));
    return bytes === undefined ? undefined : decodeValue(bytes);
  }

  async list(options?: ListOptions): Promise<Map<string, unknown>> {
    if (options !== undefined && options !== null && typeof options !== "object") {
      throw new TypeError(`Failed to execute 'list' on '${this.interfaceName}': parameter 1 is not of type 'ListOptions'.`);
    }
    this.check("list()");
    const range = compileListOptions(options ?? {}, (key) => this.rules.storageKey(key));
    const result = new Map<string, unknown>();
    if (range === null) return result;
    for (const [key, bytes] of this.readRange(range)) result.set(keyAsListed(key), decodeValue(bytes));
    return result;
  }

  async put(keyOrEntries: unknown, value?: unknown, options?: PutOptions): Promise<void> {
    if (arguments.length === 0) throw this.#missingArgument("put", "string or object");
    this.check("put()");
    // An array is not an entries object: the runtime coerces it to a key, like any non-object.
    if (typeof keyOrEntries === "object" && keyOrEntries !== null && !Array.isArray(keyOrEntries)) {
      if (!isOptionsBag(value)) throw new TypeError(PUT_SIGNATURE_ERROR);
      const writes = encodeEntries(this.rules, keyOrEntries);
      this.writeKeys(writes, (value as PutOptions | undefined) ?? {});
      return;
    }
    if (value === undefined) throw new TypeError("put() called with undefined value.");
    const key = this.rules.key(keyOrEntries);
    this.writeKeys([[key, this.rules.value(value)]], options ?? {});
  }

  async delete(keys: unknown, options?: PutOptions): Promise<boolean | number> {
    this.check("delete()");
    if (Array.isArray(keys)) {
      const unique = [...new Set(this.rules.keys(keys, "delete"))];
      const existing = unique.filter((key) => this.readKey(key) !== undefined);
      this.writeKeys(existing.map((key): KeyWrite => [key, undefined]), options ?? {});
      return existing.length;
    }
    const key = this.rules.key(keys);
    const existed = this.readKey(key) !== undefined;
    if (existed) this.writeKeys([[key, undefined]], options ?? {});
    return existed;
  }

  async getAlarm(_options?: GetOptions): Promise<number | null> {
    this.check("getAlarm()");
    const alarm = this.readAlarm();
    return alarm === null || alarm === this.alarmPolicy.runningAlarm() ? null : Math.trunc(alarm);
  }

  async setAlarm(scheduledTime: number | Date, options?: SetAlarmOptions): Promise<void> {
    const time = alarmTime(scheduledTime, this.interfaceName);
    this.check("setAlarm()");
    if (time <= 0) throw new TypeError("setAlarm() cannot be called with an alarm time <= 0");
    this.alarmPolicy.assertCanSetAlarm();
    // The runtime moves past times to "now" (whole milliseconds), so getAlarm() reports now.
    const scheduled = Math.max(time, Math.floor(this.alarmPolicy.now()));
    this.alarmPolicy.alarmSet(scheduled);
    this.writeAlarm(scheduled, options ?? {});
  }

  async deleteAlarm(options?: SetAlarmOptions): Promise<void> {
    this.check("deleteAlarm()");
    this.writeAlarm(null, options ?? {});
  }

  /** The runtime's Web IDL error for a missing required argument. */
  #missingArgument(method: string, type: string): TypeError {
    return new TypeError(`Failed to execute '${method}' on '${this.interfaceName}': parameter 1 is not of type '${type}'.`);
  }
}

/** 2^63 nanoseconds: the runtime's date type is a signed 64-bit nanosecond count. */
const MAX_DATE_NANOS = 2 ** 63;

/**
 * Converts setAlarm()'s argument as the runtime's `Date` parameter does: a number or a Date
 * (nothing else is coerced), finite, within the 64-bit nanosecond range, truncated to whole
 * milliseconds (so 0.5 becomes 0, which setAlarm() then rejects).
 */
function alarmTime(value: unknown, interfaceName: string): number {
  let millis: number;
  if (value instanceof Date) millis = value.getTime();
  else if (typeof value === "number") millis = value;
  else throw new TypeError(`Failed to execute 'setAlarm' on '${interfaceName}': parameter 1 is not of type 'date'.`);
  if (!Number.isFinite(millis)) throw new TypeError("The value cannot be converted because it is not a valid Date.");
  const nanos = millis * 1e6;
  if (nanos >= MAX_DATE_NANOS) throw new TypeError("This API doesn't support dates after 2189.");
  if (nanos <= -MAX_DATE_NANOS) throw new TypeError("This API doesn't support dates before 1687.");
  return Math.trunc(millis) || 0;
}
