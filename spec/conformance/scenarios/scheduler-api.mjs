// The runtime's `scheduler` global is an API object: `[object Scheduler]`, no own members,
// `wait` on its prototype (enumerable, length 0, refusing another receiver), an illegal
// constructor, refused by RPC, storage and structuredClone as a "Scheduler". `wait` requires its
// first argument (undefined counts as given) and converts it as a number (a BigInt or Symbol
// throws V8's TypeError), takes a dictionary of options whose `signal` must be an AbortSignal,
// rejects with the signal's reason, and a wait longer than a timer holds does not end. Its timer
// is the runtime's own, not the global setTimeout: replacing the global timers (what fake-timer
// libraries do) neither holds a wait nor sees it.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "scheduler: an API object; wait()'s argument conversions and refusals",
    backend: "sqlite",
    source: cls(`  async echo(v) { return "got"; }
  async facts() {
    const s = scheduler;
    const proto = Object.getPrototypeOf(s);
    const wait = Object.getOwnPropertyDescriptor(proto, "wait");
    const r = {
      tag: Object.prototype.toString.call(s), ctor: s.constructor?.name, keys: Object.keys(s), own: Object.getOwnPropertyNames(s), protoOwn: Object.getOwnPropertyNames(proto).sort(),
      waitDescriptor: [wait.enumerable, wait.writable, wait.configurable], waitLength: s.wait.length, waitName: s.wait.name,
      detached: await outcome(() => { const { wait } = s; return wait(1); }),
      newConstructor: outcomeSync(() => new s.constructor()), json: outcomeSync(() => JSON.stringify(s)),
      rpc: await outcome(() => this.env.DO.getByName("b").echo(s)), put: await outcome(() => this.ctx.storage.put("k", s)), structuredClone: outcomeSync(() => structuredClone(s)),
      none: await outcome(() => s.wait()), optionsNumber: await outcome(() => s.wait(1, 5)),
    };
    const cases = { undef: [undefined], nul: [null], big: [1n], sym: [Symbol()], obj: [{}], arr: [[]], optNull: [1, null], optUndef: [1, undefined], optSignalNum: [1, { signal: 5 }], optFn: [1, () => 1], optStr: [1, "x"], inf: [Infinity], nan: [NaN], bool: [true], huge: [2 ** 53], str: ["5"], negative: [-1] };
    for (const [k, a] of Object.entries(cases)) r[k] = await Promise.race([outcome(() => s.wait(...a)), new Promise((res) => setTimeout(() => res("pending"), 30))]);
    r.aborted = await outcome(() => { const c = new AbortController(); c.abort(new RangeError("ab")); return s.wait(1000, { signal: c.signal }); });
    r.abortLater = await outcome(() => { const c = new AbortController(); const p = s.wait(1000, { signal: c.signal }); c.abort(new TypeError("later")); return p; });
    r.abortHuge = await outcome(() => { const c = new AbortController(); const p = s.wait(Infinity, { signal: c.signal }); c.abort(new TypeError("huge")); return p; });
    return r;
  }`),
    drive: async (env) => ({ facts: await outcome(() => env.DO.getByName("a").facts()) }),
  },
  {
    name: "scheduler: wait() does not go through the global setTimeout: with the global timers replaced, as fake timers replace them, it still ends",
    backend: "sqlite",
    source: cls(`  async waitUnderStandIns() {
    const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
    const asked = [];
    globalThis.setTimeout = (callback, ms) => (asked.push(["setTimeout", ms]), 1);
    globalThis.clearTimeout = (handle) => asked.push(["clearTimeout", handle]);
    try {
      const ended = await Promise.race([scheduler.wait(5).then(() => "ended"), new Promise((resolve) => real.setTimeout(() => resolve("held"), 500))]);
      const c = new AbortController();
      const aborted = scheduler.wait(60_000, { signal: c.signal }).catch((e) => e.message);
      c.abort("stop");
      return { ended, aborted: await aborted, asked };
    } finally {
      Object.assign(globalThis, real);
    }
  }`),
    drive: async (env) => ({ r: await outcome(() => env.DO.getByName("a").waitUnderStandIns()) }),
  },
];
