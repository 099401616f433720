/**
 * cloudflare:sockets' readable side read as Worker code may read it, against a TCP server in this
 * process: an iterator and a BYOB reader follow the socket's close rules as a reader does (a read
 * waiting at close() fails "This socket has been closed.", the next one as closing), as a
 * Fetcher's socket's do (conformance "sockets-readers: ..."); a pipe into a runtime-made writable
 * side fails as the socket closed; and a byte stream hands over the peer's bytes intact, whatever
 * the reader.
 */
import { expect, it } from "vitest";
import { READ_CLOSING, SOCKET_CLOSED } from "../runtime/tcp/socket-failures.js";
import { socketClient, tcpServer } from "./tcp-server.js";

const LONG = 200_000;
// "long" sends LONG bytes (each its index mod 251) and ends; anything else is greeted with "hi" and kept open.
const server = tcpServer((socket) => {
  socket.on("error", () => undefined);
  socket.once("data", (asked) => {
    if (String(asked) !== "long") return void socket.write("hi");
    socket.end(Buffer.from(Array.from({ length: LONG }, (_, i) => i % 251)));
  });
});

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  import { connect } from "cloudflare:sockets";

  const outcome = (promise) => promise.then((value) => ["ok", value], (e) => [e.constructor.name, e.message]);
  const text = (result) => new TextDecoder().decode(result.value);

  async function greeted(port, ask = "greet") {
    const socket = connect("127.0.0.1:" + port);
    await socket.writable.getWriter().write(ask);
    return socket;
  }

  export class Client extends DurableObject {
    async iterator(port) {
      const socket = await greeted(port);
      const it = socket.readable.values();
      const greeting = text(await it.next());
      const waiting = outcome(it.next());
      socket.close();
      return { greeting, waiting: await waiting, next: await outcome(it.next()), locked: socket.readable.locked };
    }

    async forAwait(port) {
      const socket = await greeted(port);
      const got = [];
      const loop = outcome((async () => { for await (const chunk of socket.readable) { got.push(new TextDecoder().decode(chunk)); socket.close(); } })());
      return { loop: await loop, got };
    }

    async byob(port) {
      const socket = await greeted(port);
      const reader = socket.readable.getReader({ mode: "byob" });
      const first = text(await reader.read(new Uint8Array(1)));
      const second = text(await reader.read(new Uint8Array(8)));
      const waiting = outcome(reader.read(new Uint8Array(8)));
      socket.close();
      return { first, second, waiting: await waiting, next: await outcome(reader.read(new Uint8Array(8))), closed: await outcome(reader.closed) };
    }

    async pump(port) {
      const socket = await greeted(port);
      const through = new IdentityTransformStream();
      const piping = outcome(socket.readable.pipeTo(through.writable));
      const reader = through.readable.getReader();
      const greeting = text(await reader.read());
      await socket.close();
      return { greeting, piping: await piping, next: await outcome(reader.read()) };
    }

    async long(port, mode) {
      const socket = await greeted(port, "long");
      const parts = [];
      if (mode === "byob") {
        const reader = socket.readable.getReader({ mode: "byob" });
        for (;;) {
          const { done, value } = await reader.read(new Uint8Array(4096));
          if (done) break;
          parts.push(value);
        }
      } else {
        for await (const chunk of socket.readable) parts.push(chunk);
      }
      const all = new Uint8Array(await new Blob(parts).arrayBuffer());
      return { length: all.length, intact: all.every((byte, i) => byte === i % 251) };
    }
  }`;

it("an iterator's read waiting at close() fails as the socket closed, the next as closing, and the stream stays locked", async () => {
  expect(await socketClient(SCRIPT).iterator(server.port)).toEqual({ greeting: "hi", waiting: SOCKET_CLOSED, next: READ_CLOSING, locked: true });
});

it("for await over the readable side fails its next read once the body closed the socket", async () => {
  expect(await socketClient(SCRIPT).forAwait(server.port)).toEqual({ loop: READ_CLOSING, got: ["hi"] });
});

it("a BYOB reader takes what its view holds, and follows the close rules as a default reader does", async () => {
  expect(await socketClient(SCRIPT).byob(server.port)).toEqual({ first: "h", second: "i", waiting: SOCKET_CLOSED, next: READ_CLOSING, closed: ["ok", undefined] });
});

it("a pipe into a runtime-made writable side fails as the socket closed once the connection ends, and its destination too", async () => {
  expect(await socketClient(SCRIPT).pump(server.port)).toEqual({ greeting: "hi", piping: SOCKET_CLOSED, next: SOCKET_CLOSED });
});

it.each(["byob", "iterator"])("a %s reader gets the peer's bytes intact, to the end", async (mode) => {
  expect(await socketClient(SCRIPT).long(server.port, mode)).toEqual({ length: LONG, intact: true });
});
