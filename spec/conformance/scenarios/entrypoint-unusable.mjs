// An entrypoint that is a class but no WorkerEntrypoint (a plain class, a Durable Object's) is
// one workerd counts as a Durable Object class: the Worker starts (logging "Exported actor class
// as default entrypoint ..." for a default one), and every fetch or RPC through it fails with an
// internal error: `remote` only on a fetch into a named one, which fails in the callee's Worker.
import { cls } from "../scenario.mjs";

const other = (entry) => ({
  source: `import { DurableObject } from "cloudflare:workers";
export class Plain { fetch() { return new Response("plain"); } hello() { return "hi"; } }
export class Stateful extends DurableObject { fetch() { return new Response("object"); } hello() { return "hi"; } }`,
  entry,
});

/** Every binding's fetch and RPC (the records scrub each internal error's reference). */
async function drive(env) {
  const out = {};
  for (const name of ["DEFAULT", "PLAIN", "STATEFUL"]) {
    out[name] = { fetch: await outcome(async () => (await env[name].fetch("http://x/")).text()), rpc: await outcome(() => env[name].hello()) };
  }
  return out;
}

const scenario = (name, entry) => ({
  name: `entrypoint unusable: ${name}`,
  backend: "sqlite",
  source: cls(""),
  workers: { other: other(entry) },
  services: { DEFAULT: "other", PLAIN: { name: "other", entrypoint: "Plain" }, STATEFUL: { name: "other", entrypoint: "Stateful" } },
  drive,
});

export default [
  scenario("a default export that is a plain class, and named classes that are no WorkerEntrypoint", `class { fetch() { return new Response("plain default"); } hello() { return "hi"; } }`),
  scenario("a default export that is a Durable Object class", `class extends (await import("cloudflare:workers")).DurableObject { hello() { return "hi"; } }`),
];
