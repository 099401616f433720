// A call's arguments are serialised as the call is made, before anything may refuse it: a call
// on a disposed stub or RPC promise, on a missing or reserved method, on a class without RPC,
// or pipelined onto a result that fails still copies them. A bad argument's DataCloneError (or
// the 32 MiB limit) wins over the refusal, and the copy's side effects happen: a caller's
// RpcTarget among them is disposed once the call is over, a stream is taken, a getter runs once.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "rpc arguments first: an argument that cannot be copied is refused before a disposed stub, a missing method or a failed result",
    backend: "sqlite",
    classes: { DO: "DO", LEGACY: "Legacy" },
    source: cls(`  target() { return new T(); }
  fail() { throw new RangeError("failed"); }
  fn() { return () => 1; }
  async keep(cb) { this.cb = cb; }
  async callKept() { return await this.cb(new WeakMap()); }
  async callKeptBig() { try { return await this.cb("x".repeat(33 * 1024 * 1024)); } catch (e) { return [e.name, e.message.slice(0, 79), e.remote === true]; } }`, { extra: `class T extends RpcTarget { m() { return 1; } }
export class Legacy { async fetch() { return new Response("legacy"); } x() { return 1; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      const bad = new WeakMap();
      const big = () => "x".repeat(33 * 1024 * 1024);
      const shortError = async (f) => { try { return await f(); } catch (e) { return [e.name, e.message.slice(0, 79), e.remote === true]; } };
      r.missing = await outcome(() => s.missing(bad));
      r.reserved = await outcome(() => s.alarm(bad));
      r.legacy = await outcome(() => env.LEGACY.getByName("a").x(bad));
      const t = await s.target();
      t[Symbol.dispose]();
      r.disposedTarget = await outcome(() => t.m(bad));
      r.disposedTargetBig = await shortError(() => t.m(big()));
      r.disposedTargetGood = await outcome(() => t.m({ fine: 1 }));
      const f = await s.fn();
      f[Symbol.dispose]();
      r.disposedFunction = await outcome(() => f(bad));
      r.pipelinedOnFailure = await outcome(() => s.fail().x(bad));
      r.pipelinedOnFailureBig = await shortError(() => s.fail().x(big()));
      r.pipelinedOnFailureGood = await outcome(() => s.fail().x({ fine: 1 }));
      const p = s.target();
      p[Symbol.dispose]();
      r.pipelinedOnDisposedPromise = await outcome(() => p.m(bad));
      r.pipelinedOnDisposedPromiseGood = await outcome(() => p.m(1));
      await s.keep(() => 1);
      r.objectCallsItsDisposedCallback = await outcome(() => s.callKept());
      r.objectCallsItsDisposedCallbackBig = await outcome(() => s.callKeptBig());
      return r;
    },
  },
  {
    name: "rpc arguments first: a call on a disposed stub or pipelined onto a failing result takes its arguments as a sent call does",
    backend: "sqlite",
    source: cls(`  target() { return new T(); }
  fail() { return new Promise((_, reject) => setTimeout(() => reject(new RangeError("failed later")), 20)); }`, { extra: `class T extends RpcTarget { describe(x) { return JSON.stringify(x); } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      let disposed = 0;
      let reads = 0;
      class C extends RpcTarget { [Symbol.dispose]() { disposed++; } }
      const stream = () => new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
      const withGetter = { get g() { return ++reads; } };
      const effects = async (label, call) => {
        disposed = 0;
        reads = 0;
        const st = stream();
        r[label] = await outcome(() => call(new C(), st, withGetter));
        await sleep(30);
        r[label + " effects"] = { disposed, locked: st.locked, reads };
      };
      const t = await s.target();
      t[Symbol.dispose]();
      await effects("disposedStub", (...args) => t.describe(...args));
      await effects("pipelinedOnFailure", (...args) => s.fail().describe(...args));
      const p = s.target();
      p[Symbol.dispose]();
      await effects("disposedPromise", (...args) => p.describe(...args));
      reads = 0;
      const arg = { v: "as called", get g() { return ++reads; } };
      const pending = s.target().describe(arg);
      arg.v = "changed after the call";
      r.pipelinedSeesTheArgumentAsCalled = await outcome(async () => await pending);
      r.pipelinedGetterReads = reads;
      return r;
    },
  },
  {
    name: "rpc arguments first: an argument that cannot be copied is refused before a reset object's broken stub and its dead capabilities",
    backend: "sqlite",
    source: cls(`  target() { return new T(); }
  fn() { return () => 1; }
  boom() { this.ctx.abort("gone"); }
  ping() { return "pong"; }`, { extra: `class T extends RpcTarget { m() { return 1; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      const t = await s.target();
      const f = await s.fn();
      r.abort = await outcome(() => s.boom());
      const bad = new WeakMap();
      r.brokenStub = await outcome(() => s.ping(bad));
      r.brokenStubGood = await outcome(() => s.ping(1));
      r.deadTarget = await outcome(() => t.m(bad));
      r.deadTargetGood = await outcome(() => t.m(1));
      r.deadFunction = await outcome(() => f(bad));
      r.freshStub = await outcome(() => env.DO.getByName("a").ping(bad));
      return r;
    },
  },
  {
    name: "rpc arguments first: an entrypoint's missing or reserved method, its failed result and its disposed RpcTarget see a bad argument refused first",
    backend: "sqlite",
    source: cls(``),
    services: { SVC: "ep" },
    workers: { ep: { source: `import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
class T extends RpcTarget { m() { return 1; } }
export class E extends WorkerEntrypoint { fail() { throw new RangeError("failed"); } target() { return new T(); } }`, entry: "E" } },
    drive: async (env) => {
      const r = {};
      const bad = new WeakMap();
      r.missing = await outcome(() => env.SVC.missing(bad));
      r.reserved = await outcome(() => env.SVC.alarm(bad));
      r.pipelinedOnFailure = await outcome(() => env.SVC.fail().x(bad));
      r.pipelinedOnFailureGood = await outcome(() => env.SVC.fail().x(1));
      const t = await env.SVC.target();
      t[Symbol.dispose]();
      r.disposedTarget = await outcome(() => t.m(bad));
      r.disposedTargetGood = await outcome(() => t.m(1));
      return r;
    },
  },
];
