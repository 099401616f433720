// I/O objects belong to the I/O context that made them: one Durable Object instance, or one
// stateless Worker request. Used from another context (through a module-level variable), a
// WebSocket or a Durable Object stub refuses every use with the runtime's error, whose words
// depend on the using side (a Durable Object, or a request). A service binding from `env`,
// an id, plain JavaScript streams and promises are not bound to a context. A stub to a
// function or an RpcTarget belongs to the context that received it (its dup() too). A Worker
// event's context ends with it: calls its code made that have not left yet never leave.
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
  {
    name: "io-contexts: stubs to functions and RpcTargets a call received and kept with dup(), used by a later call and by another object",
    backend: "sqlite",
    source: cls(`  async keep(x) { kept.dup = x.dup(); kept.raw = x; return "kept"; }
  async useKept() { return { dup: await how(() => kept.dup.ping()), raw: await how(() => kept.raw.ping()) }; }
  async useKeptFn() { return { dup: await how(() => kept.dup(2)), pipelined: await how(() => kept.dup.value) }; }`, {
      extra: `import { WorkerEntrypoint } from "cloudflare:workers";
const kept = {};
async function how(f) {
  let p;
  try { p = f(); } catch (e) { return { threw: err(e) }; }
  try { return { ok: show(await p) }; } catch (e) { return { rejected: err(e) }; }
}
export class Keeper extends WorkerEntrypoint {
  async keep(x) { kept.dup = x.dup(); return "kept"; }
  async keepAndUse(x) { kept.dup = x.dup(); return await kept.dup.ping(); }
  async useKept() { return await how(() => kept.dup.ping()); }
  async useKeptFn() { return await how(() => kept.dup(2)); }
}`,
    }),
    services: { KEEPER: { name: "test", entrypoint: "Keeper" } },
    drive: async (env) => {
      class T extends RpcTarget { ping() { return "pong"; } get value() { return 7; } }
      const out = {};
      await env.KEEPER.keep(new T());
      out.entrypointLaterCall = await env.KEEPER.useKept();
      out.entrypointUsedFirst = await outcome(() => env.KEEPER.keepAndUse(new T()));
      out.entrypointUsedFirstLater = await env.KEEPER.useKept();
      await env.KEEPER.keep((x) => x * 10);
      out.entrypointFunction = await env.KEEPER.useKeptFn();
      await env.DO.getByName("a").keep(new T());
      out.sameObject = await env.DO.getByName("a").useKept();
      out.otherObject = await env.DO.getByName("b").useKept();
      await env.DO.getByName("a").keep(Object.assign((x) => x * 10, { value: 3 }));
      out.otherObjectFunction = await env.DO.getByName("b").useKeptFn();
      return out;
    },
  },
  // What leaves: calls made before the event loop turned (a timer), or while a body or stream
  // the event answered with is still being written; what never does: calls an entrypoint
  // method made in the turn it returned in (even after 50 microtasks), or a fetch handler that
  // answered with no body. A Durable Object's calls always leave (its context does not end).
  {
    name: "io-contexts: calls a Worker event made and did not await are cancelled when it ends before they leave",
    backend: "sqlite",
    source: cls(`  log = [];
  async note(x) { this.log.push(x); return x; }
  async slowNote(x) { await new Promise((r) => setTimeout(r, 5)); this.log.push(x); return x; }
  // The last call noted is delivered on both sides; calls leave in order, so any before it that left has arrived.
  async read() { while (!this.log.includes("fromObject")) await new Promise((r) => setTimeout(r, 5)); return this.log; }
  async fireFromObject(x) { this.env.DO.getByName("log").note(x); return "fired"; }`, { extra: `import { WorkerEntrypoint } from "cloudflare:workers";
export class Firer extends WorkerEntrypoint {
  async atOnce(x) { this.env.DO.getByName("log").note(x); return "returned"; }
  syncReturn(x) { this.env.DO.getByName("log").note(x); return "returned"; }
  async afterAwait(x) { await this.env.DO.getByName("other").note("warm"); this.env.DO.getByName("log").note(x); return "returned"; }
  async afterTimer(x) { this.env.DO.getByName("log").note(x); await new Promise((r) => setTimeout(r, 1)); return "returned"; }
  async afterMicrotasks(x) { this.env.DO.getByName("log").note(x); for (let i = 0; i < 50; i++) await null; return "returned"; }
  async slow(x) { this.env.DO.getByName("log").slowNote(x); return "returned"; }
  async viaService(x) { this.env.SELF.noteOnObject(x); return "returned"; }
  async noteOnObject(x) { await this.env.DO.getByName("log").note(x); return "noted"; }
  async returnsStream(x) { this.env.DO.getByName("log").note(x); return new Response("body").body; }
}` }),
    services: { FIRER: { name: "test", entrypoint: "Firer" }, SELF: { name: "test", entrypoint: "Firer" }, MAIN: "test" },
    entry: `{
  async fetch(req, env) {
    const x = new URL(req.url).pathname.slice(1);
    if (x.startsWith("stream")) { env.DO.getByName("log").note(x); return new Response(new ReadableStream({ async pull(c) { await new Promise((r) => setTimeout(r, 5)); c.enqueue(new TextEncoder().encode("s")); c.close(); } })); }
    env.DO.getByName("log").note(x);
    if (x === "nullBody") return new Response(null, { status: 204 });
    return new Response("ok");
  },
}`,
    drive: async (env) => {
      const out = {};
      out.atOnce = await env.FIRER.atOnce("atOnce");
      out.syncReturn = await env.FIRER.syncReturn("syncReturn");
      out.afterAwait = await env.FIRER.afterAwait("afterAwait");
      out.afterTimer = await env.FIRER.afterTimer("afterTimer");
      out.afterMicrotasks = await env.FIRER.afterMicrotasks("afterMicrotasks");
      out.slow = await env.FIRER.slow("slow");
      out.viaService = await env.FIRER.viaService("viaService");
      out.returnsStream = await outcome(async () => new Response(await env.FIRER.returnsStream("returnsStream")).text());
      out.fetch = await (await env.MAIN.fetch("http://m/fetch")).text();
      out.nullBody = (await env.MAIN.fetch("http://m/nullBody")).status;
      out.fetchStream = await (await env.MAIN.fetch("http://m/streamFetch")).text();
      out.fromObject = await env.DO.getByName("a").fireFromObject("fromObject");
      out.log = await env.DO.getByName("log").read();
      return out;
    },
  },
];
