// A fetch the object failed by a reset (abort(), a throwing constructor, a throwing
// blockConcurrencyWhile callback): the caller's error is flagged `remote` first, then
// `durableObjectReset`, in that key order; the same failure over RPC has no `remote`.
export default [
  {
    name: "fetch resets: the caller's error has remote before durableObjectReset",
    backend: "sqlite",
    source: `import { DurableObject } from "cloudflare:workers";
export class DO extends DurableObject { fetch(req) { if (req.url.endsWith("/abort")) this.ctx.abort("bye"); return new Response("ok"); } }
export class Thrower extends DurableObject { constructor(ctx, env) { super(ctx, env); throw new RangeError("ctor"); } fetch() { return new Response("x"); } hi() { return 1; } }
export class BcwThrow extends DurableObject { constructor(ctx, env) { super(ctx, env); ctx.blockConcurrencyWhile(async () => { throw new RangeError("bcw"); }); } fetch() { return new Response("x"); } }`,
    classes: { DO: "DO", T: "Thrower", B: "BcwThrow" },
    drive: async (env) => {
      const g = async (f) => { try { return { ok: await f() }; } catch (e) { return { err: String(e), keys: Object.keys(e) }; } };
      return {
        abort: await g(async () => (await env.DO.getByName("a").fetch("http://x/abort")).status),
        ctorFetch: await g(async () => (await env.T.getByName("a").fetch("http://x/")).status),
        ctorRpc: await g(() => env.T.getByName("b").hi()),
        bcwFetch: await g(async () => (await env.B.getByName("a").fetch("http://x/")).status),
      };
    },
  },
];
