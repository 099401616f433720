import { utf8Length } from "../util/utf8.js";
import { toIdlString } from "../util/webidl.js";
import { sqliteError } from "./sqlite-error.js";
import type { BoundValue } from "./statement.js";

/**
 * The largest string or blob workerd 1.20261117 accepted as a parameter: 8,388,609 bytes
 * passed and 8,400,000 failed with "string or blob too big" (the boundary lies in between;
 * the reference's 4 MiB is no longer what the runtime enforces). sql.js itself allows 1e9.
 */
export const MAX_BOUND_LENGTH = 8_388_609;

/**
 * Converts an `exec()` argument the way workerd's WebIDL binding does
 * (`kj::Maybe<kj::OneOf<kj::Array<const byte>, kj::String, double>>`): numbers stay numbers
 * (bound as REAL), buffers (shared ones too) become BLOBs, null/undefined NULL, and everything
 * else - booleans and objects included - is converted to a string as Web IDL does (so a Symbol
 * is refused). BigInt is refused like any BigInt-to-number conversion.
 */
export function toBoundValue(value: unknown): BoundValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") throw new TypeError("Cannot convert a BigInt value to a number");
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return toIdlString(value).toWellFormed();
}

/** SQLite's SQLITE_LIMIT_LENGTH check, made when a value is bound. */
export function checkBoundLength(value: BoundValue): void {
  const length = typeof value === "string" ? utf8Length(value) : value instanceof Uint8Array ? value.length : 0;
  if (length > MAX_BOUND_LENGTH) throw sqliteError("string or blob too big", "SQLITE_TOOBIG");
}
