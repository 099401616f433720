import { OUTSIDE, type SocketHost } from "./host.js";
import { asDecodedFromWtf8 } from "../../util/utf8.js";

/**
 * The in-process connection under a WebSocket: two ends, each with an outgoing queue and an
 * inbox. Invariants: frames leave an end in the order they were sent, each only once the output
 * gate captured at its send opens (a frame whose gate fails is dropped with every frame after
 * it); they reach the other end's reader in the same order; an end that is dropped without a
 * Close frame (`disconnect()`) sends nothing more, and its peer's reader learns of it after the
 * frames that already left. Readers are called synchronously on arrival and must not run user
 * code there: they schedule it on their host.
 *
 * A send only completes once the other end reads the frame, as over workerd's pipes: an end
 * dropped while frames sent to it were unread (still in its inbox, or with its reader, or held
 * behind the sender's output gate), or that a frame reaches after it was dropped and before its
 * peer's reader heard so, fails that send, and the peer hears of the disconnect as `lost`.
 * Across an upgrade (one end returned in a Response), the runtime's pump between the two pipes
 * takes a Close frame off the sender's pipe: when only Close frames were left unread, or the Close
 * frame was read and never answered, the sender hears of the failure after its close event
 * (`lost: "afterClose"`); else before it. An end accepted with accept() that is dropped with the
 * object holding it (a reset) takes that pump along: its unread Close frames fail as any frame
 * does, and a Close frame it read (and had no turn to answer) fails nothing, as workerd shows.
 * The caller's end of an upgrade dropped by its listener's throw fails the connection outright:
 * the other end hears of it as lost, before its close event, whatever it had sent.
 */

/**
 * Whether the end that answers a Close frame then reports a lost connection (workerd's local
 * pipes drop an accepted end after its answer) depends on the frame's sender. A hibernatable
 * end's close ends the connection cleanly (`fromHibernatable`) for the other end of its own
 * WebSocketPair while that end stays where the pair was made, whatever was sent before; for the
 * caller's end of an upgrade only when the Close is the end's first frame and was sent before
 * the other end left in the Response (`graceful`: an object refusing a connection it accepted).
 * An answer to any other end's Close frame is dropped.
 */
export type Frame =
  | { type: "text"; data: string }
  | { type: "binary"; data: Uint8Array }
  | { type: "close"; code: number; reason: string; graceful?: boolean; fromHibernatable?: boolean };

/**
 * A text frame's message as its receiver reads it. The runtime sends a string's WTF-8 bytes (a
 * lone surrogate as its own three bytes) and decodes what arrives as UTF-8, each such surrogate
 * becoming three U+FFFD; frames carry the string as sent, which an auto-response compares.
 */
export function textAsReceived(frame: { data: string }): string {
  return asDecodedFromWtf8(frame.data);
}

/**
 * What reaches a reader: a frame, or the news that the other end vanished without a Close frame;
 * `lost` (a send of this end failed, reported before or after the close event) may still be set
 * after the news reached the reader, until the reader acts on it.
 */
export type Arrival = Frame | Disconnect;
interface Disconnect {
  type: "disconnect";
  lost?: Lost;
}
type Lost = "beforeClose" | "afterClose";

/**
 * How an end is dropped: the arrivals its reader had not read yet (which only the reader knows),
 * and why: a listener threw at a message, or the object holding the end (accepted with
 * accept()) is gone with it.
 */
export interface Drop {
  unread?: readonly Arrival[];
  cause?: "listener" | "holder";
}

export type Reader = (arrival: Arrival) => void;

interface Outgoing {
  frame: Frame;
  gate: Promise<void> | undefined;
}

/** What both ends of one connection share: whether it is over, and who waits for that. */
interface Connection {
  over: boolean;
  whenOver: (() => void)[];
  /** One end was returned in a Response (see the top of this file). */
  upgraded: boolean;
}

export class LinkEnd {
  /** Whose gates apply to this end (see host.ts); the runtime re-homes ends it hands over. */
  host: SocketHost;
  /** close() was called: no more frames may be sent. */
  closedOutgoing = false;
  /** A Close frame arrived, or the peer disconnected. */
  closedIncoming = false;
  /** The peer is gone or a gate failed: sends are silently dropped. */
  outgoingAborted = false;
  #peer: LinkEnd | undefined;
  #gone = false;
  /** A Close frame left this end (reached its peer). */
  #closeLeft = false;
  #connection: Connection;
  #queue: Outgoing[] = [];
  /** A frame was sent (queued) from this end. */
  #sentAny = false;
  /** A Close frame reached this end's reader. */
  #closeRead = false;
  /** This is the caller's end of an upgrade (the one a Response's WebSocket became). */
  #callerOfUpgrade = false;
  #waiting = false;
  #inbox: Arrival[] = [];
  #reader: Reader | undefined;
  /** The news that the peer was dropped, once it came: a send that fails after it marks it `lost`. */
  #peerGone: Disconnect | undefined;

  private constructor(host: SocketHost, connection: Connection) {
    this.host = host;
    this.#connection = connection;
  }

