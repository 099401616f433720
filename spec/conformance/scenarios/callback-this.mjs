// The `this` of a callback the runtime calls: the global scope for timers, microtasks,
// blockConcurrencyWhile(), transaction() and transactionSync() (Node's timers would give their
// Timeout, its microtasks and AsyncLocalStorage undefined or null); a function called through
// its stub over RPC is its own `this`, whether handed over as an argument, a result or inside
// one. Promise reactions, stream sources and event listeners keep the `this` the web's
// standards give them. (A call pipelined through a result, `s.giveHolder().f()`, runs in
// workerd with the object holding `f` as `this`; durasim walks the caller's copy of the result,
// where `f` is a stub: README, Differences from production.)
import { cls } from "../scenario.mjs";

const WHO = `globalThis.who = (t, self) => t === undefined ? "undefined" : t === null ? "null" : t === globalThis ? "globalThis" : t === self ? "object" : t === self?.ctx?.storage ? "storage" : Object.prototype.toString.call(t) + ":" + (t?.constructor?.name ?? "");`;

export default [
  ...["sqlite", "kv"].map((backend) => ({
    name: `callback this: callbacks the runtime calls [${backend}]`,
    backend,
    source: cls(`  async go() {
    const r = {};
    const self = this;
    const s = this.ctx.storage;
    const settled = (p) => Promise.race([Promise.resolve(p).catch((e) => "threw " + e.message), sleep(500).then(() => "timed out")]);
    r.timeout = await settled(new Promise((res) => setTimeout(function () { res(who(this, self)); }, 1)));
    r.interval = await settled(new Promise((res) => { const id = setInterval(function () { clearInterval(id); res(who(this, self)); }, 1); }));
    r.microtask = await settled(new Promise((res) => queueMicrotask(function () { res(who(this, self)); })));
    r.blockConcurrencyWhile = await this.ctx.blockConcurrencyWhile(async function () { return who(this, self); });
    r.transaction = await s.transaction(async function (txn) { return [who(this, self), arguments.length]; });
    if (backend === "sqlite") r.transactionSync = s.transactionSync(function () { return [who(this, self), arguments.length]; });
    r.promiseReaction = await Promise.resolve().then(function () { return who(this, self); });
    r.streamSource = await settled(new Promise((res) => { const source = { start() { res(this === source ? "source" : who(this, self)); } }; new ReadableStream(source); }));
    r.listener = await settled(new Promise((res) => { const ac = new AbortController(); ac.signal.addEventListener("abort", function () { res(this === ac.signal ? "signal" : who(this, self)); }); ac.abort(); }));
    r.listenerObject = await settled(new Promise((res) => { const ac = new AbortController(); const l = { handleEvent() { res(this === l ? "listener" : who(this, self)); } }; ac.signal.addEventListener("abort", l); ac.abort(); }));
    return r;
  }`.replace("async go() {", `async go() {\n    const backend = ${JSON.stringify(backend)};`), { extra: WHO }),
    drive: async (env) => env.DO.getByName("a").go(),
  })),
  {
    name: "callback this: a function called through its stub over RPC is its own this",
    backend: "sqlite",
    source: cls(`  async callMe(f) { return f(); }
  giveFn() { const f = function () { return [this === f, typeof this, this?.name ?? null]; }; return f; }
  giveHolder() { return { f() { return [typeof this, this === globalThis, this === undefined, this?.name ?? null]; } }; }
  target() { return new Target(); }`, { extra: `class Target extends RpcTarget { m() { return this instanceof Target; } }` }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const f = function () { return [this === f, typeof this, this?.name ?? null]; };
      return {
        argument: await outcome(() => s.callMe(f)),
        result: await outcome(async () => (await s.giveFn())()),
        insideAResult: await outcome(async () => (await s.giveHolder()).f()),
        rpcTargetMethod: await outcome(() => s.target().m()),
      };
    },
  },
  {
    name: "callback this: a call pipelined through a result's plain object",
    backend: "sqlite",
    differs: "workerd runs a call pipelined through a result (`stub.api().f()`) on the object's side, with the object holding `f` as `this`; durasim walks the caller's copy of the result, where `f` is a stub, so the function is its own `this` (README, Differences from production)",
    source: cls(`  api() { return { tag: "holder", f() { return [typeof this, this?.tag ?? null]; } }; }`),
    drive: async (env) => ({ pipelined: await outcome(() => env.DO.getByName("a").api().f()) }),
  },
];

