import { encodeValue, leastEncodedBytes, type ValueFormat } from "../codec.js";
import type { StoragePolicy } from "../policy.js";
import { utf8Length } from "../../util/utf8.js";
import { isIdlObject } from "../../util/webidl.js";
import { appendOwn } from "../../util/own-arrays.js";

/**
 * Keys and values as the storage API checks them once converted (see arguments.ts): put in the
 * backend's key form and held to the policy's limits (production's, on KV-backed objects;
 * SQLite's own length limit applies on SQLite-backed ones).
 */
export class KeyValueRules {
  /** One per policy: the rules hold nothing of an object's own, and every object's storage uses them. */
  static readonly #byPolicy = new WeakMap<StoragePolicy, KeyValueRules>();

  static of(policy: StoragePolicy): KeyValueRules {
    let rules = KeyValueRules.#byPolicy.get(policy);
    if (rules === undefined) KeyValueRules.#byPolicy.set(policy, (rules = new KeyValueRules(policy)));
    return rules;
  }

  /**
   * @param store the storage's own rules, on a transaction's (see inTransaction): the store
   * behind the transaction still checks the keys it is asked to read.
   */
  private constructor(
    readonly policy: StoragePolicy,
    private readonly store?: KeyValueRules,
  ) {}

  #inTransaction: KeyValueRules | undefined;

  /**
   * The rules of a `transaction()`'s `txn`. workerd's KV backend checks key and value sizes in
   * the storage object's own operations, not in its transactions: `txn.put()` of a 2049-byte
   * key or a 131101-character string succeeds and commits (a later `storage.get()` of that key
   * still refuses it). `txn.get()` of more than 128 keys is refused as outside, counting only
   * the keys it reads from the store (see `keys`), and a single key it reads from the store is
   * held to the store's size limit (see `storeRefusal`).
   */
  inTransaction(): KeyValueRules {
    const limits = this.policy.limits;
    if (limits === undefined) return this;
    return (this.#inTransaction ??= new KeyValueRules(
      { ...this.policy, limits: { ...limits, maxKeyBytes: Infinity, maxValueBytes: Infinity } },
      this,
    ));
  }

  /** Normalises to the stored form and checks the size limit. */
  key(key: string): string {
    const normalized = this.#text(key);
    const refusal = this.#sizeRefusal(normalized);
    if (refusal !== undefined) throw refusal;
    return normalized;
  }

  /**
   * The store's refusal of a single key (stored form) that a transaction's `get()` or `delete()`
   * reads from it, not having written it: workerd's KV backend answers such a read through the
   * storage's cache, which checks the key's size although the transaction itself does not (an
   * array's keys are not checked). Undefined when the store takes the key, or outside a
   * transaction, whose own `key()` already checked it.
   */
  storeRefusal(storageKey: string): RangeError | undefined {
    return this.store === undefined ? undefined : this.store.#sizeRefusal(storageKey);
  }

  #sizeRefusal(normalized: string): RangeError | undefined {
    const limits = this.policy.limits;
    // A UTF-16 unit is at most 3 bytes of UTF-8: most keys are too short to need counting.
    if (limits === undefined || normalized.length * 3 <= limits.maxKeyBytes) return undefined;
    const size = utf8Length(normalized);
    if (size <= limits.maxKeyBytes) return undefined;
    return new RangeError(`Keys cannot be larger than ${limits.maxKeyBytes} bytes. A key of size ${size} was provided.`);
  }

  /**
   * Keys of a batch operation, checked as the KV backend checks them: `get()` takes at most 128
   * keys but does not check their size; `delete()` checks their size but not their number.
   * `written`: keys a transaction answers from its own writes, which never reach the store and
   * so are not counted (duplicates of the others are).
   */
  keys(keys: readonly string[], operation: "get" | "delete", written: (key: string) => boolean = () => false): string[] {
    const limits = this.policy.limits;
    if (limits === undefined) return keys.map((key) => this.#text(key));
    if (operation === "get") {
      const normalized = keys.map((key) => this.#text(key));
      const fromStore = normalized.length > limits.maxGetKeys ? normalized.filter((key) => !written(key)).length : 0;
      if (fromStore > limits.maxGetKeys) {
        throw new RangeError(`Maximum number of key value pairs is ${limits.maxGetKeys}. ${fromStore} pairs were provided.`);
      }
      return normalized;
    }
    return keys.map((key) => this.key(key));
  }

  /** The key as stored (see StoragePolicy.storageKey). */
  storageKey(key: string): string {
    return this.policy.storageKey(key);
  }

  #text(key: string): string {
    return this.policy.storageKey(key);
  }

  /**
   * One entry to write, its value already serialised (see `encodeValues`: the runtime serialises
   * a value before its key reaches the store's checks, so a value that cannot be cloned is
   * refused ahead of an oversized key): its key's limit, then its value's, then the backend's own
   * check. Makes `entry` the write itself, in place (a put() makes no second pair): its key as
   * stored, its value's bytes; and returns it.
   */
  checkEntryInPlace(entry: [key: string, value: EncodedValue]): [key: string, bytes: Uint8Array] {
    const storageKey = this.key(entry[0]);
    entry[1] = this.checkValue(storageKey, entry[1]);
    entry[0] = storageKey;
    return entry as [key: string, bytes: Uint8Array];
  }

  /**
   * The checks of an entry's value, its key `storageKey` already checked (see checkEntryInPlace):
   * its limit, then the backend's own check; returns its bytes once they pass.
   */
  checkValue(storageKey: string, value: EncodedValue): Uint8Array {
    const limits = this.policy.limits;
    if (limits !== undefined && value instanceof Uint8Array && value.byteLength > limits.maxValueBytes + limits.valueAllowance) {
      throw new RangeError(
        `Values cannot be larger than ${limits.maxValueBytes} bytes. A value of size ${value.byteLength} was provided.`,
      );
    }
    return checkEntry(this.policy, storageKey, value);
  }
}

