// Values of odd shapes, copied over RPC, by structuredClone() and through storage: nesting past
// the stack's depth, a sparse array of length 2^32 - 1 (copied by its elements, not its length),
// an own "__proto__" key, getters that delete properties or shrink the array being copied
// (a property gone before its turn is left out), a resizable buffer and the views over it
// (a length-tracking one still tracks; one the buffer shrank past is refused), key order,
// non-enumerable members, frozen and sealed; Maps, Sets, objects and arrays changed while copied.
import { cls, insideBoth } from "../scenario.mjs";

const CASES = `
    const nest = (n) => { let v = []; for (let i = 0; i < n; i++) v = [v]; return v; };
    const nestObj = (n) => { let v = {}; for (let i = 0; i < n; i++) v = { v }; return v; };
    const depth = (v) => { let d = 0; while (Array.isArray(v) ? v.length : v && typeof v === "object" && "v" in v) { v = Array.isArray(v) ? v[0] : v.v; d++; } return d; };
    const huge = []; huge[2 ** 32 - 2] = "last";
    const big = []; big[1e6] = 1;
    const protoKey = JSON.parse('{"__proto__": {"x": 1}, "a": 2}');
    const mutating = { a: 1, get b() { delete this.c; this.d = 4; return 2; }, c: 3 };
    const arrGetter = [1, 2, 3]; Object.defineProperty(arrGetter, 1, { get() { arrGetter.length = 1; return "g"; }, enumerable: true });
    const rab = new ArrayBuffer(4, { maxByteLength: 16 });
    const tracking = new Uint8Array(rab);
    const fixedOnRab = new Uint8Array(rab, 1, 2);
    const numKeys = { b: 1, 2: "two", a: 3, 1: "one", "-1": "neg", "01": "lead" };
    const ctorKeys = { constructor: 1, toString: 2, hasOwnProperty: 3, valueOf: 4 };
    const nonEnumIndex = [1, , 3]; Object.defineProperty(nonEnumIndex, 0, { value: "hidden", enumerable: false });
    const nonEnum = Object.defineProperty({ vis: 1 }, "hid", { value: 2, enumerable: false });
    const cases = { nest100: nest(100), nest20000: nest(20000), nestObj20000: nestObj(20000), huge, big, protoKey, mutating, arrGetter, rab, tracking: { tracking, fixedOnRab }, numKeys, ctorKeys, nonEnum, nonEnumIndex, frozen: Object.freeze({ f: 1 }), sealedArr: Object.seal([1]) };
    const look = (k, r) => {
      if (k.startsWith("nest")) return depth(r);
      if (k === "huge") return { len: r.length, keys: Object.keys(r), last: r[2 ** 32 - 2] };
      if (k === "big") return { len: r.length, keys: Object.keys(r) };
      if (k === "protoKey") return { own: Object.getOwnPropertyNames(r), protoIsObject: Object.getPrototypeOf(r) === Object.prototype, x: r.x ?? null, a: r.a };
      if (k === "rab") return { len: r.byteLength, resizable: r.resizable, max: r.maxByteLength };
      if (k === "tracking") { const before = [r.tracking.length, r.fixedOnRab.length, r.tracking.buffer === r.fixedOnRab.buffer]; let grew = null; try { r.tracking.buffer.resize(8); grew = [r.tracking.length, r.fixedOnRab.length]; } catch (e) { grew = e.name; } return { before, grew }; }
      if (k === "nonEnumIndex") return { len: r.length, keys: Object.keys(r), own: Object.getOwnPropertyNames(r), v: show(r) };
      if (k === "frozen" || k === "sealedArr") return { frozen: Object.isFrozen(r), sealed: Object.isSealed(r), v: show(r) };
      return { keys: Object.keys(r), v: show(r) };
    };`;

