import { toIdlString } from "../../util/webidl.js";
import { fieldTypeError, isDictionary } from "../shared/webidl.js";
import { type R2Operation, r2Error } from "./errors.js";

/**
 * Custom metadata: an object whose values are stored as strings (a symbol is refused), at most
 * 2048 bytes of keys and values together (UTF-8) on put().
 */
export const MAX_CUSTOM_METADATA_BYTES = 2048;

export function convertCustomMetadata(value: unknown, dictionary: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isDictionary(value) || Array.isArray(value)) throw fieldTypeError("customMetadata", dictionary, "object");
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) out[key] = toIdlString(value[key]);
  return out;
}

export function checkCustomMetadataSize(metadata: Record<string, string>, operation: R2Operation): void {
  let bytes = 0;
  for (const [key, value] of Object.entries(metadata)) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  if (bytes > MAX_CUSTOM_METADATA_BYTES) throw r2Error(operation, "metadataTooLarge");
}