  /** Two connected ends. */
  static pair(host: SocketHost = OUTSIDE, peerHost: SocketHost = host): [LinkEnd, LinkEnd] {
    const connection: Connection = { over: false, whenOver: [], upgraded: false };
    const a = new LinkEnd(host, connection);
    const b = new LinkEnd(peerHost, connection);
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  /** An end whose peer has already disconnected: its reader learns so as soon as it reads. */
  static severed(host: SocketHost): LinkEnd {
    const [end, peer] = LinkEnd.pair(host, OUTSIDE);
    peer.disconnect();
    return end;
  }

  /**
   * Queues a frame behind every frame sent before it; it leaves when the output gate as it is
   * now opens. An ungated frame (an auto-response, which the runtime sends itself) waits only
   * for the frames ahead of it.
   */
  send(frame: Frame, gated = true): void {
    if (this.#gone || this.outgoingAborted) return;
    this.#sentAny = true;
    const gate = gated ? this.host.outputGate() : undefined;
    // A failed gate is handled when the frame reaches the head of the queue; until then it must
    // not count as an unhandled rejection.
    gate?.catch(() => undefined);
    this.#queue.push({ frame, gate });
    this.#flush();
  }

  /** Starts handing arrivals to `reader`, beginning with those that came before. */
  read(reader: Reader): void {
    this.#reader = reader;
    const waiting = this.#inbox;
    this.#inbox = [];
    for (const arrival of waiting) this.#handOver(arrival);
  }

  /** The connection now crosses an upgrade: this end is the caller's end of a Response's WebSocket. */
  markCallerOfUpgrade(): void {
    this.#connection.upgraded = true;
    this.#callerOfUpgrade = true;
  }

  /**
   * Drops this end without a Close frame: queued frames never leave, the peer sees a disconnect,
   * as a connection that failed (which its end reports as an error) when a frame it sent is
   * unread here: in the inbox, still queued at the peer, or with the reader, or its Close frame
   * went unanswered (see the top of this file).
   */
  disconnect({ unread: unreadByReader = [], cause }: Drop = {}): void {
    if (this.#gone) return;
    this.#gone = true;
    this.outgoingAborted = true;
    const withHolder = cause === "holder";
    const peer = this.#peer;
    const unread = [...unreadByReader, ...this.#inbox, ...(peer === undefined ? [] : peer.#queue.map((outgoing) => outgoing.frame))];
    this.#queue = [];
    this.#inbox = [];
    this.#reader = undefined;
    this.#peer = undefined;
    if (peer !== undefined) {
      const news: Disconnect = { type: "disconnect" };
      if (cause === "listener" && this.#callerOfUpgrade) news.lost = "beforeClose";
      for (const arrival of unread) if (arrival.type !== "disconnect") news.lost = this.#failedSend(news.lost, arrival, withHolder);
      if (news.lost === undefined && !withHolder && this.#closeRead && !this.closedOutgoing && this.#connection.upgraded) news.lost = "afterClose";
      peer.#peerGone = news;
      peer.#arrive(news);
    }
    this.#over();
  }

  /** How the sender hears of its send of `frame` failing, given how it hears of those before. */
  #failedSend(before: Lost | undefined, frame: Frame, withHolder = false): Lost {
    if (before === "beforeClose") return before;
    return frame.type === "close" && this.#connection.upgraded && !withHolder ? "afterClose" : "beforeClose";
  }

  /**
   * Runs `callback` once the connection is over: a Close frame has left each end, or an end was
   * dropped (disconnected, errored). Until then the connection keeps it.
   */
  whenOver(callback: () => void): void {
    if (this.#connection.over) callback();
    else this.#connection.whenOver.push(callback);
  }

  #over(): void {
    const connection = this.#connection;
    if (connection.over) return;
    connection.over = true;
    const waiting = connection.whenOver;
    connection.whenOver = [];
    for (const callback of waiting) callback();
  }

  /** Whether a frame was ever sent from this end. */
  get sentAny(): boolean {
    return this.#sentAny;
  }

  get disconnected(): boolean {
    return this.#gone;
  }

  #flush(): void {
    while (!this.#waiting && this.#queue.length > 0) {
      const next = this.#queue[0]!;
      if (next.gate === undefined) {
        this.#queue.shift();
        this.#transmit(next.frame);
        continue;
      }
      this.#waiting = true;
      next.gate.then(
        () => {
          this.#waiting = false;
          next.gate = undefined;
          this.#flush();
        },
        () => {
          // The writes this frame waited for were lost: it and every later frame are dropped.
          this.#waiting = false;
          this.#queue = [];
          this.outgoingAborted = true;
        },
      );
    }
  }

  #transmit(frame: Frame): void {
    const peer = this.#peer;
    if (this.#gone || peer === undefined) return;
    if (peer.#gone) {
      // Sent to an end already dropped: the send fails (see the top of this file).
      const news = this.#peerGone;
      if (news !== undefined) news.lost = this.#failedSend(news.lost, frame);
      return;
    }
    peer.#arrive(frame);
    if (frame.type !== "close") return;
    this.#closeLeft = true;
    if (peer.#closeLeft) this.#over();
  }

  #arrive(arrival: Arrival): void {
    if (this.#gone) return;
    if (this.#reader === undefined) this.#inbox.push(arrival);
    else this.#handOver(arrival);
  }

  /**
   * The one place an arrival reaches its reader, once, in order: from here on it belongs to
   * the end's host (an object's event, or the outside's). Whatever must see every incoming
   * message of a host (a count of them, say) sees it here, whichever kind of socket it is.
   */
  #handOver(arrival: Arrival): void {
    if (arrival.type === "close") this.#closeRead = true;
    // (A reader that disconnected its own end, while older arrivals were handed over, gets no more.)
    this.#reader?.(arrival);
  }
}

