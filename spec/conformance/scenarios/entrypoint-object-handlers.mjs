// A Worker whose default export is an object of handlers, reached through exports.default and
// a service binding to itself: what its fetch(request, env, ctx) receives (this, env, ctx.props
// given by calling the binding, ctx.exports) and its RPC methods' arguments (exactly one).

const SOURCE = `import { DurableObject } from "cloudflare:workers";
export class DO extends DurableObject { hi() { return "hi"; } }
`;

const ENTRY = `{
  async fetch(req, env, ctx) {
    const { exports, env: importedEnv } = await import("cloudflare:workers");
    return Response.json({
      thisHasHandlers: typeof this?.fetch + " " + typeof this?.rpcLook, argc: arguments.length, props: ctx.props, propsOwn: Object.hasOwn(ctx, "props"),
      envKeys: Object.keys(env).sort(), envSameAsImported: env === importedEnv, ctxExportsSame: ctx.exports === exports, url: req.url,
    });
  },
  async rpcLook(a, env, ctx) { return { argc: arguments.length, a, envKeys: Object.keys(env).sort(), props: ctx.props, thisHasHandlers: typeof this?.fetch }; },
}`;

export default [
  {
    name: "entrypoint object handlers: fetch() through exports.default with and without props, and through a binding to itself",
    backend: "sqlite",
    source: SOURCE,
    entry: ENTRY,
    services: { SELF: "test", SELF_PROPS: { name: "test", props: { via: "binding" } } },
    drive: async (env) => {
      const { exports } = await import("cloudflare:workers");
      const json = (p) => outcome(async () => (await p).json());
      return {
        plain: await json(exports.default.fetch("http://a/plain")),
        withProps: await json(exports.default({ props: { via: "exports" } }).fetch("http://a/props")),
        binding: await json(env.SELF.fetch("http://a/binding")),
        bindingProps: await json(env.SELF_PROPS.fetch("http://a/binding-props")),
      };
    },
  },
  {
    name: "entrypoint object handlers: an object's RPC method takes exactly one argument, then env and ctx",
    backend: "sqlite",
    source: SOURCE,
    entry: ENTRY,
    services: { SELF: "test" },
    drive: async (env) => ({
      one: await outcome(() => env.SELF.rpcLook({ x: 1 })),
      two: await outcome(() => env.SELF.rpcLook(1, "b")),
      none: await outcome(() => env.SELF.rpcLook()),
    }),
  },
];
