// A Fetcher's connect() (a service binding, a Durable Object stub) returns a Socket at once and
// opens a connection to the target's connect handler, as workerd carries it over a CONNECT
// request: the handler gets a Socket of its own, the bytes each side writes are the other's
// reads, and the connection ends with the handler's event (what the handler throws goes no
// further). A target without a handler refuses it: `opened` and `closed` reject with the proxy's
// words, which hint at fetch() for ports 80 and 443, the readable ends empty and writes fail.
import { cls } from "../scenario.mjs";
import { ENTRYPOINT, SOCKET_ENDS } from "./socket-helpers.mjs";

export default [
  {
    name: "services-connect: a service binding's connect() reaches the Worker's connect handler, a class's or an object's",
    backend: "sqlite",
    workers: {
      echo: {
        source: ENTRYPOINT,
        entry: `class extends WorkerEntrypoint { async connect(socket) {
          const info = await socket.opened;
          const reader = socket.readable.getReader();
          const writer = socket.writable.getWriter();
          const { value } = await reader.read();
          const facts = [new TextDecoder().decode(value), info, arguments.length, typeof arguments[1], Object.prototype.toString.call(socket), socket.upgraded, socket.secureTransport];
          await writer.write(new TextEncoder().encode(JSON.stringify(facts)));
          await writer.write("and a string");
          await writer.close();
        } }`,
      },
      object: { source: "", entry: `{ async connect(socket, env, ctx) { const writer = socket.writable.getWriter(); await writer.write(new TextEncoder().encode([typeof env, typeof ctx.waitUntil].join())); await writer.close(); } }` },
    },
    services: { ECHO: "echo", OBJECT: "object" },
    source: `${cls(`  m() { return 1; }`, { extra: SOCKET_ENDS })}`,
    drive: async (env) => {
      const out = {};
      out.echo = await outcome(async () => {
        const socket = env.ECHO.connect("example.com:80");
        const sync = [typeof socket, Object.prototype.toString.call(socket), Object.keys(socket), socket.upgraded, socket.secureTransport];
        await socket.writable.getWriter().write(new TextEncoder().encode("hi"));
        return [sync, await ends(socket)];
      });
      out.addressObject = await outcome(async () => {
        const socket = env.ECHO.connect({ hostname: "db.internal", port: 5432 });
        await socket.writable.getWriter().write("typed as a string");
        return await ends(socket);
      });
      out.object = await outcome(() => ends(env.OBJECT.connect("a:1")));
      return out;
    },
  },
  {
    name: "services-connect: a connect handler that throws, returns at once or closes its socket ends the connection",
    backend: "sqlite",
    workers: {
      thrower: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { connect(socket) { throw new RangeError("nope"); } }` },
      laterThrower: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { async connect(socket) { await socket.opened; throw new RangeError("later"); } }` },
      returns: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { connect(socket) { return 5; } }` },
      closer: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { async connect(socket) { await socket.close(); } }` },
    },
    services: { THROWER: "thrower", LATER: "laterThrower", RETURNS: "returns", CLOSER: "closer" },
    source: `${cls(`  m() { return 1; }`, { extra: SOCKET_ENDS })}`,
    drive: async (env) => ({
      thrower: await ends(env.THROWER.connect("a:1")),
      laterThrower: await ends(env.LATER.connect("a:1")),
      returns: await ends(env.RETURNS.connect("a:1")),
      closer: await ends(env.CLOSER.connect("a:1")),
      tls: outcomeSync(() => env.RETURNS.connect("a:1", { secureTransport: "on" })),
    }),
  },
  {
    name: "services-connect: a target without a connect handler refuses the connection, hinting at fetch() for ports 80 and 443",
    backend: "sqlite",
    workers: {
      rpcOnly: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { m() { return 1; } }` },
      fetchOnly: { source: "", entry: `{ fetch() { return new Response("x"); } }` },
    },
    services: { RPC: "rpcOnly", FETCH: "fetchOnly" },
    source: `${cls(`  m() { return 1; }
  fetch() { return new Response("object"); }`, { extra: SOCKET_ENDS })}`,
    drive: async (env) => {
      const out = {};
      for (const [name, binding] of Object.entries({ rpc: env.RPC, fetch: env.FETCH, object: env.DO.getByName("x") })) {
        for (const address of ["example.com:80", "example.com:443", "a:1", { hostname: "h", port: 443 }]) {
          out[name + " " + JSON.stringify(address)] = await ends(binding.connect(address));
        }
      }
      out.readAfterRefusal = await outcome(async () => {
        const socket = env.RPC.connect("a:1");
        await outcome(() => socket.opened);
        return await within(outcome(() => readAll(socket)));
      });
      out.write = await outcome(async () => {
        const socket = env.RPC.connect("a:1");
        await outcome(() => socket.opened);
        return await within(outcome(() => socket.writable.getWriter().write(new Uint8Array(1))));
      });
      return out;
    },
  },
  {
    name: "services-connect: a Durable Object stub's connect() reaches the object's connect handler",
    backend: "sqlite",
    source: `${cls(`  async connect(socket) {
    const { value } = await socket.readable.getReader().read();
    const writer = socket.writable.getWriter();
    await writer.write(value);
    await writer.write(JSON.stringify([await socket.opened, arguments.length, this.ctx.id.name]));
    await writer.close();
  }`, { extra: SOCKET_ENDS })}`,
    drive: async (env) => {
      const socket = env.DO.getByName("echo").connect("db.internal:5432");
      await socket.writable.getWriter().write(new TextEncoder().encode("ping "));
      return await ends(socket);
    },
  },
];
