// The surface of the runtime's API objects as reflection sees it, beyond what prototypes.mjs
// (key order and flags) and shapes.mjs (kinds and arity) record: each function's `name` (the
// runtime's accessors and symbol-keyed methods are unnamed), its Function.prototype.toString
// text, what it does when called on a plain object instead of its own kind (the runtime's
// "Illegal invocation", thrown at once), the constructors' names, text and what `C()` and
// `new C()` do, Symbol.toStringTag's attributes, and JSON.stringify of the object: for the
// Durable Object APIs, RPC values, cloudflare:workers' exports and the Web API classes whose
// members durasim defines.
import { cls } from "../scenario.mjs";

/** probe(o): per prototype level (o itself first, at most `depth` of them), each own
 * member's function facts (only those named in `only`, when given). */
async function probe(o, depth = Infinity, only = undefined) {
  if (o === null || (typeof o !== "object" && typeof o !== "function")) return { typeof: typeof o };
  const wellKnown = new Map([[Symbol.iterator, "@@iterator"], [Symbol.asyncIterator, "@@asyncIterator"], [Symbol.toStringTag, "@@toStringTag"],
    [Symbol.dispose, "@@dispose"], [Symbol.asyncDispose, "@@asyncDispose"], [Symbol.toPrimitive, "@@toPrimitive"]]);
  const stop = [Object.prototype, Function.prototype, Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), EventTarget.prototype, Event.prototype];
  // Native text is the contract; a function written in JavaScript (a user's class) is only "source".
  const text = (f) => {
    try {
      const t = Function.prototype.toString.call(f);
      return t.includes("[native code]") ? t : "(source)";
    } catch (e) {
      return `toString throws ${e.name}`;
    }
  };
  // Calls on a plain object: a promise is waited for briefly (a refusal may be a rejection).
  const onPlain = async (f, args = []) => {
    let r;
    try {
      r = Reflect.apply(f, {}, args);
    } catch (e) {
      return `throws ${e?.name}: ${e?.message}`;
    }
    if (r === null || typeof r !== "object" || typeof r.then !== "function") return `returns ${typeof r}`;
    const late = new Promise((resolve) => setTimeout(() => resolve("pending"), 50));
    return Promise.race([r.then(() => "resolves", (e) => `rejects ${e?.name}: ${e?.message}`), late]);
  };
  const fn = async (f, prefix) => `${prefix}${JSON.stringify(f.name)}/${f.length} ${text(f)}`;
  const out = { typeof: typeof o, tag: Object.prototype.toString.call(o), json: (() => { try { return JSON.stringify(o) ?? "(undefined)"; } catch (e) { return `throws ${e.name}: ${e.message}`; } })(), levels: [] };
  for (let p = o; p && !stop.includes(p) && out.levels.length < depth; p = Object.getPrototypeOf(p)) {
    const level = {};
    for (const k of Reflect.ownKeys(p)) {
      if (typeof k === "symbol" && !wellKnown.has(k)) continue;
      const key = typeof k === "symbol" ? wellKnown.get(k) : k;
      if (only !== undefined && !only.includes(key)) continue;
      const d = Object.getOwnPropertyDescriptor(p, k);
      const facts = [];
      if ("value" in d && typeof d.value === "function") {
        facts.push(await fn(d.value, ""));
        if (key !== "constructor") facts.push(await onPlain(d.value));
        if (key === "constructor") {
          facts.push(`call: ${await onPlain(d.value)}`);
          try {
            facts.push(`new: ${typeof new d.value()}`);
          } catch (e) {
            facts.push(`new: throws ${e?.name}: ${e?.message}`);
          }
        }
      } else if ("value" in d) {
        // The tag's attributes too (prototypes.mjs records the others on the API objects).
        const flags = typeof k === "symbol" ? ` ${d.enumerable ? "e" : "-"}${d.configurable ? "c" : "-"}${d.writable ? "w" : "-"}` : "";
        facts.push(`value ${typeof d.value}${flags}`);
      }
      if (d.get) facts.push(await fn(d.get, "get "), await onPlain(d.get));
      if (d.set) facts.push(await fn(d.set, "set "), await onPlain(d.set, [undefined]));
      level[key] = facts.join(" | ");
    }
    out.levels.push(level);
  }
  return out;
}

