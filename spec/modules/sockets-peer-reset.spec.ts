/**
 * cloudflare:sockets' Socket whose peer resets the connection once it was made (a server that
 * crashed, a proxy that gave up), against a TCP server in this process: as workerd's (checked
 * against the same server), the waiting read fails with "Network connection lost." (retryable),
 * so does a write after it, and `closed` resolves, where Node's errors ("read ECONNRESET",
 * "Cannot call write after a stream was destroyed") and a rejected `closed` came through. A peer
 * that closes cleanly is an end, as before; a connection never made keeps Node's error.
 */
import { expect, it } from "vitest";
import { socketClient, tcpServer } from "./tcp-server.js";

// Waits for the client's first bytes, then resets the connection, or ends it with "/fin".
const server = tcpServer((socket) => {
  socket.on("error", () => undefined);
  socket.once("data", (data) => (String(data) === "fin" ? socket.end() : socket.resetAndDestroy()));
});

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  import { connect } from "cloudflare:sockets";

  const outcome = (promise) => promise.then((value) => ["ok", value], (e) => [e.constructor.name, e.message, e.retryable ?? null]);

  export class Client extends DurableObject {
    async talk(port, first) {
      const socket = connect("127.0.0.1:" + port);
      const writer = socket.writable.getWriter();
      await writer.write(first);
      const read = await outcome(socket.readable.getReader().read().then(({ done }) => ({ done })));
      return { read, write: await outcome(writer.write("more")), closed: await outcome(socket.closed), then: await this.hello() };
    }
    hello() { return "hello"; }
  }`;

it("a connection the peer resets: the read and a later write fail as lost, closed resolves, and the object carries on", async () => {
  const lost = ["Error", "Network connection lost.", true];
  expect(await socketClient(SCRIPT).talk(server.port, "reset")).toEqual({ read: lost, write: lost, closed: ["ok", undefined], then: "hello" });
});

it("a connection the peer ends: the read finds the end, and closed resolves", async () => {
  const { read, closed } = await socketClient(SCRIPT).talk(server.port, "fin");
  expect({ read, closed }).toEqual({ read: ["ok", { done: true }], closed: ["ok", undefined] });
});
