/**
 * The built-ins durasim's test runners and durasim/register add where Node lacks them (Node 20).
 * The checks run in a fresh realm whose own built-ins are deleted and durasim's installed in
 * their place, on every Node; what they must observe is V8's own answer, recorded in
 * builtins.expected.json from a realm that has the built-ins (and checked against one again on
 * every Node that has them).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createContext, runInContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { installLanguageBuiltins } from "../../lib/modules/builtins/index.js";
import { CHILD_PROCESS_TIMEOUT } from "../timeouts.js";

/** Source of the checks, run inside a realm: each entry is what a user would observe. */
const CHECKS = `(async () => {
  const shown = (f) => { try { const v = f(); return v; } catch (e) { return e.constructor.name + ": " + e.message; } };
  const settled = async (p) => { try { return await p; } catch (e) { return e.constructor.name + ": " + e.message; } };
  const prop = (o, k) => { const d = Object.getOwnPropertyDescriptor(o, k); return [typeof d.value, d.value.name, d.value.length, d.writable, d.enumerable, d.configurable, "prototype" in d.value]; };
  const out = {};
  const { promise, resolve, reject } = Promise.withResolvers();
  resolve(5);
  out.withResolvers = [await promise, typeof reject, Object.keys(Promise.withResolvers()), prop(Promise, "withResolvers"),
    shown(() => Promise.withResolvers.call(5)), Promise.withResolvers.call(class extends Promise {}).promise.constructor === Promise];
  class Mine extends Promise {}
  out.try = [await Promise.try((x, y) => x + y, 1, 2), await settled(Promise.try(() => { throw new RangeError("thrown"); })), await Promise.try(() => Promise.resolve("followed")),
    prop(Promise, "try"), shown(() => Promise.try.call(5, () => 1)), Promise.try.call(Mine, () => 1) instanceof Mine, await settled(Promise.try(5))];
  out.groupBy = [JSON.stringify(Object.groupBy([1, 2, 3, 4], (x, i) => (x % 2 ? "odd" : "even") + i % 2)), Object.getPrototypeOf(Object.groupBy([], (x) => x)),
    [...Map.groupBy([1, -0, 0, 2], (x) => (x === 2 ? -0 : x))].map(([k, v]) => [Object.is(k, -0) ? "-0" : k, v]), Object.keys(Object.groupBy("abc", (c) => c)),
    shown(() => Object.groupBy(null, (x) => x)), shown(() => Map.groupBy([], 5)), prop(Object, "groupBy"), prop(Map, "groupBy")];
  let closed = 0;
  const counted = { [Symbol.iterator]() { let i = 0; return { next: () => ({ value: i++, done: i > 3 }), return() { closed++; return {}; } }; } };
  out.fromAsync = [await Array.fromAsync((async function* () { yield 1; yield 2; })()), await Array.fromAsync([Promise.resolve(3), 4], (x, i) => x * 10 + i),
    await Array.fromAsync({ length: 2, 0: "a", 1: Promise.resolve("b") }), await settled(Array.fromAsync(null)), await settled(Array.fromAsync([], 5)),
    await settled(Array.fromAsync(counted, (x) => { if (x === 1) throw new RangeError("stop"); return x; })), closed,
    prop(Array, "fromAsync"), Array.fromAsync([]) instanceof Promise];
  const a = new Set([1, 2, 3]);
  const b = new Set([3, 4]);
  const calls = [];
  const like = { size: 2, has(v) { calls.push("has " + v); return v === 3; }, keys() { calls.push("keys"); return [3, 5].values(); } };
  out.sets = [[...a.union(b)], [...a.intersection(b)], [...a.difference(b)], [...a.symmetricDifference(b)], a.isSubsetOf(new Set([1, 2, 3, 4])),
    a.isSupersetOf(new Set([1])), a.isDisjointFrom(b), [...a.intersection(like)], [...new Set([3]).intersection(like)], [...a.union(like)], a.isDisjointFrom(like),
    calls, shown(() => a.union([1])), shown(() => a.union({ size: -1, has() {}, keys() {} })), shown(() => a.union({ size: 1, has: 1, keys() {} })),
    shown(() => a.union(5)), shown(() => Set.prototype.union.call({}, b)), shown(() => a.union({ size: 1, has() {}, keys() { return 5; } })),
    [...new Set([-0]).union(new Set([0]))].map((x) => Object.is(x, -0)), prop(Set.prototype, "union"), prop(Set.prototype, "isDisjointFrom")];
  const m = new Map([[1, "a"], [2, "b"], [3, "c"]]);
  const events = [];
  const source = () => ({ __proto__: Iterator.prototype, i: 0, next() { events.push("next"); return { value: this.i++, done: this.i > 5 }; }, return() { events.push("return"); return {}; } });
  out.iterators = [m.values().map((v, i) => v + i).filter((v) => v !== "b1").toArray(), m.keys().take(2).toArray(), m.keys().drop(1).toArray(),
    [1, 2].values().flatMap((x) => [x, x]).toArray(), m.keys().reduce((s, x) => s + x), m.keys().reduce((s, x) => s + x, 10), m.keys().some((x) => x > 2),
    m.keys().every((x) => x > 1), m.keys().find((x) => x === 2), (() => { const seen = []; m.keys().forEach((x, i) => seen.push([x, i])); return seen; })(),
    typeof Iterator, Iterator.prototype === Object.getPrototypeOf(Object.getPrototypeOf([].values())), [].values() instanceof Iterator,
    String(m.keys().map((x) => x)), Object.prototype.toString.call(Iterator.prototype), Iterator.prototype.constructor === Iterator,
    Iterator.from({ next() { return { value: 1, done: false }; } }).take(2).toArray(), Iterator.from("ab").toArray(), Iterator.from([1]) instanceof Iterator,
    shown(() => new Iterator()), shown(() => Iterator()), (() => { class Mine extends Iterator { next() { return { done: true }; } } return new Mine().toArray(); })(),
    shown(() => [].values().reduce((x) => x)), shown(() => [].values().map(5)), shown(() => Iterator.prototype.map.call(5, (x) => x)),
    shown(() => [].values().take(NaN)), shown(() => [].values().drop(-1)), shown(() => [1].values().flatMap(() => 5).toArray()),
    shown(() => Iterator.from(5)), shown(() => Object.getPrototypeOf([].values().map((x) => x)).next.call({}))];
  source().take(2).toArray(); events.push("|");
  const early = source().map((x) => x); early.return(); events.push("|");
  const started = source().filter(() => true); started.next(); started.return(); events.push("|");
  shown(() => source().map(5)); events.push("|");
  source().some((x) => x === 1); events.push("|");
  shown(() => source().forEach(() => { throw new Error("x"); })); events.push("|");
  const flat = source().flatMap(() => ({ __proto__: Iterator.prototype, next: () => ({ value: 9, done: false }), return() { events.push("inner return"); return {}; } })); flat.next(); flat.return();
  out.closing = events;
  out.names = Object.getOwnPropertyNames(Iterator.prototype).sort();
  out.isError = [Error.isError(new TypeError("x")), Error.isError({ __proto__: Error.prototype }), Error.isError(new (class extends Error {})()), Error.isError(), prop(Error, "isError")];
  out.escape = ["a.b$^ c-d_1", "1abc", "\\t\\n/\\u2028\\ud800x\\u00e9,\\ufeff\\u3000", "_a", "", "Zz9", "(x)[y]{z}|w\\\\"].map((s) => RegExp.escape(s)).concat(shown(() => RegExp.escape(5)), [prop(RegExp, "escape")]);
  out.helperTag = Object.getPrototypeOf([].values().map((x) => x))[Symbol.toStringTag];
  const badReturn = () => ({ __proto__: Iterator.prototype, next: () => ({ value: 1, done: false }), return: () => 5 });
  let nextReads = 0;
  const countsNext = { __proto__: Iterator.prototype, get next() { nextReads++; return () => ({ done: true }); }, return: () => ({}) };
  const setter = (key) => Object.getOwnPropertyDescriptor(Iterator.prototype, key).set;
  out.refusals = [shown(() => badReturn().take(0).next()), shown(() => badReturn().some(() => true)),
    shown(() => new Set([2]).isSupersetOf({ size: 1, has: () => true, keys: badReturn })),
    shown(() => new Set([1, 2, 3]).isDisjointFrom({ size: 1, has: () => false, keys: badReturn })),
    shown(() => countsNext.map(5)), nextReads,
    shown(() => setter("constructor").call(5, 1)), shown(() => setter(Symbol.toStringTag).call(5, 1))];
  const symbols = (x) => (typeof x === "string" ? x.replace(/Symbol\\((Symbol|nodejs)\\.(async)?[dD]ispose\\)/g, "@@dispose") : x);
  const log = [];
  const stack = new DisposableStack();
  stack.use({ [Symbol.dispose]() { log.push("use"); } });
  stack.adopt("v", (v) => log.push("adopt " + v));
  stack.defer(() => log.push("defer"));
  const moved = stack.move();
  const failing = new DisposableStack();
  failing.defer(() => { throw new Error("first"); });
  failing.defer(() => { throw new Error("second"); });
  const thrown = shown(() => { try { failing.dispose(); } catch (e) { return [e.constructor.name, e.message, e.error.message, e.suppressed.message, Object.getOwnPropertyNames(e)]; } });
  const order = (o) => Reflect.ownKeys(o).map((k) => (typeof k === "symbol" ? (k === Symbol.toStringTag ? "@@toStringTag" : "@@dispose") : k));
  const asyncLog = [];
  const asyncStack = new AsyncDisposableStack();
  asyncStack.use({ async [Symbol.asyncDispose]() { asyncLog.push("async"); } });
  asyncStack.use({ [Symbol.dispose]() { asyncLog.push("sync"); } });
  asyncStack.defer(async () => asyncLog.push("defer"));
  asyncStack.use(null);
  const suppressed = new SuppressedError(1, 2, "m");
  out.disposable = [
    [shown(() => DisposableStack()), shown(() => stack.use(5)), shown(() => moved.use(5)), shown(() => moved.use({})), shown(() => moved.adopt(1, 5)), shown(() => moved.defer(5)), moved.use(null)].map(symbols),
    [stack.disposed, moved.disposed, shown(() => stack.use(null)), shown(() => stack.move()), shown(() => stack.defer(() => 1)), moved.dispose(), log, moved.disposed, moved.dispose()],
    thrown,
    [order(DisposableStack.prototype), order(AsyncDisposableStack.prototype), prop(DisposableStack.prototype, "use"), prop(AsyncDisposableStack.prototype, "disposeAsync"), DisposableStack.length,
      DisposableStack.prototype[Symbol.dispose] === DisposableStack.prototype.dispose, AsyncDisposableStack.prototype[Symbol.asyncDispose] === AsyncDisposableStack.prototype.disposeAsync,
      String(new DisposableStack()), String(new AsyncDisposableStack())],
    [shown(() => DisposableStack.prototype.dispose.call({})), shown(() => Object.getOwnPropertyDescriptor(DisposableStack.prototype, "disposed").get.call({})), shown(() => DisposableStack.prototype.move.call(1)),
      await settled(AsyncDisposableStack.prototype.disposeAsync.call({})), await asyncStack.disposeAsync(), asyncLog, shown(() => asyncStack.use({})), await asyncStack.disposeAsync()],
    [Object.getOwnPropertyNames(suppressed), suppressed.message, suppressed.error, suppressed.suppressed, String(suppressed), new SuppressedError(1, 2).hasOwnProperty("message"), SuppressedError.length,
      SuppressedError(1, 2, "called") instanceof SuppressedError, Object.getPrototypeOf(SuppressedError) === Error, SuppressedError.prototype.name, SuppressedError.prototype.message, prop(SuppressedError.prototype, "constructor"),
      new SuppressedError(1, 2, "m", { cause: 1 }).hasOwnProperty("cause"), suppressed.stack.split("\\n")[0]],
  ];
  return JSON.stringify(out);
})()`;