export const PUT_SIGNATURE_ERROR =
  "put() may only be called with a single key-value pair and optional options as put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)";

/**
 * The entries of a `put(entries)` call as the runtime converts its argument: every own
 * enumerable string-keyed value is read (running its getter) before the options are converted
 * or any value is serialised, so a throwing getter is thrown ahead of an options getter's error
 * and of a value that cannot be cloned. Undefined values are skipped, as the runtime skips them.
 */
export function readEntries(entries: object): Array<[string, unknown]> {
  const read: Array<[string, unknown]> = [];
  const keys = Object.keys(entries);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = (entries as Record<string, unknown>)[key];
    if (value !== undefined) appendOwn(read, [key, value]);
  }
  return read;
}

/**
 * The values of one `put()` call serialised up front, so a bad entry applies nothing. As in the
 * runtime, every value is serialised before any entry's key or size is checked (see
 * `KeyValueRules.checkEntryInPlace`): a value that cannot be cloned is refused even after an entry
 * whose key is too large. Each of readEntries' pairs becomes its write in place (a second array
 * of pairs was garbage made for every put(entries)): the entries are not to be used otherwise.
 */
export function encodeValues(policy: StoragePolicy, entries: Array<[string, unknown]>, format: ValueFormat): Array<[string, EncodedValue]> {
  for (let i = 0; i < entries.length; i++) entries[i]![1] = encodeForStore(policy, entries[i]![1], format);
  return entries as Array<[string, EncodedValue]>;
}

/** A value the store refuses whatever its exact size, left unserialised (see StoragePolicy.oversized). */
export class Oversized {
  constructor(readonly refusal: Error) {}
}

/** A value to store, serialised, or Oversized where serialising it would change nothing but the cost. */
export type EncodedValue = Uint8Array | Oversized;

/**
 * No store refuses a value by its least size below this (SQLite's record limit is about 8 MB),
 * so the usual small value skips the policy's check.
 */
const NEVER_OVERSIZED_BELOW = 1 << 20;

export type { ValueFormat } from "../codec.js";

/** `value` serialised for `policy`'s store, unless its least size is already refused (a string cannot fail to serialise). */
export function encodeForStore(policy: StoragePolicy, value: unknown, format: ValueFormat): EncodedValue {
  const least = leastEncodedBytes(value);
  const refusal = least < NEVER_OVERSIZED_BELOW ? undefined : policy.oversized(least);
  return refusal === undefined ? encodeValue(value, format) : new Oversized(refusal);
}

/** The backend's own check of an entry (`key` as stored); returns the value's bytes once they pass. */
export function checkEntry(policy: StoragePolicy, key: string, value: EncodedValue): Uint8Array {
  if (value instanceof Oversized) throw value.refusal;
  policy.checkEntry(key, value);
  return value;
}

export function isOptionsBag(value: unknown): boolean {
  return value === undefined || value === null || isIdlObject(value);
}
