import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { RpcTarget, WorkerEntrypoint } from "../../lib/modules/workers.js";
import { Adopting, constructOnly } from "../../lib/util/construct-only.js";

// V8's own answer to "do these objects share a hidden class?" (natives syntax, allowed here
// before the probe is compiled).
setFlagsFromString("--allow-natives-syntax");
const haveSameMap = new Function("a", "b", "return %HaveSameMap(a, b);") as (a: object, b: object) => boolean;
const oneMap = (make: () => object) => {
  const [a, b, c] = [make(), make(), make()];
  return haveSameMap(a, b) && haveSameMap(b, c);
};

class Point extends Adopting {
  x: number;
  y: number;
  constructor(x: number, y: number) {
    super();
    this.x = x;
    this.y = y;
  }
}

describe("constructOnly", () => {
  it("gives the instances of a subclass of an adopting class one hidden class (each had its own: about 0.4 KiB a Durable Object)", () => {
    const Runtime = constructOnly(Point, "RuntimePoint");
    class Sub extends Runtime {
      z = 3;
    }
    expect([oneMap(() => new Sub(1, 2)), oneMap(() => new Runtime(1, 2))]).toEqual([true, true]);

    class Counter extends RpcTarget {}
    class Entry extends WorkerEntrypoint {}
    expect([oneMap(() => new Counter()), oneMap(() => new Entry({}, {}))]).toEqual([true, true]);
  });

  it("builds an adopting class's instance on the receiver new.target gave: its prototype, fields and constructors as without the stand-in", () => {
    const Runtime = constructOnly(Point, "RuntimePoint");
    class Sub extends Runtime {
      z = 3;
      constructor(x: number) {
        super(x, x + 1);
      }
    }
    const sub = new Sub(1);
    expect(Object.getPrototypeOf(sub)).toBe(Sub.prototype);
    expect([sub instanceof Runtime, sub instanceof Point, sub.constructor === Sub]).toEqual([true, true, true]);
    expect(Object.getOwnPropertyDescriptors(sub)).toEqual({
      x: { value: 1, writable: true, enumerable: true, configurable: true },
      y: { value: 2, writable: true, enumerable: true, configurable: true },
      z: { value: 3, writable: true, enumerable: true, configurable: true },
    });

    // A function's prototype may be assigned between constructions; each sees the one it had.
    function Legacy() {}
    const first = Object.create(Runtime.prototype);
    Legacy.prototype = first;
    const one = Reflect.construct(Runtime, [1, 2], Legacy);
    const second = Object.create(Runtime.prototype);
    Legacy.prototype = second;
    const two = Reflect.construct(Runtime, [3, 4], Legacy);
    expect(Object.getPrototypeOf(one) === first && Object.getPrototypeOf(two) === second).toBe(true);

    // A class's field shadows a setter up the chain (fields are defined, not assigned).
    class Guarded extends Runtime {}
    Object.defineProperty(Guarded.prototype, "x", {
      set(value: number) {
        throw new Error(`setter ran with ${value}`);
      },
    });
    expect(new Guarded(5, 6)).toMatchObject({ x: 5, y: 6 });
  });

  it("refuses a call without new in the runtime's words", () => {
    const Runtime = constructOnly(Point, "RuntimePoint");
    expect(() => (Runtime as unknown as () => void)()).toThrow("Failed to construct 'RuntimePoint': Please use the 'new' operator, this object constructor cannot be called as a function.");
  });
});
