import { Buffer } from "node:buffer";
import { compareKeys, keyAsListed } from "../../storage/keys.js";
import { isRuntimeArray, site, toDictionary, toInt32 } from "../../util/webidl.js";
import { elementTypeError, fieldTypeError } from "../shared/webidl.js";
import { r2Error } from "./errors.js";
import { HeadResult } from "./object.js";
import type { R2BucketStore } from "./store.js";

/**
 * list(): objects in UTF-8 key order, at most `limit` (1..1000, default 1000) per page,
 * counting each delimited prefix as one entry. `startAfter` and `cursor` both move the start;
 * the later one wins. A truncated page carries a cursor: the base64 of the last key it
 * covered (for a delimited prefix, the group's last key), as Miniflare encodes it. Objects
 * carry httpMetadata and customMetadata only when `include` names them, and such a page holds
 * at most 100 entries (production: "fewer than limit results to accommodate metadata";
 * Miniflare 4 caps it at 100).
 */
export const DEFAULT_LIMIT = 1000;
/** A page that carries metadata holds at most this many entries, whatever `limit` asked. */
export const INCLUDE_LIMIT = 100;
const INCLUDABLE = ["httpMetadata", "customMetadata"];

export interface R2Objects {
  objects: HeadResult[];
  truncated: boolean;
  cursor: string | undefined;
  delimitedPrefixes: string[];
}

interface ListRequest {
  prefix: string;
  delimiter: string;
  after: string | undefined;
  limit: number;
  include: Set<string>;
}

/**
 * The options as the runtime converts them: field by field in its order (limit, prefix, cursor,
 * delimiter, startAfter, include), each string field a string already (no conversion; null
 * refused too) and each include element a string; the values are checked after.
 */
function convert(options: unknown): ListRequest {
  const o: Record<string, unknown> = toDictionary<Record<string, unknown>>(site("R2Bucket", "list"), options, 1, "ListOptions") ?? {};
  const text = (field: string) => {
    const value = o[field];
    if (value === undefined) return "";
    if (typeof value !== "string") throw fieldTypeError(field, "ListOptions", "string");
    // Strings travel to the service as UTF-8, as keys do: a lone surrogate arrives as three U+FFFD.
    return keyAsListed(value);
  };
  const limit = o.limit === undefined || o.limit === null ? DEFAULT_LIMIT : toInt32(o.limit);
  const prefix = text("prefix");
  const cursor = text("cursor");
  const delimiter = text("delimiter");
  const startAfter = text("startAfter");
  const include = new Set(includeItems(o.include));
  for (const item of include) if (!INCLUDABLE.includes(item)) throw new RangeError(`Unsupported include value ${item}`);
  if (limit === 0 || limit > DEFAULT_LIMIT) throw r2Error("list", "invalidMaxKeys");
  const fromCursor = cursor === "" ? "" : Buffer.from(cursor, "base64").toString("utf8");
  const after = compareKeys(startAfter, fromCursor) >= 0 ? startAfter : fromCursor;
  const pageSize = limit < 0 ? DEFAULT_LIMIT : limit;
  return { prefix, delimiter, after: after === "" ? undefined : after, limit: include.size > 0 ? Math.min(pageSize, INCLUDE_LIMIT) : pageSize, include };
}

/** include: an Array whose elements are all strings already, every one checked before any value. */
function includeItems(value: unknown): string[] {
  if (value === undefined) return [];
  if (!isRuntimeArray(value)) throw fieldTypeError("include", "ListOptions", "Array");
  return Array.from(value as unknown[], (item, index) => {
    if (typeof item !== "string") throw elementTypeError(index, "string");
    return item;
  });
}

export function listObjects(store: R2BucketStore, options: unknown): R2Objects {
  const { prefix, delimiter, after, limit, include } = convert(options);
  const objects: HeadResult[] = [];
  const prefixes: string[] = [];
  let lastKey: string | undefined;
  let truncated = false;
  const from = after !== undefined && compareKeys(after, prefix) >= 0 ? { after } : { start: prefix };
  for (const [key, stored] of store.objects.entries(from)) {
    if (!key.startsWith(prefix)) break;
    const cut = delimiter === "" ? -1 : key.indexOf(delimiter, prefix.length);
    const group = cut < 0 ? undefined : key.slice(0, cut + delimiter.length);
    if (group !== undefined && group === prefixes.at(-1)) {
      lastKey = key;
      continue;
    }
    if (objects.length + prefixes.length === limit) {
      truncated = true;
      break;
    }
    if (group !== undefined) prefixes.push(group);
    else objects.push(new HeadResult(stored, { httpMetadata: include.has("httpMetadata"), customMetadata: include.has("customMetadata") }));
    lastKey = key;
  }
  const cursor = truncated && lastKey !== undefined ? Buffer.from(lastKey, "utf8").toString("base64") : undefined;
  return { objects, truncated, cursor, delimitedPrefixes: prefixes };
}