const HELPER = String(probe);

const source = `${HELPER}
import * as W from "cloudflare:workers";
${cls(`  async fetch() { return new Response("x"); }
  hello() { return "hi"; }
  fn() { return (x) => x; }
  target() { return new T(); }
  async objects(which) {
    const s = this.ctx.storage;
    const pick = {
      ctx: () => this.ctx,
      storage: () => s,
      sql: () => s.sql,
      cursor: () => { s.sql.exec("CREATE TABLE IF NOT EXISTS t (a)"); return s.sql.exec("SELECT * FROM t"); },
      id: () => this.ctx.id,
      namespace: () => this.env.DO,
      stub: () => this.env.DO.getByName("other"),
      webSocket: () => new WebSocketPair()[0],
      webSocketPair: () => new WebSocketPair(),
      kv: () => s.kv,
      kvIterator: () => s.kv.list(),
      rawIterator: () => s.sql.exec("SELECT 1").raw(),
      ctxExports: () => this.ctx.exports,
    };
    if (which === "txn") return s.transaction(async (t) => probe(t));
    if (which === "exports") {
      const r = {};
      // abortIsolate is left out: called, it ends the process.
      for (const k of Object.keys(W).sort()) {
        if (k === "abortIsolate") continue;
        const v = W[k];
        r[k] = typeof v !== "function" ? typeof v : { self: await probe(v), prototype: v.prototype ? await probe(v.prototype) : "(none)" };
      }
      return r;
    }
    return probe(pick[which]());
  }`, { extra: "class T extends RpcTarget { m() { return 1; } }" })}`;

/** One scenario per object, so a difference names its object. */
function inDo(which, rest = {}) {
  return { name: `surface probe: ${which}`, backend: "sqlite", source, drive: `async (env) => env.DO.getByName("a").objects(${JSON.stringify(which)})`, ...rest };
}

/** The same on a KV-backed object. */
function inKvDo(which) {
  return { ...inDo(which), name: `surface probe: ${which} [kv]`, backend: "kv" };
}

/** A value Worker code (the driver) holds, probed there. */
function inWorker(name, expression, rest = {}) {
  return { name: `surface probe: ${name}`, backend: "sqlite", source, drive: `async (env) => probe(${expression})`, ...rest };
}

/** A global class: the constructor's own members, then its prototype chain's (`depth` levels). */
function globalClass(name, { depth = Infinity, ...rest } = {}) {
  return {
    name: `surface probe: global ${name}`,
    backend: "sqlite",
    source,
    drive: `async (env) => ({ self: await probe(${name}), prototype: await probe(${name}.prototype, ${depth}), ownConstructor: ${name}.prototype.constructor === ${name} })`,
    ...rest,
  };
}

/** The ctx and env of a WorkerEntrypoint's call, and the env cloudflare:workers exports. */
const entrypointSource = `${HELPER}
import { WorkerEntrypoint, env as moduleEnv } from "cloudflare:workers";
export class DO {}
export class Named extends WorkerEntrypoint {
  async ctxProbe() { return probe(this.ctx); }
  async envProbe() { return { env: await probe(this.env), moduleEnv: await probe(moduleEnv), same: this.env === moduleEnv }; }
}`;

