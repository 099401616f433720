import { AsyncResource } from "node:async_hooks";
import { ABRUPT_CLOSE_CODE, NO_STATUS_CODE } from "./close-rules.js";
import type { Arrival, LinkEnd } from "./link.js";
import { currentIoContext, holdUntilContextEnds, letGo } from "../io-context.js";
import { asOutsideCode } from "../code-context.js";
import { handshakeSocket } from "./handshake-socket.js";

/**
 * An outbound connection (`new WebSocket(url)`, or fetch() with `Upgrade: websocket`, see
 * fetch-upgrade.ts) over Node's own WebSocket client: the client
 * is the far end of a link whose near end belongs to the Workers WebSocket, so frames both ways
 * keep the link's order and gate rules and arrive as events of the socket's host. Invariants:
 * the client's frames enter the link in the order they came; a Close frame from the server
 * becomes a Close frame on the link, anything else that ends the connection (a failed handshake,
 * a lost connection) a disconnect; the Workers side's frames reach the client in order, and
 * once its Close frame or its disconnect is passed on, nothing more is. The connection belongs
 * to the I/O context of the code that opened it: when that ends (its Worker event over, its
 * object reset, the emulator disposed) it is dropped, its socket destroyed with no closing
 * handshake (see handshake-socket.ts), as the runtime drops an ended context's sockets: the server
 * sees the connection end, and no client outlives its emulator to keep Node running.
 */

/** Node's WebSocket client (undici's), as far as the bridge uses it. */
interface NodeClient extends EventTarget {
  binaryType: string;
  readonly protocol: string;
  readonly extensions: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** undici's form of the second argument, which also takes headers and a dispatcher for the handshake. */
interface NodeClientInit {
  protocols: string[];
  headers: Record<string, string>;
  dispatcher: object;
}

export type NodeClientClass = new (url: string, protocols?: string | string[] | NodeClientInit) => NodeClient;

/** What the Workers socket learns when the handshake completes. */
export interface Handshake {
  protocol: string;
  extensions: string;
}

/** The global WebSocket as the process had it when durasim loaded: Node's client, if it has one. */
const NODE_CLIENT: unknown = (globalThis as { WebSocket?: unknown }).WebSocket;

export function nodeClientClass(): NodeClientClass | undefined {
  // (A second copy of durasim loaded after a test runner put the first one's WebSocket there finds no client.)
  const isClient = typeof NODE_CLIENT === "function" && !("accept" in (NODE_CLIENT as { prototype: object }).prototype);
  return isClient ? (NODE_CLIENT as NodeClientClass) : undefined;
}

/** The error when Node has no client (Node 20 without its flag). */
export function noNodeClient(): Error {
  return new Error(
    `durasim: new WebSocket(url) opens its connection with Node's WebSocket client, which Node ${process.version} ` +
      "only has behind a flag. Run on Node >= 22, or start Node with --experimental-websocket " +
      '(NODE_OPTIONS="--experimental-websocket").',
  );
}

/** What the opener of a connection hears, and sends with its handshake. */
export interface OutboundOptions {
  /** Runs once the handshake completes (before the first message). */
  opened(handshake: Handshake): void;
  /** Runs instead if the connection ends before that, with the client's error (if it gave one). */
  failed?(cause: unknown): void;
  /** Headers to send with the handshake, beside the client's own. */
  headers?: Record<string, string>;
}

/** Opens `url` with Node's client and joins it to `far`, the link end opposite the Workers socket. */
export function connectOutbound(
  Client: NodeClientClass,
  url: string,
  protocols: string | string[] | undefined,
  far: LinkEnd,
  { opened, failed, headers }: OutboundOptions,
): void {
  // Node's client would reject an empty list where the runtime takes none.
  const none = protocols === undefined || (Array.isArray(protocols) && protocols.length === 0);
  const upgrade = handshakeSocket();
  // Made outside the opener's code: the timers Node's client sets (undici's, shared by the whole
  // process) are Node's, and would stop for good with the opener's event (see sentByNode in host-apis.ts).
  const client = asOutsideCode(
    () => new Client(url, { protocols: none ? [] : ([] as string[]).concat(protocols!), headers: headers ?? {}, dispatcher: upgrade.dispatcher }),
  );
  client.binaryType = "arraybuffer";
  // The opener hears in its own async context, not in that of Node's client, made outside it: a
  // failure its code leaves unhandled is its code's rejection (worker-rejections.ts).
  const hear = AsyncResource.bind((report: () => void) => report());
  let ended = false;
  let open = false;
  let pendingFailure = failed;
  /** A handshake that fails is reported once, at its error (Node 20's client gives no close then) or its close. */
  const fail = (cause: unknown) => {
    if (open || pendingFailure === undefined) return;
    const report = pendingFailure;
    pendingFailure = undefined;
    hear(() => report(cause));
  };
  client.addEventListener("open", () => {
    open = true;
    if (!ended) hear(() => opened({ protocol: client.protocol, extensions: client.extensions }));
  });
  client.addEventListener("message", (event) => {
    const data = (event as MessageEvent).data as unknown;
    if (typeof data === "string") far.send({ type: "text", data }, false);
    else far.send({ type: "binary", data: new Uint8Array(data as ArrayBuffer) }, false);
  });
  client.addEventListener("close", (event) => {
    upgrade.forget();
    fail(undefined);
    const { code, reason, wasClean } = event as Event & { code: number; reason: string; wasClean: boolean };
    // The Workers side hears of it even after its own close(): the server's Close frame is its answer.
    if (wasClean && code !== ABRUPT_CLOSE_CODE) far.send({ type: "close", code, reason }, false);
    else far.disconnect();
  });
  // Once open, Node's client follows every error with a close event (code 1006), which ends the
  // link; a handshake that failed (or was given up) ends it at its error: Node 20's client gives
  // no close event then (Node 24's does, and the link is over by then).
  client.addEventListener("error", (event) => {
    upgrade.forget();
    fail((event as Event & { error?: unknown }).error);
    if (!open) far.disconnect();
  });
  /**
   * Ends the connection with no closing handshake: once the handshake went out on a socket, only
   * cutting that ends it (see handshake-socket.ts); before that close() abandons it.
   */
  const drop = () => {
    ended = true;
    const socket = upgrade.socket();
    if (socket === undefined) client.close();
    else socket.destroy();
  };
  const context = currentIoContext();
  if (context !== undefined) {
    const held = {
      contextEnded: () => {
        // The opener's code is over and never resumes: a fetch() with Upgrade it made never
        // settles, as one without does (host-apis.ts), and nothing is logged of its failure.
        pendingFailure = undefined;
        if (!ended) drop();
      },
    };
    holdUntilContextEnds(context, held);
    client.addEventListener("close", () => letGo(context, held));
  }
  far.read((arrival: Arrival) => {
    if (ended) return;
    switch (arrival.type) {
      case "text":
      case "binary":
        client.send(arrival.data);
        return;
      case "close":
        // Before the handshake completed there is no connection to close: it is given up.
        if (!open) {
          drop();
          return;
        }
        ended = true;
        closeClient(client, arrival.code, arrival.reason);
        return;
      case "disconnect":
        drop();
        return;
    }
  });
}

/**
 * Sends the Workers side's Close frame. Node's client takes only 1000 and 3000-4999 (a browser's
 * rule); the runtime also sends 1001-1014, which go out as 1000 with their reason.
 */
function closeClient(client: NodeClient, code: number, reason: string): void {
  if (code === NO_STATUS_CODE) client.close();
  else if (code === 1000 || code >= 3000) client.close(code, reason);
  else client.close(1000, reason);
}
