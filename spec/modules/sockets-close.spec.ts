/**
 * cloudflare:sockets' Socket after its own close(), against a TCP server in this process: its
 * reads and writes fail at once in the runtime's words, as a Fetcher's socket's do (conformance
 * "sockets-more: ..."), instead of finding the end or Node's "write after destroy" error.
 */
import { expect, it } from "vitest";
import { READ_CLOSING, WRITE_CLOSING } from "../runtime/tcp/socket-failures.js";
import { socketClient, tcpServer } from "./tcp-server.js";

// Greets each connection and keeps it open, so a read past the greeting waits.
const server = tcpServer((socket) => {
  socket.on("error", () => undefined);
  socket.write("hi");
});

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  import { connect } from "cloudflare:sockets";

  const outcome = (promise) => promise.then((value) => ["ok", value], (e) => [e.constructor.name, e.message]);

  export class Client extends DurableObject {
    async afterClose(port) {
      const socket = connect("127.0.0.1:" + port);
      await socket.opened;
      const reader = socket.readable.getReader();
      const greeting = new TextDecoder().decode((await reader.read()).value);
      const closing = socket.close();
      const readAfter = await outcome(reader.read());
      reader.releaseLock();
      const closed = await outcome(closing);
      return {
        greeting,
        readAfter,
        closed,
        freshRead: await outcome(socket.readable.getReader().read()),
        freshWrite: await outcome(socket.writable.getWriter().write(new Uint8Array(1))),
      };
    }

    async beforeOpened(port) {
      const socket = connect("127.0.0.1:" + port);
      socket.close();
      return { read: await outcome(socket.readable.getReader().read()), write: await outcome(socket.writable.getWriter().write("x")) };
    }
  }`;

it("after close(), the socket's reads and writes fail in the runtime's words, a reader's and writer's taken before or after", async () => {
  expect(await socketClient(SCRIPT).afterClose(server.port)).toEqual({
    greeting: "hi",
    readAfter: READ_CLOSING,
    closed: ["ok", undefined],
    freshRead: READ_CLOSING,
    freshWrite: WRITE_CLOSING,
  });
});

it("close() before the connection is made fails reads and writes alike", async () => {
  expect(await socketClient(SCRIPT).beforeOpened(server.port)).toEqual({ read: READ_CLOSING, write: WRITE_CLOSING });
});
