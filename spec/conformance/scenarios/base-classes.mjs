// The base classes of cloudflare:workers (DurableObject, WorkerEntrypoint, RpcTarget) built by
// hand inside a Worker: calling them without `new`, their arguments, what a subclass's fields
// and the instance's own properties look like, and the module's `waitUntil` with odd arguments.
import { CALL_HELPERS } from "./webidl-helpers.mjs";

const SOURCE = `import { DurableObject, WorkerEntrypoint, WorkflowEntrypoint, RpcTarget, waitUntil, env as ENV } from "cloudflare:workers";
${CALL_HELPERS}
const own = (o) => Object.getOwnPropertyNames(o).map((k) => { const d = Object.getOwnPropertyDescriptor(o, k); return k + ":" + ("value" in d ? "v" : "a") + (d.enumerable ? "e" : "") + (d.writable ? "w" : "") + (d.configurable ? "c" : ""); });
class WithFields extends DurableObject { field = 1; #priv = 2; static s = 3; getPriv() { return this.#priv; } }
class EpFields extends WorkerEntrypoint { field = "f"; }
class TgFields extends RpcTarget { field = "t"; }
export class DO extends DurableObject {
  extra = "x";
  async classes() {
    const C = { DurableObject, WorkerEntrypoint, WorkflowEntrypoint, RpcTarget };
    const out = {};
    for (const [n, K] of Object.entries(C)) out[n] = { name: K.name, length: K.length, statics: Object.getOwnPropertyNames(K).sort(), proto: own(K.prototype).sort(), protoOfProto: Object.getPrototypeOf(K.prototype) === Object.prototype, tag: Object.prototype.toString.call(K.prototype) };
    return out;
  }
  async construct() {
    const summary = (o) => ({ own: own(o).sort(), keys: Object.keys(o), ctx: typeof o.ctx === "object" ? (o.ctx === null ? "null" : "object") : String(o.ctx), env: typeof o.env === "object" ? (o.env === null ? "null" : "object") : String(o.env), json: JSON.stringify(o) });
    return howAll({
      doCall: () => DurableObject(), epCall: () => WorkerEntrypoint(), tgCall: () => RpcTarget(),
      doCallArgs: () => DurableObject(this.ctx, this.env), epCallArgs: () => WorkerEntrypoint(this.ctx, this.env),
      doNew: () => summary(new DurableObject()), epNew: () => summary(new WorkerEntrypoint()), tgNew: () => summary(new RpcTarget()),
      doNewArgs: () => summary(new DurableObject(1, "two")), epNewArgs: () => summary(new WorkerEntrypoint(1, "two")), tgNewArgs: () => summary(new RpcTarget(1, 2)),
      doNewReal: () => { const o = new DurableObject(this.ctx, this.env); return [o.ctx === this.ctx, o.env === this.env, summary(o)]; },
      fields: () => { const o = new WithFields(this.ctx, this.env); return [summary(o), o.getPriv(), o.ctx === this.ctx]; },
      epFields: () => summary(new EpFields({}, {})), tgFields: () => summary(new TgFields()),
      selfShape: () => [own(this).sort(), Object.keys(this), this.env === ENV],
      doEnvMissing: () => summary(new DurableObject(this.ctx)), doEnvNumber: () => summary(new DurableObject(this.ctx, 1)), doEnvNull: () => summary(new DurableObject(this.ctx, null)),
      doCtxCopy: () => summary(new DurableObject(Object.create(this.ctx), this.env)), doCtxPlain: () => summary(new DurableObject({}, this.env)),
      epCtxOnly: () => summary(new WorkerEntrypoint({})), epEnvNumber: () => summary(new WorkerEntrypoint({}, 1)), epCtxFn: () => summary(new WorkerEntrypoint(() => 1, {})),
      epCtxNull: () => summary(new WorkerEntrypoint(null, {})), epCtxDo: () => summary(new WorkerEntrypoint(this.ctx, this.env)), epCtxString: () => summary(new WorkerEntrypoint("s", {})),
      wfCall: () => WorkflowEntrypoint(), wfNew: () => summary(new WorkflowEntrypoint()), wfNewObj: () => summary(new WorkflowEntrypoint({}, 1)),
      subNoArgs: () => summary(new WithFields()), subCallable: () => WithFields(),
      assignCtx: () => { const o = new DurableObject(1, 2); o.ctx = 5; o.env = 6; return [o.ctx, o.env]; },
    });
  }
  async waits() {
    return howAll({
      none: () => waitUntil(), undef: () => waitUntil(undefined), number: () => waitUntil(5), nul: () => waitUntil(null), rejected: () => waitUntil(Promise.reject(new RangeError("bye"))),
      thenable: () => waitUntil({ then(r) { r(1); } }), resolved: () => waitUntil(Promise.resolve(1)),
      ctxNone: () => this.ctx.waitUntil(), ctxUndef: () => this.ctx.waitUntil(undefined), ctxNumber: () => this.ctx.waitUntil(5), ctxRejected: () => this.ctx.waitUntil(Promise.reject(new RangeError("bye2"))),
      ctxThenable: () => this.ctx.waitUntil({ then(r) { r(1); } }), detached: () => { const w = this.ctx.waitUntil; return w(Promise.resolve()); },
    });
  }
}
`;

