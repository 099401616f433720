// An error's own properties whose keys are array indices ("0", "1", up to 2^32 - 2) are left
// behind when the runtime serialises it (storage, structuredClone(), RPC results and thrown
// values), so a function under one is no refusal; named keys that only look numeric ("-1", "01",
// "1.5", "4294967295") are kept, in order.
import { both, cls } from "../scenario.mjs";

export default both({
  name: "errors: an error's array-index keys are left behind in storage, structuredClone() and RPC",
  source: cls(`  make(k) {
    const e = k === "aggregate" ? new AggregateError([1], "a") : k === "dom" ? new DOMException("d", "AbortError") : new Error("nk");
    e[1] = "a"; e[0] = "b"; e.z = 1; e["4294967295"] = "max"; e["4294967294"] = "maxIndex"; e["-1"] = "neg"; e["01"] = "lead"; e[1.5] = "frac";
    if (k === "function") e[2] = () => 1;
    return e;
  }
  keys(e) { return Reflect.ownKeys(e).filter((k) => k !== "stack").map((k) => String(k) + (Object.getOwnPropertyDescriptor(e, k).enumerable ? " e" : "")); }
  async stored(k) {
    const s = this.ctx.storage;
    return { put: await outcome(async () => { await s.put("k", this.make(k)); return this.keys(await s.get("k")); }), clone: outcomeSync(() => this.keys(structuredClone(this.make(k)))) };
  }
  give(k) { return { e: this.make(k) }; }
  fail(k) { throw this.make(k); }`),
  drive: async (env) => {
    const s = env.DO.getByName("a");
    const keys = (e) => Reflect.ownKeys(e).filter((k) => k !== "stack").map((k) => String(k) + (Object.getOwnPropertyDescriptor(e, k).enumerable ? " e" : ""));
    const r = {};
    for (const k of ["error", "aggregate", "dom", "function"]) {
      r[k] = { ...(await s.stored(k)), returned: await outcome(async () => keys((await s.give(k)).e)) };
      try { await s.fail(k); r[k].thrown = "no error"; } catch (e) { r[k].thrown = keys(e); }
    }
    return r;
  },
});
