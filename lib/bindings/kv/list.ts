import { Buffer } from "node:buffer";
import { site, toDictionary, toIdlString, toInt32 } from "../../util/webidl.js";
import { parseMetadata } from "./entry.js";
import { kvServiceError } from "./errors.js";
import { checkKeyLength } from "./keys.js";
import type { KvNamespaceStore } from "./store.js";

/**
 * list(): keys in UTF-8 byte order, at most `limit` (1..1000, default 1000; zero or less means
 * the default) per page. A page that stops before the end says `list_complete: false` and
 * carries a cursor: the base64 of the last key it returned, so the next page starts after
 * that key even if it has since been deleted (Miniflare's encoding; production's cursors are
 * opaque strings too). Each key object has `name`, then `expiration` and `metadata` when set.
 */
export const DEFAULT_LIST_LIMIT = 1000;

export interface KvListKey {
  name: string;
  expiration?: number;
  metadata?: unknown;
}

export interface KvListResult {
  keys: KvListKey[];
  list_complete: boolean;
  cursor?: string;
  cacheStatus: null;
}

export function listKeys(store: KvNamespaceStore, options: unknown): KvListResult {
  const dictionary: Record<string, unknown> = toDictionary<Record<string, unknown>>(site("KvNamespace", "list"), options, 1, "ListOptions") ?? {};
  const { prefix, limit, cursor } = dictionary;
  // Converted in the runtime's order of the fields: limit, prefix, cursor.
  const requested = limit === undefined || limit === null ? 0 : toInt32(limit);
  const prefixText = prefix === undefined || prefix === null ? "" : toIdlString(prefix);
  const cursorText = cursor === undefined || cursor === null ? "" : toIdlString(cursor);
  if (requested > DEFAULT_LIST_LIMIT) {
    throw kvServiceError("GET", 400, `Invalid key_count_limit of ${requested}. Please specify an integer less than ${DEFAULT_LIST_LIMIT}.`);
  }
  checkKeyLength(prefixText, "GET");
  const after = cursorText === "" ? undefined : Buffer.from(cursorText, "base64").toString("utf8");
  const page = store.list(prefixText, after, requested > 0 ? requested : DEFAULT_LIST_LIMIT);
  const keys = page.entries.map(([name, entry]) => {
    const key: KvListKey = { name };
    if (entry.expiration !== undefined) key.expiration = entry.expiration;
    if (entry.metadata !== undefined) key.metadata = parseMetadata(entry);
    return key;
  });
  const last = keys.at(-1);
  if (page.more && last !== undefined) {
    return { keys, list_complete: false, cursor: Buffer.from(last.name, "utf8").toString("base64"), cacheStatus: null };
  }
  return { keys, list_complete: true, cacheStatus: null };
}
