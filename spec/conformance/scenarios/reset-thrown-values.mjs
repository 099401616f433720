// What an object's code threw to reset it (a blockConcurrencyWhile callback, in the constructor
// or later; the constructor itself) reaches the callers waiting on the object as a thrown value
// does, with `durableObjectReset` in place of `remote`: a value holding an RpcTarget or a stream
// (or an AggregateError of them) arrives rebuilt from its description, an AggregateError's
// `errors` enumerable, a thrown plain object as a plain object. ctx.abort()'s reason is different:
// its text. Over RPC and fetch alike. ownProcess: a thrown value holds a Durable Object stub.
import { cls } from "../scenario.mjs";

const MAKE = `class T extends RpcTarget { m() { return 1; } }
function make(kind, env) {
  const e = new Error("x");
  switch (kind) {
    case "plain": e.k = 1; return e;
    case "target": e.inner = { t: new T() }; return e;
    case "stub": e.s = env.DO.getByName("z"); return e;
    case "writable": e.w = new WritableStream(); return e;
    case "readable": e.r = new ReadableStream(); return e;
    case "aggregateTarget": return new AggregateError([new T()], "agg");
    case "aggregate": return new AggregateError([1], "agg");
    case "custom": { class MyErr extends Error {} const m = new MyErr("m"); m.name = "MyErr"; return m; }
    case "dom": return new DOMException("d", "AbortError");
    case "string": return "s";
    case "object": return { a: 1 };
    case "objectTarget": return { t: new T() };
  }
}
function desc(e) {
  if (e === null || typeof e !== "object") return { thrown: String(e) };
  const own = Reflect.ownKeys(e).filter((k) => k !== "stack").map((k) => String(k) + (Object.getOwnPropertyDescriptor(e, k).enumerable ? " e" : ""));
  return { ctor: e.constructor?.name, name: e.name, message: e.message, own };
}`;

const KINDS = ["plain", "target", "stub", "writable", "readable", "aggregateTarget", "aggregate", "custom", "dom", "string", "object", "objectTarget"];

export default [{
  name: "resets: what code threw to reset its object reaches the callers as a thrown value, flagged as the reset",
  backend: "sqlite",
  ownProcess: true,
  classes: { DO: "DO", InConstructor: "InConstructor", Throwing: "Throwing" },
  source: `import { DurableObject, RpcTarget } from "cloudflare:workers";
${MAKE}
export class DO extends DurableObject {
  async bcw(k) { await this.ctx.blockConcurrencyWhile(async () => { throw make(k, this.env); }); }
  async abort(k) { this.ctx.abort(make(k, this.env)); }
  async fetch(req) { await this.bcw(new URL(req.url).pathname.slice(1)); return new Response("no reset"); }
}
export class InConstructor extends DurableObject {
  constructor(ctx, env) { super(ctx, env); ctx.blockConcurrencyWhile(async () => { throw make(ctx.id.name, env); }); }
  async hi() { return 1; }
}
export class Throwing extends DurableObject {
  constructor(ctx, env) { super(ctx, env); throw make(ctx.id.name, env); }
  async hi() { return 1; }
}`,
  drive: `async (env) => {
    const r = {};
    const caught = async (f) => { try { await f(); return "no error"; } catch (e) { return desc(e); } };
    for (const k of ${JSON.stringify(KINDS)}) {
      r[k] = {
        bcw: await caught(() => env.DO.getByName("bcw " + k).bcw(k)),
        bcwFetch: await caught(() => env.DO.getByName("fetch " + k).fetch("http://x/" + k)),
        abort: await caught(() => env.DO.getByName("abort " + k).abort(k)),
        inConstructor: await caught(() => env.InConstructor.getByName(k).hi()),
        constructorThrows: await caught(() => env.Throwing.getByName(k).hi()),
      };
    }
    return r;
  }`,
}];
