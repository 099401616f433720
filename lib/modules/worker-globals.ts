/**
 * What Worker code finds as globals in the Workers runtime and Node lacks or defines otherwise:
 * `WebSocketPair`, the Workers `WebSocket`, a `Response` that accepts `{ status: 101, webSocket }`,
 * a `Request` whose stream body needs no `duplex`, `WebSocketRequestResponsePair`, the
 * events a WebSocket dispatches, and the byte streams `IdentityTransformStream` and
 * `FixedLengthStream`. The emulator never puts them on globalThis (an application
 * embedding it keeps Node's WebSocket, Request and Response): Worker modules receive them as
 * module-scoped bindings (see worker-prelude.ts). The test runners and
 * `durasim/register`, whose processes exist to run Worker code, make them globals, so packages
 * the Worker imports find them too.
 * Also importable as `durasim/worker-globals`.
 */
export { CloseEvent, ErrorEvent, MessageEvent } from "../runtime/websockets/events.js";
export { FixedLengthStream, IdentityTransformStream } from "../runtime/byte-streams.js";
export { Request } from "../runtime/request.js";
export { WebSocketRequestResponsePair } from "../runtime/websockets/request-response-pair.js";
export { Response } from "../runtime/websockets/response.js";
export { WebSocket } from "../runtime/websockets/web-socket.js";
export { WebSocketPair } from "../runtime/websockets/web-socket-pair.js";
