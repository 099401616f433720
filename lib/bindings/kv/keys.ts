import { utf8Length } from "../../util/utf8.js";
import { type KvOperation, kvServiceError } from "./errors.js";

/**
 * KV key rules. The binding itself refuses the empty key and the names "." and ".." (they
 * would be path segments in the service's URL); the service refuses keys longer than 512
 * UTF-8 bytes (414) and keys that are not valid Unicode (a lone surrogate cannot be
 * URL-decoded; 400).
 */
export const MAX_KEY_BYTES = 512;

/** The binding's own checks: TypeErrors. */
export function checkKeyName(key: string): void {
  if (key === "") throw new TypeError("Key name cannot be empty.");
  if (key === "." || key === "..") throw new TypeError(`"${key}" is not allowed as a key name.`);
}

/** The service's checks on a key sent in a URL. */
export function checkKeyForService(key: string, operation: KvOperation): void {
  checkKeyLength(key, operation);
  if (!key.isWellFormed()) throw kvServiceError(operation, 400, "Could not URL-decode key name");
}

export function checkKeyLength(key: string, operation: KvOperation): void {
  const bytes = utf8Length(key);
  if (bytes > MAX_KEY_BYTES) {
    throw kvServiceError(operation, 414, `UTF-8 encoded length of ${bytes} exceeds key length limit of ${MAX_KEY_BYTES}.`);
  }
}
