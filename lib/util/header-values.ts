import { lowerAscii } from "./ascii-case.js";
import { rawAppend, rawDelete, rawEntries, rawGet, rawSet, rawSetCookies } from "./header-bytes.js";

/**
 * The values of one header as the runtime keeps them: each value appended on its own, read
 * joined with ", ". Node's Headers join them as they are appended, which reads the same until a
 * value is empty: then Node loses what the runtime keeps. It trims the space of a trailing ", "
 * whenever it takes a joined value anew (a Cookie appended here, a copy, a Request's or
 * Response's init, RPC, storage), and a fetch() drops the empty values a header the runtime's
 * HTTP layer knows by name (INDEXED) starts with: `["", "b"]` arrives as "b", only empty ones
 * not at all, while Set-Cookie keeps every later one apart and any other name all of them.
 * So the values of a name that has an empty one are kept here beside its Headers, and every
 * copy carries them (carryValues), a fetch() folded as it sends them (sentOverHttp).
 *
 * Invariant: a record is believed only while Node's value of the name is still the one it was
 * kept beside (`held`): a change past durasim's words (test code's own set()) shows as another
 * value, and the record is ignored from then on.
 */

/** Header names the runtime writes as a number (1-based), lower-case. */
export const COMMON_HEADERS: readonly string[] = [
  "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "accept",
  "access-control-allow-origin", "age", "allow", "authorization", "cache-control",
  "content-disposition", "content-encoding", "content-language", "content-length",
  "content-location", "content-range", "content-type", "cookie", "date", "etag", "expect",
  "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range",
  "if-unmodified-since", "last-modified", "link", "location", "max-forwards",
  "proxy-authenticate", "proxy-authorization", "range", "referer", "refresh", "retry-after",
  "server", "set-cookie", "strict-transport-security", "transfer-encoding", "user-agent", "vary",
  "via", "www-authenticate",
];

/**
 * Names whose values the runtime's HTTP layer folds as a fetch() sends them (it takes an empty
 * value there as none yet): the common ones, those its HTTP library knows, and those workerd
 * looks up itself (conformance "header-values: ... folds").
 */
const INDEXED = new Set([
  ...COMMON_HEADERS,
  "connection", "keep-alive", "te", "trailer", "upgrade", "sec-websocket-key", "sec-websocket-version",
  "sec-websocket-accept", "sec-websocket-extensions", "sec-websocket-protocol", "pragma", "origin", "cf-ray",
  "cf-cache-status", "cf-cache-namespace", "cf-kv-metadata", "cf-r2-error", "cf-r2-metadata-size", "cf-r2-request",
]);

/** HTTP whitespace Headers trim from either end of a value. */
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** `value` as Headers hold it: without whitespace at either end. */
export function trimmed(value: string): string {
  return value.replace(EDGE_WHITESPACE, "");
}

/** Whether `value` is empty once trimmed (cheap for the usual value, which is not). */
function isEmpty(value: string): boolean {
  if (value === "") return true;
  const first = value.charCodeAt(0);
  return (first === 32 || first === 9 || first === 10 || first === 13) && trimmed(value) === "";
}

export function isCookie(name: string): boolean {
  return name.length === 6 && lowerAscii(name) === "cookie";
}

/** Each kept name's values (lower-case name to values), as a copy carries them. */
export type KeptValues = Map<string, string[]>;

interface Kept {
  held: string;
  values: string[];
}

const KEPT = new WeakMap<Headers, Map<string, Kept>>();

/** The values kept for `name` (lower case) of `headers`, if still believed. */
function keptValues(headers: Headers, name: string, held: string | null): string[] | undefined {
  const kept = KEPT.get(headers)?.get(name);
  return kept !== undefined && kept.held === held ? kept.values : undefined;
}

/** Keeps `values` as those of `name` (lower case) in `headers`, which hold their join now; only
 * while one of them is empty. */
function keep(headers: Headers, name: string, values: string[]): void {
  const records = KEPT.get(headers);
  const held = rawGet(headers, name);
  if (held === null || !values.includes("")) {
    records?.delete(name);
    return;
  }
  if (records === undefined) KEPT.set(headers, new Map([[name, { held, values }]]));
  else records.set(name, { held, values });
}

/** `held`, Node's value of `name` in `headers` (get()'s, or an entry's), as the runtime reads it:
 * its values joined (Set-Cookie's entries are each a value of their own). */
export function runtimeValue(headers: Headers, name: string, held: string | null): string | null {
  const records = KEPT.get(headers);
  if (records === undefined || held === null) return held;
  const key = lowerAscii(name);
  return key === "set-cookie" ? held : (keptValues(headers, key, held)?.join(", ") ?? held);
}

/**
 * Appends `bytes` to `name` of `headers` as the runtime does: a Cookie value joined to the
 * earlier ones with ", " (Node's append would join it with "; "), and the values kept apart
 * while one is empty. Throws Node's refusal before changing anything.
 */
