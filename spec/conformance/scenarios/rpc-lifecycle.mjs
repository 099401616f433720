// RPC stub lifecycle: which stubs stay usable after the call that carried them returns
// (parameters are disposed, `dup()` keeps a handle), disposal of results and of stubs,
// RpcTarget disposers, callable RPC promises, the local members of stubs and promises,
// pipelining and its errors. Compat date 2026-11-01: `rpc_params_dup_stubs` is on.
import { cls, both } from "../scenario.mjs";
import { calls as probes } from "./rpc.mjs";

const COUNTER = `class Counter extends RpcTarget {
  #n; constructor(n = 0) { super(); this.#n = n; }
  inc(by = 1) { this.#n += by; return this.#n; }
  get value() { return this.#n; }
  sub() { return new Counter(100); }
}`;

/** Local facts about a value: everything here runs without a round trip (or says so). */
const LOCAL_FACTS = `function localFacts(v) {
  const f = {};
  const probe = (k, fn) => { try { f[k] = show(fn()); } catch (e) { f[k] = { threw: err(e) }; } };
  probe("typeof", () => typeof v);
  probe("tag", () => Object.prototype.toString.call(v));
  probe("String", () => String(v));
  probe("toStringType", () => typeof v.toString);
  probe("thenType", () => typeof v.then);
  probe("thenIn", () => "then" in v);
  probe("toPrimitiveType", () => typeof v[Symbol.toPrimitive]);
  probe("iteratorType", () => typeof v[Symbol.iterator]);
  probe("asyncIteratorType", () => typeof v[Symbol.asyncIterator]);
  probe("disposeType", () => typeof v[Symbol.dispose]);
  probe("asyncDisposeType", () => typeof v[Symbol.asyncDispose]);
  probe("customSymbol", () => v[Symbol("x")]);
  probe("dupType", () => typeof v.dup);
  probe("anythingType", () => typeof v.anything);
  probe("anythingIn", () => "anything" in v);
  probe("keys", () => Object.keys(v));
  probe("ownNames", () => Object.getOwnPropertyNames(v).sort());
  probe("ownSymbols", () => Object.getOwnPropertySymbols(v).map(String));
  probe("protoIsObject", () => Object.getPrototypeOf(v) === Object.prototype);
  probe("protoIsFunction", () => Object.getPrototypeOf(v) === Function.prototype);
  probe("protoIsPromise", () => Object.getPrototypeOf(v) === Promise.prototype);
  probe("instanceofPromise", () => v instanceof Promise);
  probe("instanceofFunction", () => v instanceof Function);
  probe("sameAnything", () => v.anything === v.anything);
  probe("json", () => JSON.stringify(v));
  probe("templated", () => \`\${v}\`);
  probe("plus", () => v + "");
  return f;
}`;

