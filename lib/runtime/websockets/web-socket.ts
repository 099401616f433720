import { types } from "node:util";
import { arrangeMembers, checkReceivers, site, tagInterface, toDictionary, toIdlString } from "../../util/webidl.js";
import { deserializeAttachment, serializeAttachment } from "./attachment.js";
import { ABRUPT_CLOSE_CODE, ABRUPT_CLOSE_REASON, closeCodeArgument, closeFrameFields } from "./close-rules.js";
import { CloseEvent, ErrorEvent, MessageEvent } from "./events.js";
import { currentSocketHost, OUTSIDE, type SocketHost } from "./host.js";
import { type Arrival, type Frame, LinkEnd, textAsReceived } from "./link.js";
import { asError, callListener, type Dispatch, dispatching, guarded, type Listener, quietReturns, unguarded } from "./listeners.js";
import { connectOutbound, type Handshake, noNodeClient, nodeClientClass } from "./outbound.js";
import { runtimeDomException } from "../../util/dom-exception.js";
import { checkIoContext, currentIoContext, type IoContext } from "../io-context.js";
import { isToken } from "../header-names.js";
import { codeFeatures, compatibilityFlagOff } from "../code-context.js";
import { reportUncaught } from "../uncaught.js";
import { connectionLost } from "../errors.js";
import { constructOnly } from "../../util/construct-only.js";

/**
 * The Workers `WebSocket`, as Worker code sees it: one end of a connection. It starts
 * *pending* (a WebSocketPair end, or the caller's end of an upgrade): frames sent to it wait.
 * Then exactly one of: `accept()` (its listeners get the events), `ctx.acceptWebSocket()`
 * (hibernatable: the object's handlers get them, see hibernation.ts), or being returned in a
 * Response (*released*: its connection now belongs to the caller's end; sends are ignored).
 * readyState follows from two facts, as in the runtime: a Close frame (or a disconnect) came
 * in, and close() went out; both, or an error, is CLOSED; one is CLOSING; neither is OPEN.
 * With web_socket_auto_reply_to_close (on from 2026-04-07) an accepted end answers a Close
 * frame with the same code and reason before its close event, then reports the connection as
 * lost (the runtime's local pipes do, after their own close handshake), unless the Close frame's
 * sender ended the connection cleanly (see Frame in link.ts).
 * Events reach an `on<type>` property holding a function (looked up at each dispatch, called
 * first and without `this`), then the listeners. A listener that throws while a message is
 * dispatched ends the connection as the runtime does: after the other listeners, the end reports
 * the exception as its error event and reads nothing more, and the peer sees the connection dropped (lost, if frames it sent were unread).
 * `new WebSocket(url)` makes an *outbound* end, accepted from the start: CONNECTING until the
 * server completes the handshake (an `open` event), its far end Node's client (outbound.ts).
 */

type State = "pending" | "accepted" | "hibernatable" | "released";
interface AcceptOptions {
  allowHalfOpen?: unknown;
}
type BinaryType = "blob" | "arraybuffer";

/** Internal construction (the public constructor is the runtime's outbound client). */
const INTERNAL = Symbol("internal");

const NOT_ACCEPTED =
  "You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.";

/** The close event's reason when an outbound connection could not be made. */
const FAILED_CONNECTION_REASON = "Failed to establish websocket connection";

/** What the runtime names a WebSocket's connection when another I/O context reaches it. */
const IO_TYPE = "Native";

const READY_STATES = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;

// Set by the class's static block, which alone can reach its private fields.
let internals!: SocketInternals;
let pendingSocket!: (end: LinkEnd) => WebSocket;
let isSocket!: (value: unknown) => boolean;

/**
 * The caller's end of a WebSocket a Worker or object answered an upgrade with, while nobody has
 * accepted it: collected so, its connection drops (the answering event can end), as the runtime
 * drops an unaccepted socket's connection once it is collected. Keyed by the socket, which
 * leaves once accepted or passed on (the end's reader then holds the socket).
 */
const unaccepted = new FinalizationRegistry<LinkEnd>((end) => end.disconnect());

