import { Buffer } from "node:buffer";
import { createHash, randomFillSync } from "node:crypto";
import { HmacSha256 } from "../util/hmac-sha256.js";
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
  /** HMAC-SHA-256 under the namespace's key (in JavaScript: see util/hmac-sha256.ts). */
  readonly #hmac: HmacSha256;

  constructor(readonly uniqueKey: string) {
    this.#hmac = new HmacSha256(createHash("sha256").update(uniqueKey).digest());
  }

  /** The ID of `name`, as 64 hex digits. */
  fromName(name: string): string {
    const id = ID;
    if (name.length <= SHORT_NAME && name.isWellFormed()) {
      // A short name's UTF-8 bytes go into scratch space (its WTF-8 bytes are the same).
      this.#hmac.macInto(NAME, id, 0, 16, NAME.write(name, 0, "utf8"));
    } else {
      this.#hmac.macInto(wtf8(name), id, 0, 16);
    }
    return this.#withMac(id);
  }

  /** A new random ID, as 64 hex digits. */
  unique(): string {
    const id = ID;
    randomFillSync(id, 0, 16);
    return this.#withMac(id);
  }

  /** Whether the 32 bytes carry this namespace's MAC. */
  isValid(bytes: Buffer): boolean {
    const mac = ID;
    this.#hmac.macInto(bytes, mac, 0, 16, 16);
    return mac.compare(bytes, 16, 32, 0, 16) === 0;
  }

  /** Writes the MAC of the ID's first 16 bytes as its last 16; the ID's hex digits. */
  #withMac(id: Buffer): string {
    this.#hmac.macInto(id, id, 16, 16, 16);
    return id.toString("hex");
  }
}

/**
 * Scratch space for deriving IDs (synchronous, so one of each serves every call): the ID, and a
 * short name's UTF-8 bytes (at most three per UTF-16 unit), so a name's ID allocates nothing but
 * its hex digits.
 */
const ID = Buffer.alloc(32);
const SHORT_NAME = 85;
const NAME = Buffer.alloc(SHORT_NAME * 3);

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

  /**
   * Compares the 32 bytes only; names are ignored. Typed by shape, so the ID of a stub typed by
   * @cloudflare/workers-types compiles here (a class with private members would refuse it);
   * anything not an ID is refused at run time, as the runtime refuses it.
   */
  equals(other: Pick<DurableObjectId, "toString" | "equals">): boolean {
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