export default [
  // ---- parameters: disposed when the call returns ------------------------------------------
  both(
    probes("rpc-lifecycle: a callback parameter works during the call and is disposed after it returns", "sqlite", `  saved = null;
  async keep(f) { this.saved = f; return await f(1); }
  async callSaved() { return await this.saved(2); }
  async readSaved() { return await this.saved.anything; }
  async keepDup(f) { this.saved = f.dup(); return await f(3); }
  async disposeSaved() { this.saved[Symbol.dispose](); return "disposed"; }`, {
      keep: "s.keep((x) => x * 10)",
      callAfterReturn: "s.callSaved()",
      readAfterReturn: "s.readSaved()",
      keepDup: "s.keepDup((x) => x * 100)",
      dupAfterReturn: "s.callSaved()",
      disposeDup: "s.disposeSaved()",
      dupAfterDispose: "s.callSaved()",
    }),
  ),
  // read() waits for both timers' outcomes, however long the machine takes (a fixed sleep lost
  // the second under load); a side that never reports one times out, which still differs.
  probes("rpc-lifecycle: a callback used from a timer after the call returned", "kv", `  log = [];
  async later(f) { setTimeout(async () => { try { this.log.push(await f("late")); } catch (e) { this.log.push(err(e)); } }, 5); return "returned"; }
  async laterDup(f) { const d = f.dup(); setTimeout(async () => { try { this.log.push(await d("late dup")); } catch (e) { this.log.push(err(e)); } }, 5); return "returned"; }
  async read() { while (this.log.length < 2) await new Promise((r) => setTimeout(r, 5)); return this.log; }`, {
    later: "s.later((x) => 'called ' + x)",
    laterDup: "s.laterDup((x) => 'called ' + x)",
    log: "s.read()",
  }),
  probes("rpc-lifecycle: a callback awaited across the call's own awaits stays usable until it returns", "sqlite", `  async slow(f) { const a = await f(1); await new Promise((r) => setTimeout(r, 5)); const b = await f(2); await this.ctx.storage.put("k", 1); return [a, b, await f(3)]; }
  async background(f) { const p = new Promise((r) => setTimeout(r, 5)).then(() => f("bg")); return "returned before"; }`, {
    slow: "s.slow((x) => x * 2)",
    background: "s.background((x) => x)",
  }),
  both({
    name: "rpc-lifecycle: the caller's function stays its own after being passed",
    source: cls(`  async call(f) { return await f(); }`),
    drive: async (env) => {
      const s = env.DO.getByName("own");
      let n = 0;
      const f = () => ++n;
      return { first: await s.call(f), second: await s.call(f), local: f(), keys: Object.keys(f), type: typeof f[Symbol.dispose] };
    },
  }),
  // ---- stubs received as results ------------------------------------------------------------
  both(
    probes("rpc-lifecycle: a function stub from a result: dispose, dup, use after dispose", "sqlite", `  async makeAdder(n) { return (x) => x + n; }`, {
      disposeType: "typeof (await s.makeAdder(1))[Symbol.dispose]",
      dupType: "typeof (await s.makeAdder(1)).dup",
      callAfterDispose: "(async () => { const f = await s.makeAdder(1); f[Symbol.dispose](); return await f(1); })()",
      readAfterDispose: "(async () => { const f = await s.makeAdder(1); f[Symbol.dispose](); return await f.x; })()",
      disposeTwice: "(async () => { const f = await s.makeAdder(1); f[Symbol.dispose](); return show(f[Symbol.dispose]()); })()",
      dupOutlivesOriginal: "(async () => { const f = await s.makeAdder(1); const g = f.dup(); f[Symbol.dispose](); return [await g(1), await outcome(() => f(1))]; })()",
      originalOutlivesDup: "(async () => { const f = await s.makeAdder(1); const g = f.dup(); g[Symbol.dispose](); return [await f(2), await outcome(() => g(2))]; })()",
      dupIsNew: "(async () => { const f = await s.makeAdder(1); const g = f.dup(); return [g === f, typeof g, await g(5)]; })()",
      dupOfDup: "(async () => { const f = await s.makeAdder(1); const g = f.dup().dup(); f[Symbol.dispose](); return await g(9); })()",
      dupAfterDispose: "(async () => { const f = await s.makeAdder(1); f[Symbol.dispose](); return await f.dup()(1); })()",
      disposeResult: "typeof (await s.makeAdder(1))[Symbol.dispose]()",
    }),
  ),
  both(
    probes("rpc-lifecycle: an RpcTarget stub from a result: dispose, dup, use after dispose", "sqlite", `  async counter(n) { return new Counter(n); }`, {
      disposeType: "typeof (await s.counter(1))[Symbol.dispose]",
      dupType: "typeof (await s.counter(1)).dup",
      callAfterDispose: "(async () => { const c = await s.counter(1); c[Symbol.dispose](); return await c.inc(); })()",
      getterAfterDispose: "(async () => { const c = await s.counter(1); c[Symbol.dispose](); return await c.value; })()",
      dupSharesState: "(async () => { const c = await s.counter(1); const d = c.dup(); await c.inc(); c[Symbol.dispose](); return [await d.inc(), await d.value]; })()",
      pipelinedStubAfterParentDisposed: "(async () => { const c = await s.counter(1); const sub = await c.sub(); c[Symbol.dispose](); return await sub.inc(); })()",
    }, { clsOptions: { extra: COUNTER } }),
  ),
  both(
    probes("rpc-lifecycle: disposing a result object disposes the stubs inside it", "sqlite", `  async bundle() { return { name: "b", fn: (x) => x * 2, counter: new Counter(5), list: [() => "in list"] }; }
  async plain() { return { a: 1 }; }
  async arr() { return [1, 2]; }`, {
      bundleBeforeDispose: "(async () => { const o = await s.bundle(); return [await o.fn(2), await o.counter.inc(), await o.list[0]()]; })()",
      bundleAfterDispose: "(async () => { const o = await s.bundle(); o[Symbol.dispose](); return [o.name, await outcome(() => o.fn(2)), await outcome(() => o.counter.inc()), await outcome(() => o.list[0]())]; })()",
      innerDupSurvives: "(async () => { const o = await s.bundle(); const f = o.fn.dup(); o[Symbol.dispose](); return await f(21); })()",
      innerDisposeOnly: "(async () => { const o = await s.bundle(); o.fn[Symbol.dispose](); return [await outcome(() => o.fn(1)), await o.counter.inc()]; })()",
      bundleDisposeShape: "(async () => { const o = await s.bundle(); const d = Object.getOwnPropertyDescriptor(o, Symbol.dispose); return { own: d !== undefined, keys: Object.keys(o), enumerable: d?.enumerable ?? null, writable: d?.writable ?? null, configurable: d?.configurable ?? null, type: typeof o[Symbol.dispose] }; })()",
      plainDisposeShape: "(async () => { const o = await s.plain(); const d = Object.getOwnPropertyDescriptor(o, Symbol.dispose); return { own: d !== undefined, keys: Object.keys(o), symbols: Object.getOwnPropertySymbols(o).map((x) => x === Symbol.dispose ? 'Symbol.dispose' : String(x)), type: typeof o[Symbol.dispose] }; })()",
      arrayDisposeShape: "(async () => { const a = await s.arr(); return { own: Object.getOwnPropertySymbols(a).map((x) => x === Symbol.dispose ? 'Symbol.dispose' : String(x)), type: typeof a[Symbol.dispose], len: a.length }; })()",
      plainDisposeTwice: "(async () => { const o = await s.plain(); o[Symbol.dispose](); o[Symbol.dispose](); return o; })()",
    }, { clsOptions: { extra: COUNTER } }),
  ),
  // ---- stubs passed on: rpc_params_dup_stubs -------------------------------------------------
  both(
    probes("rpc-lifecycle: an RpcTarget stub passed as a parameter stays usable by the caller", "sqlite", `  async counter(n) { return new Counter(n); }
  saved = null;
  async useIt(c) { return await c.inc(10); }
  async keepIt(c) { this.saved = c; return await c.inc(1); }
  async useSaved() { return await this.saved.inc(1); }`, {
      passedThenUsed: "(async () => { const c = await s.counter(0); const there = await s.useIt(c); return [there, await c.inc(), await c.value]; })()",
      passedTwice: "(async () => { const c = await s.counter(0); return [await s.useIt(c), await s.useIt(c)]; })()",
      passedThenDisposed: "(async () => { const c = await s.counter(0); const r = await s.useIt(c); c[Symbol.dispose](); return [r, await outcome(() => c.inc())]; })()",
      disposedThenPassed: "(async () => { const c = await s.counter(0); c[Symbol.dispose](); return await s.useIt(c); })()",
      keptByCallee: "(async () => { const c = await s.counter(0); const r = await s.keepIt(c); return [r, await outcome(() => s.useSaved()), await c.inc()]; })()",
      pipelinedAsParameter: "s.useIt(s.counter(5))",
    }, { clsOptions: { extra: COUNTER } }),
  ),
  both(
    probes("rpc-lifecycle: a function stub passed back to the object that made it", "kv", `  async makeAdder(n) { return (x) => x + n; }
  async apply(f, x) { return await f(x); }
  async echo(x) { return x; }`, {
      passedBack: "(async () => { const f = await s.makeAdder(1); return [await s.apply(f, 1), await f(2)]; })()",
      echoed: "(async () => { const f = await s.makeAdder(1); const g = await s.echo(f); return [g === f, typeof g, await g(3), await f(4)]; })()",
      echoedLocalFunction: "(async () => { const mine = (x) => x * 3; const g = await s.echo(mine); return [g === mine, typeof g, await g(3)]; })()",
      pipelinedArgument: "s.apply(s.makeAdder(100), 1)",
    }),
  ),
  {
    name: "rpc-lifecycle: Durable Object stubs passed over RPC and kept after the call",
    backend: "sqlite",
    ownProcess: true,
    source: cls(`  saved = null;
  async who() { return this.ctx.id.name ?? "(no name)"; }
  async keep(other) { this.saved = other; return { who: await other.who(), dispose: typeof other[Symbol.dispose], dup: typeof other.dup }; }
  async useSaved() { return await this.saved.who(); }
  async keepDup(other) { this.saved = other.dup(); return "kept"; }
  async disposeSaved() { this.saved[Symbol.dispose](); return "disposed"; }
  async giveStub(name) { return this.env.DO.getByName(name); }
  async giveInObject(name) { return { stub: this.env.DO.getByName(name) }; }`),
    drive: async (env) => {
      const relay = env.DO.getByName("relay");
      const target = env.DO.getByName("target");
      const out = {};
      out.keep = await outcome(() => relay.keep(target));
      out.savedAfterReturn = await outcome(() => relay.useSaved());
      out.callerStubAfterPassing = await outcome(() => target.who());
      out.keepDup = await outcome(() => relay.keepDup(target));
      out.dupAfterReturn = await outcome(() => relay.useSaved());
      out.disposeDup = await outcome(() => relay.disposeSaved());
      out.dupAfterDispose = await outcome(() => relay.useSaved());
      out.returned = await outcome(async () => {
        const got = await relay.giveStub("returned");
        return { who: await got.who(), type: typeof got, tag: Object.prototype.toString.call(got), keys: Object.keys(got), dispose: typeof got[Symbol.dispose], name: typeof got.name };
      });
      out.returnedDisposed = await outcome(async () => {
        const got = await relay.giveStub("returned");
        got[Symbol.dispose]();
        return await got.who();
      });
      out.inObject = await outcome(async () => {
        const o = await relay.giveInObject("nested");
        const first = await o.stub.who();
        o[Symbol.dispose]();
        return [first, await outcome(() => o.stub.who())];
      });
      out.pipelined = await outcome(() => relay.giveStub("pipelined").who());
      return out;
    },
  },
  {
    name: "rpc-lifecycle: a callback into an object runs even inside its blockConcurrencyWhile, and after queued calls",
    backend: "sqlite",
    source: cls(`  log = [];
  async callMe(cb) { return await cb(); }
  async inBcw() {
    const r = await Promise.race([
      this.ctx.blockConcurrencyWhile(async () => await this.env.DO.getByName("b").callMe(() => { this.log.push("cb"); return "cb ran"; })),
      new Promise((resolve) => setTimeout(() => resolve("timed out"), 2000)),
    ]);
    return { r, log: this.log };
  }
  async order() {
    this.log.push("run start");
    await this.env.DO.getByName("b").callMe(() => { this.log.push("cb"); return 1; });
    this.log.push("run end");
    return this.log;
  }
  async other() { this.log.push("other"); return this.log; }`),
    drive: async (env) => {
      const bcw = await outcome(() => env.DO.getByName("a").inBcw());
      const run = env.DO.getByName("c").order();
      const other = env.DO.getByName("c").other();
      return { bcw, order: [await run, await other] };
    },
  },
  // ---- RpcTarget disposers --------------------------------------------------------------------
  both({
    name: "rpc-lifecycle: an RpcTarget's Symbol.dispose runs when the last stub is disposed",
    source: cls(`  log = [];
  async make() { const log = this.log; return new (class T extends RpcTarget { ping() { return "pong"; } [Symbol.dispose]() { log.push("disposed"); } })(); }
  async read() { await new Promise((r) => setTimeout(r, 20)); return [...this.log]; }
  async clear() { this.log.length = 0; }`),
    drive: async (env) => {
      const s = env.DO.getByName("disposer");
      const out = {};
      let t = await s.make();
      out.beforeDispose = await s.read();
      t[Symbol.dispose]();
      out.afterDispose = await s.read();
      await s.clear();
      t = await s.make();
      const d = t.dup();
      t[Symbol.dispose]();
      out.afterFirstOfTwo = await s.read();
      d[Symbol.dispose]();
      out.afterBoth = await s.read();
      await s.clear();
      t = await s.make();
      await t.ping();
      t[Symbol.dispose]();
      t[Symbol.dispose]();
      out.disposedTwice = await s.read();
      return out;
    },
  }),
  both({
    name: "rpc-lifecycle: a caller's RpcTarget passed as a parameter is disposed after the call returns",
    source: cls(`  async use(t) { return await t.ping(); }
  saved = null;
  async keep(t) { this.saved = t.dup(); return await t.ping(); }
  async drop() { this.saved[Symbol.dispose](); return "dropped"; }
  async ignore(t) { return "ignored"; }`),
    drive: async (env) => {
      const s = env.DO.getByName("param");
      const log = [];
      class T extends RpcTarget {
        constructor(tag) { super(); this.tag = tag; }
        ping() { log.push(`ping ${this.tag}`); return `pong ${this.tag}`; }
        [Symbol.dispose]() { log.push(`disposed ${this.tag}`); }
      }
      const out = {};
      out.use = await s.use(new T("a"));
      await sleep(10);
      out.logAfterUse = [...log];
      log.length = 0;
      out.ignore = await s.ignore(new T("b"));
      await sleep(10);
      out.logAfterIgnore = [...log];
      log.length = 0;
      out.keep = await s.keep(new T("c"));
      await sleep(10);
      out.logAfterKeep = [...log];
      out.drop = await s.drop();
      await sleep(10);
      out.logAfterDrop = [...log];
      log.length = 0;
      const same = new T("d");
      out.twice = [await s.use(same), await s.use(same)];
      await sleep(10);
      out.logAfterTwice = [...log];
      return out;
    },
  }),
  // ---- RPC promises ---------------------------------------------------------------------------
  both(
    probes("rpc-lifecycle: RPC promises are callable and pipeline through properties and methods", "sqlite", `  async makeAdder(n) { return (x) => x + n; }
  async counter(n) { return new Counter(n); }
  async nested() { return { a: { b: { f: Object.assign((x) => "deep " + x, { own: "own prop" }), v: 7 } }, list: [(x) => "first " + x, { g: () => "g" }], counter: new Counter(3), m: new Map([["k", 1]]), d: new Date(0), n: null, u: undefined }; }
  async arr() { return [1, { x: 2 }]; }
  async unserialisable() { return { ok: { v: 1 }, bad: Object.create({ up: 1 }) }; }
  get prop() { return { f: (x) => "from getter " + x, c: new Counter(1) }; }
  async nothing() { return undefined; }
  async nul() { return null; }
  async fail() { throw new RangeError("first failed"); }`, {
      callableResult: "s.makeAdder(10)(5)",
      callableTwice: "(async () => { const p = s.makeAdder(1); return [await p(1), await p(2)]; })()",
      methodOnResult: "s.counter(4).inc(2)",
      getterOnResult: "s.counter(4).value",
      stubOfStub: "s.counter(4).sub().inc()",
      deepProperty: "s.nested().a.b.v",
      deepMethod: "s.nested().a.b.f(1)",
      arrayIndex: "s.nested().list[0]('x')",
      arrayIndexProperty: "s.nested().list[1].g()",
      arrayLength: "s.nested().list.length",
      targetInObject: "s.nested().counter.inc(10)",
      getterThenMethod: "s.prop.f(2)",
      getterThenTarget: "s.prop.c.inc()",
      onUndefined: "s.nothing().x",
      onUndefinedCall: "s.nothing().x()",
      onNull: "s.nul().x()",
      missingOnObject: "s.nested().zzz",
      missingOnObjectCall: "s.nested().zzz()",
      missingOnTarget: "s.counter(1).zzz()",
      missingPropOnTarget: "s.counter(1).zzz",
      notFunction: "s.nested().a.b.v()",
      intoPrimitive: "s.nested().a.b.v.x",
      intoFunctionOwn: "s.nested().a.b.f.own",
      intoFunctionInherited: "s.nested().a.b.f.call",
      intoMap: "s.nested().m.size",
      intoDate: "s.nested().d.x",
      intoNull: "s.nested().n.x",
      intoUndefinedProp: "s.nested().u.x",
      readUndefinedProp: "s.nested().u",
      readNullProp: "s.nested().n",
      readArray: "s.nested().list",
      readMap: "s.nested().m",
      pipelinedIntoUnserialisable: "s.unserialisable().ok.v",
      onArrayResult: "s.arr().length",
      onArrayResultNumeric: "(async () => typeof s.arr()[0])()",
      onArrayResultStringIndex: "s.arr()['1'].x",
      onFailure: "s.fail().x()",
      onFailureProperty: "s.fail().x",
      onFailureDeep: "s.fail().a.b.c()",
    }, { clsOptions: { extra: COUNTER } }),
  ),
  {
    name: "rpc-lifecycle: a failed call's pipelined calls carry the first error's flags",
    backend: "sqlite",
    source: cls(`  async fail() { const e = new TypeError("first"); e.code = 7; throw e; }
  async counter() { return new Counter(); }`, { extra: COUNTER }),
    drive: async (env) => {
      const s = env.DO.getByName("pf");
      const grab = async (p) => { try { await p; return "resolved"; } catch (e) { return { ...err(e), ownKeys: Object.keys(e).sort(), code: e.code ?? null }; } };
      const first = s.fail();
      return {
        first: await grab(first),
        pipelined: await grab(first.x()),
        pipelinedProp: await grab(first.y),
        onTargetThrowing: await grab(s.counter().inc("not a number").toFixed()),
      };
    },
  },
  // ---- local members of stubs and promises ----------------------------------------------------
  both({
    name: "rpc-lifecycle: local members of a function stub",
    source: cls(`  async makeAdder(n) { return (x) => x + n; }`),
    drive: `async function drive(env) {
  const f = await env.DO.getByName("local").makeAdder(1);
  return localFacts(f);
}
${LOCAL_FACTS}`,
  }),
  both({
    name: "rpc-lifecycle: local members of an RpcTarget stub",
    source: cls(`  async counter(n) { return new Counter(n); }`, { extra: COUNTER }),
    drive: `async function drive(env) {
  const c = await env.DO.getByName("local").counter(1);
  return localFacts(c);
}
${LOCAL_FACTS}`,
  }),
  both({
    name: "rpc-lifecycle: local members of a Durable Object stub",
    source: cls(`  async hello() { return "hi"; }`),
    drive: `async function drive(env) {
  return localFacts(env.DO.getByName("local"));
}
${LOCAL_FACTS}`,
  }),
  both({
    name: "rpc-lifecycle: local members of an RPC promise",
    source: cls(`  async hello() { return "hi"; }`),
    drive: `async function drive(env) {
  const p = env.DO.getByName("local").hello();
  const facts = localFacts(p);
  facts.awaited = await p;
  return facts;
}
${LOCAL_FACTS}`,
  }),
  {
    name: "rpc-lifecycle: which names are local on stubs, promises and properties",
    backend: "sqlite",
    source: cls(`  async makeAdder(n) { return (x) => x + n; }
  async hello() { return "hi"; }`),
    drive: async (env) => {
      const names = ["toJSON", "then", "catch", "finally", "constructor", "prototype", "call", "apply", "bind", "length", "name", "dup", "id",
        "fetch", "connect", "toString", "valueOf", "hasOwnProperty", "__proto__", "asymmetricMatch", "$$typeof", "nodeType", "inspect", "size"];
      const stub = env.DO.getByName("names");
      const fn = await stub.makeAdder(1);
      const promise = stub.hello();
      await promise;
      const values = { doStub: stub, fnStub: fn, promise, property: stub.hello };
      const out = {};
      for (const [label, v] of Object.entries(values)) {
        out[label] = Object.fromEntries(names.map((n) => {
          let t;
          try { t = typeof v[n]; } catch (e) { t = "threw " + e.message; }
          let has;
          try { has = n in v; } catch (e) { has = "threw"; }
          return [n, t + (has ? "" : " (not in)")];
        }));
      }
      return out;
    },
  },
  both({
    name: "rpc-lifecycle: local members of a property read on a stub",
    source: cls(`  async hello() { return "hi"; }`),
    drive: `async function drive(env) {
  const m = env.DO.getByName("local").hello;
  const facts = localFacts(m);
  facts.name = show(m.name);
  facts.length = show(m.length);
  facts.callIsPath = typeof m.call;
  facts.called = await outcome(() => m.call(null));
  facts.applied = await outcome(() => m.apply(null, []));
  facts.bound = await outcome(() => m.bind(null)());
  facts.awaitedMethod = await outcome(async () => typeof (await m));
  return facts;
}
${LOCAL_FACTS}`,
  }),
];
