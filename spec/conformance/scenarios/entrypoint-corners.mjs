// Entry points and fetch handlers at their edges: a named WorkerEntrypoint reached through a
// service binding (an instance per call, ctx, env, props, RpcTargets, fetch() with each kind of
// input), a Durable Object's ctx and env on `this`, what a fetch() handler's Response becomes
// for its caller (statuses, null-body statuses, redirects, used bodies, non-Responses), the URLs
// and bodies a handler receives, and objects calling themselves and each other.
import { cls } from "../scenario.mjs";

const EP = {
  source: `import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
let instances = 0;
export class Named extends WorkerEntrypoint {
  constructor(ctx, env) { super(ctx, env); instances++; this.n = 0; this.argc = arguments.length; }
  bump() { return ++this.n; }
  instances() { return instances; }
  info() { return { argc: this.argc, ctxTag: Object.prototype.toString.call(this.ctx), envKeys: Object.keys(this.env).sort(), props: show(this.ctx.props), ownKeys: Object.keys(this).sort(), hasCtxOwn: Object.hasOwn(this, "ctx"), hasEnvOwn: Object.hasOwn(this, "env") }; }
  target() { return new (class extends RpcTarget { constructor() { super(); this.k = 0; } inc() { return ++this.k; } })(); }
  async waitAndReturn() { this.ctx.waitUntil(new Promise((r) => setTimeout(r, 20))); return "ok"; }
  fetch(req) { return new Response("named " + req.method + " " + req.url); }
  throwsSync() { throw new TypeError("entry sync"); }
  get prop() { return "prop value"; }
  static staticM() { return "static"; }
}
export class NoFetch extends WorkerEntrypoint { hi() { return "hi"; } }`,
  entry: `{ async fetch(req) { return new Response("default"); } }`,
};

