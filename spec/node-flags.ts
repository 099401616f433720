/**
 * Flags for the child Nodes that specs start. Node 20 has its WebSocket client only behind
 * `--experimental-websocket` (Node 22 on by default), and durasim's outbound WebSockets use it.
 */
export const WEBSOCKET_CLIENT = process.allowedNodeEnvironmentFlags.has("--experimental-websocket") && typeof WebSocket !== "function" ? ["--experimental-websocket"] : [];
