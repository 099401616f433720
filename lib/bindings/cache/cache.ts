import { STATUS_CODES } from "node:http";
import { USED_BODY } from "../../runtime/http-request.js";
import { freezeHeaders } from "../../runtime/immutable-headers.js";
import { receivedHere } from "../../runtime/data-url.js";
import { isOf } from "../../util/host-kind.js";
import { notOfType, site } from "../../util/webidl.js";
import { streamOf } from "../shared/bytes.js";
import { notModified } from "./conditional.js";
import type { CachedResponse } from "./entry.js";
import { judge } from "./freshness.js";
import { multipartBody, parseRanges } from "./ranges.js";
import { cacheRequest, checkRequestArgument } from "./request-key.js";
import type { CacheStore } from "./store.js";

/** match()'s and delete()'s options: `ignoreMethod` looks a non-GET request up as a GET. */
export interface MatchOptions {
  readonly ignoreMethod?: boolean;
}

const HIT = ["cf-cache-status", "HIT"] as const;

/**
 * One cache's operations (`caches.default` or a `caches.open()` cache) over the emulator's
 * CacheStore, with the runtime's refusals and Miniflare's storage rules: put() refuses what the
 * runtime refuses (a non-GET request, a 206, `Vary: *`, a used body) and resolves without
 * storing what the cache will not keep (freshness.ts); match() answers hits with
 * `cf-cache-status: HIT`, 304 for a validator that matches, 206/416 for a Range. Without a
 * store (caches disabled, or no emulator) it checks and reads as much, and keeps nothing, as
 * Miniflare's no-op cache does.
 */
export class CacheOperations {
  readonly #store: CacheStore | null;
  readonly #name: string;

  constructor(store: CacheStore | null, name: string) {
    this.#store = store;
    this.#name = name;
  }

  async put(requestValue: unknown, response: unknown): Promise<undefined> {
    const at = site("Cache", "put");
    checkRequestArgument(at, requestValue);
    if (typeof response !== "object" || response === null || !isOf(response, Response)) throw notOfType(at, 2, "Response");
    const request = cacheRequest(at, requestValue);
    if (request.method !== "GET") throw new TypeError("Cannot cache response to non-GET request.");
    if (response.status === 206) throw new TypeError("Cannot cache response to a range request (206 Partial Content).");
    if (response.headers.get("vary")?.includes("*")) throw new TypeError("Cannot cache response with 'Vary: *' header.");
    // The runtime drops a 304 (an answer to a conditional request) without reading it.
    if (response.status === 304) return undefined;
    if (response.bodyUsed) throw new TypeError(USED_BODY);
    const body = new Uint8Array(await response.arrayBuffer());
    if (this.#store === null) return undefined;
    const now = this.#store.now();
    const { ttlMs, headers } = judge(request.headers, response.status, response.headers, now);
    // Miniflare's cache cannot rebuild a 204 from the message it receives (a Response of a
    // null-body status may not have a body stream): it fails, and the runtime ignores that.
    if (ttlMs <= 0 || response.status === 204) return undefined;
    // The runtime sends the body with its length, which the cache keeps in place of any given.
    const stored = [...headers.filter(([name]) => name !== "content-length"), ["content-length", String(body.byteLength)] as [string, string]];
    const entry: CachedResponse = { status: response.status, headers: stored, body, expiresAt: now + ttlMs };
    this.#store.put(this.#name, request.key, entry);
    return undefined;
  }

  async match(requestValue: unknown, options?: MatchOptions): Promise<Response | undefined> {
    const request = cacheRequest(site("Cache", "match"), requestValue);
    if (request.method !== "GET" && options?.ignoreMethod !== true) return undefined;
    const entry = this.#store?.get(this.#name, request.key);
    return entry === undefined ? undefined : answer(request.headers, entry);
  }

  async delete(requestValue: unknown, options?: MatchOptions): Promise<boolean> {
    const request = cacheRequest(site("Cache", "delete"), requestValue);
    if (request.method !== "GET" && options?.ignoreMethod !== true) return false;
    return this.#store?.delete(this.#name, request.key) ?? false;
  }
}

/** The response a hit answers with, as the request's Range and validators shape it. */
function answer(request: Headers, entry: CachedResponse): Response {
  const size = entry.body.byteLength;
  const rangeHeader = request.get("range");
  const ranges = rangeHeader === null ? [] : parseRanges(rangeHeader, size);
  if (ranges === undefined) return received(416, [["content-range", `bytes */${size}`], [...HIT]], null);
  const headers = new Headers(entry.headers as Array<[string, string]>);
  headers.set(...HIT);
  if (notModified(request, headers)) return received(304, headers, null);
  if (ranges.length === 0) return received(entry.status, headers, entry.body);
  if (ranges.length > 1) {
    const { type, bytes } = multipartBody(entry.body, ranges, headers.get("content-type"));
    headers.set("content-type", type);
    return received(206, headers, bytes);
  }
  const [{ start, end }] = ranges as [{ start: number; end: number }];
  headers.set("content-range", `bytes ${start}-${end}/${size}`);
  headers.set("content-length", String(end - start + 1));
  return received(206, headers, entry.body.subarray(start, end + 1));
}

/** A Response as fetch() hands one over: the status's reason phrase, immutable headers. */
function received(status: number, headers: Headers | Array<[string, string]>, body: Uint8Array | null): Response {
  const response = new Response(body === null ? null : streamOf(body), { status, statusText: STATUS_CODES[status] ?? "", headers });
  return freezeHeaders(receivedHere(response));
}
