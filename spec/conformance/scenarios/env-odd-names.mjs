// Bindings whose names are Object.prototype's (`toString`, `hasOwnProperty`, `constructor`):
// each is an own property of env that shadows the inherited member, so String(env) fails.
// (A binding named `__proto__` the harness cannot pass: its options are built by assignment.)

export default [
  {
    name: "env odd names: bindings named toString, hasOwnProperty and constructor",
    backend: "sqlite",
    source: `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
export class DO extends DurableObject {}
export class Named extends WorkerEntrypoint { echo(x) { return "echo " + x; } }`,
    services: {
      toString: { name: "test", entrypoint: "Named" },
      hasOwnProperty: { name: "test", entrypoint: "Named" },
      constructor: { name: "test", entrypoint: "Named" },
    },
    drive: async (env) => {
      const { env: imported } = await import("cloudflare:workers");
      const own = (k) => Object.prototype.hasOwnProperty.call(env, k);
      return {
        keys: Object.keys(env).sort(), protoIsObject: Object.getPrototypeOf(env) === Object.prototype,
        own: ["toString", "hasOwnProperty", "constructor"].map(own),
        calls: [await outcome(() => env.toString.echo(1)), await outcome(() => env.hasOwnProperty.echo(2)), await outcome(() => env.constructor.echo(4))],
        string: outcomeSync(() => String(env)), importedKeys: Object.keys(imported).sort(),
      };
    },
  },
];
