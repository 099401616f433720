// What `wrangler types` generates beside Env: the main module's exports give `ctx.exports`
// (and `exports` of "cloudflare:workers") their types; Counter is a Durable Object class.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index");
    durableNamespaces: "Counter";
  }
}
