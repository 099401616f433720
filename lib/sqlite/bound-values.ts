import { types } from "node:util";
import { utf8Length } from "../util/utf8.js";
import { toIdlString } from "../util/webidl.js";
import { MAX_LENGTH } from "./native-limits.js";
import { sqliteError } from "./sqlite-error.js";
import type { BoundValue } from "./statement.js";

const TOO_BIG = () => sqliteError("string or blob too big", "SQLITE_TOOBIG");

/**
 * Converts an `exec()` argument the way workerd's WebIDL binding does
 * (`kj::Maybe<kj::OneOf<kj::Array<const byte>, kj::String, double>>`): numbers stay numbers
 * (bound as REAL), buffers (shared ones too) become BLOBs, null/undefined NULL, and everything
 * else - booleans and objects included - is converted to a string as Web IDL does (so a Symbol
 * is refused). BigInt is refused like any BigInt-to-number conversion. A string keeps its lone
 * surrogates: sql.js writes each as its three WTF-8 bytes, as workerd does (a TEXT value then
 * reads back with three U+FFFD for it, as workerd's does).
 */
export function toBoundValue(value: unknown): BoundValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") throw new TypeError("Cannot convert a BigInt value to a number");
  // A detached buffer (or a view over one) reads as no bytes, and binds an empty BLOB as in
  // workerd; a Uint8Array over it would throw. An empty one is the same BLOB.
  // Buffers are told by internal type: one of another realm (a Jest test file's) is a BLOB too.
  if (types.isAnyArrayBuffer(value)) return value.byteLength === 0 ? new Uint8Array(0) : new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return value.byteLength === 0 ? new Uint8Array(0) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return toIdlString(value);
}

/** SQLite's SQLITE_LIMIT_LENGTH check, made when a value is bound. */
export function checkBoundLength(value: BoundValue): void {
  const length = typeof value === "string" ? utf8Length(value) : value instanceof Uint8Array ? value.length : 0;
  if (length > MAX_LENGTH) throw TOO_BIG();
}

/**
 * SQLite's check of a row it is about to store: the record (a header of its own length and one
 * serial type per column, then the values' bytes) may not exceed the length limit. This is the
 * row of the key-value table (`key TEXT PRIMARY KEY, value BLOB`) that `ctx.storage.put()` and
 * `storage.kv.put()` write on SQLite-backed objects: a key of `keyBytes` UTF-8 bytes and a
 * serialised value of `valueBytes`.
 */
export function checkKeyValueRecord(keyBytes: number, valueBytes: number): void {
  const refusal = keyValueRecordRefusal(keyBytes, valueBytes);
  if (refusal !== undefined) throw refusal;
}

/** The error checkKeyValueRecord() throws for such a row, if it refuses it. */
export function keyValueRecordRefusal(keyBytes: number, valueBytes: number): Error | undefined {
  const types = varintLength(2 * keyBytes + 13) + varintLength(2 * valueBytes + 12);
  const header = types + varintLength(types + 1);
  return header + keyBytes + valueBytes > MAX_LENGTH ? TOO_BIG() : undefined;
}

/** Bytes of SQLite's variable-length integer for `value` (7 bits a byte, up to 9 bytes). */
function varintLength(value: number): number {
  let bytes = 1;
  while (value >= 2 ** (7 * bytes) && bytes < 9) bytes++;
  return bytes;
}
