/**
 * cloudflare:sockets' connect() from inside a Durable Object, against a TCP server in this
 * process: the bytes both ways, `opened`'s addresses, `closed` after close(), a refused
 * connection, the chunks the writable side takes (bytes, a string as UTF-8, nothing else),
 * what startTls() does to the plain socket, and startTls() without "starttls".
 * The argument checks and shapes are the conformance scenarios' ("modules: ...").
 */
import { createServer } from "node:net";
import { expect, it } from "vitest";
import { socketClient, tcpServer } from "./tcp-server.js";

// Echoes what it receives, upper-cased, and ends the connection on "bye".
const server = tcpServer((socket) =>
  socket.on("data", (data) => {
    const text = data.toString();
    socket.write(text.toUpperCase());
    if (text.includes("bye")) socket.end();
  }),
);

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  import { connect } from "cloudflare:sockets";

  async function readAll(readable) {
    let text = "";
    for await (const chunk of readable) text += new TextDecoder().decode(chunk);
    return text;
  }

  export class Client extends DurableObject {
    async talk(port) {
      const socket = connect({ hostname: "127.0.0.1", port });
      const info = await socket.opened;
      const writer = socket.writable.getWriter();
      await writer.write(new TextEncoder().encode("hello "));
      await writer.write(new TextEncoder().encode("bye"));
      const reply = await readAll(socket.readable);
      await socket.close();
      await socket.closed;
      const asString = connect("127.0.0.1:0" + port);
      const stringInfo = await asString.opened;
      await asString.close();
      return { reply, info, stringInfo, secureTransport: socket.secureTransport, upgraded: socket.upgraded };
    }

    async refused(port) {
      const socket = connect("127.0.0.1:" + port);
      const outcome = (p) => p.then(() => "resolved", (e) => e.constructor.name);
      return { opened: await outcome(socket.opened), closed: await outcome(socket.closed) };
    }

    async chunks(port) {
      const socket = connect("127.0.0.1:" + port);
      await socket.opened;
      const writer = socket.writable.getWriter();
      const number = await writer.write(5).then(() => "written", (e) => e.name + ": " + e.message);
      const other = connect("127.0.0.1:" + port);
      const otherWriter = other.writable.getWriter();
      await otherWriter.write("a string, ");
      await otherWriter.write(new TextEncoder().encode("bytes, bye").buffer);
      const string = await readAll(other.readable);
      await Promise.all([socket.close(), other.close()]);
      return { number, string };
    }

    // startTls() against a server that speaks no TLS: only what happens before the handshake.
    async upgrade(port) {
      const socket = connect("127.0.0.1:" + port, { secureTransport: "starttls" });
      await socket.opened;
      await socket.writable.getWriter().write(new TextEncoder().encode("plain"));
      const tls = socket.startTls();
      const atOnce = [socket.upgraded, tls.upgraded, tls.secureTransport];
      const closed = await socket.closed.then(() => "resolved");
      const locked = [socket.readable.locked, socket.writable.locked];
      const after = [socket.upgraded, tls.upgraded];
      tls.opened.catch(() => undefined);
      tls.closed.catch(() => undefined);
      await tls.close();
      return { atOnce, closed, locked, after };
    }

    plainStartTls(port) {
      const socket = connect("127.0.0.1:" + port);
      try {
        socket.startTls();
        return "upgraded";
      } catch (e) {
        return e.name + ": " + e.message;
      } finally {
        socket.close();
      }
    }
  }`;

it("connect() reaches a TCP server: what is written arrives, the reply is read to its end, close() settles closed; opened gives the address asked for", async () => {
  // opened: the address as it was asked for, as the runtime reports it, and no local address.
  expect(await socketClient(SCRIPT).talk(server.port)).toEqual({
    reply: "HELLO BYE",
    info: { remoteAddress: `127.0.0.1:${server.port}`, localAddress: undefined },
    stringInfo: { remoteAddress: `127.0.0.1:0${server.port}`, localAddress: undefined },
    secureTransport: "off",
    upgraded: false,
  });
});

it("a refused connection rejects opened and closed", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const unused = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  expect(await socketClient(SCRIPT).refused(unused)).toEqual({ opened: "Error", closed: "Error" });
});

it("startTls() spends the plain socket as the runtime does: its streams locked, then it reads upgraded and its closed resolves; the TLS socket's upgraded stays false", async () => {
  expect(await socketClient(SCRIPT).upgrade(server.port)).toEqual({ atOnce: [false, false, "on"], closed: "resolved", locked: [true, true], after: [true, false] });
});

it("the writable side takes bytes and strings (as UTF-8), nothing else; startTls() needs secureTransport starttls", async () => {
  const stub = socketClient(SCRIPT);
  expect(await stub.chunks(server.port)).toEqual({ number: "TypeError: This WritableStream only supports writing byte types.", string: "A STRING, BYTES, BYE" });
  expect(await stub.plainStartTls(server.port)).toBe("TypeError: The `secureTransport` socket option must be set to 'starttls' for startTls to be used.");
});
