import { describe, expect, it } from "vitest";
import { isConstructible } from "../../lib/util/constructible.js";

describe("isConstructible", () => {
  it("tells constructors from functions that cannot construct", () => {
    const method = { m() {} }.m;
    expect([class {}, function () {}, function () {}.bind(null), Date].map(isConstructible)).toEqual([true, true, true, true]);
    expect([() => 1, async function () {}, function* () {}, method, Math.max].map(isConstructible)).toEqual([false, false, false, false, false]);
  });

  it("neither calls nor reads the function it asks about", () => {
    // It runs before every construction of a Durable Object class: reading the class (its
    // `prototype`, as new.target) or constructing through it would be seen by a Proxy class and,
    // for V8, replace the class's initial map (each instance then gets a map of its own).
    const touched: string[] = [];
    const traps = ["get", "getOwnPropertyDescriptor", "has", "construct", "apply"] as const;
    const handler = Object.fromEntries(traps.map((trap) => [trap, (...args: unknown[]) => {
      touched.push(trap);
      return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
    }]));
    const watched = new Proxy(class Watched {}, handler);
    expect(isConstructible(watched)).toBe(true);
    expect(touched).toEqual([]);
  });
});