class WebSocketClass extends EventTarget {
  // Defined below the class, read-only and in the runtime's order, as on the prototype.
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSING: 2;
  declare static readonly CLOSED: 3;
  declare static readonly READY_STATE_CONNECTING: 0;
  declare static readonly READY_STATE_OPEN: 1;
  declare static readonly READY_STATE_CLOSING: 2;
  declare static readonly READY_STATE_CLOSED: 3;

  #state: State = "pending";
  #end: LinkEnd | undefined;
  /** The other end of its WebSocketPair (none for the caller's end of an upgrade). */
  #partner: WebSocket | undefined;
  /**
   * How binary messages arrive: as Blobs, the standard's default, from compatibility date
   * 2026-03-17 (websocket_standard_binary_type), as ArrayBuffers before it; the Worker whose code
   * made the end decides, as for #propagateThrows.
   */
  #binaryType: BinaryType = codeFeatures().standardWebSocketBinaryType ? "blob" : "arraybuffer";
  /** The Close frame that came in was graceful (see Frame): answering it loses no connection. */
  #peerClosedGracefully = false;
  /** Set by the first error event: the socket is CLOSED and close() rethrows it. */
  #error: Error | undefined;
  #attachment: Uint8Array | undefined;
  /**
   * accept({ allowHalfOpen: true }), or any accept() of a Worker without
   * web_socket_auto_reply_to_close: a Close frame that comes in is not answered; the end stays
   * CLOSING, may still send, and closes the connection with its own close().
   */
  #allowHalfOpen = false;
  /** Its accept() answers Close frames whatever the date: a client library's end (see SocketInternals.heldByClientLibrary). */
  #answersCloseFrames = false;
  /** Arrivals handed to this end and not yet received (their events wait on the host), in order. */
  readonly #unread: Arrival[] = [];
  /** A message is being dispatched to the listeners (see #openOn). */
  #dispatching = false;
  /** Ends the host's count of this accepted socket (see SocketHost.opened). */
  #leaveHost: (() => void) | undefined;
  /**
   * An outbound end's URL (as given), its handshake once the server completed it, and whether
   * close() gave up on the connection before that (readyState then reads OPEN, as in workerd).
   */
  #outbound: { url: string; handshake?: Handshake; abandoned?: boolean } | undefined;
  /**
   * The I/O context of the code that made it (a WebSocketPair's end, an outbound end): only that
   * context may use its connection. None for ends the runtime hands out (they cross contexts).
   */
  #io: IoContext | undefined;
  /**
   * The first listener that throws ends a dispatch, and Worker code's dispatchEvent() throws it:
   * workerd without compatibility flag spec_compliant_dispatch_exceptions (before 2026-09-15), as
   * the Worker whose code made the end has it.
   */
  readonly #propagateThrows = !codeFeatures().specCompliantDispatchExceptions;

