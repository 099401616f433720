// Whether `ctx.exports` exists follows enable_ctx_exports (the default from 2025-11-17; before
// it, on only with the flag; disable_ctx_exports turns it off), for a Durable Object's ctx and a
// Worker handler's alike. Both answer through fetch(), which works at every date here (RPC
// needs 2024-04-03). The module's `exports` of cloudflare:workers is recorded beside them.
import { cls } from "../scenario.mjs";

/** What a `ctx` shows of `exports`. */
const SEEN = `(ctx) => ({ typeof: typeof ctx.exports, has: "exports" in ctx, keys: Object.keys(ctx), module: typeof workersExports })`;

const SOURCE = cls(`  async fetch() { return Response.json(seen(this.ctx)); }`, {
  extra: `import { exports as workersExports } from "cloudflare:workers";\nconst seen = ${SEEN};`,
});

const ENTRY = `{ async fetch(request, env, ctx) { return Response.json(seen(ctx)); } }`;

const cases = [
  ["a date before the flag's", "2024-01-01", []],
  ["a date before the flag's, with enable_ctx_exports", "2024-01-01", ["enable_ctx_exports"]],
  ["the day before the flag's date", "2025-11-16", []],
  ["the flag's date", "2025-11-17", []],
  ["the flag's date, with disable_ctx_exports", "2025-11-17", ["disable_ctx_exports"]],
];

export default cases.map(([label, compatibilityDate, compatibilityFlags]) => ({
  name: `ctx.exports by compatibility date and flags: ${label}`,
  backend: "sqlite",
  compatibilityDate,
  compatibilityFlags,
  source: SOURCE,
  entry: ENTRY,
  services: { MAIN: { name: "test" } },
  drive: async (env) => ({
    object: await (await env.DO.get(env.DO.idFromName("a")).fetch("http://x/")).json(),
    worker: await (await env.MAIN.fetch("http://x/")).json(),
  }),
}));
