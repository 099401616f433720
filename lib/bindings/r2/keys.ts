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
  const normalized = keyAsListed(toIdlString(key));
  if (utf8Length(normalized) > MAX_KEY_BYTES) throw r2Error(operation, "invalidObjectName");
  return normalized;
}
