// Which env and exports objects user code holds: a handler's env against a Durable Object's
// this.env and an entrypoint's, ctx.exports against the module's exports, and the env of
// another Worker (no bindings of its own) and its imported env, and exports' namespace against env's.

const SOURCE = `import { DurableObject, WorkerEntrypoint, exports as moduleExports } from "cloudflare:workers";
export class DO extends DurableObject {
  count() { this.n = (this.n ?? 0) + 1; return this.n; }
  same() { globalThis.objectEnv = this.env; return { ctxExports: this.ctx.exports === moduleExports, envIsEntrypointEnv: globalThis.entrypointEnv === undefined ? "unset" : globalThis.entrypointEnv === this.env }; }
}
export class Named extends WorkerEntrypoint {
  same() { globalThis.entrypointEnv = this.env; return { ctxExports: this.ctx.exports === moduleExports, envIsObjectEnv: globalThis.objectEnv === undefined ? "unset" : globalThis.objectEnv === this.env }; }
}
`;

const OTHER = {
  source: `import { WorkerEntrypoint, env as importedEnv, exports as importedExports } from "cloudflare:workers";
export class Other extends WorkerEntrypoint {
  look() { return { keys: Object.keys(this.env), json: JSON.stringify(this.env), importedKeys: Object.keys(importedEnv), exportsKeys: Object.keys(importedExports).sort(), ctxExportsKeys: Object.keys(this.ctx.exports).sort(), props: this.ctx.props }; }
}`,
  entry: `{ async fetch() { return new Response("other"); } }`,
};

export default [
  {
    name: "env identity: a handler's env, an object's this.env and an entrypoint's this.env, and ctx.exports against the module's exports",
    backend: "sqlite",
    source: SOURCE,
    services: { SVC: { name: "test", entrypoint: "Named" } },
    drive: async (env) => {
      const object = await outcome(() => env.DO.getByName("i").same());
      const entrypoint = await outcome(() => env.SVC.same());
      return { object, entrypoint, handlerIsObjectEnv: globalThis.objectEnv === env, handlerIsEntrypointEnv: globalThis.entrypointEnv === env };
    },
  },
  {
    name: "env identity: another Worker's env, imported env and exports, reached through a binding with props",
    backend: "sqlite",
    source: SOURCE,
    workers: { other: OTHER },
    services: { OTHER: { name: "other", entrypoint: "Other", props: { k: 1 } } },
    drive: async (env) => outcome(() => env.OTHER.look()),
  },
  {
    name: "env identity: exports' namespace and env's reach the same object instance, ids from either are equal",
    backend: "sqlite",
    source: SOURCE,
    drive: async (env) => {
      const { exports } = await import("cloudflare:workers");
      const counts = [await env.DO.getByName("one").count(), await exports.DO.getByName("one").count(), await env.DO.get(exports.DO.idFromName("one")).count(), await exports.DO.get(env.DO.idFromName("one")).count()];
      const a = exports.DO.idFromName("one");
      const b = env.DO.idFromName("one");
      return { counts, equals: a.equals(b), sameHex: a.toString() === b.toString(), sameObject: a === b, namespaceSame: exports.DO === env.DO, unique: exports.DO.newUniqueId().equals(env.DO.newUniqueId()) };
    },
  },
];
