// I/O objects belong to the I/O context that made them: one Durable Object instance, or one
// stateless Worker request. Used from another context (through a module-level variable), a
// WebSocket or a Durable Object stub refuses every use with the runtime's error, whose words
// depend on the using side (a Durable Object, or a request). A service binding from `env`,
// an id, plain JavaScript streams and promises are not bound to a context.
import { cls } from "../scenario.mjs";

/** Module text: what one context leaves behind, and the uses another context tries. */
const HELD = `const held = {};
function makeHeld(ns) {
  const pair = new WebSocketPair();
  pair[1].accept();
  held.ws = pair[1];
  held.unaccepted = new WebSocketPair()[1];
  held.stub = ns.getByName("x");
  held.id = ns.idFromName("x");
  held.jsStream = new ReadableStream({ pull(c) { c.enqueue(new TextEncoder().encode("js")); c.close(); } });
}
// "threw" for a synchronous throw, "rejected" for a promise that rejects.
async function how(f) {
  let p;
  try { p = f(); } catch (e) { return { threw: err(e) }; }
  try { return { ok: show(await p) }; } catch (e) { return { rejected: err(e) }; }
}
const USES = {
  readyState: () => held.ws.readyState,
  url: () => held.ws.url,
  binaryType: () => held.ws.binaryType,
  send: () => { held.ws.send("x"); return "sent"; },
  close: () => { held.ws.close(1000, "bye"); return "closed"; },
  accept: () => { held.unaccepted.accept(); return "accepted"; },
  serializeAttachment: () => { held.ws.serializeAttachment(1); return held.ws.deserializeAttachment(); },
  stubCall: () => held.stub.hi(),
  stubFetch: async () => (await held.stub.fetch("http://do/")).status,
  stubId: () => [held.stub.id.toString().length, held.stub.name],
  stubFromHeldId: (ns) => ns.get(held.id).hi(),
  jsStream: () => new Response(held.jsStream).text(),
};
async function useHeld(ns) {
  const out = {};
  for (const [k, f] of Object.entries(USES)) out[k] = await how(() => f(ns));
  return out;
}`;

const DO_BODY = `  async make() { makeHeld(this.env.DO); return "made"; }
  async useHeld() { return await useHeld(this.env.DO); }
  async hi() { return "hi"; }
  async fetch() { return new Response("do fetch"); }`;

export default [
  {
    name: "io-contexts: a WebSocket and a stub one Durable Object made, used by another and by itself later",
    backend: "sqlite",
    source: cls(DO_BODY, { extra: HELD }),
    drive: async (env) => {
      await env.DO.getByName("a").make();
      const sameObject = await env.DO.getByName("a").useHeld();
      await env.DO.getByName("a").make();
      const otherObject = await env.DO.getByName("b").useHeld();
      return { sameObject, otherObject };
    },
  },
  {
    name: "io-contexts: a WebSocket and a stub one Worker request made, used by a later request and by a Durable Object",
    backend: "sqlite",
    source: cls(DO_BODY, { extra: HELD }),
    services: { SELF: "test" },
    entry: `{
  async fetch(req, env) {
    const path = new URL(req.url).pathname;
    if (path === "/make") { makeHeld(env.DO); return new Response("made"); }
    if (path === "/service") { held.self = env.SELF; return new Response("kept"); }
    if (path === "/use-service") return new Response(await (await held.self.fetch("http://self/plain")).text());
    if (path === "/plain") return new Response("plain");
    return Response.json(await useHeld(env.DO));
  },
}`,
    drive: async (env) => {
      await (await env.SELF.fetch("http://self/make")).text();
      const laterRequest = await (await env.SELF.fetch("http://self/use")).json();
      const sameRequestAgain = await (async () => { await (await env.SELF.fetch("http://self/make")).text(); return await env.DO.getByName("c").useHeld(); })();
      await (await env.SELF.fetch("http://self/service")).text();
      const serviceBinding = await outcome(async () => (await env.SELF.fetch("http://self/use-service")).text());
      return { laterRequest, durableObject: sameRequestAgain, serviceBinding };
    },
  },
];
