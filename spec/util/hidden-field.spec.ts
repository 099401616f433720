import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { hiddenField } from "../../lib/util/hidden-field.js";

describe("hiddenField", () => {
  it("keeps a value per object, replaceable, and reads undefined for any other object or a primitive", () => {
    const field = hiddenField<string>();
    const a = {};
    const b = () => undefined;
    field.set(a, "first");
    field.set(b, "function");
    field.set(a, "second");
    expect([field.get(a), field.get(b), field.get({}), field.get("text"), field.get(null), field.get(undefined)]).toEqual(["second", "function", undefined, undefined, undefined, undefined]);
    field.set(a, undefined);
    expect(field.get(a)).toBeUndefined();
  });

  it("keeps the values of two fields apart", () => {
    const one = hiddenField<number>();
    const two = hiddenField<number>();
    const target = {};
    one.set(target, 1);
    expect([one.get(target), two.get(target)]).toEqual([1, undefined]);
  });

  it("leaves no trace code can see: no own key, no Proxy trap, nothing in a copy or in util.inspect", () => {
    const field = hiddenField<string>();
    const request = new Request("http://example.com/", { method: "POST", body: "x" });
    const keysBefore = Reflect.ownKeys(request);
    const shownBefore = inspect(request, { showHidden: true });
    field.set(request, "marked");
    expect(Reflect.ownKeys(request)).toEqual(keysBefore);
    expect(inspect(request, { showHidden: true })).toBe(shownBefore);

    const traps: string[] = [];
    const proxy = new Proxy({}, new Proxy({}, { get: (_, trap) => (traps.push(String(trap)), undefined) }));
    field.set(proxy, "proxied");
    expect([field.get(proxy), traps]).toEqual(["proxied", []]);

    const record = { a: 1 };
    field.set(record, "kept");
    expect([structuredClone(record), { ...record }, JSON.stringify(record)]).toEqual([{ a: 1 }, { a: 1 }, '{"a":1}']);
    expect(field.get(structuredClone(record))).toBeUndefined();
  });

  it("takes an object that cannot be extended, as a WeakMap would", () => {
    const field = hiddenField<number>();
    const frozen = Object.freeze({});
    field.set(frozen, 1);
    field.set(frozen, 2);
    expect(field.get(frozen)).toBe(2);
  });
});
