/**
 * The Workers globals of modules/worker-globals.ts, which Worker modules get as bindings and
 * which the test runners and durasim/register also make global (worker-prelude.ts imports them
 * by these names; runtime/missing-global-hint.ts tells their absence apart). Free of imports:
 * Node's module-hooks thread loads it.
 */
export const WORKER_GLOBAL_NAMES = [
  "WebSocketPair",
  "WebSocket",
  "Response",
  "Request",
  "WebSocketRequestResponsePair",
  "MessageEvent",
  "CloseEvent",
  "ErrorEvent",
  "IdentityTransformStream",
  "FixedLengthStream",
] as const;
