/**
 * cloudflare:sockets' connect() to an IPv6 literal, against a TCP server on ::1 in this process:
 * the runtime connects to the address text, "hostname:port" for an object, so `{ hostname:
 * "[::1]", port }` reaches ::1 as the string "[::1]:port" does (its remoteAddress keeps the
 * brackets: conformance "connect() on a Fetcher: the address text of an IPv6 hostname ...").
 * A bare `{ hostname: "::1" }` reaches it here too (what the runtime's network layer makes of
 * its text "::1:port" is not known).
 */
import { createServer } from "node:net";
import { afterAll, expect, it } from "vitest";
import { type AnyStub, emulator } from "../helpers.js";

/** Machines without an IPv6 loopback (a container without IPv6) refuse to listen on ::1. */
const NO_IPV6 = new Set(["EADDRNOTAVAIL", "EAFNOSUPPORT"]);

const server = createServer((socket) => {
  socket.on("error", () => undefined);
  socket.end("hi");
});
/** Why ::1 cannot be listened on here (the tests are skipped, saying so), or undefined. */
const unavailable = await new Promise<string | undefined>((resolve, reject) => {
  server.once("error", (error: NodeJS.ErrnoException) => (NO_IPV6.has(error.code ?? "") ? resolve(error.code) : reject(error)));
  server.listen(0, "::1", () => resolve(undefined));
});
const port = unavailable === undefined ? (server.address() as { port: number }).port : 0;
afterAll(() => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())));
const skipped = unavailable === undefined ? "" : ` (skipped: listening on ::1 fails here with ${unavailable})`;

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

it.skipIf(unavailable !== undefined)(`an object address's bracketed IPv6 hostname reaches the host, as a string address's does${skipped}`, async () => {
  const emu = emulator({ script: SCRIPT, durableObjects: { ROOM: { className: "Room", sqlite: true } } });
  const room = (emu.env.ROOM as { getByName(name: string): AnyStub }).getByName("r");
  expect(await room.reach(`[::1]:${port}`)).toBe(`[::1]:${port} hi`);
  expect(await room.reach({ hostname: "[::1]", port })).toBe(`[::1]:${port} hi`);
  expect(await room.reach({ hostname: "::1", port })).toBe(`::1:${port} hi`);
});
