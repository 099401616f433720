/**
 * cloudflare:sockets' close() against a TCP server in this process, as the runtime's: it waits
 * for the connection to be made or refused (`opened` settles, though it was called first), then
 * for the writes made before it to go out, and only then ends the connection, so no write is
 * cut short while its promise resolves (conformance "sockets-close-flush: ..." shows the rule on
 * a Fetcher's socket).
 */
import { expect, it } from "vitest";
import { socketClient, tcpServer } from "./tcp-server.js";

/** The byte counts of connections the server saw end, in order. */
const received: number[] = [];
let reported: (() => void) | undefined;

const server = tcpServer((socket) => {
  let bytes = 0;
  socket.on("data", (chunk) => (bytes += chunk.length));
  socket.on("error", () => undefined);
  socket.on("close", () => {
    received.push(bytes);
    reported?.();
  });
});

/** Waits until the server saw `count` connections end. */
function serverSaw(count: number): Promise<void> {
  return new Promise((resolve) => {
    reported = () => received.length >= count && resolve();
    reported();
  });
}

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  import { connect } from "cloudflare:sockets";

  const outcome = (promise) => promise.then((value) => ["ok", value === undefined ? undefined : typeof value], (e) => [e.constructor.name, e.message]);

  export class Client extends DurableObject {
    async writesThenClose(port, size) {
      const socket = connect("127.0.0.1:" + port);
      await socket.opened;
      const writer = socket.writable.getWriter();
      const big = writer.write(new Uint8Array(size));
      const small = writer.write("two");
      const closing = socket.close();
      return { big: await outcome(big), small: await outcome(small), close: await outcome(closing) };
    }

    async closeAtOnce(port) {
      const socket = connect("127.0.0.1:" + port);
      const closing = socket.close();
      return { close: await outcome(closing), opened: await outcome(socket.opened), closed: await outcome(socket.closed) };
    }
  }`;

it("close() lets the writes made before it go out whole, then ends the connection; each resolves", async () => {
  const size = 4 * 1024 * 1024;
  const before = received.length;
  expect(await socketClient(SCRIPT).writesThenClose(server.port, size)).toEqual({ big: ["ok", undefined], small: ["ok", undefined], close: ["ok", undefined] });
  await serverSaw(before + 1);
  expect(received[before]).toBe(size + 3);
});

it("close() before the connection is made waits for it: opened resolves, then closed and close() do", async () => {
  const before = received.length;
  expect(await socketClient(SCRIPT).closeAtOnce(server.port)).toEqual({ close: ["ok", undefined], opened: ["ok", "object"], closed: ["ok", undefined] });
  await serverSaw(before + 1);
  expect(received[before]).toBe(0);
});
