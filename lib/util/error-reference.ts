import { randomBytes } from "node:crypto";

/**
 * The reference an "internal error" message carries, in the runtime's format: 24 lowercase
 * base-32 characters (120 random bits), different every time.
 */
export function errorReference(): string {
  let reference = "";
  for (const byte of randomBytes(24)) reference += (byte & 31).toString(32);
  return reference;
}
