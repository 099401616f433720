import { isOf } from "../../util/host-kind.js";
import { notOfType, type Site } from "../../util/webidl.js";

/**
 * A Cache method's request argument: a Request, or a string made into one (an unparsable URL
 * is the runtime's "Invalid URL"). Entries are keyed by the Request's `cf.cacheKey` when it has
 * a truthy one (as text), as Miniflare's cache keys them, else by the URL without its fragment,
 * which never reaches a server.
 */
export interface CacheRequest {
  readonly key: string;
  readonly method: string;
  readonly headers: Headers;
}

/** The argument's type, checked (as the runtime checks every argument's) before any is converted. */
export function checkRequestArgument(at: Site, value: unknown): void {
  if (value === undefined) throw notOfType(at, 1, "Request or string");
}

export function cacheRequest(at: Site, value: unknown): CacheRequest {
  checkRequestArgument(at, value);
  if (typeof value === "object" && value !== null && isOf(value, Request)) {
    const cacheKey = (value as { cf?: { cacheKey?: unknown } }).cf?.cacheKey;
    return { key: cacheKey ? String(cacheKey) : keyOf(value.url), method: value.method, headers: value.headers };
  }
  const url = String(value);
  if (!URL.canParse(url)) throw new TypeError(`Invalid URL: ${url}`);
  return { key: keyOf(url), method: "GET", headers: new Headers() };
}

function keyOf(url: string): string {
  const parsed = new URL(url);
  parsed.hash = "";
  return parsed.href;
}
