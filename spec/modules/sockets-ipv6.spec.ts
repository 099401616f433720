/**
 * cloudflare:sockets' connect() to an IPv6 literal, against a TCP server on ::1 in this process:
 * the runtime connects to the address text, "hostname:port" for an object, so `{ hostname:
 * "[::1]", port }` reaches ::1 as the string "[::1]:port" does (its remoteAddress keeps the
 * brackets: conformance "connect() on a Fetcher: the address text of an IPv6 hostname ...").
 * A bare `{ hostname: "::1" }` reaches it here too (what the runtime's network layer makes of
 * its text "::1:port" is not known).
 */
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type AnyStub, emulator } from "../helpers.js";

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((socket) => {
    socket.on("error", () => undefined);
    socket.end("hi");
  });
  await new Promise<void>((resolve) => server.listen(0, "::1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  import { connect } from "cloudflare:sockets";
  export class Room extends DurableObject {
    async reach(address) {
      const socket = connect(address);
      try {
        const { remoteAddress } = await socket.opened;
        const reader = socket.readable.getReader();
        const { value } = await reader.read();
        return remoteAddress + " " + new TextDecoder().decode(value);
      } catch (error) {
        return "refused: " + error.message;
      } finally {
        socket.close().catch(() => undefined);
      }
    }
  }`;

it("an object address's bracketed IPv6 hostname reaches the host, as a string address's does", async () => {
  const emu = emulator({ script: SCRIPT, durableObjects: { ROOM: { className: "Room", sqlite: true } } });
  const room = (emu.env.ROOM as { getByName(name: string): AnyStub }).getByName("r");
  expect(await room.reach(`[::1]:${port}`)).toBe(`[::1]:${port} hi`);
  expect(await room.reach({ hostname: "[::1]", port })).toBe(`[::1]:${port} hi`);
  expect(await room.reach({ hostname: "::1", port })).toBe(`::1:${port} hi`);
});
