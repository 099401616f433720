// I/O objects belong to the I/O context that made them: one Durable Object instance, or one
// stateless Worker request. Used from another context (through a module-level variable), a
// WebSocket or a Durable Object stub refuses every use with the runtime's error, whose words
// depend on the using side (a Durable Object, or a request). So does a Request's or Response's
// body, read through the message, unless it was given as a JavaScript stream; one that crossed
// by fetch() is the receiver's. A service binding from `env`, an id, plain JavaScript streams
// and promises are not bound to a context. A dup() of a stub to a
// function or an RpcTarget belongs to the context that made it, a stub received over RPC (a
// Durable Object's, a function's, an RpcTarget's) to its receiver's, bound as it arrives; the
// function or RpcTarget runs as the code that made it. A Worker event's context ends with it (it lasts while a stub to
// what it made is held, or a WebSocket it answered with is open): calls its code made that
// have not left yet never leave.
import { cls } from "../scenario.mjs";

/** Source text of how(f): how a use of an I/O object ends, "threw" (synchronously), "rejected" or "ok". */
export const HOW = `async function how(f) {
  let p;
  try { p = f(); } catch (e) { return { threw: err(e) }; }
  try { return { ok: show(await p) }; } catch (e) { return { rejected: err(e) }; }
}`;

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
${HOW}
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

/** Module text: Request and Response bodies one context keeps, and the reads another tries. */
const BODIES = `const kept = {};
const bytesOf = (s) => new TextEncoder().encode(s);
async function keepBodies(env) {
  kept.string = new Response("string");
  kept.bytes = new Response(bytesOf("bytes"));
  kept.json = Response.json({ a: 1 });
  kept.form = new Request("http://x/", { method: "POST", body: new URLSearchParams({ a: "1" }) });
  kept.request = new Request("http://x/", { method: "POST", body: "request" });
  kept.fromRequest = new Request(new Request("http://x/", { method: "POST", body: "copied" }));
  kept.clone = new Response("clone").clone();
  kept.blob = new Response(new Blob(["blob"]));
  kept.fetched = await env.DO.getByName("src").fetch("http://do/");
  kept.dataUrl = await fetch("data:,data");
  kept.jsBody = new Response(new ReadableStream({ pull(c) { c.enqueue(bytesOf("js")); c.close(); } }));
  kept.empty = new Response(null);
  kept.stream = new Response("stream");
  kept.cancelled = new Response("cancelled");
  kept.reader = new Response("reader").body.getReader();
  kept.piped = new Response("piped");
  kept.remade = new Response("remade");
  kept.identity = new IdentityTransformStream();
  kept.rpcResponse = await env.DO.getByName("src").response();
  kept.rpcStream = await env.DO.getByName("src").stream();
}
const READS = {
  string: () => kept.string.text(),
  bytes: () => kept.bytes.arrayBuffer().then((b) => b.byteLength),
  json: () => kept.json.json(),
  form: () => kept.form.formData().then((f) => f.get("a")),
  request: () => kept.request.text(),
  fromRequest: () => kept.fromRequest.text(),
  clone: () => kept.clone.text(),
  blob: () => kept.blob.blob().then((b) => b.size),
  fetched: () => kept.fetched.text(),
  dataUrl: () => kept.dataUrl.text(),
  jsBody: () => kept.jsBody.text(),
  empty: () => kept.empty.text(),
};
// Reads durasim does not refuse yet (README, Differences from production).
const STREAM_READS = {
  bodyStream: () => { const reader = kept.stream.body.getReader(); return reader.read().then((r) => r.done); },
  cancel: () => kept.cancelled.body.cancel(),
  heldReader: () => kept.reader.read().then((r) => r.done),
  pipeTo: () => kept.piped.body.pipeTo(new WritableStream()),
  remade: () => new Response(kept.remade.body).text(),
  // Nobody reads the other end: the runtime's write waits for ever, so it gets 100 ms.
  identityWrite: () => Promise.race([kept.identity.writable.getWriter().write(bytesOf("w")).then(() => "written"), new Promise((r) => setTimeout(() => r("waiting"), 100))]),
  rpcResponse: () => kept.rpcResponse.text(),
  rpcStream: () => new Response(kept.rpcStream).text(),
};
async function tryAll(uses) {
  const out = {};
  for (const [k, f] of Object.entries(uses)) {
    try { out[k] = { ok: show(await f()) }; } catch (e) { out[k] = { rejected: err(e) }; }
  }
  return out;
}`;

const BODIES_DO = `  async keep() { await keepBodies(this.env); return "kept"; }
  async read() { return await tryAll(READS); }
  async readStreams() { return await tryAll(STREAM_READS); }
  async fetch(req) { return new Response(req.method === "POST" ? "echo " + (await req.text()) : "from src"); }
  async response() { return new Response("rpc response"); }
  async stream() { return new Response("rpc stream").body; }`;

