// Reserved names inside RPC paths. A call to a Durable Object or a Worker's entrypoint refuses
// its event handlers' names (fetch, connect, alarm, webSocket*) and `dup` at every step of the
// path, not only as the method called (`stub.obj.fetch()`); a call to a function or RpcTarget,
// or a path pipelined onto a call's result, refuses only `dup`, at every step. A step that
// cannot be walked into is named before a reserved name after it.
import { cls } from "../scenario.mjs";

const NAMES = ["dup", "fetch", "connect", "alarm", "webSocketMessage", "webSocketClose", "webSocketError", "queue", "scheduled", "tail", "test", "email"];

/** Source of `members()`: a plain object with a function under each name, and the same one level deeper. */
const MEMBERS = `function members(tag = "v") {
  const o = { deeper: {} };
  for (const k of ${JSON.stringify(NAMES)}) {
    o[k] = () => tag + "." + k;
    o.deeper[k] = () => tag + ".deeper." + k;
  }
  return o;
}`;

/** Driver text: each name called at `o.<name>()` and `o.deeper.<name>()` of every root `roots` gives. */
const driveRoots = (roots) => `async (env) => {
  const short = (o) => o.ok ?? [o.error.name, o.error.message, o.error.remote === true, typeof o.error.durableObjectId];
  const s = env.DO.getByName("a");
  const roots = ${roots};
  const out = {};
  for (const [root, at] of Object.entries(roots)) {
    out[root] = {};
    for (const k of ${JSON.stringify(NAMES)}) {
      out[root][k] = [short(await outcome(() => at().o[k]())), short(await outcome(() => at().o.deeper[k]()))];
    }
  }
  return out;
}`;