  constructor(url: unknown, protocols?: unknown) {
    super();
    if (url === INTERNAL) return;
    if (arguments.length === 0) throw new TypeError("Failed to construct 'WebSocket': constructor parameter 1 is not of type 'string'.");
    // Both arguments are converted before the URL is checked, as the runtime's binding does.
    const href = toIdlString(url);
    const protocolList = protocolsArgument(protocols);
    const target = outboundTarget(href);
    checkProtocols(protocolList);
    // A test that stubs the global WebSocket (MSW's interceptor, vi.stubGlobal) mocks outbound connections: it gets a valid one.
    const stub = stubbedClient();
    if (stub !== undefined) return new stub(url, protocols) as unknown as WebSocket;
    const Client = nodeClientClass();
    if (Client === undefined) throw noNodeClient();
    const host = currentSocketHost();
    this.#io = currentIoContext();
    const [near, far] = LinkEnd.pair(host, OUTSIDE);
    this.#end = near;
    this.#outbound = { url: href };
    this.#startReading(near);
    connectOutbound(Client, target.href, protocolList, far, {
      opened: (handshake) => near.host.schedule(() => this.#open(near, handshake)),
    });
  }

  get readyState(): number {
    checkIoContext(this.#io, IO_TYPE);
    const end = this.#end;
    if (this.#error !== undefined || (end !== undefined && end.closedIncoming && end.closedOutgoing)) return READY_STATES.CLOSED;
    if (end !== undefined && (end.closedIncoming || end.closedOutgoing)) return READY_STATES.CLOSING;
    if (this.#connecting() && !this.#outbound!.abandoned) return READY_STATES.CONNECTING;
    return READY_STATES.OPEN;
  }

  get url(): string | null {
    return this.#outbound?.url ?? null;
  }

  // After a handshake that settled on none, workerd reads null.
  get protocol(): string | null {
    const handshake = this.#outbound?.handshake;
    return handshake === undefined ? "" : handshake.protocol || null;
  }

  get extensions(): string | null {
    const handshake = this.#outbound?.handshake;
    return handshake === undefined ? "" : handshake.extensions || null;
  }

  get bufferedAmount(): number {
    return 0;
  }

  get binaryType(): BinaryType {
    return this.#binaryType;
  }

  set binaryType(value: unknown) {
    // Converted to a string first (a Symbol, or a toString() that throws, fails the assignment);
    // values other than the two the spec names are then ignored, as the runtime does.
    const type = toIdlString(value);
    if (type === "blob" || type === "arraybuffer") this.#binaryType = type;
  }

  accept(options?: unknown): void {
    const { allowHalfOpen } = toDictionary<AcceptOptions>(site("WebSocket", "accept"), options, 1, "AcceptOptions") ?? {};
    checkIoContext(this.#io, IO_TYPE);
    if (this.#state === "released") throw new TypeError("Can't accept() WebSocket that was already used in a response.");
    if (this.#state === "hibernatable") throw new TypeError("Can't accept() WebSocket after enabling hibernation.");
    if (this.#outbound !== undefined) throw new TypeError("Websockets obtained from the 'new WebSocket()' constructor cannot call accept");
    if (this.#state === "accepted") return;
    // Before web_socket_auto_reply_to_close (2026-04-07) no accepted end answered a Close frame
    // itself: the application did, with close(), as it still may with allowHalfOpen.
    this.#allowHalfOpen = Boolean(allowHalfOpen) || (!this.#answersCloseFrames && compatibilityFlagOff("web_socket_auto_reply_to_close"));
    this.#startReading(this.#end!);
  }

  #startReading(end: LinkEnd): void {
    unaccepted.unregister(this);
    this.#leaveHost = this.#openOn(end.host, end);
    this.#state = "accepted";
    end.read((arrival) => {
      this.#unread.push(arrival);
      end.host.schedule(() => {
        this.#unread.shift();
        this.#receive(end, arrival);
      }, billedAs(arrival));
    });
  }

  /**
   * Counts the accepted `end` as open on `host`, which drops it when the object holding it goes.
   * The arrivals it had not received yet were never read, but for the first one once no message
   * is being dispatched: the runtime's read loop takes the next frame off the connection as soon
   * as a message's dispatch returns, and then waits for the object's turn.
   */
  #openOn(host: SocketHost, end: LinkEnd): () => void {
    return host.opened({ disconnect: () => end.disconnect({ unread: this.#dispatching ? this.#unread : this.#unread.slice(1), cause: "holder" }) });
  }

  /** An outbound end whose handshake has not completed (it may have been given up). */
  #connecting(): boolean {
    return this.#outbound !== undefined && this.#outbound.handshake === undefined;
  }

  send(message: unknown): void {
    // Only a missing argument is refused: an explicit undefined converts to "undefined", as
    // WebIDL converts any other value that is not binary data to a string.
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'send' on 'WebSocket': parameter 1 is not of type 'ArrayBuffer or ArrayBufferView or string'.");
    }
    const frame = toFrame(message);
    checkIoContext(this.#io, IO_TYPE);
    const end = this.#end;
    if (end?.closedOutgoing) throw new TypeError("Can't call WebSocket send() after close().");
    // After a disconnect, or once released, sends are dropped without a word (as the spec says).
    if (end === undefined || end.outgoingAborted) return;
    // An outbound end is not accepted until its handshake completes, in workerd's words.
    if (this.#state === "pending" || this.#connecting()) throw new TypeError(NOT_ACCEPTED);
    end.send(frame);
  }

  close(code?: unknown, reason?: unknown): void {
    const status = closeCodeArgument(code);
    const text = reason === undefined ? undefined : `${reason as string}`;
    checkIoContext(this.#io, IO_TYPE);
    // The code and reason are checked before the end's state, as the runtime does: a pending,
    // closed or released end refuses bad ones too.
    const fields = closeFrameFields(status, text);
    const end = this.#end;
    // A second close(), or one after a disconnect, does nothing.
    if (end === undefined || end.closedOutgoing || end.outgoingAborted) return;
    if (this.#state === "pending") throw new TypeError(NOT_ACCEPTED);
    if (this.#error !== undefined) throw this.#error;
    if (this.#connecting()) {
      // Gives up on the handshake (once): the connection then fails (error, close 1006) as if refused.
      if (!this.#outbound!.abandoned) end.send({ type: "close", ...fields });
      this.#outbound!.abandoned = true;
      return;
    }
    // A hibernatable end's Close frame is graceful for whichever end answers it when it is the
    // first frame and the pair's other end has not left yet (see Frame); else only for that other
    // end, should it never leave (see #receive).
    const hibernatable = this.#state === "hibernatable";
    const partner = this.#partner;
    const graceful = hibernatable && !end.sentAny && partner !== undefined && partner.#state === "pending";
    end.send({ type: "close", ...fields, ...(hibernatable ? { fromHibernatable: true } : {}), ...(graceful ? { graceful } : {}) });
    end.closedOutgoing = true;
    // An accepted end answering a Close frame itself (allowHalfOpen) ends the connection as the
    // runtime's own answer does. (workerd's pipe skips the lost connection when the answer follows
    // a send still under way: a timing of its own, not followed here.)
    if (end.closedIncoming && this.#state === "accepted") this.#droppedAfterAnswering(end);
    this.#leaveHostWhenDone(end);
  }

  serializeAttachment(value: unknown): void {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'serializeAttachment' on 'WebSocket': parameter 1 is not of type 'Value'.");
    }
    this.#attachment = serializeAttachment(value);
  }

  deserializeAttachment(): unknown {
    return deserializeAttachment(this.#attachment);
  }

  override addEventListener(type: string, listener: Listener, options?: Parameters<EventTarget["addEventListener"]>[2]): void {
    this.#onPropertyFirst(type);
    super.addEventListener(type, guarded(listener), options);
  }

  override removeEventListener(type: string, listener: Listener, options?: Parameters<EventTarget["removeEventListener"]>[2]): void {
    super.removeEventListener(type, guarded(listener), options);
  }

  override dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
    const frame: Dispatch = { event, propagate: this.#propagateThrows };
    const result = this.#dispatch(frame);
    if (frame.propagate && frame.thrown !== undefined) throw frame.thrown.error;
    return result;
  }

  /**
   * Dispatches an event the runtime fires; returns what one of its listeners threw, if one did
   * (the first). A throw in another dispatch that a listener starts is that dispatch's.
   */
  #fire(event: Event): { error: unknown } | undefined {
    const frame: Dispatch = { event, propagate: this.#propagateThrows };
    this.#dispatch(frame);
    return frame.thrown;
  }

  /**
   * Dispatches an event the runtime fires where nothing acts on a listener's exception: it is
   * logged as uncaught, as the runtime logs it (with spec_compliant_dispatch_exceptions the
   * listener's call logs it; without, it leaves the dispatch and the runtime logs it there).
   */
  #fireLogged(event: Event): { error: unknown } | undefined {
    const thrown = this.#fire(event);
    if (thrown !== undefined && this.#propagateThrows) reportUncaught(thrown.error);
    return thrown;
  }

  #dispatch(frame: Dispatch): boolean {
    this.#onPropertyFirst(frame.event.type);
    return dispatching(frame, () => super.dispatchEvent(frame.event));
  }

  /**
   * Registers the `on<type>` caller ahead of every listener of `type` (Node's EventTarget keeps
   * one registration of a listener per type, so repeating this changes nothing).
   */
  #onPropertyFirst(type: string): void {
    super.addEventListener(type, callOnProperty);
  }

  /** The server completed an outbound end's handshake (unless the end was closed meanwhile). */
  #open(end: LinkEnd, handshake: Handshake): void {
    if (this.#end !== end || end.closedIncoming || this.#outbound === undefined || this.#outbound.abandoned) return;
    this.#outbound.handshake = handshake;
    this.#fireLogged(new Event("open"));
  }

  /** One arrival on an accepted end, run as an event of the end's host. */
  #receive(end: LinkEnd, arrival: Arrival): void {
    if (end.closedIncoming || this.#end !== end) return;
    switch (arrival.type) {
      case "text":
      case "binary": {
        const data = arrival.type === "text" ? textAsReceived(arrival) : binaryData(arrival.data, this.#binaryType);
        this.#dispatching = true;
        let thrown: { error: unknown } | undefined;
        try {
          thrown = this.#fire(new MessageEvent("message", { data }));
        } finally {
          this.#dispatching = false;
        }
        if (thrown !== undefined) this.#endByListener(end, thrown.error);
        return;
      }
      case "close": {
        end.closedIncoming = true;
        this.#peerClosedGracefully = arrival.graceful === true || (arrival.fromHibernatable === true && this.#pairedInPlace());
        const reply = !this.#allowHalfOpen && !end.closedOutgoing && !end.outgoingAborted;
        if (reply) {
          end.send({ type: "close", code: arrival.code, reason: arrival.reason });
          end.closedOutgoing = true;
        }
        const thrown = this.#fireLogged(new CloseEvent("close", { code: arrival.code, reason: arrival.reason, wasClean: true }));
        // Without spec_compliant_dispatch_exceptions a close listener's exception leaves the read loop: an error event.
        if (thrown !== undefined && this.#propagateThrows) this.#reportError(asError(thrown.error));
        if (reply) this.#droppedAfterAnswering(end);
        this.#leaveHostWhenDone(end);
        return;
      }
      case "disconnect": {
        // An outbound end whose handshake never completed failed to connect, and a lost connection
        // failed: an error comes first.
        const failed = this.#connecting();
        if (failed || arrival.lost === "beforeClose") this.#reportError(connectionLost());
        const reason = failed ? FAILED_CONNECTION_REASON : ABRUPT_CLOSE_REASON;
        // The event sees the state from before the disconnect, as in the runtime.
        this.#fireLogged(new CloseEvent("close", { code: ABRUPT_CLOSE_CODE, reason, wasClean: false }));
        end.closedIncoming = true;
        end.outgoingAborted = true;
        if (arrival.lost === "afterClose") this.#reportError(connectionLost());
        this.#leaveHostWhenDone(end);
        return;
      }
    }
  }

  /**
   * Its peer is the other end of its own WebSocketPair, never returned in a Response: the
   * connection stays within the Worker or object that made the pair.
   */
  #pairedInPlace(): boolean {
    return this.#partner !== undefined && this.#partner.#state !== "released";
  }

  /**
   * This end answered a Close frame: the runtime's pipes then drop the connection, which the end
   * reports as lost (after its close event), unless the peer closed gracefully. A client
   * library's end (heldByClientLibrary) closes its connection cleanly: it reports nothing.
   */
  #droppedAfterAnswering(end: LinkEnd): void {
    if (!this.#peerClosedGracefully && !this.#answersCloseFrames) end.host.schedule(() => this.#reportError(connectionLost()));
  }

  #reportError(error: Error): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    this.#fireLogged(new ErrorEvent("error", { message: `Uncaught ${describeError(error)}`, error }));
  }

  /**
   * A listener threw `thrown` at a message: the end fails with it (a value that is no Error is
   * wrapped in one, as the runtime does) and drops the connection, which the peer reports as lost
   * only when frames it sent are left unread (see link.ts).
   */
  #endByListener(end: LinkEnd, thrown: unknown): void {
    const error = asError(thrown);
    end.closedIncoming = true;
    this.#reportError(error);
    end.disconnect({ unread: this.#unread, cause: "listener" });
    this.#leaveHostWhenDone(end);
  }

  #leaveHostWhenDone(end: LinkEnd): void {
    if (end.closedIncoming && (end.closedOutgoing || end.outgoingAborted)) {
      this.#leaveHost?.();
      this.#leaveHost = undefined;
    }
  }

  static {
    /** An end made where no host was known (after an await) joins the host it turns out to belong to. */
    const rehome = (socket: WebSocket, host: SocketHost) => {
      const end = socket.#end;
      if (end === undefined || end.host !== OUTSIDE || host === OUTSIDE) return;
      end.host = host;
      if (socket.#leaveHost !== undefined) {
        socket.#leaveHost();
        socket.#leaveHost = socket.#openOn(host, end);
      }
    };
    isSocket = (value) => typeof value === "object" && value !== null && #state in value;
    pendingSocket = (end) => {
      const socket = new WebSocket(INTERNAL);
      socket.#end = end;
      return socket;
    };
    internals = {
      pair(host) {
        const [a, b] = LinkEnd.pair(host);
        const first = pendingSocket(a);
        const second = pendingSocket(b);
        first.#io = second.#io = currentIoContext();
        first.#partner = second;
        second.#partner = first;
        return [first, second];
      },
      couple(socket, callerHost, ownerHost) {
        const refusal = couplingRefusal(socket.#state);
        if (refusal !== undefined) return { socket: pendingSocket(LinkEnd.severed(callerHost)), refusal };
        const end = socket.#end!;
        end.markCallerOfUpgrade();
        socket.#end = undefined;
        socket.#state = "released";
        unaccepted.unregister(socket);
        end.host = callerHost;
        const partner = socket.#partner;
        if (partner !== undefined) rehome(partner, ownerHost);
        const coupled = pendingSocket(end);
        unaccepted.register(coupled, end, coupled);
        return { socket: coupled };
      },
      pendingEnd: (end) => pendingSocket(end),
      connectionOver(socket) {
        const end = socket.#end;
        return end === undefined ? Promise.resolve() : new Promise((resolve) => end.whenOver(resolve));
      },
      isAccepted: (socket) => socket.#state === "accepted" || socket.#state === "hibernatable",
      isHibernatable: (socket) => socket.#state === "hibernatable",
      partnerAwaitingCoupling: (socket) => socket.#partner !== undefined && socket.#partner.#state === "pending",
      makeHibernatable(socket) {
        if (socket.#state !== "pending") {
          throw new TypeError("Tried to make an api::WebSocket hibernatable when it was in an incompatible state.");
        }
        socket.#state = "hibernatable";
        unaccepted.unregister(socket);
        return socket.#end!;
      },
      hibernatableSocket(end, attachment) {
        const socket = pendingSocket(end);
        socket.#state = "hibernatable";
        socket.#attachment = attachment;
        return socket;
      },
      attachment: (socket) => socket.#attachment,
      connectionFailed(socket) {
        socket.#error ??= connectionLost();
      },
      detach(socket) {
        unaccepted.unregister(socket);
        socket.#end = undefined;
        socket.#state = "released";
      },
      heldByClientLibrary(socket) {
        socket.#answersCloseFrames = true;
        quietReturns(socket);
      },
    };
  }
}

/** What the runtime's own code does with sockets, beyond what Worker code can. */
export interface SocketInternals {
  /** The two pending ends of a new WebSocketPair, living in `host`. */
  pair(host: SocketHost): [WebSocket, WebSocket];
  /**
   * A socket returned in a Response: the caller gets a new pending end on the same connection
   * (living in `callerHost`) and `socket` is released; the other end of its pair belongs to
   * `ownerHost`, who returned it, if it was made where no host was known. A socket that cannot
   * be returned (accepted, already returned) gives the caller an end that is disconnected at
   * once, and the runtime's `refusal`.
   */
  couple(socket: WebSocket, callerHost: SocketHost, ownerHost: SocketHost): { socket: WebSocket; refusal?: TypeError };
  /** A pending socket over `end`: the client's end of a connection fetch() opened. */
  pendingEnd(end: LinkEnd): WebSocket;
  /** Settles once the connection under `socket` is over (closed both ways, or dropped); at once if it has no connection. */
  connectionOver(socket: WebSocket): Promise<void>;
  isAccepted(socket: WebSocket): boolean;
  isHibernatable(socket: WebSocket): boolean;
  /** Its pair's other end is still pending: neither accepted nor returned in a Response. */
  partnerAwaitingCoupling(socket: WebSocket): boolean;
  /** Marks a pending socket hibernatable (its arrivals go to the object) and returns its end. */
  makeHibernatable(socket: WebSocket): LinkEnd;
  /** A new socket object for a hibernatable connection whose object woke up. */
  hibernatableSocket(end: LinkEnd, attachment: Uint8Array | undefined): WebSocket;
  attachment(socket: WebSocket): Uint8Array | undefined;
  /** A hibernatable socket's connection failed: it reads CLOSED, as after an error (no event: its object's handlers get the news). */
  connectionFailed(socket: WebSocket): void;
  /** Cuts an old socket object off its connection (its object hibernated): it does nothing any more. */
  detach(socket: WebSocket): void;
  /**
   * The socket is held by a front door's client library (Miniflare's `ws`) for Node code: once
   * accepted (without allowHalfOpen) it answers a Close frame itself at any compatibility date,
   * and what its listeners return is not warned about, as Node's EventTarget does not.
   */
  heldByClientLibrary(socket: WebSocket): void;
}

export function socketInternals(): SocketInternals {
  return internals;
}

function couplingRefusal(state: State): TypeError | undefined {
  switch (state) {
    case "pending":
      return undefined;
    case "released":
      return new TypeError("Can't return WebSocket that was already used in a response.");
    case "hibernatable":
      return new TypeError("Can't return WebSocket in a Response after calling acceptWebSocket().");
    case "accepted":
      return new TypeError("Can't return WebSocket in a Response after calling accept().");
  }
}

function toFrame(message: unknown): Frame {
  // By internal type, not instanceof: a buffer of another realm (a Jest test file's) is bytes too,
  // and so is a SharedArrayBuffer (the runtime sends its bytes, never its string form).
  if (types.isAnyArrayBuffer(message) || ArrayBuffer.isView(message)) {
    // A detached buffer, or a view of one, has no bytes (and cannot be copied from): it sends
    // an empty binary message.
    if (message.byteLength === 0) return { type: "binary", data: new Uint8Array(0) };
    const bytes = types.isAnyArrayBuffer(message) ? new Uint8Array(message) : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
    return { type: "binary", data: bytes.slice() };
  }
  return { type: "text", data: `${message as string}` };
}

function binaryData(bytes: Uint8Array, binaryType: BinaryType): ArrayBuffer | Blob {
  const copy = bytes.slice().buffer;
  return binaryType === "arraybuffer" ? copy : new Blob([copy]);
}

/**
 * Calls the `on<type>` property of the socket Node calls it on (its `this`), when it holds a
 * function (one listener for every socket and type), with the global object as its receiver, as
 * the runtime calls event-handler attributes.
 */
const callOnProperty = unguarded(function callOnProperty(this: EventTarget, event: Event): void {
  const handler = (this as unknown as Record<string, unknown>)[`on${event.type}`];
  if (typeof handler === "function") callListener(handler, globalThis, event);
});

/** "Name: message" of an error for the error event, even one whose name or message cannot be read or converted. */
function describeError(error: Error): string {
  try {
    return `${error.name}: ${error.message}`;
  } catch {
    return "Error";
  }
}

function stubbedClient(): (new (url: unknown, protocols?: unknown) => object) | undefined {
  const current = (globalThis as { WebSocket?: unknown }).WebSocket;
  // The process's global WebSocket as durasim found it (Node's client) is no stub.
  if (typeof current !== "function" || current === nodeClientClass() || current === WebSocket) return undefined;
  return current as new (url: unknown, protocols?: unknown) => object;
}

/**
 * `new WebSocket(url, protocols)`'s protocols as the runtime converts them: only an Array is a
 * list, read by index up to its length (its own iterator never runs); any other value, a Set
 * or a generator included, is one string.
 */
function protocolsArgument(protocols: unknown): string | string[] | undefined {
  if (protocols === undefined) return undefined;
  if (!Array.isArray(protocols)) return toIdlString(protocols);
  const list: unknown[] = protocols;
  return Array.from({ length: list.length }, (_, index) => toIdlString(list[index]));
}

/**
 * The runtime's refusal of a protocol that is no HTTP token, or one given twice, each in turn
 * (Node's client says "Invalid Sec-WebSocket-Protocol value" of both, and Node 20 has no client to say it).
 */
function checkProtocols(protocols: string | string[] | undefined): void {
  const seen = new Set<string>();
  for (const protocol of typeof protocols === "string" ? [protocols] : (protocols ?? [])) {
    if (!isToken(protocol)) throw runtimeDomException("WebSocket Constructor: One of the protocol header tokens is invalid.", "SyntaxError");
    if (seen.has(protocol)) throw runtimeDomException("WebSocket Constructor: The protocols header cannot have repeating values.", "SyntaxError");
    seen.add(protocol);
  }
}

/** The URL `new WebSocket(url)` connects to, checked as the runtime checks it. */
function outboundTarget(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw runtimeDomException("WebSocket Constructor: The url is invalid.", "SyntaxError");
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    throw runtimeDomException("WebSocket Constructor: The url scheme must be ws or wss.", "SyntaxError");
  }
  if (parsed.hash !== "") throw runtimeDomException("WebSocket Constructor: The url fragment must be empty.", "SyntaxError");
  return parsed;
}

// As on the runtime's prototype: the constants are there too (read-only, as on the constructor,
// READY_STATE_CONNECTING before CONNECTING and so on), the API's members enumerate, its methods
// have length 0 and refuse another receiver ("Illegal invocation"), and all come in the
// runtime's order (the listener guards stay hidden: they are EventTarget's methods in the runtime).
// The constructor Worker code sees: called without `new` it says the runtime's words, as every runtime class does.
export const WebSocket = constructOnly(WebSocketClass, "WebSocket");
export type WebSocket = WebSocketClass;
// Node's EventTarget methods accept a receiver whose constructor carries this mark (a static
// the class inherited from EventTarget, which the stand-in constructor does not inherit).
Object.defineProperty(WebSocket, Symbol.for("nodejs.event_target"), { value: true });

const METHODS = ["accept", "send", "close", "serializeAttachment", "deserializeAttachment"];
const CONSTANTS = Object.keys(READY_STATES).flatMap((name) => [`READY_STATE_${name}`, name]);
const ATTRIBUTES = ["readyState", "bufferedAmount", "url", "protocol", "extensions", "binaryType"];
for (const target of [WebSocket, WebSocket.prototype]) {
  for (const [name, value] of Object.entries(READY_STATES)) {
    Object.defineProperty(target, `READY_STATE_${name}`, { value, enumerable: true, configurable: true });
    Object.defineProperty(target, name, { value, enumerable: true, configurable: true });
  }
}
for (const name of [...METHODS, ...ATTRIBUTES]) Object.defineProperty(WebSocket.prototype, name, { enumerable: true });
checkReceivers(WebSocket.prototype, isSocket);
Object.defineProperty(WebSocket, "length", { value: 0 });
tagInterface(WebSocket.prototype, "WebSocket");
arrangeMembers(WebSocket.prototype, [...METHODS, ...CONSTANTS, ...ATTRIBUTES]);

/** An incoming text or binary message is billed (at 20:1); close frames and disconnects are not. */
function billedAs(arrival: Arrival): "webSocketMessage" | undefined {
  return arrival.type === "text" || arrival.type === "binary" ? "webSocketMessage" : undefined;
}
