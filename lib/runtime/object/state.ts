import type { DurableObjectStorage } from "../../storage/api/storage.js";
import { defineInterface, notOfType, requireArgument, type Site, site, toDictionary, toFunction, toIdlString } from "../../util/webidl.js";
import { asDecodedFromWtf8 } from "../../util/utf8.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { markRuntimeInstance } from "../brands.js";
import type { DurableObjectId } from "../ids.js";
import type { HibernationManager } from "../websockets/hibernation.js";
import type { WebSocket } from "../websockets/web-socket.js";
import type { WebSocketRequestResponsePair } from "../websockets/request-response-pair.js";
import { waitUntilPromise } from "../wait-until-promise.js";

/**
 * The facets one instance started (what ctx.facets delegates to; runtime/facets.ts, which makes
 * their stubs, implements it above this folder).
 */
export interface FacetSet {
  get(name: string, startup: () => unknown): object;
  abort(name: string, reason: Error): void;
  delete(name: string): void;
  clone(from: string, to: string): void;
  /** The instance was reset: its facets fail with its error. */
  end(error: Error): void;
  /** The instance was evicted: so are its facets (their storage stays). */
  evict(): void;
  /** The object's deleteAll() deleted every facet of it, started by this instance or not. */
  deleteAll(): void;
  /** Whether a facet's instance keeps this instance from idle eviction. */
  holdParent(): boolean;
}

/** What `ctx` delegates to: the live incarnation of the object. */
export interface StateHost {
  readonly id: DurableObjectId;
  /** What `ctx.id` shows: the id, or the string a facet was started with as its `id`. */
  readonly shownId: DurableObjectId | string;
  blockConcurrencyWhile<T>(callback: () => T | Promise<T>): Promise<T>;
  /** `reason` is already converted: undefined means the runtime's default message. */
  abort(reason: string | undefined, options: { retryAlarm: boolean }): never;
  waitUntil(promise: unknown): void;
  /** The hosting Worker's `exports`; undefined when its `ctx` has none (enable_ctx_exports off). */
  readonly exports: object | undefined;
  /** The object's hibernatable WebSockets (reference 2.5). */
  readonly webSockets: HibernationManager;
  /** The facets this instance started (made by the first use of ctx.facets). */
  readonly facets: FacetSet;
  /** What `ctx.props` shows: a facet's props, if it was started with some; else an empty object. */
  readonly props: Record<string, unknown> | undefined;
}

/**
 * Makes `ctx.props` (an object reached without props has none): a plain, extensible object
 * whose prototype is Object.prototype, as `{}` is, but with no room reserved for properties:
 * `{}` reserves four (56 bytes on every object), this none (24); a property added goes where an
 * added property of `{}` past its four would.
 */
// Named Object: V8 names an object by the function that made it where it names constructors
// (a circular JSON error, for one), as it would name a `{}`.
const EmptyProps = function Object() {} as unknown as new () => Record<string, never>;
EmptyProps.prototype = Object.prototype;

const STATE = "DurableObjectState";
const BLOCK_CONCURRENCY_WHILE = site(STATE, "blockConcurrencyWhile");
const WAIT_UNTIL = site(STATE, "waitUntil");
const ABORT = site(STATE, "abort");

/**
 * `ctx` (DurableObjectState), shaped as the runtime's: `facets`, `container`, `storage`, `id`,
 * `props`, `exports` are own data properties in that order (so JSON.stringify(ctx) and spreading it show
 * what they show in production), the methods live on the prototype, and arguments are
 * converted and refused as Web IDL does. A refused argument never resets the object.
 */
export class DurableObjectState {
  readonly #host: StateHost;
  declare readonly facets: DurableObjectFacets;
  declare readonly container: undefined;
  declare readonly storage: DurableObjectStorage;
  declare readonly id: DurableObjectId;
  declare readonly props: Record<string, unknown>;
  declare readonly exports: object;

  constructor(host: StateHost, storage: DurableObjectStorage) {
    this.#host = host;
    markRuntimeInstance("DurableObjectState", this);
    const own = this as {
      -readonly [K in "facets" | "container" | "storage" | "id" | "props" | "exports"]: DurableObjectState[K];
    };
    own.facets = new DurableObjectFacets(host);
    own.container = undefined; // only Container-enabled classes have one
    own.storage = storage;
    // Typed as workers-types has it; a facet started with a string `id` shows that string.
    own.id = host.shownId as DurableObjectId;
    // The code realm's, as a handler's ctx.props (the test file's under the Jest preset).
    own.props = host.props ?? inCodeRealm(new EmptyProps());
    // Without enable_ctx_exports the runtime defines no such property at all (not an undefined one).
    const exports = host.exports;
    if (exports !== undefined) own.exports = exports;
  }

