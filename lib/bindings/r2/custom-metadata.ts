import { asDecodedFromWtf8 } from "../../util/utf8.js";
import { toIdlString } from "../../util/webidl.js";
import { fieldTypeError, isDictionary } from "../shared/webidl.js";
import { type R2Operation, r2Error } from "./errors.js";

/**
 * Custom metadata: an object whose values are stored as strings (a symbol is refused), at most
 * 2048 bytes of keys and values together on put(). Each key and value counts as the service
 * (Miniflare 4) measures it: a byte per character when every character is Latin-1 (below
 * U+0100), two per UTF-16 unit otherwise, so "é" counts one and "€" two, and one "€" makes a
 * whole string count double. Keys and values reach the service as the runtime writes strings
 * (a lone surrogate as its WTF-8 bytes), so each lone surrogate is stored, measured and read
 * back as three U+FFFD.
 */
export const MAX_CUSTOM_METADATA_BYTES = 2048;

export function convertCustomMetadata(value: unknown, dictionary: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isDictionary(value) || Array.isArray(value)) throw fieldTypeError("customMetadata", dictionary, "object");
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) out[asDecodedFromWtf8(key)] = asDecodedFromWtf8(toIdlString(value[key]));
  return out;
}

export function checkCustomMetadataSize(metadata: Record<string, string>, operation: R2Operation): void {
  let bytes = 0;
  for (const [key, value] of Object.entries(metadata)) bytes += measured(key) + measured(value);
  if (bytes > MAX_CUSTOM_METADATA_BYTES) throw r2Error(operation, "metadataTooLarge");
}

function measured(text: string): number {
  return /[^\u0000-\u00ff]/.test(text) ? text.length * 2 : text.length;
}
