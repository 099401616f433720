// Realistic apps, part 17: a feature-flag service. Flags are rich values (Maps of rules, Sets of
// user ids, Dates, RegExps, BigInts, typed arrays) stored with put() and read back by get() and
// list(); clients read them over RPC, also as properties of the object and through promise
// pipelining (`flags.snapshot().rules`), and evaluate a flag for a user on the object. Values
// storage cannot keep (functions, class instances' prototypes, symbols) are refused or flattened
// as the runtime does; bulk reads past the key limit are refused with its message. Both
// backends; records show values with their types.
import { both, cls } from "../scenario.mjs";

const FLAGS = cls(`  version = 0;
  get build() { return "flags-" + this.version; }
  async define(name, flag) {
    await this.ctx.storage.put("flag:" + name, flag);
    this.version++;
    return this.version;
  }
  async snapshot() {
    const all = await this.ctx.storage.list({ prefix: "flag:" });
    return { names: [...all.keys()], rules: all.get("flag:checkout")?.rules ?? null, count: all.size };
  }
  async evaluate(name, user) {
    const flag = await this.ctx.storage.get("flag:" + name);
    if (flag === undefined) throw new RangeError("no flag " + name);
    if (flag.until instanceof Date && flag.until.getTime() < Date.now()) return { on: false, why: "expired" };
    if (flag.allow?.has(user)) return { on: true, why: "allow-listed" };
    if (flag.pattern?.test(user)) return { on: true, why: "pattern " + flag.pattern.source };
    const rule = flag.rules?.get(user.slice(0, 1));
    return rule === undefined ? { on: false, why: "no rule" } : { on: rule.on, why: "rule " + user.slice(0, 1) };
  }
  async store(label) {
    const cycle = { name: "loop" };
    cycle.self = cycle;
    const value = {
      function: { check: () => true },
      symbol: { tag: Symbol("beta") },
      instance: new Rollout(50),
      error: new TypeError("kept as a value", { cause: "config" }),
      cycle,
      sparse: [1, , 3],
    }[label];
    try { await this.ctx.storage.put("odd:" + label, value); } catch (e) { return { refused: err(e) }; }
    return { back: show(await this.ctx.storage.get("odd:" + label)) };
  }
  async bulk(n) {
    const keys = Array.from({ length: n }, (_, i) => "flag:" + i);
    return this.ctx.storage.get(keys).then((m) => ({ size: m.size }), (e) => ({ refused: err(e) }));
  }`, {
  extra: `class Rollout { constructor(p) { this.percent = p; } get half() { return this.percent / 2; } }`,
});

export default both({
  name: "apps: feature flags, rich values through storage and RPC, evaluation per user, values storage refuses",
  source: FLAGS,
  drive: async (env) => {
    const flags = env.DO.getByName("prod");
    const out = {};
    out.v1 = await flags.define("checkout", {
      rules: new Map([["a", { on: true }], ["b", { on: false }]]),
      allow: new Set(["zed"]),
      pattern: /^qa-\d+$/i,
      until: new Date(Date.now() + 3_600_000),
      weight: 2n ** 70n,
      seed: new Uint16Array([1, 65535]),
    });
    out.v2 = await flags.define("legacy", { until: new Date(0), allow: new Set(["amy"]) });
    out.build = await flags.build;
    out.pipelinedRules = show(await flags.snapshot().rules);
    out.snapshot = show(await flags.snapshot());
    out.evaluations = {};
    for (const [name, user] of [["checkout", "amy"], ["checkout", "bob"], ["checkout", "zed"], ["checkout", "QA-17"], ["checkout", "carl"], ["legacy", "amy"], ["missing", "amy"]]) {
      out.evaluations[name + "/" + user] = await outcome(() => flags.evaluate(name, user));
    }
    out.odd = {};
    for (const label of ["function", "symbol", "instance", "error", "cycle", "sparse"]) {
      out.odd[label] = await flags.store(label);
    }
    out.bulk128 = await flags.bulk(128);
    out.bulk129 = await flags.bulk(129);
    return out;
  },
});
