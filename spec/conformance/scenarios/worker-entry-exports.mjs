// Worker entry points other than the main Worker's own default export, reached through service
// bindings: an object of handlers as the default or a named export (`this`, what a missing or
// non-function handler answers, RPC to its members), a ctx kept past its event, a fetch
// handler's ctx.waitUntil() work after the response, passThroughOnException() called unbound,
// and the errors of an entrypoint's RPC method that fails with something other than an Error.
import { cls } from "../scenario.mjs";

const SOURCE = cls(`  async note(x) { const list = (await this.ctx.storage.get("notes")) ?? []; list.push(x); await this.ctx.storage.put("notes", list); return list.length; }
  notes() { return this.ctx.storage.get("notes"); }`);

/** Outcome of a fetch through `fetcher`: status and body text. */
const OBJECT_WORKER = `(globalThis.OBJ_EXPORT = {
  value: 5,
  nested: { data: [1], fetch() { return "nested fetch"; }, deep() { return "deep"; }, deep2(x, env, ctx) { return { x, argc: arguments.length, thisIsNested: this === globalThis.OBJ_EXPORT.nested, env: typeof env, props: ctx?.props }; } },
  helper() { return "helped"; },
  async fetch(req, env, ctx) {
    const path = new URL(req.url).pathname;
    if (path === "/this") return Response.json({ same: this === globalThis.OBJ_EXPORT, helper: this.helper(), argc: arguments.length });
    return new Response("plain");
  },
  async rpc(x, env, ctx) { return { same: this === globalThis.OBJ_EXPORT, x, argc: arguments.length, props: ctx.props }; },
  arrow: async (x) => ({ thisType: typeof this }),
})`;