const NATIVE = {
  "Promise": ["withResolvers", "try"],
  "Object": ["groupBy"],
  "Map": ["groupBy"],
  "Array": ["fromAsync"],
  "Error": ["isError"],
  "RegExp": ["escape"],
  "Set.prototype": ["union", "intersection", "difference", "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjointFrom"],
};
const ITERATOR_MEMBERS = ["map", "filter", "take", "drop", "flatMap", "reduce", "toArray", "forEach", "some", "every", "find", "constructor"];

/** A fresh realm (its global object, and the context to run code in). */
function freshRealm() {
  const context = createContext();
  return { context, global: runInContext("globalThis", context) as Record<string, unknown> };
}

/** A fresh realm with none of the built-ins durasim adds (deleted where this Node has them). */
function realmWithout() {
  const realm = freshRealm();
  for (const [path, names] of Object.entries(NATIVE)) {
    const target = path.split(".").reduce((o, k) => (o as Record<string, unknown>)[k], realm.global as unknown) as Record<string, unknown>;
    for (const name of names) delete target[name];
  }
  const iteratorPrototype = runInContext("Object.getPrototypeOf(Object.getPrototypeOf([].values()))", realm.context) as Record<PropertyKey, unknown>;
  for (const name of ITERATOR_MEMBERS) delete iteratorPrototype[name];
  delete iteratorPrototype[Symbol.toStringTag];
  delete realm.global.Iterator;
  for (const name of ["DisposableStack", "AsyncDisposableStack", "SuppressedError"]) delete realm.global[name];
  // Node 20 makes its symbols in its main realm only: a realm there gets them as Node's (Jest's realms share them).
  const symbols = realm.global.Symbol as unknown as Record<string, symbol | undefined>;
  for (const name of ["dispose", "asyncDispose"]) symbols[name] ??= (Symbol as unknown as Record<string, symbol>)[name];
  return realm;
}

