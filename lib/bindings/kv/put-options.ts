import { Buffer } from "node:buffer";
import { site, toDictionary, toInt32 } from "../../util/webidl.js";
import { kvServiceError } from "./errors.js";

/**
 * put() options. The binding converts its arguments first: the options must be a dictionary,
 * whose `expiration` and `expirationTtl` become 32-bit integers (null counts as 0, so it is
 * refused rather than ignored); only then does it check the key and the value, and serialise
 * `metadata` with JSON.stringify. The service then checks them: a TTL of at least 60 seconds,
 * an absolute expiration at least 60 seconds in the future (in whole seconds), metadata of at
 * most 1024 bytes. When both are given the TTL wins.
 */
export const MIN_EXPIRATION_TTL = 60;
export const MAX_METADATA_BYTES = 1024;

export interface ConvertedPutOptions {
  expiration?: number;
  expirationTtl?: number;
  /** As given: serialised by serializeMetadata() once the key and value passed. */
  metadata?: unknown;
}

/** The argument's conversion (TypeErrors), before anything else is checked. */
export function convertPutOptions(options: unknown): ConvertedPutOptions {
  const dictionary = toDictionary<Record<string, unknown>>(site("KvNamespace", "put"), options, 3, "PutOptions");
  if (dictionary === undefined) return {};
  const out: ConvertedPutOptions = {};
  if (dictionary.expiration !== undefined) out.expiration = toInt32(dictionary.expiration);
  if (dictionary.expirationTtl !== undefined) out.expirationTtl = toInt32(dictionary.expirationTtl);
  if (dictionary.metadata !== undefined) out.metadata = dictionary.metadata;
  return out;
}

/** The binding's JSON text of the metadata (JSON errors), if any. */
export function serializeMetadata(options: ConvertedPutOptions): string | undefined {
  if (options.metadata === undefined) return undefined;
  const json = JSON.stringify(options.metadata);
  // JSON has no text for a function or a symbol: the request the binding then makes is one
  // the service cannot parse (Miniflare answers 500; production's answer is not known).
  if (json === undefined) throw kvServiceError("PUT", 500, "Internal Server Error");
  return json;
}

/** The service's checks; returns the absolute expiry in seconds, if any. */
export function checkExpiration(options: ConvertedPutOptions, nowMs: number): number | undefined {
  const nowSeconds = Math.floor(nowMs / 1000);
  const { expirationTtl: ttl, expiration } = options;
  if (ttl !== undefined) {
    if (ttl <= 0) throw kvServiceError("PUT", 400, `Invalid expiration_ttl of ${ttl}. Please specify integer greater than 0.`);
    if (ttl < MIN_EXPIRATION_TTL) {
      throw kvServiceError("PUT", 400, `Invalid expiration_ttl of ${ttl}. Expiration TTL must be at least ${MIN_EXPIRATION_TTL}.`);
    }
    return nowSeconds + ttl;
  }
  if (expiration !== undefined) {
    if (expiration <= nowSeconds) {
      throw kvServiceError(
        "PUT",
        400,
        `Invalid expiration of ${expiration}. Please specify integer greater than the current number of seconds since the UNIX epoch.`,
      );
    }
    if (expiration < nowSeconds + MIN_EXPIRATION_TTL) {
      throw kvServiceError("PUT", 400, `Invalid expiration of ${expiration}. Expiration times must be at least ${MIN_EXPIRATION_TTL} seconds in the future.`);
    }
    return expiration;
  }
  return undefined;
}

/** The service's size check; returns the metadata to store ("null" is no metadata). */
export function checkMetadata(json: string | undefined): string | undefined {
  if (json === undefined) return undefined;
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_METADATA_BYTES) throw kvServiceError("PUT", 413, `Metadata length of ${bytes} exceeds limit of ${MAX_METADATA_BYTES}.`);
  return json === "null" ? undefined : json;
}