  waitUntil(promise: unknown): void {
    requireArgument(WAIT_UNTIL, arguments.length, 1, "Promise");
    this.#host.waitUntil(waitUntilPromise(promise));
  }

  blockConcurrencyWhile<T>(callback: () => T | Promise<T>): Promise<T> {
    // Checked like any Web IDL argument, but reported through the returned promise: the object
    // is not reset and its gate never closes.
    if (typeof callback !== "function") return Promise.reject(notOfType(BLOCK_CONCURRENCY_WHILE, 1, "function"));
    return this.#host.blockConcurrencyWhile(callback);
  }

  abort(reason?: string, options?: { retryAlarm?: boolean }): never {
    // The reason reaches callers as the runtime's text does (see asDecodedFromWtf8).
    const message = reason === undefined ? undefined : asDecodedFromWtf8(toIdlString(reason));
    const retryAlarm = toDictionary<{ retryAlarm?: unknown }>(ABORT, options, 2, "AbortOptions")?.retryAlarm;
    return this.#host.abort(message, { retryAlarm: retryAlarm === undefined ? true : Boolean(retryAlarm) });
  }


  acceptWebSocket(ws: WebSocket, tags?: string[]): void {
    this.#host.webSockets.acceptWebSocket(ws, tags);
  }

  // The arrays and the Date below are made here, for the object's code: of its realm (code-realm.ts).
  getWebSockets(tag?: string): WebSocket[] {
    return inCodeRealm(this.#host.webSockets.getWebSockets(tag));
  }

  getTags(ws: WebSocket): string[] {
    return inCodeRealm(this.#host.webSockets.getTags(ws));
  }

  setWebSocketAutoResponse(pair?: WebSocketRequestResponsePair): void {
    this.#host.webSockets.setWebSocketAutoResponse(pair);
  }

  getWebSocketAutoResponse(): WebSocketRequestResponsePair | null {
    return this.#host.webSockets.getWebSocketAutoResponse();
  }

  getWebSocketAutoResponseTimestamp(ws: WebSocket): Date | null {
    return inCodeRealm(this.#host.webSockets.getWebSocketAutoResponseTimestamp(ws));
  }

  setHibernatableWebSocketEventTimeout(timeoutMs?: number): void {
    this.#host.webSockets.setHibernatableWebSocketEventTimeout(timeoutMs);
  }

  getHibernatableWebSocketEventTimeout(): number | null {
    return this.#host.webSockets.getHibernatableWebSocketEventTimeout();
  }

  static {
    defineInterface(this, STATE, (value) => typeof value === "object" && value !== null && #host in value, {
      order: [
        "waitUntil", "blockConcurrencyWhile", "acceptWebSocket", "getWebSockets", "setWebSocketAutoResponse", "getWebSocketAutoResponse",
        "getWebSocketAutoResponseTimestamp", "setHibernatableWebSocketEventTimeout", "getHibernatableWebSocketEventTimeout", "getTags", "abort",
      ],
    });
  }
}

const FACETS = "DurableObjectFacets";

/**
 * `ctx.facets`: child objects of this one (see facets.ts). Arguments are checked as the
 * runtime checks them.
 */
class DurableObjectFacets {
  readonly #host: StateHost;

  constructor(host: StateHost) {
    this.#host = host;
  }

  get(name: string, getStartupOptions: () => unknown): unknown {
    const key = facetName("get", arguments.length, name, (at) => toFunction(at, getStartupOptions, 2));
    return this.#host.facets.get(key, getStartupOptions);
  }

  abort(name: string, reason: unknown): void {
    // Any value will do, undefined included, but it must be passed.
    const key = facetName("abort", arguments.length, name, (at, count) => requireArgument(at, count, 2, "Value"));
    this.#host.facets.abort(key, reason instanceof Error ? reason : new Error(String(reason)));
  }

  delete(name: string): void {
    this.#host.facets.delete(facetName("delete", arguments.length, name));
  }

  clone(name: string, newName: string): void {
    let to = "";
    const from = facetName("clone", arguments.length, name, (at, count) => {
      requireArgument(at, count, 2, "string");
      to = toIdlString(newName);
    });
    this.#host.facets.clone(from, to);
  }

  static {
    defineInterface(this, FACETS, (value) => typeof value === "object" && value !== null && #host in value);
  }
}

/** Checks the name, then the method's other arguments (in the runtime's order); the name as a string. */
function facetName(method: string, count: number, name: unknown, checkRest?: (at: Site, count: number) => void): string {
  const at = site(FACETS, method);
  requireArgument(at, count, 1, "string");
  const key = toIdlString(name);
  checkRest?.(at, count);
  return key;
}
