// `toJSON` on a Durable Object stub or a Fetcher is a wildcard member like any other: code that
// calls it makes an RPC call of the object's (or entrypoint's) `toJSON` method, with whatever
// arguments it gives. JSON.stringify does not see that member (V8 skips interceptors when it
// looks for toJSON) and writes the stub's own properties instead. RpcTarget and function stubs,
// RPC promises and properties answer as they always did.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "rpc: toJSON() called on a stub is an RPC call; JSON.stringify writes the stub's own properties",
    backend: "sqlite",
    source: cls(`  async toJSON(...a) { return "object toJSON " + JSON.stringify(a); }
  async target() { return new T(); }
  async plainTarget() { return new P(); }
  async fn() { const f = (x) => "fn " + x; f.toJSON = () => "fn's own"; return f; }
  async obj() { return { toJSON: () => "object's function", a: 1 }; }`, { extra: `class T extends RpcTarget { toJSON(...a) { return "target toJSON " + JSON.stringify(a); } }
class P extends RpcTarget { m() { return 1; } }` }),
    workers: { other: { source: `import { WorkerEntrypoint } from "cloudflare:workers";\nexport class Ep extends WorkerEntrypoint { toJSON(...a) { return "entrypoint toJSON " + JSON.stringify(a); } }`, entry: "{ fetch() { return new Response('x'); } }" } },
    services: { SVC: { name: "other", entrypoint: "Ep" } },
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      r.called = await outcome(() => s.toJSON());
      r.calledWithKey = await outcome(() => s.toJSON("k"));
      r.calledWithTwo = await outcome(() => s.toJSON("k", 1));
      r.calledWithNumber = await outcome(() => s.toJSON(1));
      r.applied = await outcome(() => Reflect.apply(s.toJSON, s, ["k"]));
      r.type = typeof s.toJSON;
      r.stringified = await outcome(() => JSON.stringify(s));
      r.nested = await outcome(() => JSON.stringify({ x: s, arr: [s] }));
      r.detachedStringify = await outcome(() => { const { stringify } = JSON; return stringify(s); });
      r.withReplacer = await outcome(() => JSON.stringify(s, (k, v) => (k === "name" ? v.toUpperCase() : v)));
      const t = await s.target();
      r.target = [await outcome(() => t.toJSON()), await outcome(() => t.toJSON("k")), await outcome(() => JSON.stringify(t))];
      const p = await s.plainTarget();
      r.plainTarget = [await outcome(() => p.toJSON()), await outcome(() => JSON.stringify(p))];
      const f = await s.fn();
      r.fn = [await outcome(() => f.toJSON()), await outcome(() => JSON.stringify(f)), await outcome(() => JSON.stringify({ f }))];
      r.promise = [await outcome(() => s.target().toJSON()), await outcome(() => JSON.stringify(s.target()))];
      r.property = [await outcome(() => JSON.stringify(s.foo)), await outcome(() => s.obj().toJSON())];
      r.service = [await outcome(() => env.SVC.toJSON()), await outcome(() => env.SVC.toJSON("k")), await outcome(() => JSON.stringify(env.SVC))];
      r.namespace = await outcome(() => JSON.stringify(env.DO));
      return r;
    },
  },
];