export default [
  {
    name: "surface probe: a WorkerEntrypoint's ctx (ExecutionContext)",
    backend: "sqlite",
    source: entrypointSource,
    drive: `async () => (await import("cloudflare:workers")).exports.Named.ctxProbe()`,
  },
  {
    name: "surface probe: a WorkerEntrypoint's env and cloudflare:workers' env",
    backend: "sqlite",
    source: entrypointSource,
    drive: `async () => (await import("cloudflare:workers")).exports.Named.envProbe()`,
  },
  ...["ctx", "storage", "sql", "cursor", "id", "namespace", "stub", "txn", "webSocketPair", "exports", "kv", "kvIterator", "rawIterator", "ctxExports"].map((w) => inDo(w)),
  ...["ctx", "storage", "txn", "kv"].map(inKvDo),
  inDo("webSocket", {
    differs:
      "WebSocket.prototype also holds addEventListener/removeEventListener/dispatchEvent (durasim's guards, as in " +
      "prototypes.mjs); README 'Differences from production'",
  }),
  inWorker("namespace from the Worker", "env.DO"),
  inWorker("stub from the Worker", `env.DO.getByName("a")`),
  inWorker("RPC promise", `(() => { const p = env.DO.getByName("a").hello(); p.catch(() => {}); return p; })()`),
  inWorker("function stub", `await env.DO.getByName("a").fn()`),
  inWorker("RpcTarget stub", `await env.DO.getByName("a").target()`),
  ...["EventTarget", "WebSocketPair", "TextDecoder"].map((name) => globalClass(name)),
  // Their own members: what they inherit (TransformStream, Node's URL.prototype) is Node's
  // (README 'Differences from production').
  ...["IdentityTransformStream", "FixedLengthStream", "URL"].map((name) => globalClass(name, { depth: 1 })),
  globalClass("WebSocketRequestResponsePair", {
    differs: "its request and response have setters (for the runtime's strict-mode message), as in prototypes.mjs; README 'Differences from production'",
  }),
  {
    name: "surface probe: URL.createObjectURL() and revokeObjectURL() check their argument, then refuse",
    backend: "sqlite",
    source,
    drive: async () => {
      const cases = {
        blob: () => URL.createObjectURL(new Blob(["x"])),
        file: () => URL.createObjectURL(new File(["x"], "n")),
        string: () => URL.createObjectURL("s"),
        none: () => URL.createObjectURL(),
        revoke: () => URL.revokeObjectURL("blob:x"),
        revokeNone: () => URL.revokeObjectURL(),
        revokeSymbol: () => URL.revokeObjectURL(Symbol()),
      };
      const r = {};
      for (const [k, f] of Object.entries(cases)) r[k] = outcomeSync(f);
      return r;
    },
  },
  // The members durasim's Request and Response define themselves (the rest are Node's).
  inWorker("Request's own members", `probe(Request.prototype, 1, ["cf", "fetcher", "clone", "@@toStringTag"])`),
  // The body methods (the runtime's Body, Node's classes here: one level down either way).
  {
    name: "surface probe: Request's and Response's body methods",
    backend: "sqlite",
    source,
    drive: `async () => {
      const body = ["arrayBuffer", "bytes", "text", "json", "formData", "blob"];
      return { request: await probe(Request.prototype, 2, body), response: await probe(Response.prototype, 2, body) };
    }`,
  },
  inWorker("Response's own members", `probe(Response.prototype, 1, ["clone", "status", "statusText", "headers", "ok", "url", "webSocket", "cf", "@@toStringTag"])`),
  {
    name: "surface probe: Headers and URLSearchParams methods check the receiver before the arguments",
    backend: "sqlite",
    source,
    drive: async () => {
      const r = {};
      const methods = [[Headers, ["get", "has", "set", "append", "delete"]], [URLSearchParams, ["append", "delete", "get", "getAll", "has", "set"]]];
      for (const [C, names] of methods) {
        for (const n of names) {
          const f = C.prototype[n];
          r[`${C.name}.${n}`] = [outcomeSync(() => f.call({})), outcomeSync(() => f.call(C.prototype)), outcomeSync(() => f.call(new C()))];
        }
      }
      return r;
    },
  },
  {
    name: "surface probe: FormData methods on another object, and its iterator",
    backend: "sqlite",
    source,
    drive: async () => {
      const r = {};
      for (const n of ["append", "delete", "get", "getAll", "has", "set", "entries", "keys", "values", "forEach"]) r[n] = outcomeSync(() => FormData.prototype[n].call({}));
      const iterator = FormData.prototype[Symbol.iterator];
      r.iterator = [iterator.name, outcomeSync(() => iterator.call({})), iterator === FormData.prototype.entries];
      return r;
    },
  },
  inWorker("navigator", "navigator"),
  inWorker("scheduler", "scheduler"),
];