export default [
  {
    name: "worker entry exports: an object default export reached through a binding: this in fetch() and RPC methods, arrow handlers, members that are not methods",
    backend: "kv",
    source: SOURCE,
    workers: { obj: { source: "", entry: OBJECT_WORKER } },
    services: { OBJ: { name: "obj", props: { p: 1 } } },
    drive: async (env) => ({
      fetchThis: await outcome(async () => (await env.OBJ.fetch("http://svc/this")).json()),
      rpcThis: await outcome(() => env.OBJ.rpc("arg")),
      arrow: await outcome(() => env.OBJ.arrow(1)),
      value: await outcome(() => env.OBJ.value),
      valueCall: await outcome(() => env.OBJ.value()),
      nested: await outcome(() => env.OBJ.nested.deep()),
      nestedOne: await outcome(() => env.OBJ.nested.deep2("one")),
      nestedRead: await outcome(() => env.OBJ.nested),
      helperTwoArgs: await outcome(() => env.OBJ.helper(1, 2)),
      nestedMissing: await outcome(() => env.OBJ.nested.nope(1)),
      intoNumber: await outcome(() => env.OBJ.value.x(1)),
      nestedNotFunction: await outcome(() => env.OBJ.nested.data(1)),
      nestedReserved: await outcome(() => env.OBJ.nested.fetch(1)),
      nestedNoArgs: await outcome(() => env.OBJ.nested.deep2()),
      nestedReadDeep: await outcome(() => env.OBJ.nested.data),
      missing: await outcome(() => env.OBJ.nope()),
      missingRead: await outcome(() => env.OBJ.nope),
    }),
  },
  {
    name: "worker entry exports: a named export that is an object of handlers, reached through a binding with props",
    backend: "kv",
    source: SOURCE,
    workers: {
      named: {
        source: `export const handlers = {
  async fetch(req, env, ctx) { return Response.json({ props: ctx.props, argc: arguments.length, url: req.url, thisHas: typeof this.rpc }); },
  async rpc(x, env, ctx) { return { x, props: ctx.props, argc: arguments.length }; },
};`,
        entry: `{ async fetch() { return new Response("default"); } }`,
      },
    },
    services: { NAMED: { name: "named", entrypoint: "handlers", props: { who: "named" } }, DEFAULT: "named" },
    drive: async (env) => ({
      fetch: await outcome(async () => (await env.NAMED.fetch("http://svc/x")).json()),
      rpc: await outcome(() => env.NAMED.rpc(7)),
      defaultFetch: await outcome(async () => (await env.DEFAULT.fetch("http://svc/")).text()),
      defaultRpcMissing: await outcome(() => env.DEFAULT.rpc(7)),
    }),
  },
  {
    name: "worker entry exports: a default export object without fetch(), or whose fetch is not a function",
    backend: "kv",
    source: SOURCE,
    workers: {
      nofetch: { source: "", entry: `{ async rpc() { return "rpc"; } }` },
      notfn: { source: "", entry: `{ fetch: 5, async rpc() { return "rpc"; } }` },
      empty: { source: "", entry: `{}` },
    },
    services: { NOFETCH: "nofetch", NOTFN: "notfn", EMPTY: "empty" },
    drive: async (env) => {
      const ask = (fetcher, path) => outcome(async () => { const r = await fetcher.fetch("http://svc" + path); return { status: r.status, body: await r.text() }; });
      return {
        nofetch: await ask(env.NOFETCH, "/"),
        nofetchRpc: await outcome(() => env.NOFETCH.rpc()),
        notfn: await ask(env.NOTFN, "/"),
        empty: await ask(env.EMPTY, "/"),
        emptyRpc: await outcome(() => env.EMPTY.rpc()),
      };
    },
  },
  {
    name: "worker entry exports: a fetch handler's ctx.waitUntil() work after the response, waitUntil() called from that work, and a ctx kept for a later request",
    backend: "sqlite",
    source: SOURCE,
    workers: {
      bg: {
        source: "",
        entry: `{
  async fetch(req, env, ctx) {
    const path = new URL(req.url).pathname;
    if (path === "/later") {
      ctx.waitUntil(scheduler.wait(5).then(() => { globalThis.BG_LOG.push("first"); ctx.waitUntil(scheduler.wait(5).then(() => globalThis.BG_LOG.push("nested"))); }));
      globalThis.BG_KEPT = ctx;
      globalThis.BG_LOG = [];
      return new Response("answered");
    }
    if (path === "/log") return Response.json(globalThis.BG_LOG);
    if (path === "/kept") {
      const kept = globalThis.BG_KEPT; const out = { sameCtx: kept === ctx, sameProto: Object.getPrototypeOf(kept) === Object.getPrototypeOf(ctx) };
      for (const [name, f] of [["waitUntil", () => kept.waitUntil(Promise.resolve())], ["pass", () => kept.passThroughOnException()], ["props", () => JSON.stringify(kept.props)]]) {
        try { out[name] = { ok: String(f()) }; } catch (e) { out[name] = { threw: e.name + ": " + e.message }; }
      }
      return Response.json(out);
    }
    return new Response("?");
  },
}`,
      },
    },
    services: { BG: "bg" },
    drive: async (env) => {
      const text = (path) => outcome(async () => (await env.BG.fetch("http://svc" + path)).text());
      const answered = await text("/later");
      const done = await waitFor(async () => JSON.parse(await (await env.BG.fetch("http://svc/log")).text()).length === 2);
      return { answered, done, log: await text("/log"), kept: await text("/kept") };
    },
  },
  {
    name: "worker entry exports: ctx methods called unbound or on another object, in a fetch handler",
    backend: "kv",
    source: SOURCE,
    workers: {
      unbound: {
        source: "",
        entry: `{
  async fetch(req, env, ctx) {
    const out = {};
    const tries = {
      pass: () => { const f = ctx.passThroughOnException; return f(); },
      passOther: () => ctx.passThroughOnException.call({}),
      passArgs: () => ctx.passThroughOnException(1, 2),
      wait: () => { const f = ctx.waitUntil; return f(Promise.resolve()); },
      waitOther: () => ctx.waitUntil.call({}, Promise.resolve()),
      waitNone: () => ctx.waitUntil(),
      waitNumber: () => ctx.waitUntil(5),
      arity: () => [ctx.waitUntil.length, ctx.passThroughOnException.length].join(","),
    };
    for (const [name, f] of Object.entries(tries)) {
      try { out[name] = { ok: String(f()) }; } catch (e) { out[name] = { threw: e.name + ": " + e.message }; }
    }
    return Response.json(out);
  },
}`,
      },
    },
    services: { U: "unbound" },
    drive: async (env) => outcome(async () => (await env.U.fetch("http://svc/")).json()),
  },
  {
    name: "worker entry exports: an entrypoint's RPC method failing with non-Errors, an Error subclass with own fields, and a rejected promise it returns",
    backend: "kv",
    source: SOURCE,
    workers: {
      fails: {
        source: `import { WorkerEntrypoint } from "cloudflare:workers";
class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; this.code = 42; this.extra = { a: 1 }; } }
export class Fails extends WorkerEntrypoint {
  throwString() { throw "a string"; }
  throwUndefined() { throw undefined; }
  throwNull() { return Promise.reject(null); }
  throwObject() { throw { code: 3, message: "plain object" }; }
  throwNumber() { throw 7; }
  throwSubclass() { throw new MyError("sub"); }
  throwDom() { throw new DOMException("dom words", "DataError"); }
  returnsRejected() { return Promise.reject(new RangeError("rejected")); }
  throwWithCause() { throw new Error("outer", { cause: new TypeError("inner") }); }
}`,
        entry: `{ async fetch() { return new Response("x"); } }`,
      },
    },
    services: { F: { name: "fails", entrypoint: "Fails" } },
    drive: async (env) => {
      const out = {};
      for (const m of ["throwString", "throwUndefined", "throwNull", "throwObject", "throwNumber", "throwSubclass", "throwDom", "returnsRejected"]) out[m] = await outcome(() => env.F[m]());
      out.cause = await outcome(async () => { try { await env.F.throwWithCause(); } catch (e) { return { message: e.message, cause: show(e.cause), remote: e.remote }; } });
      return out;
    },
  },
  {
    name: "worker entry exports: a fetch handler of an object failing with non-Errors or rejecting with nothing, through a binding and exports.default",
    backend: "kv",
    source: SOURCE,
    workers: {
      odd: {
        source: "",
        entry: `{
  fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/reject-undefined") return Promise.reject(undefined);
    if (path === "/reject-null") return Promise.reject(null);
    if (path === "/throw-number") throw 42;
    if (path === "/sync-error") throw new TypeError("sync");
    if (path === "/response-like") return { status: 200, headers: {}, body: "x", ok: true };
    if (path === "/promise-of-string") return Promise.resolve("text");
    if (path === "/null") return null;
    if (path === "/undefined") return undefined;
    if (path === "/string") return "text";
    if (path === "/empty-object") return {};
    if (path === "/function") return () => new Response("f");
    if (path === "/then-not-callable") return { then: 5 };
    return new Response("ok");
  },
}`,
      },
    },
    services: { ODD: "odd" },
    drive: async (env) => {
      const ask = (path) => outcome(async () => { const r = await env.ODD.fetch("http://svc" + path); return { status: r.status, body: await r.text() }; });
      const out = {};
      for (const p of ["/reject-undefined", "/reject-null", "/throw-number", "/sync-error", "/response-like", "/promise-of-string", "/null", "/undefined", "/string", "/empty-object", "/function", "/then-not-callable"]) out[p] = await ask(p);
      return out;
    },
  },
  {
    name: "worker entry exports: a WorkerEntrypoint's fetch() failing with non-Errors, and returning null or a Promise of a string",
    backend: "kv",
    source: SOURCE,
    workers: {
      cls: {
        source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class E extends WorkerEntrypoint {
  fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/reject-undefined") return Promise.reject(undefined);
    if (path === "/throw-string") throw "str";
    if (path === "/null") return null;
    if (path === "/promise-of-string") return Promise.resolve("text");
    return new Response("ok " + (req.cf === undefined ? "no cf" : JSON.stringify(req.cf)));
  }
}`,
        entry: `{ async fetch() { return new Response("x"); } }`,
      },
    },
    services: { E: { name: "cls", entrypoint: "E" } },
    drive: async (env) => {
      const ask = (path, init) => outcome(async () => { const r = await env.E.fetch("http://svc" + path, init); return { status: r.status, body: await r.text() }; });
      const out = {};
      for (const p of ["/reject-undefined", "/throw-string", "/null", "/promise-of-string", "/"]) out[p] = await ask(p);
      out.cf = await ask("/", { cf: { colo: "AMS", n: [1] } });
      return out;
    },
  },
  {
    name: "worker entry exports: a Durable Object's fetch() returning something other than a Promise or a Response synchronously",
    backend: "sqlite",
    source: cls(`  fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/null") return null;
    if (path === "/undefined") return undefined;
    if (path === "/string") return "text";
    if (path === "/then-not-callable") return { then: 5 };
    if (path === "/then-null") return { then: null };
    return new Response("ok");
  }`),
    drive: async (env) => {
      const stub = env.DO.getByName("sync");
      const out = {};
      for (const p of ["/null", "/undefined", "/string", "/then-not-callable", "/then-null", "/"]) out[p] = await outcome(async () => { const r = await stub.fetch("http://do" + p); return { status: r.status, body: await r.text() }; });
      return out;
    },
  },
];
