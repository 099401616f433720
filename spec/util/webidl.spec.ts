import { describe, expect, it } from "vitest";
import {
  defineInterface,
  missingDictionary,
  requireArgument,
  site,
  toDate,
  toDictionary,
  toFunction,
  toIdlString,
  toInt32,
} from "../../lib/util/webidl.js";

const GET = site("Thing", "get");

describe("argument conversion", () => {
  it("refuses a missing required argument but converts an explicit undefined", () => {
    expect(() => requireArgument(GET, 0, 1, "string")).toThrow(
      new TypeError("Failed to execute 'get' on 'Thing': parameter 1 is not of type 'string'."),
    );
    expect(() => requireArgument(GET, 1, 1, "string")).not.toThrow();
    expect(toIdlString(undefined)).toBe("undefined");
  });

  it("converts strings like a template literal: toString runs, symbols throw V8's TypeError", () => {
    expect(toIdlString({ toString: () => "custom" })).toBe("custom");
    expect(toIdlString(["a", 1])).toBe("a,1");
    expect(toIdlString(10n)).toBe("10");
    expect(() => toIdlString(Symbol("s"))).toThrow(new TypeError("Cannot convert a Symbol value to a string"));
  });

  it("takes any object or function as a dictionary, null and undefined as none, and refuses primitives", () => {
    const fn = () => 1;
    expect(toDictionary(GET, fn, 2, "GetOptions")).toBe(fn);
    expect(toDictionary(GET, [], 2, "GetOptions")).toEqual([]);
    expect(toDictionary(GET, null, 2, "GetOptions")).toBeUndefined();
    expect(() => toDictionary(GET, "x", 2, "GetOptions")).toThrow(
      "Failed to execute 'get' on 'Thing': parameter 2 is not of type 'GetOptions'.",
    );
  });

  it("takes only functions as callbacks", () => {
    expect(() => toFunction(GET, Promise.resolve(), 1)).toThrow("parameter 1 is not of type 'function'.");
  });

  it("converts 32-bit integers: truncates, zeroes non-finite values, refuses BigInt and out-of-range numbers", () => {
    expect(toInt32(1.9)).toBe(1);
    expect(toInt32("2")).toBe(2);
    expect(toInt32({ valueOf: () => 3 })).toBe(3);
    expect(toInt32(NaN)).toBe(0);
    expect(toInt32(-Infinity)).toBe(0);
    expect(Object.is(toInt32(-0.5), 0)).toBe(true);
    expect(() => toInt32(2 ** 31)).toThrow("Value out of range. Must be between -2147483648 and 2147483647 (inclusive).");
    expect(() => toInt32(1n)).toThrow(new TypeError("Cannot convert a BigInt value to a number"));
  });

  it("converts dates from numbers and Dates only, in whole milliseconds", () => {
    expect(toDate(GET, 10.9, 1)).toBe(10);
    expect(toDate(GET, new Date(5), 1)).toBe(5);
    expect(() => toDate(GET, "10", 1)).toThrow("parameter 1 is not of type 'date'.");
    expect(() => toDate(GET, NaN, 1)).toThrow("The value cannot be converted because it is not a valid Date.");
    expect(() => toDate(GET, 8.64e15 + 1e9, 1)).toThrow("This API doesn't support dates after 2189.");
  });

  it("refuses undefined or null for a dictionary with required members, naming its C++ type as the compiler mangles it", () => {
    const refusal = (mangled: string) => `Cannot initialize ${mangled} with required members from an undefined or null value.`;
    expect(missingDictionary("SocketAddress").message).toBe(refusal("N7workerd3api13SocketAddressE"));
    expect(missingDictionary("TextDecoder", "DecodeOptions").message).toBe(refusal("N7workerd3api11TextDecoder13DecodeOptionsE"));
    expect(missingDictionary("public_beta", "R2MultipartUpload", "UploadedPart").message).toBe(
      refusal("N7workerd3api11public_beta17R2MultipartUpload12UploadedPartE"),
    );
  });
});

describe("defineInterface", () => {
  class Counter {
    #count = 0;
    increment(by?: number): number {
      this.#count += arguments.length === 0 ? 1 : by!;
      return this.#count;
    }
    get count(): number {
      return this.#count;
    }
    [Symbol.iterator](): Iterator<number> {
      return [this.#count][Symbol.iterator]();
    }
    static {
      defineInterface(this, "Counter", (value) => typeof value === "object" && value !== null && #count in value);
    }
  }

  it("puts enumerable members of length 0 on the prototype and names the interface", () => {
    const counter = new Counter();
    const proto = Object.getPrototypeOf(counter);
    expect(Object.prototype.toString.call(counter)).toBe("[object Counter]");
    expect(Object.getOwnPropertyDescriptor(proto, "increment")).toMatchObject({ enumerable: true, writable: true, configurable: true });
    expect(proto.increment.length).toBe(0);
    expect(proto.increment.name).toBe("increment");
    expect(Object.getOwnPropertyDescriptor(proto, "count")).toMatchObject({ enumerable: true, configurable: true, set: undefined });
    expect(Object.getOwnPropertyDescriptor(proto, Symbol.iterator)).toMatchObject({ enumerable: false });
    const keys: string[] = [];
    for (const key in counter) keys.push(key);
    expect(keys).toEqual(["increment", "count"]);
  });

  it("forwards the exact arguments and the receiver", () => {
    const counter = new Counter();
    expect(counter.increment()).toBe(1);
    expect(counter.increment(5)).toBe(6);
    expect(counter.count).toBe(6);
    expect([...counter]).toEqual([6]);
  });

  it("refuses other receivers with Illegal invocation", () => {
    const counter = new Counter();
    const { increment } = counter;
    expect(() => increment(1)).toThrow(/^Illegal invocation: function called with incorrect `this` reference\./);
    const getter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(counter), "count")!.get!;
    expect(() => getter.call({})).toThrow(/^Illegal invocation/);
  });

  it("exposes a constructor that cannot be called but works with instanceof", () => {
    const counter = new Counter();
    const Public = counter.constructor as new () => unknown;
    expect(Public.name).toBe("Counter");
    expect(counter instanceof Public).toBe(true);
    expect(() => new Public()).toThrow(new TypeError("Illegal constructor"));
    expect(() => (Public as unknown as () => unknown)()).toThrow(new TypeError("Illegal constructor"));
  });
});
