// Calls pipelined onto a call's result. A path that walks into a result object and meets a stub
// there (to another object's RpcTarget or function) is passed on by the result's owner, so what
// fails comes back named with the owner's id, as its own calls on other objects' stubs are; a
// result that is itself a stub, or one awaited first, is called directly (the other object's id).
// Deep pipelines through RpcTargets' methods and getters, getters that answer with promises,
// Maps (not walked) and Sets.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "rpc pipelines through results: errors of a stub reached inside a result name the result's owner",
    backend: "sqlite",
    source: cls(`  async init() { const other = this.env.DO.getByName("other"); this.remote = await other.target(); this.fn = await other.fn(); return 1; }
  viaResult() { return { remote: this.remote.dup(), fn: this.fn.dup(), nested: { remote: this.remote.dup() } }; }
  give() { return this.remote.dup(); }
  target() { return new T(); }
  fn() { return () => { throw Object.assign(new RangeError("fn threw"), { code: 3 }); }; }`, { extra: `class T extends RpcTarget { boom() { throw Object.assign(new RangeError("boom"), { code: 5 }); } get bad() { throw new TypeError("bad getter"); } value() { return 42; } get prop() { return 7; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      await s.init();
      const ids = { a: String(env.DO.idFromName("a")), other: String(env.DO.idFromName("other")) };
      const who = (o) => (o.error ? [o.error.name, o.error.message, o.error.remote === true, Object.entries(ids).find(([, v]) => v === o.error.durableObjectId)?.[0] ?? o.error.durableObjectId ?? "none"] : o.ok);
      const r = {};
      r.missing = who(await outcome(() => s.viaResult().remote.missing()));
      r.throws = who(await outcome(() => s.viaResult().remote.boom()));
      r.getterThrows = who(await outcome(() => s.viaResult().remote.bad));
      r.value = who(await outcome(() => s.viaResult().remote.value()));
      r.getter = who(await outcome(() => s.viaResult().remote.prop));
      r.targetCalled = who(await outcome(() => s.viaResult().remote()));
      r.functionThrows = who(await outcome(() => s.viaResult().fn()));
      r.nestedMissing = who(await outcome(() => s.viaResult().nested.remote.missing()));
      r.awaitedMissing = who(await outcome(async () => (await s.viaResult()).remote.missing()));
      r.awaitedThrows = who(await outcome(async () => (await s.viaResult()).remote.boom()));
      r.stubResultMissing = who(await outcome(() => s.give().missing()));
      r.stubResultThrows = who(await outcome(() => s.give().boom()));
      r.stubResultGetterThrows = who(await outcome(() => s.give().bad));
      return r;
    },
  },
  {
    name: "rpc pipelines through results: deep chains through RpcTargets, getters answering promises, Maps and Sets",
    backend: "sqlite",
    source: cls(`  target() { return new T(0); }
  map() { return new Map([["a", new T(5)]]); }
  set() { return new Set([() => "in set"]); }`, { extra: `class T extends RpcTarget {
  constructor(d) { super(); this.d = d; }
  child() { return new T(this.d + 1); }
  get depth() { return this.d; }
  get later() { return Promise.resolve(this.d * 10); }
  get childProp() { return new T(this.d + 100); }
  async asyncChild() { return new T(this.d + 1000); }
  get rejecting() { return Promise.reject(new RangeError("later no")); }
}` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      r.deep = await outcome(() => s.target().child().child().child().depth);
      r.getterPromise = await outcome(() => s.target().later);
      r.getterPromiseDeeper = await outcome(() => s.target().child().later);
      r.getterTarget = await outcome(() => s.target().childProp.child().depth);
      r.asyncMethodTarget = await outcome(() => s.target().asyncChild().depth);
      r.getterRejects = await outcome(() => s.target().rejecting);
      r.mapAwaited = await outcome(async () => { const m = await s.map(); return [m.size, await m.get("a").depth]; });
      r.mapPipelined = await outcome(() => s.map().get("a"));
      r.setAwaited = await outcome(async () => { const st = await s.set(); return await [...st][0](); });
      return r;
    },
  },
  {
    // An RpcTarget's result is its object's (named with that object's id); an entrypoint's has
    // no object to name, so the stub's own object's id stays.
    name: "rpc pipelines through results: a stub inside an RpcTarget's result and inside an entrypoint's result",
    backend: "sqlite",
    services: { SVC: "ep" },
    workers: { ep: { source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class E extends WorkerEntrypoint { async wrap(stub) { return { remote: stub.dup() }; } }`, entry: "E" } },
    source: cls(`  async init() { const other = this.env.DO.getByName("other"); this.remote = await other.target(); return 1; }
  holder() { return new Holder(this); }
  target() { return new T(); }
  async viaEntrypoint() { try { return await this.env.SVC.wrap(this.remote).remote.missing(); } catch (e) { return [e.message, e.remote === true, e.durableObjectId === String(this.ctx.id) ? "a" : e.durableObjectId === String(this.env.DO.idFromName("other")) ? "other" : String(e.durableObjectId)]; } }`, { extra: `class T extends RpcTarget { value() { return 42; } }
class Holder extends RpcTarget { constructor(o) { super(); this.o = o; } wrap() { return { remote: this.o.remote.dup() }; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      await s.init();
      const ids = { a: String(env.DO.idFromName("a")), other: String(env.DO.idFromName("other")) };
      const who = (o) => (o.error ? [o.error.message, o.error.remote === true, Object.entries(ids).find(([, v]) => v === o.error.durableObjectId)?.[0] ?? o.error.durableObjectId ?? "none"] : o.ok);
      const r = {};
      r.targetResultPipelined = who(await outcome(() => s.holder().wrap().remote.missing()));
      r.targetResult = who(await outcome(async () => (await s.holder()).wrap().remote.missing()));
      const t = await env.DO.getByName("other").target();
      r.entrypointResult = who(await outcome(() => env.SVC.wrap(t).remote.missing()));
      r.entrypointResultInAnObject = await outcome(() => s.viaEntrypoint());
      return r;
    },
  },
];
