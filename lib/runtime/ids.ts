import { createHash, createHmac, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import { wtf8 } from "../util/utf8.js";
import { defineInterface, notOfType, site } from "../util/webidl.js";

/**
 * Durable Object IDs, derived exactly as workerd (and so Miniflare and wrangler dev) derive
 * them: `key = SHA-256(uniqueKey)`; an ID is 16 bytes followed by a 16-byte HMAC of them, so
 * `idFromString` can tell an ID of another namespace. `idFromName` hashes the name for the
 * first half (its WTF-8 bytes, as the runtime's: a lone surrogate is not U+FFFD there), which
 * makes it deterministic across processes and machines.
 */
export class IdFactory {
  /** A KeyObject: Node 22+ re-imports a Buffer key on every createHmac, which costs more than the MAC. */
  readonly #key: KeyObject;

  constructor(readonly uniqueKey: string) {
    this.#key = createSecretKey(createHash("sha256").update(uniqueKey).digest());
  }

  fromName(name: string): Buffer {
    return this.#withMac(createHmac("sha256", this.#key).update(wtf8(name)).digest().subarray(0, 16));
  }

  unique(): Buffer {
    return this.#withMac(randomBytes(16));
  }

  /** Whether the 32 bytes carry this namespace's MAC. */
  isValid(bytes: Buffer): boolean {
    return this.#mac(bytes.subarray(0, 16)).equals(bytes.subarray(16, 32));
  }

  #withMac(first16: Buffer): Buffer {
    return Buffer.concat([first16, this.#mac(first16)]);
  }

  #mac(first16: Buffer): Buffer {
    return createHmac("sha256", this.#key).update(first16).digest().subarray(0, 16);
  }
}

const HEX_ID = /^[0-9a-fA-F]{64}$/;

/** Parses an ID's string form: 64 hex digits (either case). */
export function parseIdHex(hex: string): Buffer {
  if (!HEX_ID.test(hex)) throw new TypeError("Invalid Durable Object ID: must be 64 hex digits");
  return Buffer.from(hex, "hex");
}

/** Names longer than this are not exposed as `ctx.id.name`, as in production. */
export const MAX_EXPOSED_NAME_BYTES = 1024;

const EQUALS = site("DurableObjectId", "equals");

export class DurableObjectId {
  readonly #hex: string;
  /** The name kept apart from the `name` property, which user code may delete. */
  readonly #name: string | undefined;
  /** Like the runtime's, these are own enumerable read-only properties: JSON shows the name. */
  declare readonly jurisdiction: string | undefined;
  /** Set only for IDs made by idFromName()/getByName(). */
  declare readonly name: string | undefined;

  constructor(hex: string, name?: string, jurisdiction?: string) {
    this.#hex = hex;
    this.#name = name;
    Object.defineProperty(this, "jurisdiction", { value: jurisdiction, enumerable: true, configurable: true });
    Object.defineProperty(this, "name", { value: name, enumerable: true, configurable: true });
  }

  toString(): string {
    return this.#hex;
  }

  /** Compares the 32 bytes only; names are ignored. */
  equals(other: DurableObjectId): boolean {
    if (!isDurableObjectId(other)) throw notOfType(EQUALS, 1, "DurableObjectId");
    return other.#hex === this.#hex;
  }

  /** The name the ID was made from, whatever became of its `name` property. */
  static nameOf(id: DurableObjectId): string | undefined {
    return id.#name;
  }

  static is(value: unknown): value is DurableObjectId {
    return typeof value === "object" && value !== null && #hex in value;
  }

  static {
    defineInterface(this, "DurableObjectId", DurableObjectId.is);
  }
}

export const isDurableObjectId = DurableObjectId.is;
