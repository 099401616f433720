// Calls on stubs after they were disposed, from the caller's side and from the callee's,
// what disposing does to calls already in flight, to nested results and to RPC promises not
// yet settled; members of returned RpcTargets reached through pipelines, getters that throw
// (an RpcTarget's or a function's carry the object's id, a Durable Object's own do not), and
// values that cannot be returned (the object itself, its storage).
import { cls } from "../scenario.mjs";

export default [
  {
    name: "rpc-dispose: calls on a stub after it was disposed",
    backend: "sqlite",
    source: cls(`  async target() { return new Counter(); }
  async fn() { return (x) => x * 2; }
  async plain() { return { n: 1, f: (x) => x + 1 }; }
  async keep(f) { this.kept = f; return "kept"; }
  async callKept() { return this.kept(1); }
  async readKept() { return this.kept.x; }`, { extra: `class Counter extends RpcTarget { n = 0; inc() { return ++this.n; } get value() { return this.n; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      const t = await s.target();
      r.before = await outcome(() => t.inc());
      t[Symbol.dispose]();
      r.call = await outcome(() => t.inc());
      r.prop = await outcome(() => t.value);
      r.disposeAgain = outcome(() => t[Symbol.dispose]());
      const f = await s.fn();
      f[Symbol.dispose]();
      r.fnCall = await outcome(() => f(2));
      r.fnDup = await outcome(() => f.dup());
      const g = await s.fn();
      const pending = g(3);
      g[Symbol.dispose]();
      r.inFlight = await outcome(pending);
      const t2 = await s.target();
      r.targetCalled = await outcome(() => t2(1));
      r.targetPipelinedCall = await outcome(() => s.target()(1));
      r.plainPipelinedCall = await outcome(() => s.plain()(1));
      r.plainMemberCall = await outcome(() => s.plain().n(1));
      r.plainFnCall = await outcome(() => s.plain().f(1));
      r.stubCalled = await outcome(() => s(1));
      await s.keep((x) => x + 1);
      r.keptCall = await outcome(() => s.callKept());
      r.keptRead = await outcome(() => s.readKept());
      return r;
    },
  },
  {
    name: "rpc-dispose: RpcTarget members through pipelines, getters that throw, disposing nested results and early promises",
    backend: "sqlite",
    source: cls(`  async target() { return new Counter(); }
    async self() { return this; }
    async isMine(t) { return { same: t === this.mine, tag: Object.prototype.toString.call(t), type: typeof t }; }
    async mineTarget() { this.mine = new Counter(); return this.mine; }
    async bound() { const c = new Counter(); return c.inc.bind(c); }
    async throwsInTarget() { return new Thrower(); }
    async ctxStorage() { return this.ctx.storage; }
    async fnWithGetter() { const f = () => 1; Object.defineProperty(f, "g", { get() { throw new TypeError("fn getter"); } }); return f; }
    async nested() { return { t: new Counter(), list: [new Counter()] }; }`, { extra: `class Counter extends RpcTarget { n = 0; inc() { return ++this.n; } get value() { return this.n; } get fn() { return (x) => x * 3; } fetch(x) { return "fetch:" + x; } }
  class Thrower extends RpcTarget { boom() { throw new RangeError("in target"); } get bad() { throw new TypeError("getter"); } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      r.pipelinedInc = await outcome(() => s.target().inc());
      r.pipelinedValue = await outcome(() => s.target().value);
      r.pipelinedGetterFn = await outcome(() => s.target().fn(2));
      r.targetFetch = await outcome(async () => (await s.target()).fetch("x"));
      r.self = await outcome(() => s.self());
      const mine = await s.mineTarget();
      r.backToOwner = await outcome(() => s.isMine(mine));
      r.bound = await outcome(async () => (await s.bound())());
      r.targetThrows = await outcome(async () => (await s.throwsInTarget()).boom());
      r.targetGetterThrows = await outcome(async () => (await s.throwsInTarget()).bad);
      r.fnGetterThrows = await outcome(async () => (await s.fnWithGetter()).g);
      r.pipelinedTargetGetter = await outcome(() => s.throwsInTarget().bad);
      r.pipelinedThrow = await outcome(() => s.throwsInTarget().boom());
      r.storage = await outcome(() => s.ctxStorage());
      r.nestedDispose = await outcome(async () => { const n = await s.nested(); const before = await n.t.inc(); n[Symbol.dispose](); return [before, await outcome(() => n.t.inc()), await outcome(() => n.list[0].inc())]; });
      const p = s.target();
      r.promiseDisposeEarly = await outcome(async () => { p[Symbol.dispose](); const t = await p; return await outcome(() => t.inc()); });
      r.dupOfPromise = await outcome(async () => typeof s.target().dup);
      r.callDisposedPipeline = await outcome(async () => { const q = s.target(); q[Symbol.dispose](); return q.inc(); });
      return r;
    },
  },
  {
    // Each pass of an RpcTarget over RPC is a reference of its own: the target's [Symbol.dispose]
    // runs once per pass, when that pass's last stub is released (the call's end, or a dup()
    // dropped later), so a leak check counting disposals counts passes.
    name: "rpc-dispose: an RpcTarget passed several times is disposed once per pass",
    backend: "sqlite",
    source: cls(`  async use(t) { return await t.inc(); }
  async keep(t) { this.kept = t.dup(); return 1; }
  async drop() { this.kept[Symbol.dispose](); return 1; }`),
    drive: `async function drive(env) {
  const s = env.DO.getByName("a");
  let disposed = 0;
  class T extends RpcTarget { inc() { return 1; } [Symbol.dispose]() { disposed++; } }
  const t = new T();
  const log = [];
  const step = async (call) => { await call; await sleep(20); log.push(disposed); };
  await step(s.use(t));
  await step(s.use(t));
  await step(s.keep(t));
  await step(s.drop());
  const u = new T();
  await step(Promise.all([s.use(u), s.use(u)]));
  return log;
}`,
  },
];
