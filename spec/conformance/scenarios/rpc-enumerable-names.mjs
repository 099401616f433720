// The runtime's RPC names are a V8 interceptor with values and no attributes: on a Durable
// Object stub, a Fetcher, an RpcTarget's or function's stub, an RPC promise or property, no
// name but code's own is an own property to Object.getOwnPropertyDescriptor, hasOwnProperty and
// Object.hasOwn, while propertyIsEnumerable answers true for every name that reads as an RPC
// path (not for local members such as `toString`, `then`, `dup` where it is local, indices or
// symbols).
import { cls } from "../scenario.mjs";

export default [
  {
    name: "rpc: propertyIsEnumerable is true for RPC names, which are no own properties",
    backend: "sqlite",
    source: cls(`  async target() { return new T(); }
  async fn() { return (x) => x; }
  async hello() { return "hi"; }`, { extra: `class T extends RpcTarget { m() { return 1; } }` }),
    workers: { other: { source: `import { WorkerEntrypoint } from "cloudflare:workers";\nexport class Ep extends WorkerEntrypoint { m() { return 1; } }`, entry: "{ fetch() { return new Response('x'); } }" } },
    services: { SVC: { name: "other", entrypoint: "Ep" } },
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const things = { stub: s, target: await s.target(), fn: await s.fn(), promise: s.target(), property: s.hello, service: env.SVC };
      const r = {};
      const { propertyIsEnumerable, hasOwnProperty } = Object.prototype;
      for (const [k, v] of Object.entries(things)) {
        const x = {};
        for (const n of ["x", "then", "0", "name", "id", "dup", "toString", "constructor", "fetch", "catch", "__proto__", "length", "prototype", "toJSON"]) {
          x[n] = [outcomeSync(() => propertyIsEnumerable.call(v, n)), outcomeSync(() => hasOwnProperty.call(v, n)), outcomeSync(() => Object.hasOwn(v, n)), outcomeSync(() => Object.getOwnPropertyDescriptor(v, n) === undefined)];
        }
        x.method = outcomeSync(() => v.propertyIsEnumerable("y"));
        x.symbol = outcomeSync(() => propertyIsEnumerable.call(v, Symbol.iterator));
        x.ownWritten = outcomeSync(() => {
          v.own = 1;
          Object.defineProperty(v, "hidden", { value: 1, enumerable: false, configurable: true });
          const seen = [propertyIsEnumerable.call(v, "own"), propertyIsEnumerable.call(v, "hidden"), propertyIsEnumerable.call(v, "other")];
          delete v.own;
          delete v.hidden;
          return seen;
        });
        x.keys = outcomeSync(() => Object.keys(v));
        r[k] = x;
      }
      return r;
    },
  },
];
