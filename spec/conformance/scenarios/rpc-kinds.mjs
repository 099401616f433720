// What the runtime's serialiser takes for an error and for one of V8's own kinds, over RPC (as a
// result, an argument and a thrown value) and in storage: an error is one by internal type, so
// an object that only inherits from Error.prototype is a class instance (refused by its
// constructor's name, copied as a plain object when thrown, stored as one), and a real error
// whose prototype was swapped is still an error; iterators are refused as V8 refuses them; an
// RPC promise and a property path are refused by their own names.
import { cls } from "../scenario.mjs";
import { calls } from "./rpc.mjs";

/** Source text of MAKE: the values, built the same way on both sides of each crossing. */
const ERROR_LIKE = `globalThis.MAKE = {
  createdFromPrototype: () => { const e = Object.create(Error.prototype); e.message = "fake"; return e; },
  reprototyped: () => Object.setPrototypeOf({ message: "m", other: 1 }, TypeError.prototype),
  fromInstance: () => Object.create(new RangeError("base")),
  errorAsPlain: () => Object.setPrototypeOf(new Error("native"), Object.prototype),
  errorAsMap: () => Object.setPrototypeOf(new TypeError("tm"), Map.prototype),
  errorNullPrototype: () => Object.setPrototypeOf(new Error("np"), null),
  domExceptionAsPlain: () => Object.setPrototypeOf(new DOMException("d", "AbortError"), Object.prototype),
  domExceptionLike: () => Object.create(DOMException.prototype),
};`;

// V8 names the refused value in its message by a rendering that changed between V8 versions
// (Node 20 says "#<Object>"); the record keeps whether the value itself was refused by V8.
const ITERATORS = `globalThis.MAKE = {
  arrayIterator: () => [1][Symbol.iterator](), mapKeys: () => new Map([[1, 2]]).keys(), mapEntries: () => new Map().entries(),
  setValues: () => new Set([1]).values(), stringIterator: () => "ab"[Symbol.iterator](), matchAll: () => "aa".matchAll(/a/g),
  segmentIterator: () => new Intl.Segmenter().segment("ab")[Symbol.iterator](), inAnObject: () => ({ entries: [{ a: 1 }].entries() }),
  namedLikeOne: () => ({ [Symbol.toStringTag]: "Array Iterator", x: 1 }),
};`;

const kindOf = (x) => ({ tag: Object.prototype.toString.call(x), v: show(x), isError: x instanceof Error });

export default [
  {
    name: "rpc-kinds: objects inheriting from Error.prototype are no errors, an error with another prototype is one",
    backend: "sqlite",
    source: cls(`  make(kind) { return MAKE[kind](); }
  throwIt(kind) { throw MAKE[kind](); }
  echo(x) { return kindOf(x); }
  async store(kind) {
    const s = this.ctx.storage;
    const put = await outcome(() => s.put("k", MAKE[kind]()));
    const get = await outcome(async () => kindOf(await s.get("k")));
    await s.delete("k");
    return { put, get };
  }`, { extra: `${ERROR_LIKE}\nconst kindOf = ${kindOf};` }),
    drive: `async function drive(env) {
  const s = env.DO.getByName("a");
  const kindOf = ${kindOf};
  const out = {};
  for (const kind of Object.keys(MAKE)) {
    out[kind] = {
      result: await outcome(async () => kindOf(await s.make(kind))),
      argument: await outcome(() => s.echo(MAKE[kind]())),
      thrown: await outcome(() => s.throwIt(kind).catch(kindOf)),
      stored: await outcome(() => s.store(kind)),
    };
  }
  return out;
}`,
  },
  calls(
    "rpc-kinds: iterators are V8's own kinds, refused as results, arguments and inside objects",
    "sqlite",
    `  make(k) { return MAKE[k](); }
  echo(x) { return x; }`,
    Object.fromEntries(["arrayIterator", "mapKeys", "mapEntries", "setValues", "stringIterator", "matchAll", "segmentIterator", "inAnObject", "namedLikeOne"].flatMap((k) => {
      const refused = `.then((v) => ({ ok: show(v) }), (e) => ({ name: e.name, byV8: / could not be cloned\\.$/.test(e.message), message: e.message.startsWith("Could not serialize") ? e.message : "(V8's)" }))`;
      return [[k, `s.make(${JSON.stringify(k)})${refused}`], [`${k}Argument`, `s.echo(MAKE[${JSON.stringify(k)}]())${refused}`]];
    })),
    { clsOptions: { extra: ITERATORS } },
  ),
  calls("rpc-kinds: an RPC promise and a property path are refused by their own names, as arguments and in storage", "sqlite", `  back(x) { return typeof x; }
  keep() { this.t ??= new Target(); return { t: this.t }; }
  fn() { return () => "fn"; }
  async store(which) {
    const other = this.env.DO.getByName("other");
    const value = which === "promise" ? other.keep() : which === "property" ? other.keep().t : which === "target" ? await other.keep().t : which === "function" ? await other.fn() : other.x;
    const r = await outcome(() => this.ctx.storage.put("k", { value }));
    value.then?.(() => {}, () => {});
    return r;
  }`, {
    promise: "s.back(s.keep())",
    propertyOfAPromise: "s.back(s.keep().t)",
    propertyOfAStub: "s.back(s.x)",
    insideAnObject: "s.back({ deep: [s.keep().t] })",
    storedPromise: "s.store('promise')",
    storedPropertyOfAPromise: "s.store('property')",
    storedPropertyOfAStub: "s.store('stub')",
    storedTargetStub: "s.store('target')",
    storedFunctionStub: "s.store('function')",
  }, { clsOptions: { extra: `class Target extends RpcTarget { m() { return "m"; } }` } }),
];

