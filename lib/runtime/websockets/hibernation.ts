import { Buffer } from "node:buffer";
import { isRuntimeArray, notOfType, site, toIdlString, toUnsignedInteger } from "../../util/webidl.js";
import { ABRUPT_CLOSE_CODE, ABRUPT_CLOSE_REASON } from "./close-rules.js";
import type { SocketHost } from "./host.js";
import { type Arrival, type LinkEnd, textAsReceived } from "./link.js";
import { givenPair, WebSocketRequestResponsePair } from "./request-response-pair.js";
import { asDecodedFromWtf8 } from "../../util/utf8.js";
import { socketInternals, WebSocket } from "./web-socket.js";

/**
 * One object's hibernatable WebSockets: what `ctx.acceptWebSocket()` and the rest of the
 * hibernation API (reference §2.5) keep, with every exact error. It outlives the object's
 * instances: hibernation drops the socket objects the code saw (a woken object gets new ones)
 * but keeps the connections, their tags, attachments and auto-response timestamps, and the
 * object's auto-response pair and event timeout. Arrivals become handler events
 * (webSocketMessage / webSocketClose) delivered by the host, one per frame in order; a text
 * frame equal to the auto-response request is answered here, without an event, so it never
 * wakes the object. A socket leaves the lists once its close event has run.
 */

export type HandlerName = "webSocketMessage" | "webSocketClose" | "webSocketError";

/** A handler call for the object: the socket object is made (or woken) when it runs. */
export interface HibernationEvent {
  readonly handler: HandlerName;
  /** The handler's arguments, built when the event starts. */
  args(): unknown[];
  /**
   * Called once the handler has been called (its synchronous part ran), or once the event is
   * known never to run; the socket's next arrival waits for it. Calls after the first are ignored.
   */
  ran(): void;
  /** Called once the handler's promise settled, or once the event is known never to run. */
  ended(): void;
}

export interface HibernationHost extends SocketHost {
  /** Delivers a handler call as an event of the object (constructing it if it hibernates). */
  deliver(event: HibernationEvent): void;
  /** The time auto-response timestamps record. */
  now(): number;
}

const MAX_SOCKETS = 32_768;
const MAX_TAGS = 10;
const MAX_TAG_BYTES = 256;
const MAX_AUTO_RESPONSE_BYTES = 2048;
const MAX_EVENT_TIMEOUT_MS = 604_800_000;
/** The largest WebIDL `unsigned long`, the timeout parameter's type. */
const MAX_UNSIGNED_LONG = 4_294_967_295;

/** One accepted connection, as it survives hibernation. */
class HibernatableSocket {
  /** The socket object the code sees; undefined while the object hibernates. */
  active: WebSocket | undefined;
  /** The attachment, kept here while no socket object holds it. */
  attachment: Uint8Array | undefined;
  autoResponseAt: number | undefined;
  closeDispatched = false;
  /** Arrivals not yet handled: one waits while the event of the one before it has not run. */
  readonly arrivals: Arrival[] = [];
  /** An event of this socket was delivered and has not run yet. */
  waiting = false;
  /**
   * Its close event ended with the socket closed both ways: the runtime then releases the
   * connection, and the socket answers getTags as one never accepted. (One the object closes
   * only later keeps its tags.)
   */
  released = false;

  constructor(
    readonly end: LinkEnd,
    readonly tags: readonly string[],
    active: WebSocket,
  ) {
    this.active = active;
  }
}

/** Every socket any object accepted, so tags and timestamps are found from the socket object. */
const recordOf = new WeakMap<WebSocket, HibernatableSocket>();

export class HibernationManager {
  readonly #host: HibernationHost;
  /** In acceptance order; listed newest first. */
  readonly #all = new Set<HibernatableSocket>();
  /** Per tag, in acceptance order (listed so). */
  readonly #byTag = new Map<string, Set<HibernatableSocket>>();
  #autoResponse: { request: string; response: string } | undefined;
  #eventTimeout: number | undefined;

  constructor(host: HibernationHost) {
    this.#host = host;
  }

  /** How many connections are accepted and not yet closed. */
  get size(): number {
    return this.#all.size;
  }

  /** The event timeout set by the object, in milliseconds (undefined: none). */
  get eventTimeout(): number | undefined {
    return this.#eventTimeout;
  }