export default [
  {
    name: "rpc reserved paths: a Durable Object's getter path and pipelines on its RpcTarget, plain-object and function results",
    backend: "sqlite",
    source: cls(`  get viaGetter() { return { o: members("getter") }; }
  target() { return new T(); }
  plain() { return { o: members("plain") }; }
  fn() { const f = () => 1; f.o = members("fn"); return f; }`, { extra: `${MEMBERS}
class T extends RpcTarget { get o() { return members("target"); } }` }),
    drive: driveRoots(`{ getter: () => s.viaGetter, target: () => s.target(), plain: () => s.plain(), fn: () => s.fn() }`),
  },
  {
    name: "rpc reserved paths: a WorkerEntrypoint's path and its top-level handler names; an object entrypoint's handler names",
    backend: "sqlite",
    source: cls(``),
    services: { SVC: "named", OBJ: "handlers" },
    workers: {
      named: {
        source: `import { WorkerEntrypoint } from "cloudflare:workers";
${MEMBERS}
export class E extends WorkerEntrypoint {
  get o() { return members("svc"); }
  alarm() { return "alarm"; } webSocketMessage() { return "wsm"; } webSocketClose() { return "wsc"; } webSocketError() { return "wse"; }
  tail() { return "tail"; } email() { return "email"; } test() { return "test"; }
}`,
        entry: "E",
      },
      handlers: {
        source: `export const H = { alarm: (x) => "alarm " + x, webSocketMessage: (x) => "wsm " + x, webSocketClose: (x) => "wsc " + x, webSocketError: (x) => "wse " + x, tail: (x) => "tail " + x, email: (x) => "email " + x };`,
        entry: "H",
      },
    },
    drive: `async (env) => {
  const short = (o) => o.ok ?? [o.error.name, o.error.message, o.error.remote === true, typeof o.error.durableObjectId];
  const out = { svcPath: {}, svcTop: {}, objTop: {} };
  for (const k of ${JSON.stringify(NAMES)}) out.svcPath[k] = [short(await outcome(() => env.SVC.o[k]())), short(await outcome(() => env.SVC.o.deeper[k]()))];
  for (const k of ["alarm", "webSocketMessage", "webSocketClose", "webSocketError", "tail", "email", "test"]) {
    out.svcTop[k] = short(await outcome(() => env.SVC[k]()));
    out.objTop[k] = short(await outcome(() => env.OBJ[k]("x")));
  }
  return out;
}`,
  },
  {
    name: "rpc reserved paths: which error comes first when a reserved name follows a missing or unwalkable member, or precedes one",
    backend: "sqlite",
    source: cls(`  plain() { return { nested: { dup: () => "nested.dup" }, dup: { x: () => "dup.x" }, n: 5, list: [{ dup: 1 }] }; }
  get obj() { return { fetch: { x: () => "fetch.x" }, n: 5 }; }
  target() { return new T(); }`, { extra: `class T extends RpcTarget { get inner() { return { o: { dup: 1 } }; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      r.missingThenDup = await outcome(() => s.plain().missing.dup());
      r.primitiveThenDup = await outcome(() => s.plain().n.dup());
      r.arrayThenDup = await outcome(() => s.plain().list.dup());
      r.dupThenMissing = await outcome(() => s.plain().dup.missing());
      r.dupRead = await outcome(() => s.plain().dup);
      r.nestedDupRead = await outcome(() => s.plain().nested.dup);
      r.getterFetchThenX = await outcome(() => s.obj.fetch.x());
      r.getterPrimitiveThenFetch = await outcome(() => s.obj.n.fetch());
      r.getterMissingThenAlarm = await outcome(() => s.obj.missing.alarm());
      r.targetDeepRead = await outcome(() => s.target().inner.o.dup);
      r.awaitedTarget = await outcome(async () => { const t = await s.target(); return await t.inner.o.dup; });
      r.awaitedPlainHasDup = await outcome(async () => { const p = await s.plain(); return Object.keys(p.dup); });
      return r;
    },
  },
  {
    // The object checks the whole rest of the path before it goes on through a stub it holds
    // (to another object's RpcTarget or function), so its rule holds there too, and the refusal
    // is its own (no id).
    name: "rpc reserved paths: reserved names behind an RpcTarget, or behind a stub met on an object's path",
    backend: "sqlite",
    source: cls(`  async init() { const other = this.env.DO.getByName("other"); this.remote = await other.target(); this.remoteFn = await other.fn(); return 1; }
  get obj() { return { t: new T(), remote: this.remote, remoteFn: this.remoteFn }; }
  get remoteDirect() { return this.remote; }
  target() { return new T(); }
  fn() { const f = () => "f"; f.fetch = () => "f.fetch"; f.dup = () => "f.dup"; return f; }
  async viaPipeline() { const other = this.env.DO.getByName("other"); return { t: await other.target() }; }`, { extra: `class T extends RpcTarget { fetch() { return "t.fetch"; } alarm() { return "t.alarm"; } get inner() { return { fetch: () => "inner.fetch", dup: () => "inner.dup" }; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      await s.init();
      const r = {};
      r.localTargetFetch = await outcome(() => s.obj.t.fetch());
      r.localTargetAlarm = await outcome(() => s.obj.t.alarm());
      r.remoteFetch = await outcome(() => s.obj.remote.fetch());
      r.remoteAlarm = await outcome(() => s.obj.remote.alarm());
      r.remoteDup = await outcome(() => s.obj.remote.dup());
      r.remoteInnerFetch = await outcome(() => s.obj.remote.inner.fetch());
      r.remoteMissingThenFetch = await outcome(() => s.obj.remote.missing.fetch());
      r.remoteDirectFetch = await outcome(() => s.remoteDirect.fetch());
      r.remoteFunctionFetch = await outcome(() => s.obj.remoteFn.fetch());
      r.remoteFunctionCall = await outcome(() => s.obj.remoteFn());
      r.pipelinedThroughStubFetch = await outcome(() => s.viaPipeline().t.fetch());
      r.pipelinedThroughStubInnerDup = await outcome(() => s.viaPipeline().t.inner.dup());
      return r;
    },
  },
  {
    name: "rpc reserved paths: an object calling its caller's callback through a path with dup",
    backend: "sqlite",
    source: cls(`  async useCallback(cb) {
    const r = {};
    for (const [k, f] of [["plain", () => cb.o.a()], ["dup", () => cb.o.dup()], ["deeperDup", () => cb.o.deeper.dup()], ["fetch", () => cb.o.fetch()], ["ownDup", () => typeof cb.dup]]) {
      try { r[k] = await f(); } catch (e) { r[k] = [e.name, e.message, e.remote === true, typeof e.durableObjectId]; }
    }
    return r;
  }`),
    drive: async (env) => {
      const cb = () => 1;
      cb.o = { a: () => "a", dup: () => "cb.dup", fetch: () => "cb.fetch", deeper: { dup: () => "deeper.dup" } };
      return outcome(() => env.DO.getByName("a").useCallback(cb));
    },
  },
  {
    name: "rpc reserved paths: an object calling its caller's RpcTarget through paths with handler names and dup",
    backend: "sqlite",
    source: cls(`  async use(t) {
    const r = {};
    for (const [k, f] of [["fetch", () => t.fetch()], ["innerFetch", () => t.inner.fetch()], ["innerAlarm", () => t.inner.alarm()], ["innerDup", () => t.inner.dup()], ["dupThenX", () => t.inner.dupObj.dup.x()]]) {
      try { r[k] = await f(); } catch (e) { r[k] = [e.name, e.message, e.remote === true, typeof e.durableObjectId]; }
    }
    return r;
  }`),
    drive: async (env) => {
      class C extends RpcTarget {
        fetch() { return "caller fetch"; }
        get inner() { return { fetch: () => "inner fetch", alarm: () => "inner alarm", dup: () => "inner dup", dupObj: { dup: { x: () => "x" } } }; }
      }
      return outcome(() => env.DO.getByName("a").use(new C()));
    },
  },
];
