/**
 * I/O still pending when its object resets, against servers in this process that never answer
 * in full: in the runtime the reset instance's code never resumes, so nothing it waits on
 * settles (checked with workerd against the same servers). Durasim cuts the connection, as the
 * runtime does, and must not let Node's failures of the cut reach that code: a socket write
 * pending at the cut failed with "Cannot call write after a stream was destroyed", a read of a
 * cancelled fetch's body through its own reader with an AbortError.
 */
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type AnyStub, emulator } from "../helpers.js";

let tcp: Server;
let http: HttpServer;
const accepted: Socket[] = [];
beforeAll(async () => {
  // Takes connections and never reads from them, so writes back up and stay pending.
  tcp = createServer((socket) => {
    accepted.push(socket);
    socket.pause();
    socket.on("error", () => undefined);
  });
  // Sends headers and a first chunk, then nothing.
  http = createHttpServer((_request, response) => {
    response.writeHead(200).write("a");
  });
  http.on("connection", (socket: Socket) => accepted.push(socket));
  await Promise.all([tcp, http].map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))));
});
afterAll(async () => {
  for (const socket of accepted) socket.destroy();
  await Promise.all([tcp, http].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
}, 5_000);

const portOf = (server: Server | HttpServer) => (server.address() as { port: number }).port;

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  import { connect } from "cloudflare:sockets";

  // What settled after the cut, across instances (module state outlives a reset).
  const settled = [];
  let cut = false;
  const note = (label, promise) => promise.then(() => cut && settled.push(label + " resolved"), (e) => cut && settled.push(label + " rejected: " + e.message));

  export class Client extends DurableObject {
    async socketWrites(port) {
      const socket = connect("127.0.0.1:" + port);
      await socket.opened;
      const writer = socket.writable.getWriter();
      const chunk = new Uint8Array(4 * 1024 * 1024);
      for (let i = 0; i < 8; i++) note("write " + i, writer.write(chunk));
      note("writer.closed", writer.closed);
      note("socket.closed", socket.closed);
      note("socket read", socket.readable.getReader().read());
      await scheduler.wait(50);
      cut = true;
      this.ctx.abort("cut");
    }

    async bodyRead(port) {
      const response = await fetch("http://127.0.0.1:" + port + "/");
      const reader = response.body.getReader();
      await reader.read();
      note("body read", reader.read());
      await scheduler.wait(50);
      cut = true;
      this.ctx.abort("cut");
    }

    settled() { return settled; }
  }`;

function clients(): { getByName(name: string): AnyStub } {
  return emulator({ script: SCRIPT, durableObjects: { CLIENT: "Client" } }).env.CLIENT as { getByName(name: string): AnyStub };
}

it("a cloudflare:sockets write, read, writer.closed or socket.closed pending when the object resets never settles", async () => {
  const ns = clients();
  await expect(ns.getByName("a").socketWrites(portOf(tcp))).rejects.toThrow("cut");
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await ns.getByName("b").settled()).toEqual([]);
});

it("a read of a fetch()'s body through its own reader, pending when the object resets, never settles", async () => {
  const ns = clients();
  await expect(ns.getByName("a").bodyRead(portOf(http))).rejects.toThrow("cut");
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await ns.getByName("b").settled()).toEqual([]);
});