  acceptWebSocket(socket: unknown, tags?: unknown): void {
    const ws = webSocketParameter(socket, "acceptWebSocket");
    const given = tagsParameter(tags);
    const internals = socketInternals();
    if (internals.isAccepted(ws)) {
      throw new Error("Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`");
    }
    if (!internals.partnerAwaitingCoupling(ws)) {
      throw new Error(
        "Cannot call `acceptWebSocket()` on this WebSocket because its pair has already been accepted or used in a Response.",
      );
    }
    const distinct = distinctTags(given);
    if (this.#all.size >= MAX_SOCKETS) {
      throw new Error(`only ${MAX_SOCKETS} websockets can be accepted on a single Durable Object instance`);
    }
    const end = internals.makeHibernatable(ws);
    end.host = this.#host;
    const record = new HibernatableSocket(end, distinct, ws);
    recordOf.set(ws, record);
    this.#all.add(record);
    for (const tag of distinct) {
      let members = this.#byTag.get(tag);
      if (members === undefined) this.#byTag.set(tag, (members = new Set()));
      members.add(record);
    }
    end.read((arrival) => {
      record.arrivals.push(arrival);
      this.#handleArrivals(record);
    });
  }

  getWebSockets(tag?: unknown): WebSocket[] {
    if (tag === undefined) return [...this.#all].reverse().map((record) => this.#socketOf(record));
    return [...(this.#byTag.get(toIdlString(tag)) ?? [])].map((record) => this.#socketOf(record));
  }

  getTags(socket: unknown): string[] {
    const ws = webSocketParameter(socket, "getTags");
    const internals = socketInternals();
    const record = recordOf.get(ws);
    if (!internals.isAccepted(ws) || record?.released === true) {
      throw new Error("you must call 'acceptWebSocket()' before attempting to access the tags of a WebSocket.");
    }
    if (!internals.isHibernatable(ws)) throw new Error("only hibernatable websockets can have tags.");
    // Kept as given (a tag matches by its bytes), read back as text: see asDecodedFromWtf8.
    return [...(record?.tags ?? [])].map(asDecodedFromWtf8);
  }

  setWebSocketAutoResponse(pair?: unknown): void {
    if (pair === undefined) {
      this.#autoResponse = undefined;
      return;
    }
    if (!(pair instanceof WebSocketRequestResponsePair)) {
      throw notOfType(site(STATE, "setWebSocketAutoResponse"), 1, "WebSocketRequestResponsePair");
    }
    const { request, response } = givenPair(pair);
    for (const [label, text] of [
      ["Request", request],
      ["Response", response],
    ] as const) {
      const size = Buffer.byteLength(text, "utf8");
      if (size > MAX_AUTO_RESPONSE_BYTES) {
        throw new RangeError(
          `${label} cannot be larger than ${MAX_AUTO_RESPONSE_BYTES} bytes. A ${label.toLowerCase()} of size ${size} was provided.`,
        );
      }
    }
    this.#autoResponse = { request, response };
  }

  getWebSocketAutoResponse(): WebSocketRequestResponsePair | null {
    const pair = this.#autoResponse;
    return pair === undefined ? null : new WebSocketRequestResponsePair(pair.request, pair.response);
  }

  getWebSocketAutoResponseTimestamp(socket: unknown): Date | null {
    const at = recordOf.get(webSocketParameter(socket, "getWebSocketAutoResponseTimestamp"))?.autoResponseAt;
    return at === undefined ? null : new Date(at);
  }

  setHibernatableWebSocketEventTimeout(timeoutMs?: unknown): void {
    const ms = timeoutMs === undefined ? 0 : toUnsignedInteger(timeoutMs, MAX_UNSIGNED_LONG);
    if (ms === 0) {
      this.#eventTimeout = undefined;
      return;
    }
    if (ms > MAX_EVENT_TIMEOUT_MS) throw new Error(`Event timeout should not exceed ${MAX_EVENT_TIMEOUT_MS} ms.`);
    this.#eventTimeout = ms;
  }

  getHibernatableWebSocketEventTimeout(): number | null {
    return this.#eventTimeout ?? null;
  }

  /** The object hibernates: the socket objects its code saw are cut off; the connections stay. */
  hibernate(): void {
    const internals = socketInternals();
    for (const record of this.#all) {
      const active = record.active;
      if (active === undefined) continue;
      record.attachment = internals.attachment(active);
      internals.detach(active);
      record.active = undefined;
    }
  }

  /** Drops every connection without a Close frame (the object was reset, or evicted with "close"). */
  disconnectAll(): void {
    for (const record of [...this.#all]) {
      this.#remove(record);
      record.end.disconnect();
    }
  }

  #socketOf(record: HibernatableSocket): WebSocket {
    if (record.active === undefined) {
      record.active = socketInternals().hibernatableSocket(record.end, record.attachment);
      record.attachment = undefined;
      recordOf.set(record.active, record);
    }
    return record.active;
  }

  /**
   * Handles a socket's arrivals in order, as the runtime's read loop does: the next one is read
   * only once the event of the previous one has run, so an auto-response keeps its place after
   * the replies of the messages before it.
   */
  #handleArrivals(record: HibernatableSocket): void {
    while (!record.waiting && record.arrivals.length > 0) this.#arrive(record, record.arrivals.shift()!);
  }

  #arrive(record: HibernatableSocket, arrival: Arrival): void {
    const auto = this.#autoResponse;
    if (auto !== undefined && arrival.type === "text" && arrival.data === auto.request) {
      record.autoResponseAt = this.#host.now();
      if (!record.end.closedOutgoing) record.end.send({ type: "text", data: auto.response }, false);
      return;
    }
    switch (arrival.type) {
      case "text":
        this.#deliver(record, "webSocketMessage", () => [textAsReceived(arrival)]);
        return;
      case "binary":
        this.#deliver(record, "webSocketMessage", () => [arrival.data.slice().buffer]);
        return;
      case "close":
        record.closeDispatched = true;
        this.#deliver(record, "webSocketClose", () => [arrival.code, arrival.reason, true], true);
        return;
      case "disconnect":
        record.end.outgoingAborted = true;
        if (record.closeDispatched) return;
        record.closeDispatched = true;
        this.#deliver(
          record,
          "webSocketClose",
          () => {
            // A connection that failed (see link.ts; its news may say so until now) leaves the socket CLOSED.
            if (arrival.lost !== undefined) socketInternals().connectionFailed(this.#socketOf(record));
            return [ABRUPT_CLOSE_CODE, ABRUPT_CLOSE_REASON, false];
          },
          true,
        );
        return;
    }
  }

  #deliver(record: HibernatableSocket, handler: HandlerName, args: () => unknown[], closing = false): void {
    record.waiting = true;
    let ran = false;
    this.#host.deliver({
      handler,
      args: () => {
        // A close event is the end of the read side: its handler sees the socket CLOSING (or
        // CLOSED when it had closed its side already).
        if (closing) record.end.closedIncoming = true;
        return [this.#socketOf(record), ...args()];
      },
      ran: () => {
        if (ran) return;
        ran = true;
        record.waiting = false;
        if (closing) this.#remove(record);
        else this.#handleArrivals(record);
      },
      ended: () => {
        if (closing && record.end.closedOutgoing) record.released = true;
      },
    });
  }

  #remove(record: HibernatableSocket): void {
    if (!this.#all.delete(record)) return;
    for (const tag of record.tags) {
      const members = this.#byTag.get(tag)!;
      members.delete(record);
      if (members.size === 0) this.#byTag.delete(tag);
    }
  }
}

