import { expect, it } from "vitest";

// Test code gets the Workers WebSocket (as inside workerd), and `new WebSocket(url)` opens a real
// connection with Node's client: here to a port where nothing listens, so it fails as workerd's
// does. Node 20 has that client only with --experimental-websocket and says so.
it("test code's new WebSocket(url) connects through Node (and fails as workerd does when nobody answers)", async () => {
  const nodeMajor = Number(process.versions.node.split(".")[0]);
  if (nodeMajor < 22 && !process.execArgv.includes("--experimental-websocket")) {
    expect(() => new WebSocket("ws://127.0.0.1:1/")).toThrow(/--experimental-websocket/);
    return;
  }
  const ws = new WebSocket("ws://127.0.0.1:1/");
  const seen: unknown[] = [ws.readyState];
  ws.addEventListener("error", (event) => seen.push(event.message));
  await new Promise<void>((resolve) =>
    ws.addEventListener("close", (event) => {
      seen.push(event.code, event.reason, event.wasClean);
      resolve();
    }),
  );
  expect(seen).toEqual([0, "Uncaught Error: Network connection lost.", 1006, "Failed to establish websocket connection", false]);
});
