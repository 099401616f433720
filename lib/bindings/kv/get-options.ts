import { toIdlString, toInt32 } from "../../util/webidl.js";
import { isDictionary } from "../shared/webidl.js";
import { type KvOperation, kvServiceError } from "./errors.js";

/**
 * get() / getWithMetadata() options: a type name, or `{ type, cacheTtl }`. A single get
 * accepts four types; a batch get only "text" and "json" (the service refuses the others).
 * `cacheTtl` only tunes edge caching, which is not emulated, but its bounds are checked.
 */
export const VALUE_TYPES = ["text", "json", "arrayBuffer", "stream"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];
export const MIN_CACHE_TTL = 30;

export interface GetOptions {
  type: string;
  cacheTtl?: number;
}

export function convertGetOptions(typeOrOptions: unknown): GetOptions {
  if (typeOrOptions === undefined || typeOrOptions === null) return { type: "text" };
  if (!isDictionary(typeOrOptions)) return { type: toIdlString(typeOrOptions) };
  const type = typeOrOptions.type === undefined ? "text" : toIdlString(typeOrOptions.type);
  return typeOrOptions.cacheTtl === undefined ? { type } : { type, cacheTtl: toInt32(typeOrOptions.cacheTtl) };
}

/** A single get's type, checked by the binding. */
export function singleValueType(options: GetOptions): ValueType {
  if ((VALUE_TYPES as readonly string[]).includes(options.type)) return options.type as ValueType;
  throw new TypeError('Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".');
}

/** A batch get's type, checked by the service. */
export function batchValueType(options: GetOptions): "text" | "json" {
  if (options.type === "text" || options.type === "json") return options.type;
  throw kvServiceError("GET_BULK", 400, `"${options.type}" is not a valid type. Use "json" or "text"`);
}

export function checkCacheTtl(options: GetOptions, operation: KvOperation): void {
  const ttl = options.cacheTtl;
  if (ttl !== undefined && ttl < MIN_CACHE_TTL) {
    throw kvServiceError(operation, 400, `Invalid cache_ttl of ${ttl}. Cache TTL must be at least ${MIN_CACHE_TTL}.`);
  }
}
