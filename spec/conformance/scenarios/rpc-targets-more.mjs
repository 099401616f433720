// RpcTargets and function stubs in more shapes: private fields and methods, statics and
// accessors; methods named like Object.prototype's or like handlers (reachable on an RpcTarget,
// unlike on a Durable Object), a `then` member; one capability twice in a value (one stub on the
// other side); disposal counted per pass for results too (a cached target returned twice,
// `this` returned); capabilities forwarded through two objects; `new RpcStub()` locally.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "rpc targets more: private fields and methods, statics, accessors and getters answering functions",
    backend: "sqlite",
    source: cls(`  async target() { return new T(); }`, { extra: `class T extends RpcTarget {
  #n = 1; static s() { return "static"; } #priv() { return "priv"; }
  get n() { return this.#n; } set n(v) { this.#n = v; }
  bump() { return ++this.#n; } callPriv() { return this.#priv(); }
  get fn() { return () => this.#n; }
  static get sg() { return 1; }
}` }),
    drive: async (env) => {
      const t = await env.DO.getByName("a").target();
      const r = {};
      r.n = await outcome(() => t.n);
      r.bump = await outcome(() => t.bump());
      r.nAfter = await outcome(() => t.n);
      r.callPriv = await outcome(() => t.callPriv());
      r.privByName = await outcome(() => t["#priv"]());
      r.privFieldByName = await outcome(() => t["#n"]);
      r.static = await outcome(() => t.s());
      r.staticGetter = await outcome(() => t.sg);
      r.constructorCalled = await outcome(() => t.constructor());
      r.getterFunction = await outcome(async () => (await t.fn)());
      r.getterFunctionPipelined = await outcome(() => t.fn());
      r.setterCalled = await outcome(() => t.n(5));
      return r;
    },
  },
  {
    name: "rpc targets more: an RpcTarget's methods named like Object.prototype's, like handlers, dup and then",
    backend: "sqlite",
    source: cls(`  async target() { return new T(); }
  thenTarget() { return new U(); }`, { extra: `class U extends RpcTarget { then() { return "then"; } other() { return 1; } }
class T extends RpcTarget {
  toString() { return "ts"; } valueOf() { return "vo"; } hasOwnProperty() { return "hop"; }
  fetch(x) { return "fetch " + x; } alarm() { return "alarm"; } connect() { return "connect"; }
  webSocketMessage() { return "wsm"; } dup() { return "mydup"; } toJSON() { return "tj"; }
  isPrototypeOf() { return "ipo"; } toLocaleString() { return "tls"; } propertyIsEnumerable() { return "pie"; }
}` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const t = await s.target();
      const r = {};
      for (const k of ["toString", "valueOf", "hasOwnProperty", "fetch", "alarm", "connect", "webSocketMessage", "toJSON", "isPrototypeOf", "toLocaleString", "propertyIsEnumerable"]) {
        r[k] = await outcome(async () => { const v = t[k]("x"); return typeof v === "object" || typeof v === "function" ? await v : v; });
      }
      r.dup = await outcome(async () => { const d = t.dup(); const tag = Object.prototype.toString.call(d); d[Symbol.dispose](); return tag; });
      r.pipelinedToString = await outcome(() => s.target().toString());
      r.pipelinedThen = await outcome(() => typeof s.target().then);
      r.pipelinedFetch = await outcome(() => s.target().fetch("p"));
      // A result whose `then` is a method is awaited as a thenable that never settles.
      r.thenTarget = await Promise.race([outcome(async () => { const u = await s.thenTarget(); return [typeof u.then, await u.other()]; }), sleep(300).then(() => "still pending")]);
      return r;
    },
  },
  {
    name: "rpc targets more: the same function or RpcTarget twice in one value is one stub on the other side",
    backend: "sqlite",
    source: cls(`  twice() { const t = new T(); return { a: t, b: t, list: [t, t] }; }
  fnTwice() { const f = () => 1; return [f, f, { f }]; }
  async same(a, b) { return { same: a === b, r: [await a(), await b()] }; }
  async sameTargets(a, b) { return { same: a === b, r: [await a.inc(), await b.inc()] }; }
  async echo(x) { return x; }
  async inMap(m) { return { size: m.size, same: m.get("a") === m.get("b"), r: await m.get("a")() }; }
  count() { return T.disposed; }`, { extra: `class T extends RpcTarget { static disposed = 0; n = 0; inc() { return ++this.n; } [Symbol.dispose]() { T.disposed++; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      const tw = await s.twice();
      r.twiceSame = [tw.a === tw.b, tw.list[0] === tw.list[1], tw.a === tw.list[0]];
      r.twiceCounts = [await tw.a.inc(), await tw.b.inc(), await tw.list[1].inc()];
      tw.a[Symbol.dispose]();
      r.afterDisposingOne = await outcome(() => tw.b.inc());
      tw[Symbol.dispose]();
      await sleep(20);
      r.disposedCount = await s.count();
      const ft = await s.fnTwice();
      r.fnTwiceSame = [ft[0] === ft[1], ft[0] === ft[2].f];
      const f = () => "f";
      r.argumentsSame = await outcome(() => s.same(f, f));
      class C extends RpcTarget { n = 0; inc() { return ++this.n; } }
      const c = new C();
      r.argumentTargetsSame = await outcome(() => s.sameTargets(c, c));
      r.echoedFunction = await outcome(async () => { const g = await s.echo(f); return [g === f, typeof g, await g()]; });
      r.echoedTarget = await outcome(async () => { const g = await s.echo(c); return [g === c, typeof g, await g.inc()]; });
      r.inMap = await outcome(() => s.inMap(new Map([["a", f], ["b", f]])));
      return r;
    },
  },
  {
    name: "rpc targets more: an RpcTarget returned several times, returning this, in Maps and Sets: disposed once per pass",
    backend: "sqlite",
    source: cls(`  cached() { this.c ??= new T("cached"); return this.c; }
  fresh() { return new T("fresh"); }
  inMap() { return new Map([["t", new T("map")]]); }
  inSet() { return new Set([new T("set")]); }
  nestedMap() { return { m: new Map([["t", new T("nestedMap")]]), d: new Date(0) }; }
  log() { return LOG.splice(0); }`, { extra: `const LOG = [];
class T extends RpcTarget { constructor(n) { super(); this.n = n; } self() { return this; } name() { return this.n; } async selfIs(x) { return [x === this, typeof x, await x.name()]; } [Symbol.dispose]() { LOG.push("disposed " + this.n); } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      const step = async (label, f) => { r[label] = await outcome(f); await sleep(20); r[label + " log"] = await s.log(); };
      const a = await s.cached();
      const b = await s.cached();
      await step("cachedTwice", async () => [a === b, await a.name(), await b.name()]);
      await step("disposeFirst", async () => { a[Symbol.dispose](); return await b.name(); });
      await step("disposeSecond", () => { b[Symbol.dispose](); return 1; });
      const t = await s.fresh();
      const self = await t.self();
      await step("self", async () => [self === t, await self.name()]);
      await step("disposeOriginal", async () => { t[Symbol.dispose](); return await self.name(); });
      await step("disposeSelf", () => { self[Symbol.dispose](); return 1; });
      const u = await s.fresh();
      await step("passedToItself", () => u.selfIs(u));
      await step("disposePassed", () => { u[Symbol.dispose](); return 1; });
      const m = await s.inMap();
      await step("map", async () => [typeof m[Symbol.dispose], await m.get("t").name()]);
      await step("disposeMapEntry", () => { m.get("t")[Symbol.dispose](); return 1; });
      const st = await s.inSet();
      await step("set", async () => [typeof st[Symbol.dispose], await [...st][0].name()]);
      const nm = await s.nestedMap();
      await step("nestedMap", async () => [typeof nm[Symbol.dispose], typeof nm.m[Symbol.dispose], typeof nm.d[Symbol.dispose], await nm.m.get("t").name()]);
      await step("disposeNested", async () => { nm[Symbol.dispose](); return await outcome(() => nm.m.get("t").name()); });
      await step("disposeSetEntry", () => { [...st][0][Symbol.dispose](); return 1; });
      return r;
    },
  },
  {
    name: "rpc targets more: a caller's RpcTarget forwarded through two objects, kept by the second, results passed through",
    backend: "sqlite",
    // A Durable Object stub crosses RPC (see scenario.mjs, ownProcess).
    ownProcess: true,
    source: cls(`  async forward(t, other) { return await other.keep(t); }
  async keep(t) { this.kept = t.dup(); this.raw = t; return await t.name(); }
  async callKept() { return await this.kept.name(); }
  async callRaw() { return await this.raw.name(); }
  async dropKept() { this.kept[Symbol.dispose](); return "dropped"; }
  target() { return new T("from " + this.ctx.id.name); }
  async passThrough(other) { return await other.target(); }
  async passThroughPromise(other) { return other.target(); }
  async callTwice(f, other) { return [await f("mine"), await other.callIt(f)]; }
  async callIt(f) { return await f("theirs"); }`, { extra: `class T extends RpcTarget { constructor(n) { super(); this.n = n; } name() { return this.n; } }` }),
    drive: async (env) => {
      const a = env.DO.getByName("a");
      const b = env.DO.getByName("b");
      const r = {};
      let disposed = 0;
      class C extends RpcTarget { name() { return "caller's"; } [Symbol.dispose]() { disposed++; } }
      r.forward = await outcome(() => a.forward(new C(), b));
      await sleep(20);
      r.disposedAfterForward = disposed;
      r.callKept = await outcome(() => b.callKept());
      r.callRaw = await outcome(() => b.callRaw());
      r.drop = await outcome(() => b.dropKept());
      await sleep(20);
      r.disposedAfterDrop = disposed;
      r.passThrough = await outcome(async () => { const t = await a.passThrough(b); return [Object.prototype.toString.call(t), await t.name()]; });
      r.passThroughPromise = await outcome(async () => { const t = await a.passThroughPromise(b); return [Object.prototype.toString.call(t), await t.name()]; });
      r.passThroughPipelined = await outcome(() => a.passThrough(b).name());
      r.callbackThroughTwo = await outcome(() => a.callTwice((x) => "cb " + x, b));
      return r;
    },
  },
  {
    name: "rpc targets more: new RpcStub() in an object: calls, getters, dup and disposal, plain objects and functions; what cloudflare:workers exports",
    backend: "sqlite",
    source: `import { DurableObject, RpcTarget, RpcStub } from "cloudflare:workers";
import * as W from "cloudflare:workers";
const LOG = [];
class T extends RpcTarget { constructor(n) { super(); this.n = n; } name() { return this.n; } get g() { return "getter"; } [Symbol.dispose]() { LOG.push("disposed " + this.n); } }
export class DO extends DurableObject {
  async go(fnStub) {
    const r = {};
    r.keys = Object.keys(W).sort();
    r.sqlBindsATarget = outcomeSync(() => this.ctx.storage.sql.exec("SELECT ? AS v", new T("sql")).toArray());
    r.instanceofTarget = fnStub instanceof RpcTarget;
    r.instanceofFunction = fnStub instanceof Function;
    r.instanceofRpcStub = fnStub instanceof RpcStub;
    const s = new RpcStub(new T("local"));
    r.localTag = Object.prototype.toString.call(s);
    r.localType = typeof s;
    r.localCall = await outcome(() => s.name());
    r.localGetter = await outcome(() => s.g);
    const d = s.dup();
    s[Symbol.dispose]();
    await new Promise((res) => setTimeout(res, 10));
    r.logAfterFirst = LOG.splice(0);
    r.dupCall = await outcome(() => d.name());
    d[Symbol.dispose]();
    await new Promise((res) => setTimeout(res, 10));
    r.logAfterDup = LOG.splice(0);
    const p = new RpcStub({ a: (x) => "a" + x, b: 2, nested: { c: () => "c" } });
    r.plainCall = await outcome(() => p.a(1));
    r.plainRead = await outcome(() => p.b);
    r.plainNested = await outcome(() => p.nested.c());
    r.plainDup = await outcome(() => p.nested.dup());
    const f = new RpcStub((x) => x * 2);
    r.functionStub = await outcome(() => f(21));
    r.functionStubType = typeof f;
    r.notAnObject = outcomeSync(() => new RpcStub(5));
    r.withoutNew = outcomeSync(() => RpcStub(new T("x")));
    return r;
  }
}`,
    drive: async (env) => env.DO.getByName("a").go(() => 1),
  },
];
