// The Worker surface: service bindings to another Worker's default export or a named
// WorkerEntrypoint (fetch and RPC, props), `exports` / `env` / `waitUntil` of
// cloudflare:workers, `ctx.exports` and `ctx.props`, and the default export's scheduled handler.
import { cls } from "../scenario.mjs";

const WORKERS_IMPORT = `import { WorkerEntrypoint, exports, env as importedEnv, waitUntil } from "cloudflare:workers";`;

/** A DO-less main Worker is not possible in the harness (the class list is required), so the
 * main module always has a trivial DO class. */
const mainSource = (extra = "") => cls(`  async hello() { return "hi"; }`, { extra: `${WORKERS_IMPORT}\n${extra}` });

/** Another Worker with a default WorkerEntrypoint, a named one, and a plain-object export. */
const OTHER = {
  source: `import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
export class Named extends WorkerEntrypoint {
  async greet(who) { return "named greets " + who; }
  async props() { return show(this.ctx.props); }
  async fetch(req) { return new Response("named fetch " + new URL(req.url).pathname + " props=" + JSON.stringify(this.ctx.props)); }
  async fail() { const e = new RangeError("named failed"); e.code = "E_NAMED"; throw e; }
  async counter() { return new Counter(); }
  async callBack(f) { return "called back: " + await f(2); }
  get value() { return "a getter"; }
  async envKeys() { return Object.keys(this.env).sort(); }
  async ctxShape() { const c = this.ctx; return { props: Object.hasOwn(c, "props"), exports: Object.hasOwn(c, "exports"), waitUntil: typeof c.waitUntil, passThrough: typeof c.passThroughOnException, exportKeys: Object.keys(c.exports ?? {}).sort() }; }
}
class Counter extends RpcTarget { n = 0; inc() { return ++this.n; } }
export const plainObject = { async fetch(req, env, ctx) { return new Response("plain object fetch props=" + JSON.stringify(ctx.props)); } };`,
  entry: `class extends WorkerEntrypoint {
  async fetch(req) { return new Response("default fetch " + req.method + " " + new URL(req.url).pathname + " " + (await req.text())); }
  async add(a, b) { return a + b; }
  async props() { return show(this.ctx.props); }
}`,
};

/** A Worker whose default export is an object with handlers (the classic style). */
const CLASSIC = {
  source: "",
  entry: `{
  async fetch(req, env, ctx) { return new Response("classic fetch " + new URL(req.url).pathname + " props=" + JSON.stringify(ctx.props)); },
  async scheduled(controller, env, ctx) { globalThis.lastScheduled = { cron: controller.cron, time: controller.scheduledTime }; },
  async add(a, b) { return a + b; },
  async probe(arg, env, ctx) { return { arg, envType: typeof env, hasDo: "DO" in env, props: ctx.props, waitUntil: typeof ctx.waitUntil, n: arguments.length }; },
}`,
};