/** The interface the runtime's argument errors name: these are methods of `ctx`. */
const STATE = "DurableObjectState";

function webSocketParameter(value: unknown, method: string): WebSocket {
  if (!(value instanceof WebSocket)) throw notOfType(site(STATE, method), 1, "WebSocket");
  return value;
}

function tagsParameter(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!isRuntimeArray(tags)) throw notOfType(site(STATE, "acceptWebSocket"), 2, "Array");
  // Element by element, as the runtime reads an array: a hole is undefined, so "undefined"
  // (map() would skip it and leave the hole).
  return Array.from({ length: tags.length }, (_, i) => toIdlString(tags[i]));
}

/** Tags without duplicates, in first-seen order; at most 10 distinct, each at most 256 UTF-8 bytes. */
function distinctTags(tags: string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    // As in the runtime, the count is checked before each tag, so an 11th tag fails even when
    // it repeats an earlier one.
    if (seen.size >= MAX_TAGS) throw new Error(`a Hibernatable WebSocket cannot have more than ${MAX_TAGS} tags`);
    if (Buffer.byteLength(tag, "utf8") > MAX_TAG_BYTES) {
      throw new Error(`"${tag}" is longer than the max tag length (${MAX_TAG_BYTES} characters).`);
    }
    seen.add(tag);
  }
  return [...seen];
}
