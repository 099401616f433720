// Calls on stubs after they were disposed, from the caller's side and from the callee's,
// and what disposing does to calls already in flight and to pipelined calls.
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
];
