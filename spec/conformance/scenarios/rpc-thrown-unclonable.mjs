// A value an object throws that cannot be copied to its caller (it holds a function or a
// symbol, a getter that throws, is a WeakMap...) arrives as an error rebuilt from the value's
// side-effect-free description: "name: message" for errors (data properties only), "#<Ctor>"
// for ordinary objects, "[object Tag]" for others; a description headed by a built-in error
// type's name keeps that type. A getter or proxy trap that throws when the runtime reads the
// value's stack, name or message leaves the call unanswered ("Promise will never complete.").
import { cls } from "../scenario.mjs";

/** Module code: `thrown(kind, a, b)` makes one value to throw, each with a function inside. */
const THROWN = `function thrown(kind, a, b) {
  const f = () => 1;
  const failing = (p) => ({ get() { throw new RangeError("getter " + p); }, enumerable: true, configurable: true });
  const answering = (p) => ({ get() { return "v" + p; }, enumerable: false, configurable: true });
  const withGetter = (e, p) => { Object.defineProperty(e, p, failing(p)); return e; };
  switch (kind) {
    case "named": { const e = new Error(b); e.name = a; e.f = f; return e; }
    case "typed": { const e = new globalThis[a](b); e.f = f; return e; }
    case "errorGetter": return withGetter(new globalThis[a](b ?? "m"), "extra");
    case "errorFailing": return withGetter(new Error("m"), a);
    case "plainFailing": return withGetter({ f }, a);
    case "errorAnswering": { const e = new Error("m"); for (const p of ["name", "message", "stack"]) Object.defineProperty(e, p, answering(p)); e.f = f; return e; }
    case "messageAccessor": { const e = new Error("m"); Object.defineProperty(e, "message", { get() { return "from getter"; } }); e.f = f; return e; }
    case "messageNotString": { const e = new Error("m"); e.message = a === "object" ? { toString() { throw new Error("ts"); } } : 42; return e; }
    case "nameNotString": { const e = new Error("no"); e.name = { toString() { return "Obj"; } }; e.f = f; return e; }
    case "protoName": { class E2 extends Error {} E2.prototype.name = "ProtoName"; const e = new E2("pm"); e.f = f; return e; }
    case "stackRead": { const e = new Error("sr"); void e.stack; return withGetter(e, "message"); }
    case "aggregate": { const e = new AggregateError([], "am"); e.f = f; return e; }
    case "multiline": { const e = new TypeError("line1\\nline2"); e.f = f; return e; }
    case "plain": return { f };
    case "symbolInside": return { s: Symbol("x") };
    case "array": return [f];
    case "nullProto": { const e = Object.create(null); e.f = f; return e; }
    case "map": return new Map([[1, f]]);
    case "weakMap": return new WeakMap();
    case "tagged": return { [Symbol.toStringTag]: "Tagged", f };
    case "ownToString": return { toString() { return "x"; }, f };
    case "anonymousClass": return new (class { constructor() { this.f = f; } })();
    case "constructorGetter": return { get constructor() { throw new Error("cg"); }, f };
    case "errorToString": return { toString: Error.prototype.toString, name: "N", message: "M", f };
    case "errorLike": return { message: "hasmsg", name: "TypeError", f };
    case "proxyFailing": return new Proxy({}, { get() { throw new Error("trap"); } });
    case "date": { const d = new Date(0); d.f = f; return d; }
  }
}`;

const CASES = [
  ["named", "TypeError", "m"], ["named", "RangeError", "m"], ["named", "SyntaxError", "m"], ["named", "ReferenceError", "m"],
  ["named", "EvalError", "m"], ["named", "URIError", "m"], ["named", "AggregateError", "m"], ["named", "Error", ""],
  ["named", "TypeError", ""], ["named", "Custom", ""], ["named", "Custom", "tm"], ["named", "", "m"], ["named", "", ""],
  ["named", "typeerror", "m"], ["named", "TypeError", "a: b"], ["typed", "EvalError", "e"], ["typed", "RangeError", ""],
  ["errorGetter", "TypeError"], ["errorGetter", "Error"], ["errorFailing", "message"], ["errorFailing", "name"],
  ["errorFailing", "stack"], ["errorFailing", "cause"], ["plainFailing", "name"], ["plainFailing", "message"],
  ["plainFailing", "stack"], ["plainFailing", "b"], ["plainFailing", "toString"], ["errorAnswering"], ["messageAccessor"],
  ["messageNotString", "object"], ["messageNotString", "number"], ["nameNotString"], ["protoName"], ["stackRead"],
  ["aggregate"], ["multiline"], ["plain"], ["symbolInside"], ["array"], ["nullProto"], ["map"], ["weakMap"], ["tagged"],
  ["ownToString"], ["anonymousClass"], ["constructorGetter"], ["errorToString"], ["errorLike"], ["proxyFailing"], ["date"],
];

export default [
  {
    name: "rpc: a thrown value that cannot be copied arrives as an error made from its description",
    backend: "sqlite",
    source: cls(`  async fail(kind, a, b) { throw thrown(kind, a, b); }
  async give(kind, a, b) { return thrown(kind, a, b); }
  async alive() { return "alive"; }`, { extra: THROWN }),
    // The driver is source text, so that it can hold CASES.
    drive: `async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      const caught = async (f) => { try { await f(); return "none"; } catch (e) { return { error: err(e), keys: Object.keys(e ?? {}) }; } };
      for (const c of ${JSON.stringify(CASES)}) {
        r[c.join("/")] = await caught(() => s.fail(...c));
      }
      // Returned rather than thrown: the serialiser's own error (a getter's) is what the caller gets.
      for (const c of [["errorFailing", "message"], ["plainFailing", "b"], ["errorGetter", "TypeError"]]) r["returned " + c.join("/")] = await caught(() => s.give(...c));
      r.alive = await outcome(() => s.alive());
      return r;
    }`,
  },
];
