// The names of cloudflare:workers beyond the base classes, env, exports and waitUntil: what a
// module importing them gets, scoped env/exports (withEnv and its siblings, through awaits,
// timers and microtasks), writes through `env`, the classes RpcPromise/RpcProperty/ServiceStub
// and which values are their instances, `tracing`, `cache` and `restore`. (abortIsolate ends
// local workerd's process, so it has no scenario; see README.)
import { CALL_HELPERS } from "./webidl-helpers.mjs";

const IMPORTS = `import * as W from "cloudflare:workers";
import { env, exports, withEnv, withExports, withEnvAndExports, RpcPromise, RpcProperty, ServiceStub, RpcStub, RpcTarget, WorkerEntrypoint, tracing, cache, restore } from "cloudflare:workers";`;

function scenario(name, body, rest = {}) {
  return {
    name: `workers module: ${name}`,
    backend: "sqlite",
    source: `${IMPORTS}
${CALL_HELPERS}
/** How many prototypes up ServiceStub's is on v's chain (-1: not on it). */
function chainHas(v) { let p = Object.getPrototypeOf(v), n = 0; while (p) { if (p === ServiceStub.prototype) return n; p = Object.getPrototypeOf(p); n++; } return -1; }
class Target extends RpcTarget { get p() { return 1; } m() { return 2; } }
export class Other extends WorkerEntrypoint { ping() { return "pong"; } }
export class DO extends W.DurableObject {
  value() { return 7; }
  get prop() { return 8; }
  getStub() { return this.env.DO.getByName("z"); }
  async probe() {
${body}
  }
}`,
    drive: async (env) => outcome(() => env.DO.getByName("x").probe()),
    ...rest,
  };
}

