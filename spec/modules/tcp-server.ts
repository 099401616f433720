import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { type AnyStub, emulator } from "../helpers.js";

/**
 * A TCP server on 127.0.0.1 for a spec file's tests, which Worker code reaches with connect():
 * listening before they run, serving each connection with `serve`, closed after them.
 */
export function tcpServer(serve: (socket: Socket) => void): { readonly port: number } {
  let server: Server | undefined;
  let port: number | undefined;
  beforeAll(async () => {
    server = createServer(serve);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())), 5_000);
  return {
    get port(): number {
      if (port === undefined) throw new Error("the server listens once the spec file's tests start");
      return port;
    },
  };
}

/** The object "c" of class Client in the Worker `script` (bound as CLIENT), which a socket spec drives. */
export function socketClient(script: string): AnyStub {
  return (emulator({ script, durableObjects: { CLIENT: "Client" } }).env.CLIENT as { getByName(name: string): AnyStub }).getByName("c");
}
