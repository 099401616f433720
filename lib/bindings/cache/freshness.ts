import { type Directives, parseDirectives, secondsOf } from "./cache-control.js";

/**
 * Whether a response put() hands the cache is kept and for how long: the rules of a shared HTTP
 * cache (RFC 7234) as Miniflare's cache applies them. Request headers count only for
 * Authorization; the response's Cache-Control, Expires, Last-Modified, Age, Date, Pragma and
 * Set-Cookie decide the rest. Miniflare stores a response it judges fresh for 0 seconds too,
 * but it is expired at once, so such a response is simply not kept here.
 */

/** Statuses the cache understands: any other is never stored. */
const UNDERSTOOD = new Set([200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501]);
/** Statuses stored without an explicit lifetime (heuristic freshness). */
const CACHEABLE_BY_DEFAULT = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);
/** Headers that describe one connection, not the response: never stored. `date` is rewritten. */
const HOP_BY_HOP = new Set(["date", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]);
/** `immutable` grants at least this lifetime (Miniflare's figure, in milliseconds, read as seconds). */
const IMMUTABLE_MIN_TTL = 24 * 3600 * 1000;
/** The share of the time since Last-Modified a response stays fresh without a lifetime. */
const HEURISTIC_FRACTION = 0.1;
const DAY_SECONDS = 24 * 3600;

/** Header names lower-cased, a repeated header's values joined as Headers joins them. */
type HeaderMap = Record<string, string>;

export interface Verdict {
  /** Milliseconds the response stays fresh from now; 0: it is not kept. */
  readonly ttlMs: number;
  /** The headers stored with it: hop-by-hop ones dropped, Age and Date as of now. */
  readonly headers: Array<[string, string]>;
}

export function judge(requestHeaders: Headers, status: number, responseHeaders: Headers, now: number): Verdict {
  const headers = headerMap(responseHeaders);
  const cacheControl = headers["cache-control"];
  // `private=set-cookie` lets the cache keep the response without its cookies.
  if (cacheControl !== undefined && cacheControl.toLowerCase().includes("private=set-cookie")) {
    headers["cache-control"] = cacheControl.toLowerCase().replace(/private=set-cookie;?/i, "");
    delete headers["set-cookie"];
  }
  const directives = parseDirectives(headers["cache-control"]);
  const noCache = directives["no-cache"] !== undefined || (headers["cache-control"] === undefined && /no-cache/.test(headers.pragma ?? ""));
  const age = secondsOf(headers.age);
  const kept = storable(requestHeaders, status, headers, directives) && !("set-cookie" in headers);
  const maxAge = kept && !noCache && headers.vary !== "*" ? lifetime(headers, directives, now) : 0;
  const remaining = maxAge - age;
  const ttl = Math.max(0, remaining, remaining + secondsOf(directives["stale-if-error"]), remaining + secondsOf(directives["stale-while-revalidate"]));
  return { ttlMs: kept ? ttl * 1000 : 0, headers: storedHeaders(headers, directives, age, maxAge, now) };
}

function storable(requestHeaders: Headers, status: number, headers: HeaderMap, directives: Directives): boolean {
  if (!UNDERSTOOD.has(status) || directives["no-store"] || directives.private) return false;
  const authorized = requestHeaders.has("authorization");
  if (authorized && !directives["must-revalidate"] && !directives.public && !directives["s-maxage"]) return false;
  return Boolean(headers.expires || directives["max-age"] || directives["s-maxage"] || directives.public || CACHEABLE_BY_DEFAULT.has(status));
}

/** Seconds the response is fresh for, counted from its Date. */
function lifetime(headers: HeaderMap, directives: Directives, now: number): number {
  if (directives["proxy-revalidate"]) return 0;
  if (directives["s-maxage"]) return secondsOf(directives["s-maxage"]);
  if (directives["max-age"]) return secondsOf(directives["max-age"]);
  const floor = directives.immutable ? IMMUTABLE_MIN_TTL : 0;
  const date = dateOf(headers, now);
  if (headers.expires) {
    const expires = Date.parse(headers.expires);
    return Number.isNaN(expires) || expires < date ? 0 : Math.max(floor, (expires - date) / 1000);
  }
  if (headers["last-modified"]) {
    const modified = Date.parse(headers["last-modified"]);
    if (Number.isFinite(modified) && date > modified) return Math.max(floor, ((date - modified) / 1000) * HEURISTIC_FRACTION);
  }
  return floor;
}

function dateOf(headers: HeaderMap, now: number): number {
  const date = Date.parse(headers.date ?? "");
  return Number.isFinite(date) ? date : now;
}

function storedHeaders(headers: HeaderMap, directives: Directives, age: number, maxAge: number, now: number): Array<[string, string]> {
  const dropped = new Set(HOP_BY_HOP);
  for (const name of (headers.connection ?? "").trim().split(/\s*,\s*/)) if (name !== "") dropped.add(name);
  const stored: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) if (!dropped.has(name)) stored[name] = value;
  if (stored.warning !== undefined) {
    // 1xx warnings describe the response's freshness when it was received: they go.
    const kept = stored.warning.split(",").filter((warning) => !/^\s*1[0-9][0-9]/.test(warning));
    if (kept.length > 0) stored.warning = kept.join(",").trim();
    else delete stored.warning;
  }
  const explicit = directives["s-maxage"] || directives["max-age"] || headers.expires;
  if (age > DAY_SECONDS && !explicit && maxAge > DAY_SECONDS) stored.warning = `${stored.warning ? `${stored.warning}, ` : ""}113 - "rfc7234 5.5.4"`;
  stored.age = String(Math.round(age));
  stored.date = new Date(now).toUTCString();
  return Object.entries(stored);
}

function headerMap(headers: Headers): HeaderMap {
  const map: HeaderMap = {};
  for (const [name, value] of headers) map[name.toLowerCase()] = value;
  return map;
}