async function observe(context: object): Promise<unknown> {
  return JSON.parse(await (runInContext(CHECKS, context) as Promise<string>));
}

const EXPECTED = JSON.parse(readFileSync(new URL("./builtins.expected.json", import.meta.url), "utf8")) as unknown;
const hasNative = typeof (globalThis as { Iterator?: unknown }).Iterator === "function" && "isError" in Error && "escape" in RegExp && "DisposableStack" in globalThis;

describe("the built-ins added where Node lacks them", () => {
  it("behave as V8's own: values, errors, property shapes, which methods of a set-like are called, when iterators are closed", async () => {
    const realm = realmWithout();
    expect(runInContext("typeof Promise.withResolvers + typeof Iterator + typeof new Set().union + typeof [].values().map", realm.context)).toBe(
      "undefined".repeat(4),
    );
    installLanguageBuiltins(realm.global);
    expect(await observe(realm.context)).toEqual(EXPECTED);
  });

  it.runIf(hasNative)("are recorded as V8's own answers", async () => {
    expect(await observe(freshRealm().context)).toEqual(EXPECTED);
  });

  it("leave what a realm has alone", () => {
    const realm = freshRealm();
    const own = () => "own";
    (realm.global.Promise as Record<string, unknown>).withResolvers = own;
    installLanguageBuiltins(realm.global);
    expect((realm.global.Promise as Record<string, unknown>).withResolvers).toBe(own);
  });

  it("are there for code run under durasim/register (and the test runners, spec/testing)", () => {
    const register = pathToFileURL(resolve(import.meta.dirname, "../../dist/register.js")).href;
    const code = "console.log([new Set([1]).union(new Set([2])).size, [1, 2].values().map((x) => x * 2).toArray().join(), Object.groupBy([1], () => 'k').k.length, typeof Promise.withResolvers].join(' '))";
    expect(execFileSync(process.execPath, ["--import", register, "--input-type=module", "-e", code], { encoding: "utf8" }).trim()).toBe("2 2,4 1 function");
  }, CHILD_PROCESS_TIMEOUT);

  it("are there under durasim/register with URLPattern and the runners' caches", () => {
    const register = pathToFileURL(resolve(import.meta.dirname, "../../dist/register.js")).href;
    const code = "console.log([typeof caches.default, new URLPattern({ pathname: '/p/:id' }).exec('https://x/p/7').pathname.groups.id].join(' '))";
    expect(execFileSync(process.execPath, ["--import", register, "--input-type=module", "-e", code], { encoding: "utf8" }).trim()).toBe("object 7");
  }, CHILD_PROCESS_TIMEOUT);
});