const BODIES_ENTRY = `{
  async fetch(req, env) {
    const path = new URL(req.url).pathname;
    if (path === "/keep") { await keepBodies(env); return new Response("kept"); }
    if (path === "/read") return Response.json(await tryAll(READS));
    // A body that crosses by fetch() is the receiver's: the object reads this request's, and this event the object's response.
    if (path === "/cross") return new Response(await (await env.DO.getByName("src").fetch("http://do/", { method: "POST", body: "crossed" })).text());
    return new Response("other");
  },
}`;

const DO_BODY = `  async make() { makeHeld(this.env.DO); return "made"; }
  async useHeld() { return await useHeld(this.env.DO); }
  async hi() { return "hi"; }
  async fetch() { return new Response("do fetch"); }`;

/** Drive text: object "a" makes what it keeps (method `make`), then uses it (`use`) itself;
 * it makes them afresh, and object "b" uses them. */
const byTwoObjects = (make, use) => `async (env) => {
  await env.DO.getByName("a").${make}();
  const sameObject = await env.DO.getByName("a").${use}();
  await env.DO.getByName("a").${make}();
  const otherObject = await env.DO.getByName("b").${use}();
  return { sameObject, otherObject };
}`;

export default [
  {
    name: "io-contexts: a WebSocket and a stub one Durable Object made, used by another and by itself later",
    backend: "sqlite",
    source: cls(DO_BODY, { extra: HELD }),
    drive: byTwoObjects("make", "useHeld"),
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
    name: "io-contexts: Request and Response bodies one Durable Object made or received, read by another and by itself later",
    backend: "sqlite",
    source: cls(BODIES_DO, { extra: BODIES }),
    drive: byTwoObjects("keep", "read"),
  },
  {
    name: "io-contexts: Request and Response bodies one Worker request made or received, read by a later request and by a Durable Object",
    backend: "sqlite",
    source: cls(BODIES_DO, { extra: BODIES }),
    services: { SELF: "test" },
    entry: BODIES_ENTRY,
    drive: async (env) => {
      await (await env.SELF.fetch("http://self/keep")).text();
      const laterRequest = await (await env.SELF.fetch("http://self/read")).json();
      await (await env.SELF.fetch("http://self/keep")).text();
      const durableObject = await env.DO.getByName("c").read();
      const crossed = await (await env.SELF.fetch("http://self/cross")).text();
      return { laterRequest, durableObject, crossed };
    },
  },
  {
    name: "io-contexts: body streams read directly, and bodies received over RPC, read by another Durable Object",
    backend: "sqlite",
    source: cls(BODIES_DO, { extra: BODIES }),
    differs:
      "durasim refuses another context's body read through its Request or Response (text(), json(), ...), not yet through its stream (a reader's read(), cancel(), pipeTo(), a Response made from it); a Request, Response or stream received over RPC is bound to no context; another context's IdentityTransformStream takes writes, and one nobody reads takes them at once (the runtime's write waits for a read)",
    drive: byTwoObjects("keep", "readStreams"),
  },
  {
    name: "io-contexts: stubs to functions and RpcTargets a call received and kept with dup(), used by a later call and by another object",
    backend: "sqlite",
    source: cls(`  async keep(x) { kept.dup = x.dup(); kept.raw = x; return "kept"; }
  async useKept() { return { dup: await how(() => kept.dup.ping()), raw: await how(() => kept.raw.ping()) }; }
  async useKeptFn() { return { dup: await how(() => kept.dup(2)), pipelined: await how(() => kept.dup.value) }; }`, {
      extra: `import { WorkerEntrypoint } from "cloudflare:workers";
const kept = {};
${HOW}
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
  {
    name: "io-contexts: a Durable Object stub and an RpcTarget's stub received over RPC, kept, and used by the receiver and by another object",
    backend: "sqlite",
    // A Durable Object stub crosses RPC (see scenario.mjs).
    ownProcess: true,
    source: cls(`  hi() { return "hi"; }
  sendStub(to) { return this.env.DO.getByName(to).keepStub(this.env.DO.getByName("t")); }
  keepStub(s) { kept.stub = s; return "kept"; }
  useStub() { return how(() => kept.stub.hi()); }
  makeTarget() { return new Pinger(); }
  async fetchTarget(from) { kept.target = await this.env.DO.getByName(from).makeTarget(); return "got"; }
  useTarget() { return how(() => kept.target.ping()); }`, {
      extra: `const kept = {};
async function how(f) { try { return { ok: show(await f()) }; } catch (e) { return { rejected: err(e) }; } }
class Pinger extends RpcTarget { ping() { return "pong"; } }`,
    }),
    drive: async (env) => {
      const out = {};
      await env.DO.getByName("a").sendStub("b");
      out.receiverUses = await env.DO.getByName("b").useStub();
      out.otherUses = await env.DO.getByName("c").useStub();
      await env.DO.getByName("a").fetchTarget("z");
      out.resultFirstUsedByOther = await env.DO.getByName("c").useTarget();
      out.resultUsedByReceiverAfter = await env.DO.getByName("a").useTarget();
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
  // The event lasts while a stub to what it returned is held.
  returnsTarget(x) { this.env.DO.getByName("log").note(x); return new Pinger(); }
  returnsFunction(x) { this.env.DO.getByName("log").note(x); return () => "f"; }
}
class Pinger extends RpcTarget { ping() { return "pong"; } }` }),
    services: { FIRER: { name: "test", entrypoint: "Firer" }, SELF: { name: "test", entrypoint: "Firer" }, MAIN: "test" },
    entry: `{
  async fetch(req, env) {
    const x = new URL(req.url).pathname.slice(1);
    if (x.startsWith("stream")) { env.DO.getByName("log").note(x); return new Response(new ReadableStream({ async pull(c) { await new Promise((r) => setTimeout(r, 5)); c.enqueue(new TextEncoder().encode("s")); c.close(); } })); }
    env.DO.getByName("log").note(x);
    if (x === "nullBody") return new Response(null, { status: 204 });
    // The runtime writes a thrown handler's error out; an upgraded event lasts while the socket is open.
    if (x === "throws") throw new Error("boom");
    if (x === "ws101") { const pair = new WebSocketPair(); pair[1].accept(); return new Response(null, { status: 101, webSocket: pair[0] }); }
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
      const target = await env.FIRER.returnsTarget("returnsTarget");
      out.returnsTarget = await target.ping();
      const fn = await env.FIRER.returnsFunction("returnsFunction");
      out.returnsFunction = await fn();
      out.throws = await outcome(async () => (await env.MAIN.fetch("http://m/throws")).status);
      const upgraded = await env.MAIN.fetch("http://m/ws101", { headers: { Upgrade: "websocket" } });
      upgraded.webSocket.accept();
      out.ws101 = upgraded.status;
      out.fromObject = await env.DO.getByName("a").fireFromObject("fromObject");
      out.log = await env.DO.getByName("log").read();
      upgraded.webSocket.close();
      return out;
    },
  },  {
    name: "io-contexts: callbacks and RpcTargets run where they were made, and may use that context's stubs; stubs an object made in its constructor serve later events",
    backend: "sqlite",
    source: cls(`  constructor(ctx, env) {
    super(ctx, env);
    this.ctorStub = env.DO.getByName("t");
    ctx.blockConcurrencyWhile(async () => { this.bcwStub = env.DO.getByName("t"); await null; });
  }
  hi() { return "hi"; }
  async callBack(cb) { return await cb(); }
  async passCallback() { const stub = this.env.DO.getByName("t"); return await how(() => this.env.DO.getByName("u").callBack(() => stub.hi())); }
  async useCtorStubs() { return [await this.ctorStub.hi(), await this.bcwStub.hi()]; }
  async setAlarmUse() { await this.ctx.storage.setAlarm(Date.now() + 10); return "set"; }
  async alarm() { this.alarmOutcome = await how(() => this.ctorStub.hi()); }
  async alarmResult() { while (this.alarmOutcome === undefined) await new Promise((r) => setTimeout(r, 5)); return this.alarmOutcome; }`, {
      extra: `import { WorkerEntrypoint } from "cloudflare:workers";
async function how(f) { try { return { ok: show(await f()) }; } catch (e) { return { rejected: err(e) }; } }
class Api extends RpcTarget {
  constructor(stub) { super(); this.stub = stub; }
  async use() { return await this.stub.hi(); }
}
export class Svc extends WorkerEntrypoint {
  getApi() { return new Api(this.env.DO.getByName("t")); }
  async passCallback() { const stub = this.env.DO.getByName("t"); return await how(() => this.env.DO.getByName("u").callBack(() => stub.hi())); }
  async useApi(api) { return await how(() => api.use()); }
}`,
    }),
    services: { SVC: { name: "test", entrypoint: "Svc" }, MAIN: "test" },
    entry: `{
  async fetch(req, env) {
    const stub = env.DO.getByName("t");
    return Response.json(await how(() => env.DO.getByName("u").callBack(() => stub.hi())));
  },
}`,
    drive: async (env) => {
      const out = {};
      out.fetchCallback = await (await env.MAIN.fetch("http://m/")).json();
      out.rpcCallback = await env.SVC.passCallback();
      out.objectCallback = await env.DO.getByName("a").passCallback();
      const api = await env.SVC.getApi();
      out.rpcTarget = await outcome(() => api.use());
      out.rpcTargetFromAnotherEvent = await env.SVC.useApi(api);
      out.ctorStubs = await outcome(() => env.DO.getByName("c").useCtorStubs());
      await env.DO.getByName("c").setAlarmUse();
      out.alarm = await env.DO.getByName("c").alarmResult();
      return out;
    },
  },
];