export default [
  scenario("the names it exports", `
    // Symbol-keyed members of the runtime's own (its internal class marker) are left out.
    return Object.keys(W).sort().map((k) => k + ":" + typeof W[k] + (typeof W[k] === "function" ? "/" + W[k].length + "/" + W[k].name : ""));`),

  scenario("RpcPromise, RpcProperty and ServiceStub, and what is an instance of each", `
    // ServiceStub's name and tag in workerd are "ServiceStub" or "Fetcher" depending on what the env holds.
    const cls = (C) => ({ name: C === ServiceStub ? "-" : C.name, length: C.length, tag: C === ServiceStub ? "-" : C.prototype[Symbol.toStringTag],
      statics: Object.getOwnPropertyNames(C), keys: Object.getOwnPropertyNames(C.prototype),
      ctorIsIt: C.prototype.constructor === C, protoOfProto: Object.getPrototypeOf(C.prototype) === Object.prototype });
    const stub = this.env.DO.getByName("other");
    const crossed = await this.env.DO.getByName("y").getStub();
    const local = new RpcStub(new Target());
    const call = stub.value();
    return {
      RpcPromise: cls(RpcPromise), RpcProperty: cls(RpcProperty), ServiceStub: cls(ServiceStub),
      construct: await howAll({ newPromise: () => new RpcPromise(), callPromise: () => RpcPromise(), newProperty: () => new RpcProperty(),
        callProperty: () => RpcProperty(), newService: () => new ServiceStub(), callService: () => ServiceStub(), newPromiseArg: () => new RpcPromise(Promise.resolve(1)) }),
      call: [call instanceof RpcPromise, call instanceof RpcProperty, call instanceof Promise, call.constructor === RpcPromise, await call],
      pipelined: [stub.value().x instanceof RpcProperty, stub.value().x() instanceof RpcPromise],
      property: [stub.prop instanceof RpcProperty, stub.prop instanceof RpcPromise, stub.prop.constructor === RpcProperty, await stub.prop],
      local: [local instanceof ServiceStub, local instanceof RpcStub, local.m() instanceof RpcPromise, local.p instanceof RpcProperty],
      stub: [stub instanceof ServiceStub, stub instanceof RpcStub, chainHas(stub)],
      fetchers: {
        service: this.env.SVC instanceof ServiceStub,
        crossed: crossed instanceof ServiceStub,
        loopbackDefault: exports.default instanceof ServiceStub,
        loopbackNamed: [exports.Other instanceof ServiceStub, exports.Other({ props: {} }) instanceof ServiceStub],
        ctxExports: this.ctx.exports.default instanceof ServiceStub,
      },
      notStubs: [this.env.DO instanceof ServiceStub, exports.DO instanceof ServiceStub],
      tags: [Object.prototype.toString.call(call), Object.prototype.toString.call(stub.prop), Object.prototype.toString.call(this.env.SVC)],
    };`, { services: { SVC: "test" } }),

  scenario("the prototype of Fetchers is ServiceStub's", `
    const crossed = await this.env.DO.getByName("y").getStub();
    return { statics: Reflect.ownKeys(ServiceStub).map(String), service: chainHas(this.env.SVC), crossed: chainHas(crossed), loopback: chainHas(exports.default) };`, {
    services: { SVC: "test" },
    differs: "durasim's Fetchers have a prototype of their own (named Fetcher, as the runtime's shared one is once a Fetcher exists, where Durable Object stubs' shows ServiceStub), so ServiceStub answers instanceof through Symbol.hasInstance",
  }),

  scenario("withEnv, withExports and withEnvAndExports", `
    const seen = () => ({ keys: Object.keys(env), A: env.A, hasDO: "DO" in env, exports: Object.keys(exports) });
    const r = {};
    r.outside = seen();
    r.inside = withEnv({ A: 1 }, () => seen());
    r.returns = withEnv({ A: 1 }, () => 42);
    r.thisArg = withEnv({ A: 1 }, function () { return [this === globalThis, arguments.length]; });
    r.nested = withEnv({ A: 1 }, () => withEnv({ A: 2 }, () => env.A) + ":" + env.A);
    r.async = await withEnv({ A: 3 }, async () => { await Promise.resolve(); await new Promise((res) => setTimeout(res, 1)); await this.ctx.storage.get("k"); return seen(); });
    r.asyncReturn = await how(() => withEnv({ A: 3 }, async () => 5));
    r.inTimer = await new Promise((res) => withEnv({ A: 4 }, () => { setTimeout(() => res(env.A), 1); }));
    r.inMicrotask = await new Promise((res) => withEnv({ A: 5 }, () => { queueMicrotask(() => res(env.A)); }));
    r.after = seen();
    r.exportsOnly = withExports({ X: 1 }, () => seen());
    r.both = withEnvAndExports({ A: 9 }, { X: 8 }, () => seen());
    r.exportsInEnv = withEnv({ A: 7 }, () => withExports({ X: 6 }, () => seen()));
    r.calls = await howAll({
      undefinedEnv: () => withEnv(undefined, () => seen()),
      nullEnv: () => withEnv(null, () => seen()),
      numberEnv: () => withEnv(5, () => seen()),
      stringEnv: () => withEnv("s", () => seen()),
      noCallback: () => withEnv({}),
      numberCallback: () => withEnv({}, 5),
      noArgs: () => withEnv(),
      throws: () => withEnv({}, () => { throw new RangeError("boom"); }),
      exportsUndefined: () => withExports(undefined, () => Object.keys(exports)),
      exportsNumber: () => withExports(5, () => Object.keys(exports)),
      exportsNoCallback: () => withExports({}),
      bothNoCallback: () => withEnvAndExports({}, {}),
      bothNumberCallback: () => withEnvAndExports({}, {}, 3),
      bothUndefinedEnv: () => withEnvAndExports(undefined, { X: 1 }, () => [Object.keys(env), Object.keys(exports)]),
      extraArgs: () => withEnv({ A: 1 }, () => env.A, 99),
    });
    r.lengths = [withEnv.length, withExports.length, withEnvAndExports.length, withEnv.name, withExports.name, withEnvAndExports.name];
    return r;`),

  scenario("writes through env", `
    const scoped = { A: 1 };
    withEnv(scoped, () => { env.B = 2; delete env.A; Object.defineProperty(env, "C", { value: 3, enumerable: true, configurable: true }); });
    env.NEWKEY = 5;
    const set = { env: env.NEWKEY, thisEnv: this.env.NEWKEY, keys: Object.keys(env) };
    delete env.NEWKEY;
    return { scoped, set, deleted: { env: env.NEWKEY, thisEnv: this.env.NEWKEY, keys: Object.keys(env) } };`),

  scenario("tracing: spans, the active span, argument checks", `
    const t = tracing;
    const s = t.startSpan("s");
    const root = t.getActiveSpan();
    return {
      tag: Object.prototype.toString.call(t), protoKeys: Object.getOwnPropertyNames(Object.getPrototypeOf(t)), spanKeys: Object.getOwnPropertyNames(t.Span.prototype),
      isCtxTracing: [typeof this.ctx.tracing, t.Span === Object.getPrototypeOf(s).constructor],
      root: [root === t.getActiveSpan(), root.isTraced, Object.prototype.toString.call(root)],
      entered: await t.enterSpan("outer", async (span, a, b) => { await new Promise((res) => setTimeout(res, 1)); return [t.getActiveSpan() === span, t.getActiveSpan() === root, a, b, span instanceof t.Span]; }, 1, 2),
      nested: t.enterSpan("a", (x) => t.enterSpan("b", (y) => [x === y, t.getActiveSpan() === y])),
      startActive: t.startActiveSpan("n", (span, a) => [t.getActiveSpan() === span, a], 5),
      withActive: t.withActiveSpan(s, (...a) => [t.getActiveSpan() === s, a]),
      after: t.getActiveSpan() === root,
      calls: await howAll({
        thisInCallback: () => t.enterSpan("n", function () { return this === globalThis; }),
        enterThrows: () => t.enterSpan("n", () => { throw new RangeError("inner"); }),
        enterAsync: () => t.enterSpan("n", async () => 3),
        enterNumberName: () => t.enterSpan(5, () => 1),
        enterNoCallback: () => t.enterSpan("x"),
        enterNoArgs: () => t.enterSpan(),
        startActiveNoCallback: () => t.startActiveSpan("n"),
        startSpanNoName: () => t.startSpan(),
        startSpanNumber: () => Object.prototype.toString.call(t.startSpan(5)),
        withActiveNotSpan: () => t.withActiveSpan({}, () => 1),
        withActiveNull: () => t.withActiveSpan(null, () => 1),
        withActiveNoCallback: () => t.withActiveSpan(s),
        newSpan: () => new t.Span(),
        unbound: () => { const f = t.enterSpan; return f("n", () => 1); },
        spanContext: () => s.spanContext(),
        freshContext: () => s.spanContext() === s.spanContext(),
        setAttribute: () => [s.setAttribute("k", "v") === s, s.setAttribute("k", undefined) === s, s.setAttribute("k", [1, 2]) === s, s.setAttribute("k", {}) === s, s.setAttribute("k") === s, s.setAttribute(5, true) === s],
        setAttributeNoArgs: () => s.setAttribute(),
        setAttributeBigInt: () => s.setAttribute("k", 1n),
        setAttributes: () => [s.setAttributes({ a: 1 }) === s, s.setAttributes({ a: { b: 1 } }) === s],
        setAttributesNull: () => s.setAttributes(null),
        setAttributesArray: () => s.setAttributes([1]),
        setAttributesString: () => s.setAttributes("x"),
        setAttributesNone: () => s.setAttributes(),
        setStatus: () => [s.setStatus({ code: "ok" }) === s, s.setStatus({ code: "error", message: "m" }) === s, s.setStatus({ code: "unset" }) === s],
        setStatusString: () => s.setStatus("ok"),
        setStatusNone: () => s.setStatus(),
        setStatusEmpty: () => s.setStatus({}),
        setStatusBadCode: () => s.setStatus({ code: 2 }),
        recordException: () => [s.recordException(new Error("x")), s.recordException("x")],
        recordExceptionNone: () => s.recordException(),
        updateName: () => s.updateName(5) === s,
        updateNameNone: () => s.updateName(),
        end: () => [s.end(), s.end(), s.isTraced, s.setAttribute("a", 1) === s],
        string: () => [String(s), String(t)],
      }),
    };`),

  scenario("cache and restore", `
    const c = cache;
    return {
      object: { keys: Reflect.ownKeys(c), purge: typeof c.purge, inPurge: "purge" in c, toString: typeof c.toString, ctor: typeof c.constructor,
        proto: Object.getPrototypeOf(c) === Object.prototype, tag: Object.prototype.toString.call(c), ctxCache: typeof this.ctx.cache },
      worker: await (await this.env.SVC.fetch("http://x/")).json(),
      restore: [typeof restore, restore.description, Symbol.keyFor(restore) === undefined],
    };`, {
    services: { SVC: "test" },
    entry: `{ async fetch(req, env, ctx) { return Response.json({ keys: Reflect.ownKeys(cache), purge: typeof cache.purge, ctxCache: typeof ctx.cache }); } }`,
  }),
];