const scenario = (name, method) => ({
  name: `base classes: ${name}`,
  backend: "sqlite",
  source: SOURCE,
  drive: `async (env) => outcome(() => env.DO.getByName("x").${method}())`,
});

/** A Worker whose named entrypoint builds the base classes with its own ExecutionContext. */
const OTHER = {
  source: `import { DurableObject, WorkerEntrypoint, WorkflowEntrypoint, RpcTarget } from "cloudflare:workers";
${CALL_HELPERS}
export class Builder extends WorkerEntrypoint {
  async build() {
    const keys = (o) => [Object.keys(o), o.ctx === this.ctx, o.env === this.env];
    return howAll({
      wfReal: () => keys(new WorkflowEntrypoint(this.ctx, this.env)), wfEnvMissing: () => keys(new WorkflowEntrypoint(this.ctx)), wfEnvNumber: () => keys(new WorkflowEntrypoint(this.ctx, 1)),
      wfCtxCopy: () => keys(new WorkflowEntrypoint(Object.create(this.ctx), {})), wfCtxPlain: () => keys(new WorkflowEntrypoint({}, {})),
      doWithExecCtx: () => keys(new DurableObject(this.ctx, this.env)), epReal: () => keys(new WorkerEntrypoint(this.ctx, this.env)),
      self: () => [Object.keys(this), this instanceof WorkerEntrypoint, Object.getPrototypeOf(Builder) === WorkerEntrypoint],
    });
  }
}`,
  entry: "{ fetch() { return new Response('other'); } }",
};

export default [
  {
    name: "base classes: built with a WorkerEntrypoint's ExecutionContext",
    backend: "sqlite",
    source: SOURCE,
    workers: { other: OTHER },
    services: { SVC: { name: "other", entrypoint: "Builder" } },
    drive: async (env) => outcome(() => env.SVC.build()),
  },
  scenario("names, lengths and prototypes", "classes"),
  scenario("constructed by hand, called without new, subclass fields", "construct"),
  scenario("waitUntil from the module and ctx with odd arguments", "waits"),
  {
    // The runtime checks a subclass's super() arguments too: the object fails to start, and every
    // call (RPC or fetch) gets that TypeError as a reset.
    name: "base classes: a Durable Object passing the wrong arguments to super()",
    backend: "sqlite",
    source: `import { DurableObject } from "cloudflare:workers";
export class DO extends DurableObject { hi() { return "hi"; } }
export class Half extends DurableObject { constructor(ctx, env) { super(ctx); } hi() { return "half"; } }
export class None extends DurableObject { constructor(ctx, env) { super(); } hi() { return "none"; } }
export class Swapped extends DurableObject { constructor(ctx, env) { super(env, ctx); } hi() { return "swapped"; } }`,
    classes: { DO: "DO", HALF: "Half", NONE: "None", SW: "Swapped" },
    drive: async (env) => {
      const g = async (f) => { try { return { ok: await f() }; } catch (e) { return { err: String(e), name: e?.name, remote: e?.remote, keys: Object.keys(e) }; } };
      return {
        half: await g(() => env.HALF.getByName("a").hi()), halfAgain: await g(() => env.HALF.getByName("a").hi()), none: await g(() => env.NONE.getByName("a").hi()),
        swapped: await g(() => env.SW.getByName("a").hi()), fetch: await g(async () => (await env.NONE.getByName("b").fetch("http://x/")).status),
        fine: await g(() => env.DO.getByName("a").hi()),
      };
    },
  },
];
