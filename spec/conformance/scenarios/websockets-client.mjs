// Module-level helpers shared by the websockets*.mjs scenarios: prepended to a scenario's
// source, so both the Durable Object classes and the driver can call them. (Not a scenario
// file itself: index.mjs does not list it.)

// `openEnds`: the client ends the driver opened (connect() adds them; scenarios add ends of
// their own pairs), so that `hangUp` can close what is still open. Only the driver may use
// it: workerd refuses I/O on an end from another request's handler.

/** What a socket's listeners saw, in order: message data, close and error events. */
function record(ws, seen) {
  ws.addEventListener("message", (e) => {
    seen.push(["message", shownData(e.data)]);
  });
  ws.addEventListener("close", (e) => {
    seen.push(["close", e.code, e.reason, e.wasClean, ws.readyState]);
  });
  ws.addEventListener("error", (e) => {
    seen.push(["error", e.message]);
  });
}

/** A message's data as a stable string: text as is, binary data as type and hex bytes. */
function shownData(data) {
  if (typeof data === "string") return data;
  const tag = Object.prototype.toString.call(data).slice(8, -1);
  if (tag === "ArrayBuffer") return "ArrayBuffer:" + hex(new Uint8Array(data));
  if (tag === "Blob") return "Blob:" + data.size;
  return tag;
}

/** Opens a WebSocket to `stub` at `path`, accepts the client end and records its events. */
async function connect(stub, path = "/") {
  const res = await stub.fetch("http://ws" + path, { headers: { Upgrade: "websocket" } });
  const ws = res.webSocket;
  const seen = [];
  ws.accept();
  record(ws, seen);
  openEnds.push(ws);
  return { ws, seen };
}

/** Lets messages, close frames and the events they cause cross the pair and run. */
function settle(ms = 60) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Returns a copy of `result` taken now, after closing every recorded end that is still open
 * (one at a time, so no two ends close at once). workerd keeps a test running while a
 * connection it accepted stays open, which stalls the next scenario.
 */
async function hangUp(result) {
  const copy = JSON.parse(JSON.stringify(result));
  for (const ws of openEnds.splice(0)) {
    if (ws.readyState !== 1) continue;
    ws.close(1000, "scenario over");
    await settle(10);
  }
  return copy;
}

export const CLIENT = ["const openEnds = [];", ...[record, shownData, connect, settle, hangUp].map(String)].join("\n\n");
