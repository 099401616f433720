// A Fetcher's or a Durable Object stub's connect(): the caller's streams once it closed, and an
// object that breaks before its handler runs; and Cookie values appended after empty ones, as
// the runtime joins them (header-cookies.ts).
import { cls } from "../scenario.mjs";
import { ENTRYPOINT, SOCKET_ENDS } from "./socket-helpers.mjs";

export default [
  {
    name: "sockets-more: the caller's streams after its close() refuse reads and writes",
    backend: "sqlite",
    workers: {
      waiter: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { async connect(socket) { await new Promise((resolve) => setTimeout(resolve, 300)); } }` },
    },
    services: { WAITER: "waiter" },
    source: `${cls(`  async connect(socket) { await new Promise((resolve) => setTimeout(resolve, 300)); }`, { extra: SOCKET_ENDS })}`,
    drive: async (env) => {
      const out = {};
      for (const [name, target] of [["worker", env.WAITER], ["object", env.DO.getByName("x")]]) {
        const socket = target.connect("a:1");
        await outcome(() => socket.opened);
        const closing = socket.close();
        const read = await within(outcome(() => readAll(socket)));
        const write = await within(outcome(() => socket.writable.getWriter().write(new Uint8Array([1]))));
        out[name] = [read, write, await within(outcome(() => closing)), await within(outcome(() => socket.closed))];
      }
      return out;
    },
  },
  {
    name: "sockets-more: a connect handler's own close() refuses its reads and writes",
    backend: "sqlite",
    source: `${cls(`  async connect(socket) {
    const closing = socket.close();
    const r = await outcome(() => socket.readable.getReader().read());
    const w = await outcome(() => socket.writable.getWriter().write(new Uint8Array([1])));
    this.result = [r, w, await outcome(() => closing)];
  }
  got() { return this.result; }`)}`,
    drive: async (env) => {
      const stub = env.DO.getByName("x");
      const socket = stub.connect("a:1");
      await outcome(() => socket.opened);
      await outcome(() => socket.closed);
      await new Promise((r) => setTimeout(r, 200));
      return stub.got();
    },
  },
  {
    name: "sockets-more: an object whose constructor throws refuses connect() as one without a handler",
    backend: "sqlite",
    source: `${cls(`  constructor(ctx, env) { super(ctx, env); if (ctx.id.name === "bad") throw new RangeError("ctor"); }
  async connect(socket) { const writer = socket.writable.getWriter(); await writer.write("ok"); await writer.close(); }`, { extra: SOCKET_ENDS })}`,
    drive: async (env) => ({
      bad: await outcome(() => ends(env.DO.getByName("bad").connect("a:1"))),
      good: await outcome(() => ends(env.DO.getByName("good").connect("a:1"))),
    }),
  },
  {
    name: "sockets-more: allowHalfOpen keeps the caller's closed pending after both ends closed their writers, until its close()",
    backend: "sqlite",
    workers: {
      echo: {
        source: `${ENTRYPOINT}\n${SOCKET_ENDS}`,
        entry: `class extends WorkerEntrypoint { async connect(socket) { const text = await readAll(socket); const writer = socket.writable.getWriter(); await writer.write("got:" + text); await writer.close(); } }`,
      },
    },
    services: { ECHO: "echo" },
    source: `${cls(`  m() { return 1; }`, { extra: SOCKET_ENDS })}`,
    drive: async (env) => {
      const out = {};
      for (const allowHalfOpen of [true, false]) {
        const socket = env.ECHO.connect("a:1", { allowHalfOpen });
        const writer = socket.writable.getWriter();
        await writer.write("abc");
        await writer.close();
        out[String(allowHalfOpen)] = [...(await ends(socket)), await within(outcome(() => socket.close())), await within(outcome(() => socket.closed))];
      }
      return out;
    },
  },
  {
    name: "sockets-more: Cookie values appended after empty ones keep every separator",
    backend: "sqlite",
    source: `${cls(`  m() {
    const h = new Headers();
    const seen = [];
    for (const value of ["", "", "c", "", " d ", ""]) { h.append("cookie", value); seen.push(h.get("cookie")); }
    h.set("cookie", "e,");
    seen.push(h.get("cookie"));
    h.append("cookie", "f");
    seen.push(h.get("cookie"));
    h.append("cookie", "");
    h.delete("cookie");
    h.append("cookie", "g,");
    seen.push(h.get("cookie"));
    return seen;
  }`)}`,
    drive: async (env) => env.DO.getByName("x").m(),
  },
];