/** A Worker whose entrypoint's fetch() returns thenables. */
const THENABLE_FETCH = {
  source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class Ep extends WorkerEntrypoint { fetch(req) { const k = new URL(req.url).pathname.slice(1); if (k === "getter") return { get then() { throw new RangeError("ep then getter"); } }; if (k === "resolves") return { then(res) { res(new Response("ep via thenable")); } }; return { then() { throw new TypeError("ep then threw"); } }; } }`,
  entry: `{ async fetch() { return new Response("x"); } }`,
};
/** A Worker whose entrypoint hands ctx.waitUntil() one value of each kind, by name. */
const WAIT_UNTIL_KINDS = {
  source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class Ep extends WorkerEntrypoint {
  wu(k) { const out = []; const log = (x) => out.push(x);
    const kinds = { getter: { get then() { log("getter read"); throw new RangeError("wu getter"); } }, throws: { then() { log("then called"); throw new TypeError("wu then"); } }, resolves: { then(r) { log("resolves called"); r(1); } }, rejects: Promise.reject(new Error("wu rejects")), plain: { a: 1 }, num: 5 };
    try { this.ctx.waitUntil(kinds[k]); log("returned"); } catch (e) { log("threw " + e.name + ": " + e.message); }
    return out; }
}`,
  entry: `{ async fetch() { return new Response("x"); } }`,
};
export default [
  {
    name: "entrypoint corners: a named WorkerEntrypoint through a service binding: an instance per call, its constructor's arguments, ctx, env and props, RpcTargets, waitUntil, fetch() with a string, URL or Request and init, no fetch(), statics and missing methods",
    backend: "kv",
    source: cls(`  hello() { return "hi"; }`),
    workers: { other: EP },
    services: { NAMED: { name: "other", entrypoint: "Named", props: { t: 1, d: [1, { x: null }] } }, NOFETCH: { name: "other", entrypoint: "NoFetch" }, NAMED_NOPROPS: { name: "other", entrypoint: "Named" } },
    drive: async (env) => {
      const out = {};
      out.bump1 = await outcome(() => env.NAMED.bump());
      out.bump2 = await outcome(() => env.NAMED.bump());
      out.info = await outcome(() => env.NAMED.info());
      out.infoNoProps = await outcome(() => env.NAMED_NOPROPS.info());
      const t = await env.NAMED.target();
      out.target = [await t.inc(), await t.inc()];
      out.pipelinedTarget = await outcome(() => env.NAMED.target().inc());
      out.wait = await outcome(() => env.NAMED.waitAndReturn());
      out.fetchStr = await outcome(async () => (await env.NAMED.fetch("http://x/a?b")).text());
      out.fetchURL = await outcome(async () => (await env.NAMED.fetch(new URL("http://x/u"))).text());
      out.fetchReq = await outcome(async () => (await env.NAMED.fetch(new Request("http://x/r", { method: "POST", body: "z" }), { method: "PUT" })).text());
      out.noFetch = await outcome(async () => (await env.NOFETCH.fetch("http://x/")).status);
      out.noFetchText = await outcome(async () => (await env.NOFETCH.fetch("http://x/")).text());
      out.throwsSync = await outcome(() => env.NAMED.throwsSync());
      out.prop = await outcome(() => env.NAMED.prop);
      out.staticM = await outcome(() => env.NAMED.staticM());
      out.ctorCall = await outcome(() => env.NAMED.constructor());
      out.nMissing = await outcome(() => env.NAMED.missing());
      return out;
    },
  },
  {
    name: "entrypoint corners: a Durable Object's ctx and env on this: own keys, the constructor's arguments, ctx members, props, and assigning ctx",
    backend: "sqlite",
    source: cls(`
  constructor(ctx, env) { super(ctx, env); this.argc = arguments.length; }
  info() { return { argc: this.argc, ownKeys: Object.keys(this).sort(), ctxOwn: Object.hasOwn(this, "ctx"), envOwn: Object.hasOwn(this, "env"), ctxKeys: Object.keys(this.ctx).sort(), envKeys: Object.keys(this.env).sort(), propsIn: "props" in this.ctx, props: show(this.ctx.props), idName: this.ctx.id.name, ctxIdSame: this.ctx.id === this.ctx.id, storageSame: this.ctx.storage === this.ctx.storage, protoName: Object.getPrototypeOf(Object.getPrototypeOf(this)).constructor.name }; }
  reassign() { try { this.ctx = 1; return { ctx: typeof this.ctx }; } catch (e) { return err(e); } }
`),
    drive: async (env) => ({ info: await outcome(() => env.DO.getByName("x").info()), reassign: await outcome(() => env.DO.getByName("x").reassign()), after: await outcome(() => env.DO.getByName("x").info()) }),
  },
  {
    name: "entrypoint corners: what a fetch() handler's Response becomes for its caller: statuses out of range, 101 without a WebSocket, null-body statuses with a body, redirects followed or manual, errors, used bodies, non-Responses; request bodies read twice; init overrides of a Request",
    backend: "sqlite",
    source: cls(`
  async fetch(req) {
    const u = new URL(req.url);
    const k = u.pathname.slice(1);
    if (k === "twice") { const a = await req.text(); try { await req.text(); return new Response("second ok"); } catch (e) { return new Response(JSON.stringify(err(e)) + " bodyUsed=" + req.bodyUsed + " a=" + a); } }
    if (k === "jsonThenText") { await req.json(); try { await req.arrayBuffer(); } catch (e) { return new Response(JSON.stringify(err(e))); } }
    if (k === "cloneAfter") { await req.text(); try { req.clone(); return new Response("cloned"); } catch (e) { return new Response(JSON.stringify(err(e))); } }
    if (k === "s101") return new Response(null, { status: 101 });
    if (k === "s204body") return new Response("x", { status: 204 });
    if (k === "s205") return new Response(null, { status: 205 });
    if (k === "s304") return new Response(null, { status: 304 });
    if (k === "s599") return new Response("x", { status: 599 });
    if (k === "s600") return new Response("x", { status: 600 });
    if (k === "s199") return new Response("x", { status: 199 });
    if (k === "s200text") return new Response("x", { status: 200, statusText: "Fine" });
    if (k === "redir") return Response.redirect("http://other.example/target", 307);
    if (k === "redirRel") return Response.redirect("/rel", 301);
    if (k === "redirBad") return Response.redirect("http://a/", 200);
    if (k === "err") return Response.error();
    if (k === "json") return Response.json({ a: 1 }, { status: 201, headers: { "x-h": "v" } });
    if (k === "mutHeaders") { const r = await fetch("data:text/plain,hi"); try { r.headers.set("x", "y"); return new Response("mutable"); } catch (e) { return new Response(JSON.stringify(err(e))); } }
    if (k === "reqHeaders") { try { req.headers.set("x", "y"); return new Response("req mutable " + req.headers.get("x")); } catch (e) { return new Response(JSON.stringify(err(e))); } }
    if (k === "usedBody") { const r = new Response("once"); await r.text(); return r; }
    if (k === "string") return "not a response";
    if (k === "undef") return undefined;
    if (k === "obj") return { status: 200 };
    if (k === "method") return new Response(req.method + " " + (await req.text()) + " " + req.headers.get("x-a") + " " + req.redirect);
    if (k === "throwAfterAwait") { await null; throw new RangeError("handler failed"); }
    return new Response("fallthrough " + k);
  }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("f");
      const out = {};
      const look = async (r) => ({ status: r.status, statusText: r.statusText, ok: r.ok, redirected: r.redirected, type: r.type, url: r.url, loc: r.headers.get("location"), ct: r.headers.get("content-type"), body: r.body === null ? null : await r.text(), headersMutable: (() => { try { r.headers.set("x-z", "1"); return true; } catch (e) { return e.name; } })() });
      for (const k of ["twice", "cloneAfter", "s101", "s204body", "s205", "s304", "s599", "s600", "s199", "s200text", "redir", "redirRel", "redirBad", "err", "json", "mutHeaders", "reqHeaders", "usedBody", "string", "undef", "obj", "throwAfterAwait"]) {
        out[k] = await outcome(async () => look(await stub.fetch("http://do/" + k, k === "twice" || k === "cloneAfter" ? { method: "POST", body: "payload" } : undefined)));
      }
      out.jsonThenText = await outcome(async () => look(await stub.fetch("http://do/jsonThenText", { method: "POST", body: '{"a":1}' })));
      out.manualRedir = await outcome(async () => look(await stub.fetch("http://do/redir", { redirect: "manual" })));
      const base = new Request("http://do/method", { method: "POST", body: "orig", headers: { "x-a": "1" } });
      out.reqOverride = await outcome(async () => look(await stub.fetch(base, { method: "PUT", headers: { "x-a": "2" } })));
      out.reqBodyUsed = base.bodyUsed;
      out.reqAgain = await outcome(async () => look(await stub.fetch(base)));
      out.urlObj = await outcome(async () => look(await stub.fetch(new URL("http://do/method"))));
      out.bodyOverride = await outcome(async () => look(await stub.fetch(new Request("http://do/method", { method: "POST", body: "a" }), { body: "b" })));
      out.getWithBody = await outcome(async () => look(await stub.fetch("http://do/method", { body: "x" })));
      out.headMethod = await outcome(async () => look(await stub.fetch("http://do/method", { method: "HEAD" })));
      out.lowerMethod = await outcome(async () => look(await stub.fetch("http://do/method", { method: "patch", body: "p" })));
      out.customMethod = await outcome(async () => look(await stub.fetch("http://do/method", { method: "FOO" })));
      out.noArgs = await outcome(() => stub.fetch());
      out.numArg = await outcome(() => stub.fetch(5));
      out.ftp = await outcome(() => stub.fetch("ftp://do/x"));
      return out;
    },
  },
  {
    name: "entrypoint corners: URLs as a fetch() handler receives them from stub.fetch(), body types and their content headers, duplicate and Host headers",
    backend: "sqlite",
    source: cls(`
  async fetch(req) {
    const h = {}; for (const [k, v] of req.headers) h[k] = v;
    return Response.json({ url: req.url, method: req.method, headers: h, body: req.body === null ? null : await req.text() });
  }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("u");
      const out = {};
      const urls = ["http://Example.COM", "http://a.b/./x/../y?q=1#frag", "http://a.b:80/p", "https://a.b:443/", "http://a.b:8080", "http://a.b/%7e%zz", "http://a.b/a b", "http://a.b\\\\path", "http://xn--bcher-kva.example/", "http://bücher.example/", "http://1.2.3.4.", "http://[::1]:99/", "http://a.b/?a=1&a=2", "http://user:pw@a.b/"];
      for (const u of urls) out[u] = await outcome(async () => (await stub.fetch(u)).json());
      const bodies = { str: "text", ab: new ArrayBuffer(3), u8: new Uint8Array([1, 2]), blob: new Blob(["bl"], { type: "x/y" }), emptyBlob: new Blob([]), usp: new URLSearchParams("a=1&b=2"), fd: (() => { const f = new FormData(); f.append("k", "v"); return f; })(), stream: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("st")); c.close(); } }), empty: "" };
      for (const [k, b] of Object.entries(bodies)) out["body_" + k] = await outcome(async () => { const r = await (await stub.fetch("http://b/", { method: "POST", body: b })).json(); if (k === "fd") { r.headers["content-type"] = r.headers["content-type"]?.replace(/boundary=.*/, "boundary=<b>"); r.body = r.body.length; } return r; });
      out.dupHeaders = await outcome(async () => (await stub.fetch("http://h/", { headers: [["X-A", "1"], ["x-a", "2"], ["Set-Cookie", "a=1"], ["set-cookie", "b=2"], ["Host", "evil"]] })).json());
      return out;
    },
  },
  {
    name: "entrypoint corners: an object calling itself through its own stub, and two objects calling each other back and forth",
    backend: "sqlite",
    source: cls(`
  async self() { const me = this.env.DO.get(this.ctx.id); return await me.leaf("via self"); }
  async leaf(x) { return x + " leaf"; }
  async ping(depth) { if (depth === 0) return "bottom"; const other = this.env.DO.getByName(this.ctx.id.name === "p" ? "q" : "p"); return this.ctx.id.name + ">" + await other.ping(depth - 1); }
`),
    drive: async (env) => ({ self: await outcome(() => env.DO.getByName("r").self()), pingpong: await outcome(() => env.DO.getByName("p").ping(4)) }),
  },
  {
    name: "entrypoint corners: fetch() and alarm() handlers returning thenables whose then throws or that resolve to a Response or not, and an entrypoint's fetch() doing the same",
    backend: "sqlite",
    timeoutMs: 9000,
    source: cls(`
  fetch(req) { const k = new URL(req.url).pathname.slice(1); if (k === "getter") return { get then() { throw new RangeError("then getter"); } }; if (k === "resolves") return { then(res) { res(new Response("via thenable")); } }; if (k === "resolvesNon") return { then(res) { res("not a response"); } }; return { then() { throw new TypeError("then threw"); } }; }
  alarm(info) { const n = (this.n = (this.n ?? 0) + 1); this.ctx.storage.put("runs", n); if (n === 1) return { get then() { throw new RangeError("alarm then"); } }; return undefined; }
  async start() { await this.ctx.storage.setAlarm(Date.now()); }
  async runs() { return { runs: (await this.ctx.storage.get("runs")) ?? 0, alarm: (await this.ctx.storage.getAlarm()) === null ? null : "set" }; }
`),
    workers: { other: THENABLE_FETCH },
    services: { EP: { name: "other", entrypoint: "Ep" } },
    drive: async (env) => {
      const stub = env.DO.getByName("h");
      const out = {};
      for (const k of ["getter", "throws", "resolves", "resolvesNon"]) out["do_" + k] = await outcome(async () => (await stub.fetch("http://x/" + k)).text());
      for (const k of ["getter", "throws", "resolves"]) out["ep_" + k] = await outcome(async () => (await env.EP.fetch("http://x/" + k)).text());
      await stub.start();
      await sleep(3500);
      out.alarm = await stub.runs();
      return out;
    },
  },
  {
    name: "entrypoint corners: fetch(), alarm() and webSocketMessage() getters that throw reset the object at every call",
    backend: "sqlite",
    timeoutMs: 8000,
    source: `import { DurableObject } from "cloudflare:workers";
export class DO extends DurableObject {
  get fetch() { if (this.ctx.id.name === "fetchThrows") throw new RangeError("fetch getter"); return undefined; }
  get alarm() { if (this.ctx.id.name === "alarmThrows") throw new TypeError("alarm getter"); return async () => {}; }
  get webSocketMessage() { if (this.ctx.id.name === "wsThrows") throw new EvalError("ws getter"); return undefined; }
  hello() { return "hello " + this.ctx.id.name; }
  async setIt() { await this.ctx.storage.setAlarm(Date.now() + 60000); return "set"; }
}
`,
    drive: async (env) => {
      const out = {};
      for (const n of ["fetchThrows", "alarmThrows", "wsThrows", "fine"]) {
        const stub = env.DO.getByName(n);
        out[n] = { hello: await outcome(() => stub.hello()), again: await outcome(() => stub.hello()), fetch: await outcome(async () => (await stub.fetch("http://x/")).status), setAlarm: await outcome(() => stub.setIt()) };
      }
      return out;
    },
  },
  {
    name: "entrypoint corners: timers, microtasks and event listeners returning thenables whose then throws: nothing reads it, in Durable Object and Worker code",
    backend: "sqlite",
    timeoutMs: 8000,
    source: cls(`
  async go() {
    const log = (this.log = []);
    setTimeout(() => { this.log.push("t1"); return { get then() { log.push("then read"); throw new RangeError("timer then"); } }; }, 1);
    setTimeout(() => { this.log.push("t2"); return { then() { log.push("then called"); throw new TypeError("then threw"); } }; }, 2);
    queueMicrotask(() => { this.log.push("m1"); return { get then() { log.push("m then read"); throw new Error("m"); } }; });
    const t = new EventTarget();
    t.addEventListener("x", () => { this.log.push("listener"); return { get then() { log.push("l then read"); throw new Error("l"); } }; });
    t.dispatchEvent(new Event("x"));
    await new Promise((r) => setTimeout(r, 30));
    setTimeout(() => this.log.push("t3"), 1);
    await new Promise((r) => setTimeout(r, 30));
    return this.log;
  }
  ping() { return this.log; }
`),
    drive: async (env) => {
      const stub = env.DO.getByName("t");
      const log = [];
      setTimeout(() => { log.push("worker t1"); return { get then() { log.push("worker then read"); throw new RangeError("worker timer then"); } }; }, 1);
      queueMicrotask(() => { log.push("worker m1"); return { then() { log.push("worker then called"); throw new Error("m"); } }; });
      await sleep(30);
      return { go: await outcome(() => stub.go()), after: await outcome(() => stub.ping()), worker: log };
    },
  },
  {
    name: "entrypoint corners: ctx.waitUntil() of thenables whose then getter throws, whose then throws or resolves, of a rejected promise and of no promise, in an object and an entrypoint: then is read at the call and called a microtask later",
    backend: "sqlite",
    timeoutMs: 8000,
    source: cls(`
  wu(k) { const out = []; const log = (x) => out.push(x);
    const kinds = { getter: { get then() { log("getter read"); throw new RangeError("wu getter"); } }, throws: { then() { log("then called"); throw new TypeError("wu then"); } }, resolves: { then(r) { log("resolves called"); r(1); } }, rejects: Promise.reject(new Error("wu rejects")), plain: { a: 1 }, num: 5 };
    try { this.ctx.waitUntil(kinds[k]); log("returned"); } catch (e) { log("threw " + e.name + ": " + e.message); }
    return out; }
  ping() { return "alive"; }
`),
    workers: { other: WAIT_UNTIL_KINDS },
    services: { EP: { name: "other", entrypoint: "Ep" } },
    drive: async (env) => {
      const out = {};
      for (const k of ["getter", "throws", "resolves", "rejects", "plain", "num"]) {
        out[k] = { object: await outcome(() => env.DO.getByName(k).wu(k)), entrypoint: await outcome(() => env.EP.wu(k)) };
        await sleep(20);
        out[k].alive = await outcome(() => env.DO.getByName(k).ping());
      }
      return out;
    },
  },
];
