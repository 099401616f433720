// V8 writes a Map, a Set and an array by what it is, not by its prototype, which code may have
// replaced (null, Object.prototype): stored and sent over RPC, each is still its kind.
import { both, cls, insideBoth } from "../scenario.mjs";
const show = `(b) => JSON.stringify(b, (kk, vv) => vv instanceof Map || Object.prototype.toString.call(vv) === "[object Map]" ? ["Map", [...Map.prototype.entries.call(vv)]] : Object.prototype.toString.call(vv) === "[object Set]" ? ["Set", [...Set.prototype.values.call(vv)].map(e => e instanceof Headers ? [...e] : e)] : vv)`;
export default [insideBoth("values by kind: a Map, Set or array whose prototype was replaced is stored as its kind", `
  const out = {};
  const show = ${show};
  const m = new Map([[1, { a: 1 }]]); Object.setPrototypeOf(m, null);
  const st = new Set([2, new Headers({ x: "1" })]); Object.setPrototypeOf(st, Object.prototype);
  const m2 = new Map([[3, 4]]); Object.setPrototypeOf(m2, Object.prototype);
  const arr = [1, { b: 2 }, 3]; Object.setPrototypeOf(arr, null);
  for (const [k, v] of [["m", m], ["st", st], ["m2", { m2, get g() { return 1; } }], ["arr", arr], ["arrh", { arr, h: new Headers() }]]) {
    try { await s.put(k, v); out[k] = show(await s.get(k)); } catch (e) { out[k] = [e.name, e.message]; }
  }
  return out;
`), ...both({
  name: "values by kind: a Map, Set or array whose prototype was replaced crosses RPC as its kind",
  source: cls(`  take(v) { return JSON.stringify([Object.prototype.toString.call(v.m), [...v.m], Object.prototype.toString.call(v.arr), v.arr]); }
  give() { const m = new Map([[1, 2]]); Object.setPrototypeOf(m, null); return { m }; }`),
  drive: async (env) => {
    const s = env.DO.getByName("g");
    const m = new Map([[1, { a: 1 }]]); Object.setPrototypeOf(m, null);
    const arr = [1, 2]; Object.setPrototypeOf(arr, null);
    const out = {};
    try { out.arg = await s.take({ m, arr }); } catch (e) { out.arg = [e.name, e.message]; }
    try { const g = await s.give(); out.result = [...g.m]; } catch (e) { out.result = [e.name, e.message]; }
    return out;
  },
}),
// Found by fuzzing (fuzz-values.mjs): an array's named properties are written too, so what is
// kept under one is its kind (a Headers, a Request, a DOMException's fields), dense array or holey.
insideBoth("values by kind: a host object under an array's named property is stored, cloned and attached as its kind", `
  const tag = (v) => Object.prototype.toString.call(v);
  const make = {
    dense: () => Object.assign([1], { h: new Headers({ a: "1" }) }),
    holey: () => Object.assign([, 1], { "-1": new Request("http://a/p", { method: "PUT" }) }),
    inner: () => [0, Object.assign([], { d: new DOMException("m", "AbortError") })],
  };
  const facts = (v) => { const a = Array.isArray(v[1]) ? v[1] : v; const x = a.h ?? a["-1"] ?? a.d; return [tag(x), x.method ?? x.name ?? [...x]]; };
  const [, server] = Object.values(new WebSocketPair());
  this.ctx.acceptWebSocket(server);
  const out = {};
  for (const [k, f] of Object.entries(make)) {
    out[k] = {
      stored: await outcome(async () => { await s.put(k, f()); return facts(await s.get(k)); }),
      cloned: outcomeSync(() => facts(structuredClone(f()))),
      attached: outcomeSync(() => { server.serializeAttachment(f()); return facts(server.deserializeAttachment()); }),
    };
  }
  return out;
`)];
