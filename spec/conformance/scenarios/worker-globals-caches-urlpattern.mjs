// The globals `caches` and `URLPattern` as Worker and object code see them: present in every
// entry point (a module the runtime loads, whichever way durasim loads it), usable.
import { cls } from "../scenario.mjs";

const probe = `async function globalsProbe() {
  const o = async (f) => { try { return await f(); } catch (e) { return { error: err(e) }; } };
  return {
    caches: typeof caches,
    cachesDefault: await o(() => typeof caches.default),
    cachesOpen: await o(async () => typeof (await caches.open("x"))),
    urlPattern: typeof URLPattern,
    matched: await o(() => new URLPattern({ pathname: "/posts/:id" }).exec("https://x.example/posts/7")?.pathname.groups),
    tested: await o(() => new URLPattern("https://*.example/*").test("https://a.example/b")),
  };
}`;

export default [
  {
    name: "globals: caches and URLPattern exist for Worker and object code",
    backend: "sqlite",
    source: cls(`  async probe() { return globalsProbe(); }`, { extra: probe }),
    entry: `{ async fetch() { return Response.json(await globalsProbe()); } }`,
    services: { SELF: "test" },
    drive: async (env) => ({ object: await env.DO.getByName("a").probe(), worker: await (await env.SELF.fetch("http://x/")).json() }),
  },
];
