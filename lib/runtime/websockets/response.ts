import { WebSocket } from "./web-socket.js";

/**
 * The Workers `Response` as far as WebSockets need it: `new Response(null, { status: 101,
 * webSocket })` answers an upgrade, and `response.webSocket` is the socket (null for every
 * other response). Node's Response refuses status 101, so a WebSocket response is built as a
 * 200 underneath and reports 101; everything else is Node's Response unchanged. The runtime's
 * checks come first, with its messages: a WebSocket needs status 101 and no body, status 101
 * needs a WebSocket, and a WebSocket response cannot be cloned.
 */

type ResponseInit = ConstructorParameters<typeof globalThis.Response>[1];
export type WorkerResponseInit = ResponseInit & { webSocket?: WebSocket | null };

const SWITCHING_PROTOCOLS = 101;

/** The socket of each WebSocket response (Node's constructor reads status before ours returns). */
const sockets = new WeakMap<object, WebSocket>();

export class Response extends globalThis.Response {
  constructor(body?: ConstructorParameters<typeof globalThis.Response>[0], init?: WorkerResponseInit) {
    const webSocket = init?.webSocket ?? null;
    if (webSocket === null) {
      checkStatus(init?.status);
      super(body, init);
      return;
    }
    if (!(webSocket instanceof WebSocket)) {
      throw new TypeError("Incorrect type for the 'webSocket' field on 'InitializerDict': the provided value is not of type 'WebSocket'.");
    }
    if (Number(init?.status ?? 200) !== SWITCHING_PROTOCOLS) {
      throw new RangeError("Responses with a WebSocket must have status code 101.");
    }
    if (body !== null && body !== undefined) {
      throw new TypeError("Response with null body status (101, 204, 205, or 304) cannot have a body.");
    }
    const { webSocket: _socket, status: _status, ...rest } = init!;
    super(null, rest);
    sockets.set(this, webSocket);
  }

  get webSocket(): WebSocket | null {
    return sockets.get(this) ?? null;
  }
}

// Node's typings declare these as fields, so they are replaced on the prototype: a WebSocket
// response reports 101, is not ok, and cannot be cloned.
const base = globalThis.Response.prototype;
const baseStatus = Object.getOwnPropertyDescriptor(base, "status")!.get!;
const baseOk = Object.getOwnPropertyDescriptor(base, "ok")!.get!;
Object.defineProperties(Response.prototype, {
  status: {
    get(this: Response) {
      return sockets.has(this) ? SWITCHING_PROTOCOLS : baseStatus.call(this);
    },
    configurable: true,
  },
  ok: {
    get(this: Response) {
      return sockets.has(this) ? false : baseOk.call(this);
    },
    configurable: true,
  },
  clone: {
    value(this: Response) {
      if (sockets.has(this)) throw new TypeError("Cannot clone a response to a WebSocket handshake.");
      return base.clone.call(this);
    },
    writable: true,
    configurable: true,
  },
});

/** Status 101 is only for WebSocket responses; the runtime's message for any status it refuses. */
function checkStatus(status: unknown): void {
  if (status === undefined) return;
  const code = Number(status);
  if (code < 200 || code > 599) {
    throw new RangeError("Responses may only be constructed with status codes in the range 200 to 599, inclusive.");
  }
}