export function appendValue(headers: Headers, name: string, bytes: string): void {
  const key = lowerAscii(name);
  const value = trimmed(bytes);
  const tracked = value === "" || KEPT.get(headers)?.has(key) === true;
  if (!tracked && key !== "cookie") return rawAppend(headers, name, bytes);
  const held = rawGet(headers, name);
  const earlier = keptValues(headers, key, held) ?? (held === null ? [] : key === "set-cookie" ? rawSetCookies(headers) : [held]);
  if (key === "cookie" && held !== null) rawSet(headers, name, [...earlier, value].join(", "));
  else rawAppend(headers, name, bytes);
  if (tracked) keep(headers, key, [...earlier, value]);
}

/** After `set(name, bytes)` or `delete(name)` (bytes undefined) on `headers`: one value or none. */
export function replacedValue(headers: Headers, name: string, bytes?: string): void {
  const key = lowerAscii(name);
  if (bytes !== undefined && isEmpty(bytes)) keep(headers, key, [""]);
  else KEPT.get(headers)?.delete(key);
}

/** Pairs a copy was made of, to the values of their names with an empty one. */
const PAIRS_KEPT = new WeakMap<object, KeptValues>();

/**
 * The values of `pairs`' names that have an empty one (undefined for none: the usual case,
 * found in one look at each value), values trimmed, in order, names in lower case.
 */
export function emptyValuesOf(pairs: ReadonlyArray<[string, string]>): KeptValues | undefined {
  let found: Set<string> | undefined;
  for (const [name, value] of pairs) if (isEmpty(value)) (found ??= new Set()).add(lowerAscii(name));
  if (found === undefined) return undefined;
  const kept: KeptValues = new Map();
  for (const [name, value] of pairs) {
    const key = lowerAscii(name);
    if (!found.has(key)) continue;
    const values = kept.get(key);
    if (values === undefined) kept.set(key, [trimmed(value)]);
    else values.push(trimmed(value));
  }
  return kept;
}

/** Says that a copy made of `pairs` (as Node takes them: Cookie values joined) has `kept` values. */
export function pairsKeep(pairs: object, kept: KeptValues | undefined): void {
  if (kept !== undefined) PAIRS_KEPT.set(pairs, kept);
}

/**
 * `headers`' entries with each value apart where the runtime holds them apart (a kept name's,
 * Set-Cookie's), as bytes, in Node's order: what a copy of them is made of.
 */
export function valueEntries(headers: Headers): Array<[string, string]> {
  const records = KEPT.get(headers);
  const entries: Array<[string, string]> = [];
  for (const [name, held] of rawEntries(headers)) {
    const values = records === undefined || name === "set-cookie" ? undefined : keptValues(headers, name, held);
    if (values === undefined) entries.push([name, held]);
    else for (const value of values) entries.push([name, value]);
  }
  return entries;
}

/** The values a copy of `from` takes along: a Headers' kept ones, or those of pairs made for one. */
function keptIn(from: Headers | object): KeptValues | undefined {
  if (!(from instanceof Headers)) return PAIRS_KEPT.get(from);
  const records = KEPT.get(from);
  if (records === undefined) return undefined;
  let kept: KeptValues | undefined;
  for (const [name, record] of records) {
    if (record.held === rawGet(from, name)) (kept ??= new Map()).set(name, record.values);
  }
  return kept;
}

/** `copy`, a copy Node made of `from` (a Headers, or pairs convertHeaders made), keeps the values
 * `from` keeps. */
export function carryValues(copy: Headers, from: Headers | object | undefined): void {
  keepAll(copy, from === undefined ? undefined : keptIn(from));
}

function keepAll(headers: Headers, kept: KeptValues | undefined): void {
  if (kept !== undefined) for (const [name, values] of kept) keep(headers, name, values);
}

/**
 * `headers`, a copy Node made of `from` for a fetch() to send (a Request to its handler, a
 * Response to its caller), as the receiver gets them: the values of an INDEXED name from its
 * first that is not empty (none at all: the header is absent), Set-Cookie's each apart still.
 */
export function sentOverHttp(headers: Headers, from: Headers | object | undefined): void {
  const kept = from === undefined ? undefined : keptIn(from);
  if (kept === undefined) return;
  for (const [name, values] of kept) {
    const first = INDEXED.has(name) ? values.findIndex((value) => value !== "") : 0;
    const sent = first === -1 ? [] : values.slice(first);
    if (first > 0 || sent.length === 0) {
      rawDelete(headers, name);
      if (name === "set-cookie") for (const value of sent) rawAppend(headers, name, value);
      else if (sent.length > 0) rawSet(headers, name, sent.join(", "));
    }
    keep(headers, name, sent);
  }
}

/** Headers holding `entries` (bytes, each value apart: storage's, RPC's) as the runtime appends
 * them: Cookie values joined with ", ", empty values kept. */
export function headersOfValues(entries: ReadonlyArray<[string, string]>): Headers {
  const headers = new Headers();
  let cookies: string[] | undefined;
  for (const [name, value] of entries) {
    if (isCookie(name)) (cookies ??= []).push(trimmed(value));
    else rawAppend(headers, name, value);
  }
  if (cookies !== undefined) rawAppend(headers, "cookie", cookies.join(", "));
  keepAll(headers, emptyValuesOf(entries));
  return headers;
}
