import type { StorageBackend } from "./backend.js";
import { encodeValue } from "./codec.js";
import { normalizeKey, utf8Length } from "./key-order.js";

/**
 * Per-backend limits. The KV backend enforces production's limits; the SQLite backend has no
 * separate key/value limits at this layer (SQLite's own length limit applies there).
 */
const KV_MAX_KEY_BYTES = 2048;
const KV_MAX_VALUE_BYTES = 131072;
/** The runtime's check allows this much serialization overhead above the advertised limit. */
const KV_VALUE_ALLOWANCE = 34;
const KV_MAX_GET_KEYS = 128;

export class KeyValueRules {
  constructor(readonly kind: StorageBackend["kind"]) {}

  /** Coerces like the runtime (`String(key)`), normalises to UTF-8, and checks the size limit. */
  key(key: unknown): string {
    const normalized = this.#text(key);
    if (this.kind === "kv") {
      const size = utf8Length(normalized);
      if (size > KV_MAX_KEY_BYTES) {
        throw new RangeError(`Keys cannot be larger than ${KV_MAX_KEY_BYTES} bytes. A key of size ${size} was provided.`);
      }
    }
    return normalized;
  }

  /**
   * Keys of a batch operation, checked as the KV backend checks them: `get()` takes at most 128
   * keys but does not check their size; `delete()` checks their size but not their number.
   */
  keys(keys: readonly unknown[], operation: "get" | "delete"): string[] {
    if (this.kind !== "kv") return keys.map((key) => this.#text(key));
    if (operation === "get") {
      if (keys.length > KV_MAX_GET_KEYS) {
        throw new RangeError(`Maximum number of key value pairs is ${KV_MAX_GET_KEYS}. ${keys.length} pairs were provided.`);
      }
      return keys.map((key) => this.#text(key));
    }
    return keys.map((key) => this.key(key));
  }

  /** The key as stored: the KV backend keeps lone surrogates distinct, as workerd does. */
  storageKey(key: string): string {
    return this.kind === "kv" ? key : normalizeKey(key);
  }

  #text(key: unknown): string {
    return this.storageKey(String(key));
  }

  /** Serialises a value for storage, enforcing the KV backend's size limit. */
  value(value: unknown): Uint8Array {
    const bytes = encodeValue(value);
    if (this.kind === "kv" && bytes.byteLength > KV_MAX_VALUE_BYTES + KV_VALUE_ALLOWANCE) {
      throw new RangeError(
        `Values cannot be larger than ${KV_MAX_VALUE_BYTES} bytes. A value of size ${bytes.byteLength} was provided.`,
      );
    }
    return bytes;
  }
}

export const PUT_SIGNATURE_ERROR =
  "put() may only be called with a single key-value pair and optional options as put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)";

/** Validated writes of one `put(entries)` call: encoded up front, so a bad entry applies nothing. */
export function encodeEntries(rules: KeyValueRules, entries: object): Array<[string, Uint8Array]> {
  const out: Array<[string, Uint8Array]> = [];
  for (const [key, value] of Object.entries(entries)) {
    if (value === undefined) continue; // the runtime skips undefined values in put(entries)
    out.push([rules.key(key), rules.value(value)]);
  }
  return out;
}

export function isOptionsBag(value: unknown): boolean {
  return value === undefined || value === null || typeof value === "object";
}