const CHANGING = `
    const m = new Map([["a", { get x() { m.set("late", 1); m.delete("b"); return 1; } }], ["b", 2]]);
    const st = new Set(); const trap = { get y() { st.add("late"); st.delete("z"); return 2; } }; st.add(trap); st.add("z");
    const boxed = Object.assign(new Number(1), { x: 1 }); const boxedStr = Object.assign(new String("ab"), { y: 2 });
    const re = Object.assign(/x/g, { extra: 1 }); re.lastIndex = 5;
    const date = Object.assign(new Date(0), { extra: 2 });
    const rab = new ArrayBuffer(4, { maxByteLength: 8 }); const oob = new Uint8Array(rab, 2, 2); rab.resize(1);
    const rab2 = new ArrayBuffer(4, { maxByteLength: 8 }); const trackOob = new Uint8Array(rab2, 3); rab2.resize(2);
    const errGetterCause = new Error("e"); Object.defineProperty(errGetterCause, "cause", { get() { return "from getter"; }, enumerable: false, configurable: true });
    const errAdds = new Error("adds"); Object.defineProperty(errAdds, "a", { get() { errAdds.b = 2; return 1; }, enumerable: true, configurable: true });
    const objAddsLater = { get a() { objAddsLater.z = 26; return 1; }, b: 2 };
    const arrGrows = [1, { get g() { arrGrows.push("pushed"); return 0; } }];
    const cases = { m, st, boxed, boxedStr, re, date, oob, trackOob, errGetterCause, errAdds, objAddsLater, arrGrows };
    const look = (k, r) => {
      if (k === "m") return { entries: [...r.keys()] };
      if (k === "st") return { size: r.size, values: [...r].map((v) => typeof v === "object" ? Object.keys(v) : v) };
      if (k === "re") return { s: String(r), lastIndex: r.lastIndex, keys: Object.keys(r) };
      if (k === "oob" || k === "trackOob") return { len: r.length, off: r.byteOffset, bl: r.buffer.byteLength };
      if (k === "errGetterCause" || k === "errAdds") return { own: Object.getOwnPropertyNames(r), cause: "cause" in r ? show(r.cause) : "none", a: r.a, b: r.b };
      return { keys: Object.keys(r), v: show(r) };
    };`;
export default [
  {
    name: "value shapes: deep nesting, a sparse array of length 2^32 - 1, an own __proto__ key, getters that delete what is still to be copied, length-tracking views, over RPC and by structuredClone()",
    backend: "sqlite",
    source: cls(`  echo(v) { return v; }`),
    timeoutMs: 20000,
    drive: `async (env) => {
    const stub = env.DO.getByName("c");
    ${CASES}
    const out = {};
    for (const [k, v] of Object.entries(cases)) out[k] = await outcome(async () => look(k, await stub.echo(v)));
    out.mutatingAfter = Object.keys(mutating);
    out.structured = {};
    for (const [k, v] of Object.entries(cases)) out.structured[k] = await outcome(async () => look(k, structuredClone(v)));
    return out;
  }`,
  },
  insideBoth("value shapes: deep nesting, a sparse array of length 2^32 - 1, an own __proto__ key, getters that delete what is still to be copied, length-tracking views, through storage", `
    ${CASES}
    const out = {};
    for (const [k, v] of Object.entries(cases)) out[k] = await outcome(async () => { await s.put(k, v); return look(k, await s.get(k)); });
    return out;`, { timeoutMs: 20000 }),

  {
    name: "value shapes: Maps and Sets changed while copied, boxed primitives, RegExps and Dates with own properties, views their resizable buffer shrank past, errors with getters, objects and arrays that grow while copied, over RPC",
    backend: "sqlite",
    source: cls(`  echo(v) { return v; }`),
    drive: `async (env) => {
    const stub = env.DO.getByName("c");
    ${CHANGING}
    const out = {};
    for (const [k, v] of Object.entries(cases)) out[k] = await outcome(async () => look(k, await stub.echo(v)));
    out.after = { m: [...m.keys()], st: st.size, arrGrows: arrGrows.length, objAddsLater: Object.keys(objAddsLater) };
    return out;
  }`,
  },
  insideBoth("value shapes: Maps and Sets changed while copied, boxed primitives, RegExps and Dates with own properties, views their resizable buffer shrank past, errors with getters, objects and arrays that grow while copied, through storage", `
    ${CHANGING}
    const out = {};
    for (const [k, v] of Object.entries(cases)) out[k] = await outcome(async () => { await s.put(k, v); return look(k, await s.get(k)); });
    out.after = { m: [...m.keys()], st: st.size, arrGrows: arrGrows.length, objAddsLater: Object.keys(objAddsLater) };
    return out;`),
];
