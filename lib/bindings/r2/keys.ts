import { keyAsListed } from "../../storage/keys.js";
import { utf8Length } from "../../util/utf8.js";
import { toIdlString } from "../../util/webidl.js";
import { type R2Operation, r2Error } from "./errors.js";

/**
 * R2 object keys: any string up to 1024 UTF-8 bytes, the empty string included. A lone
 * surrogate cannot travel in UTF-8: it arrives as three U+FFFD, which is the key stored and
 * listed (and counted).
 */
export const MAX_KEY_BYTES = 1024;

export function objectKey(key: unknown, operation: R2Operation): string {
  const normalized = asCarried(key);
  if (utf8Length(normalized) > MAX_KEY_BYTES) throw r2Error(operation, "invalidObjectName");
  return normalized;
}

/**
 * A string argument as the runtime carries it (in UTF-8): each lone surrogate becomes three
 * U+FFFD. A resumed upload's key and id read back this way too, though resuming sends nothing.
 */
export function asCarried(value: unknown): string {
  return keyAsListed(toIdlString(value));
}