export default [
  {
    name: "services: fetch and RPC through a binding to another Worker's default WorkerEntrypoint",
    backend: "kv",
    source: mainSource(),
    workers: { other: OTHER },
    services: { SVC: "other" },
    drive: async (env) => ({
      fetch: await outcome(async () => (await env.SVC.fetch("http://svc/path", { method: "POST", body: "b" })).text()),
      rpc: await outcome(() => env.SVC.add(2, 3)),
      props: await outcome(() => env.SVC.props()),
      unknown: await outcome(() => env.SVC.nope()),
      namedOnly: await outcome(() => env.SVC.greet("x")),
    }),
  },
  {
    name: "services: a binding to a named entrypoint with props",
    backend: "kv",
    source: mainSource(),
    workers: { other: OTHER },
    services: {
      NAMED: { name: "other", entrypoint: "Named", props: { tenant: "t1", n: 2, nested: { list: [1, "two"] } } },
      NO_PROPS: { name: "other", entrypoint: "Named" },
      PLAIN: { name: "other", entrypoint: "plainObject", props: { p: 1 } },
    },
    drive: async (env) => ({
      greet: await outcome(() => env.NAMED.greet("me")),
      props: await outcome(() => env.NAMED.props()),
      noProps: await outcome(() => env.NO_PROPS.props()),
      fetch: await outcome(async () => (await env.NAMED.fetch("http://svc/named")).text()),
      getter: await outcome(() => env.NAMED.value),
      plainFetch: await outcome(async () => (await env.PLAIN.fetch("http://svc/")).text()),
      plainRpc: await outcome(() => env.PLAIN.fetch2()),
      envKeys: await outcome(() => env.NAMED.envKeys()),
      ctxShape: await outcome(() => env.NAMED.ctxShape()),
    }),
  },
  {
    name: "services: errors, RpcTargets and callbacks across a service binding",
    backend: "kv",
    source: mainSource(),
    workers: { other: OTHER },
    services: { NAMED: { name: "other", entrypoint: "Named" } },
    drive: async (env) => {
      const grab = async (f) => { try { await f(); return "resolved"; } catch (e) { return { ...err(e), keys: Object.keys(e).sort(), code: e.code ?? null }; } };
      const counter = await env.NAMED.counter();
      return {
        thrown: await grab(() => env.NAMED.fail()),
        unknown: await grab(() => env.NAMED.nothingHere()),
        connectNoArgs: await grab(() => env.NAMED.connect()),
        reservedDup: await grab(() => env.NAMED.dup()),
        reservedConstructor: await grab(() => env.NAMED.constructor()),
        counter: [await counter.inc(), await counter.inc()],
        pipelined: await outcome(() => env.NAMED.counter().inc()),
        callback: await outcome(() => env.NAMED.callBack((x) => x * 21)),
      };
    },
  },
  {
    name: "services: a binding to a Worker whose default export is an object",
    backend: "kv",
    source: mainSource(),
    workers: { classic: CLASSIC },
    services: { CLASSIC: "classic", CLASSIC_PROPS: { name: "classic", props: { a: 1 } } },
    drive: async (env) => ({
      fetch: await outcome(async () => (await env.CLASSIC.fetch("http://svc/c")).text()),
      fetchProps: await outcome(async () => (await env.CLASSIC_PROPS.fetch("http://svc/c")).text()),
      rpc: await outcome(() => env.CLASSIC.add(1, 2)),
      oneArgument: await outcome(() => env.CLASSIC.probe({ a: 1 })),
      noArgument: await outcome(() => env.CLASSIC.probe()),
      propsBinding: await outcome(() => env.CLASSIC_PROPS.probe("x")),
      missing: await outcome(() => env.CLASSIC.nope("x")),
      scheduled: await outcome(() => env.CLASSIC.scheduled({ scheduledTime: new Date(1000), cron: "* * * * *" })),
    }),
  },
  {
    name: "services: local members of a service binding",
    backend: "kv",
    source: mainSource(),
    workers: { other: OTHER },
    services: { SVC: "other" },
    drive: async (env) => {
      const s = env.SVC;
      return {
        typeof: typeof s,
        tag: Object.prototype.toString.call(s),
        keys: Object.keys(s),
        then: typeof s.then,
        fetch: typeof s.fetch,
        connect: typeof s.connect,
        scheduled: typeof s.scheduled,
        queue: typeof s.queue,
        anything: typeof s.anything,
        dispose: typeof s[Symbol.dispose],
        string: String(s),
        sameAcrossReads: env.SVC === env.SVC,
      };
    },
  },
  {
    name: "services: a service binding to the main Worker itself",
    backend: "kv",
    source: mainSource(`export class SelfNamed extends WorkerEntrypoint {
  async who() { return "self named, props " + JSON.stringify(this.ctx.props); }
}`),
    entry: `{ async fetch(req, env, ctx) { return new Response("main fetch " + new URL(req.url).pathname); }, async ping() { return "pong"; } }`,
    services: { SELF: "test", SELF_NAMED: { name: "test", entrypoint: "SelfNamed", props: { me: true } } },
    drive: async (env) => ({
      fetch: await outcome(async () => (await env.SELF.fetch("http://self/loop")).text()),
      rpcOnObjectDefault: await outcome(() => env.SELF.ping()),
      oneArgument: await outcome(() => env.SELF.ping("only")),
      named: await outcome(() => env.SELF_NAMED.who()),
    }),
  },
  {
    name: "services: exports from cloudflare:workers reach the Worker's own entrypoints and classes",
    backend: "sqlite",
    source: mainSource(`export class Named extends WorkerEntrypoint {
  async who() { return "named via exports, props " + JSON.stringify(this.ctx.props); }
  async fetch(req) { return new Response("named fetch"); }
}`),
    entry: `class extends WorkerEntrypoint {
  async fetch(req) { return new Response("default fetch " + new URL(req.url).pathname); }
  async ping() { return "default pong"; }
  async scheduled(controller) { return undefined; }
}`,
    drive: async (env) => ({
      keys: Object.keys(exports).sort(),
      defaultType: typeof exports.default,
      defaultTag: Object.prototype.toString.call(exports.default),
      defaultFetch: await outcome(async () => (await exports.default.fetch("http://loop/x")).text()),
      defaultRpc: await outcome(() => exports.default.ping()),
      named: await outcome(() => exports.Named.who()),
      namedType: typeof exports.Named,
      namedTag: Object.prototype.toString.call(exports.Named),
      defaultWithProps: await outcome(() => exports.default({ props: { p: 1 } }).ping()),
      namedFetch: await outcome(async () => (await exports.Named.fetch("http://loop/")).text()),
      doTag: Object.prototype.toString.call(exports.DO),
      doThroughExports: await outcome(() => exports.DO.getByName("x").hello()),
      doSameAsEnv: await outcome(async () => exports.DO.idFromName("a").equals(env.DO.idFromName("a"))),
      importedEnvIsEnv: Object.keys(importedEnv).sort().join() === Object.keys(env).sort().join(),
      waitUntilType: typeof waitUntil,
      missing: typeof exports.Nope,
    }),
  },
  {
    name: "services: ctx.exports and ctx.props in Durable Objects and entrypoints",
    backend: "sqlite",
    source: `${WORKERS_IMPORT}
import { DurableObject } from "cloudflare:workers";
export class DO extends DurableObject {
  async hello() { return "hello from DO"; }
  async shape() {
    return {
      exportKeys: Object.keys(this.ctx.exports).sort(),
      props: show(this.ctx.props),
      named: await this.ctx.exports.Named.who(),
      namedWithProps: await outcome(() => this.ctx.exports.Named({ props: { from: "do" } }).who()),
      defaultFetch: await (await this.ctx.exports.default.fetch("http://loop/from-do")).text(),
      sameAsModuleExports: this.ctx.exports === exports,
    };
  }
}
export class Named extends WorkerEntrypoint {
  async who() { return "named, props " + JSON.stringify(this.ctx.props); }
  async viaCtx() { return { keys: Object.keys(this.ctx.exports).sort(), hello: await this.ctx.exports.DO.getByName("e").hello() }; }
}`,
    entry: `class extends WorkerEntrypoint { async fetch(req) { return new Response("default " + new URL(req.url).pathname); } }`,
    drive: async (env) => ({
      inDo: await outcome(() => env.DO.getByName("d").shape()),
      inEntrypoint: await outcome(() => exports.Named.viaCtx()),
      propsSpecialised: await outcome(() => exports.Named({ props: { x: 1 } }).who()),
    }),
  },
  {
    name: "services: the shapes of ctx, exports and their callable bindings",
    backend: "kv",
    source: mainSource(`export class Named extends WorkerEntrypoint { async ping() { return "pong"; } }
export const handlers = { async fetch() { return new Response("handlers"); } };`).replace("async hello() { return \"hi\"; }", `async hello() { return "hi"; }
  async ctxShape() { return { keys: Object.keys(this.ctx), exportKeys: Object.keys(this.ctx.exports), sameTwice: this.ctx.exports === this.ctx.exports, exportsTag: Object.prototype.toString.call(this.ctx.exports) }; }`),
    entry: `{ async fetch(req) { return new Response("default"); } }`,
    services: { SELF: "test" },
    drive: async (env) => {
      const attempt = (f) => { try { return { ok: show(f()) }; } catch (e) { return { error: err(e) }; } };
      return {
        doCtx: await env.DO.getByName("shape").ctxShape(),
        exportKeys: Object.keys(exports),
        exportsTag: Object.prototype.toString.call(exports),
        namedStable: exports.Named === exports.Named,
        namedKeys: Object.keys(exports.Named),
        specialisedTag: Object.prototype.toString.call(exports.Named({ props: {} })),
        specialisedPing: await outcome(() => exports.Named({ props: { a: 1 } }).ping()),
        calledWithoutOptions: attempt(() => exports.Named()),
        calledWithBadProps: attempt(() => exports.Named({ props: { f: () => 1 } })),
        handlersType: typeof exports.handlers,
        waitUntil: [typeof waitUntil, waitUntil.length, show(waitUntil(Promise.resolve(1)))],
        relativeFetch: await outcome(async () => (await env.SELF.fetch("/relative")).status),
      };
    },
  },
  {
    name: "services: the default export's scheduled handler through exports.default.scheduled",
    backend: "kv",
    source: mainSource(),
    entry: `{
  async fetch(req) { return new Response("f"); },
  async scheduled(controller, env, ctx) {
    globalThis.seen = { cron: controller.cron, time: controller.scheduledTime, noRetry: typeof controller.noRetry, envHasDo: typeof env.DO, waitUntil: typeof ctx.waitUntil, args: arguments.length };
    if (controller.cron === "fail") throw new Error("scheduled failed");
    if (controller.cron === "noretry") controller.noRetry();
  },
}`,
    drive: async (env) => ({
      ok: await outcome(() => exports.default.scheduled({ scheduledTime: new Date(5000), cron: "*/5 * * * *" })),
      seen: show(globalThis.seen),
      noArgs: await outcome(() => exports.default.scheduled()),
      seenNoArgs: show(globalThis.seen),
      numberTime: await outcome(() => exports.default.scheduled({ scheduledTime: 7000 })),
      fails: await outcome(() => exports.default.scheduled({ cron: "fail" })),
      noRetry: await outcome(() => exports.default.scheduled({ cron: "noretry" })),
    }),
  },
  {
    name: "services: scheduled() sends a scheduled event with service_binding_extra_handlers",
    backend: "kv",
    compatibilityFlags: ["service_binding_extra_handlers"],
    source: mainSource(`export class Cron extends WorkerEntrypoint {
  async scheduled(controller, ...rest) {
    globalThis.seen = { cron: controller.cron, time: typeof controller.scheduledTime, tag: Object.prototype.toString.call(controller), keys: Object.keys(controller), props: this.ctx.props, rest: rest.map(String) };
    if (controller.cron === "fail") throw new Error("scheduled failed");
    if (controller.cron === "noretry") { controller.noRetry(); throw new Error("no retry"); }
    if (controller.cron === "wait") this.ctx.waitUntil(scheduler.wait(5).then(() => { globalThis.waited = true; }));
    if (controller.cron === "waitfail") this.ctx.waitUntil(Promise.reject(new Error("background failed")));
  }
}
export class NoHandler extends WorkerEntrypoint { async ping() { return "pong"; } }`),
    entry: `{
  async fetch(req) { return new Response("f"); },
  async scheduled(controller, env, ctx) { globalThis.seenDefault = { cron: controller.cron, time: controller.scheduledTime, envHasDo: typeof env.DO, props: ctx.props, args: arguments.length }; },
}`,
    services: { CRON: { name: "test", entrypoint: "Cron", props: { p: 1 } } },
    drive: async (env) => {
      const run = async (f, key = "seen") => {
        globalThis[key] = undefined;
        return { result: await outcome(f), seen: show(globalThis[key]) };
      };
      return {
        types: [typeof env.CRON.scheduled, typeof exports.default.scheduled, typeof exports.Cron({ props: {} }).scheduled],
        binding: await run(() => env.CRON.scheduled({ scheduledTime: new Date(5000), cron: "*/5 * * * *" })),
        defaultExport: await run(() => exports.default.scheduled({ scheduledTime: 7000, cron: 5 }), "seenDefault"),
        fails: await run(() => env.CRON.scheduled({ cron: "fail" })),
        noRetry: await run(() => env.CRON.scheduled({ cron: "noretry" })),
        waits: await outcome(async () => { globalThis.waited = false; const r = await env.CRON.scheduled({ cron: "wait" }); return { r, waited: globalThis.waited }; }),
        waitUntilFails: await outcome(() => env.CRON.scheduled({ cron: "waitfail" })),
        noHandler: await outcome(() => exports.NoHandler.scheduled()),
        nullOptions: await run(() => exports.Cron.scheduled(null)),
        badOptions: await outcome(() => env.CRON.scheduled("x")),
        badTime: await outcome(() => env.CRON.scheduled({ scheduledTime: "2026-01-01" })),
        nanTime: await outcome(() => env.CRON.scheduled({ scheduledTime: NaN })),
        extraArguments: await outcome(() => env.CRON.scheduled({}, 1, 2)),
      };
    },
  },
  {
    name: "services: a fetch handler that throws after passThroughOnException(), through a service binding (an RPC method that does still rejects)",
    backend: "kv",
    source: mainSource(),
    workers: {
      pass: {
        source: "",
        entry: `{
  async fetch(req, env, ctx) {
    const path = new URL(req.url).pathname;
    if (path === "/pass") { ctx.passThroughOnException(); throw new TypeError("thrown after pass-through"); }
    if (path === "/pass-late") { ctx.passThroughOnException(); await scheduler.wait(1); throw new Error("late throw"); }
    if (path === "/pass-ok") { ctx.passThroughOnException(); return new Response("fine"); }
    if (path === "/pass-then-wait") { ctx.passThroughOnException(); ctx.waitUntil(Promise.reject(new Error("background"))); return new Response("answered"); }
    throw new Error("thrown plainly");
  },
}`,
      },
      passrpc: {
        source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class Passing extends WorkerEntrypoint {
  async boom() { this.ctx.passThroughOnException(); throw new RangeError("rpc after pass-through"); }
  async fetch(req) { this.ctx.passThroughOnException(); throw new Error("class fetch after pass-through"); }
}`,
        entry: `{ async fetch() { return new Response("x"); } }`,
      },
    },
    services: { PASS: "pass", PASS_RPC: { name: "passrpc", entrypoint: "Passing" } },
    drive: async (env) => {
      const ask = (path) => outcome(async () => { const res = await env.PASS.fetch("http://svc" + path); return { status: res.status, statusText: res.statusText, headers: [...res.headers], body: await res.text() }; });
      return { passed: await ask("/pass"), late: await ask("/pass-late"), ok: await ask("/pass-ok"), waited: await ask("/pass-then-wait"), plain: await ask("/plain"), passedAgain: await ask("/pass"), rpc: await outcome(() => env.PASS_RPC.boom()), classFetch: await outcome(async () => (await env.PASS_RPC.fetch("http://svc/")).status) };
    },
  },
  {
    name: "services: a fetch handler that answers something other than a Response, or throws a non-Error, through a service binding",
    backend: "kv",
    source: mainSource(),
    workers: {
      odd: {
        source: "",
        entry: `{
  async fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/string") return "just text";
    if (path === "/undefined") return undefined;
    if (path === "/object") return { status: 200, body: "x" };
    if (path === "/throw-string") throw "a string";
    if (path === "/throw-object") throw { code: 7 };
    if (path === "/sync-throw") return Promise.reject(new SyntaxError("rejected"));
    return new Response("ok");
  },
}`,
      },
    },
    services: { ODD: "odd" },
    drive: async (env) => {
      const ask = (path, init) => outcome(async () => { const res = await env.ODD.fetch("http://svc" + path, init); return { status: res.status, body: await res.text() }; });
      return {
        string: await ask("/string"),
        undefined: await ask("/undefined"),
        object: await ask("/object"),
        throwString: await ask("/throw-string"),
        throwObject: await ask("/throw-object"),
        rejected: await ask("/sync-throw"),
        getWithBody: await ask("/", { method: "GET", body: "b" }),
      };
    },
  },
  {
    name: "services: an object's fetch() answering something other than a Response, or throwing a non-Error, and whether the object lives on",
    backend: "sqlite",
    source: cls(`  n = 0;
  async fetch(req) {
    this.n++;
    const path = new URL(req.url).pathname;
    if (path === "/string") return "just text";
    if (path === "/undefined") return undefined;
    if (path === "/object") return { status: 200 };
    if (path === "/throw-string") throw "a string";
    if (path === "/throw-object") throw { code: 7 };
    return new Response("n=" + this.n);
  }`),
    drive: async (env) => {
      const stub = env.DO.getByName("odd");
      const ask = (path) => outcome(async () => { const res = await stub.fetch("http://do" + path); return { status: res.status, body: await res.text() }; });
      return {
        string: await ask("/string"),
        undefined: await ask("/undefined"),
        object: await ask("/object"),
        throwString: await ask("/throw-string"),
        throwObject: await ask("/throw-object"),
        after: await ask("/"),
      };
    },
  },
];
