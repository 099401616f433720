// A Durable Object streaming a response body (server-sent events, a log tail) writes to it while
// the caller has not read yet: how many of its awaited writes complete before the caller reads,
// small chunks and large, from the object's RPC method, and through a Worker passing the
// object's Response on (as a Worker's fetch handler does for SELF.fetch or a test's dispatchFetch).
import { cls } from "../scenario.mjs";

const source = cls(`  writers = new Map();
  async fetch(req) {
    const { readable, writable } = new TransformStream();
    this.writers.set(new URL(req.url).pathname, writable.getWriter());
    return new Response(readable, { headers: { "content-type": "text/event-stream" } });
  }
  async push(path, count, size) {
    const writer = this.writers.get(path);
    const chunk = new Uint8Array(size).fill(120);
    let done = 0;
    const writes = (async () => { for (let i = 0; i < count; i++) { await writer.write(chunk); done++; } })();
    await Promise.race([writes, new Promise((resolve) => setTimeout(resolve, 300))]);
    return done;
  }`);

const drive = `async function drive(env) {
  const run = async (fetcher, path) => {
    const stub = env.DO.getByName("a");
    const res = await fetcher.fetch("http://do" + path);
    const small = await stub.push(path, 4, 16);
    const large = await stub.push(path, 8, 65536);
    const reader = res.body.getReader();
    let bytes = 0;
    while (bytes < 4 * 16 + 8 * 65536) bytes += (await reader.read()).value.byteLength;
    await reader.cancel();
    return { small, large, bytes };
  };
  return { direct: await run(env.DO.getByName("a"), "/direct"), throughWorker: await run(env.SELF, "/worker") };
}`;

export default [
  {
    name: "fetch: writes to a streamed response body the caller has not read yet",
    backend: "sqlite",
    source,
    entry: `({ fetch(req, env) { return env.DO.getByName("a").fetch(req); } })`,
    services: { SELF: "test" },
    drive,
  },
];
