// The global scope cannot be sent over RPC, stored or structured-cloned: the runtime refuses it
// as V8 refuses a global proxy ("#<ServiceWorkerGlobalScope> could not be cloned."), at the top
// or nested, where Node's global is an ordinary object V8 would walk into. `console` is a host
// object over RPC ('Could not serialize object of type "console"'), while storage walks into it
// and stops at its first method.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "values: the global scope and console cannot be sent, stored or cloned",
    backend: "sqlite",
    source: cls(`  async echo(v) { return "got"; }
  async store(which) { return outcomeSync(() => this.ctx.storage.kv.put("k", pick(which))); }
  async storeAsync(which) { return outcome(() => this.ctx.storage.put("k", pick(which))); }
  async storeNested(which) { return outcome(() => this.ctx.storage.put("k", { a: [pick(which)] })); }
  async give(which) { return pick(which); }`, { extra: `function pick(w) { return { globalThis, console }[w]; }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      for (const w of ["globalThis", "console"]) {
        r[w] = {
          argument: await outcome(() => s.echo(pick(w))),
          nestedArgument: await outcome(() => s.echo(new Map([[1, pick(w)]]))),
          result: await outcome(() => s.give(w)),
          structuredClone: outcomeSync(() => structuredClone(pick(w))),
          kvPut: await s.store(w),
          put: await s.storeAsync(w),
          nestedPut: await s.storeNested(w),
        };
      }
      return r;
    },
  },
];
