import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { Socket } from "node:net";

/**
 * Node's WebSocket client has no way to drop its connection: `close()` starts a closing
 * handshake, and a server that never answers it keeps the connection (and Node) going. The
 * runtime drops an ended context's outbound WebSockets outright, so durasim must reach the
 * socket itself. The client sends its handshake through a dispatcher of ours, which passes it to
 * the process's global one (undici's, which the client uses when given none: Node's own, or one
 * a test set with undici's setGlobalDispatcher()); the socket is noted as the handshake's
 * headers are written to it, which undici reports on its diagnostics channel (the handshake
 * told apart by its Sec-WebSocket-Key).
 *
 * Noted then, not only once the response upgrades it: the client's close() while the handshake
 * awaits its response aborts the request, and undici (Node 20's) then connects anew for the
 * aborted request and leaves that connection idle in its pool; cut at its socket, the request
 * fails as a lost connection, and nothing follows it.
 */

/** Where undici keeps the process's global dispatcher, Node's copy and any other alike. */
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

/** Where undici (each copy: Node's and any other) reports a request's headers written, with their socket. */
const HEADERS_SENT = "undici:client:sendHeaders";

interface Dispatcher {
  dispatch(options: { headers?: unknown }, handler: object): boolean;
}

/** Handshakes whose headers have not been written yet, by their Sec-WebSocket-Key: where each notes its socket. */
const unsent = new Map<string, (socket: Socket) => void>();

/** The key line of a handshake's header block, as undici writes it. */
const KEY_LINE = /^sec-websocket-key: *([^\r\n]*)/im;

/** Hears undici's reports only while a handshake waits for its socket. */
function headersSent(message: unknown): void {
  const { headers, socket } = message as { headers: string; socket: Socket };
  const key = KEY_LINE.exec(headers)?.[1];
  const note = key === undefined ? undefined : unsent.get(key);
  if (note === undefined) return;
  forget(key!);
  note(socket);
}

function forget(key: string): void {
  if (unsent.delete(key) && unsent.size === 0) unsubscribe(HEADERS_SENT, headersSent);
}

/**
 * A dispatcher for one connection's handshake, and the socket its headers went out on (once
 * they have); `forget()` when the handshake ended before that (a failed connection).
 */
export function handshakeSocket(): { dispatcher: Dispatcher; socket(): Socket | undefined; forget(): void } {
  let socket: Socket | undefined;
  let key: string | undefined;
  const dispatcher: Dispatcher = {
    dispatch(options, handler) {
      // undici's fetch() passes the handshake's headers as an object of lower-cased names.
      key = (options.headers as Record<string, string | undefined> | undefined)?.["sec-websocket-key"];
      if (key !== undefined) {
        if (unsent.size === 0) subscribe(HEADERS_SENT, headersSent);
        unsent.set(key, (sent) => (socket = sent));
      }
      // (Node's client makes the global one, if nothing had yet, before it dispatches.)
      return (globalThis as Record<symbol, Dispatcher>)[GLOBAL_DISPATCHER]!.dispatch(options, handler);
    },
  };
  return { dispatcher, socket: () => socket, forget: () => key !== undefined && forget(key) };
}
