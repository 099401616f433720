import { closeIterator, defineMissing, describeReceiver, describeValue, isCallable, isObject, type Realm, toIntegerOrInfinity } from "./define.js";

/**
 * The iterator helpers of ES2025: the global `Iterator` (an abstract class whose prototype is
 * every built-in iterator's), `Iterator.from()`, and on its prototype the lazy `map`, `filter`,
 * `take`, `drop`, `flatMap` (each returning an "Iterator Helper") and the eager `reduce`,
 * `toArray`, `forEach`, `some`, `every`, `find`. They follow the specification's steps: `next` is
 * read once, an argument that fails its check closes the underlying iterator, and so does
 * stopping early (a `return()` of the helper, a callback that throws, `some`/`every`/`find`
 * deciding, `take` reaching its limit); an underlying `next()` that throws or misbehaves is not
 * closed.
 */

interface Iterated {
  readonly iterator: object;
  readonly next: unknown;
}

const DONE = Symbol("done");

export function installIteratorHelpers(realm: Realm): void {
  const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(Reflect.apply(realm.Array.prototype[Symbol.iterator], [], []))) as object;
  if (Object.prototype.hasOwnProperty.call(iteratorPrototype, "map")) return;
  const fail = (message: string): never => {
    throw new realm.TypeError(message);
  };

  function direct(iterator: object): Iterated {
    return { iterator, next: (iterator as { next?: unknown }).next };
  }

  /** IteratorStepValue: the next value, or DONE. */
  function stepValue(iterated: Iterated): unknown {
    const result = Reflect.apply(iterated.next as Function, iterated.iterator, []) as IteratorResult<unknown>;
    if (!isObject(result)) fail(`Iterator result ${String(result)} is not an object`);
    return result.done ? DONE : result.value;
  }

  /** IteratorClose after a normal completion (or a return): the close's own failure wins. */
  function close(iterated: Iterated): void {
    closeIterator(realm, iterated.iterator);
  }

  /** IteratorClose after a throw: `error` wins over anything the close does. */
  function closeThrowing(iterated: Iterated, error: unknown): never {
    try {
      const method = (iterated.iterator as { return?: unknown }).return;
      if (method !== undefined && method !== null) Reflect.apply(method as Function, iterated.iterator, []);
    } catch {
      // The original error is what propagates.
    }
    throw error;
  }

  /** Runs `step`; if it throws, the iterator is closed and the error rethrown. */
  function closingOnThrow<T>(iterated: Iterated, step: () => T): T {
    try {
      return step();
    } catch (error) {
      return closeThrowing(iterated, error);
    }
  }

  function thisIterator(self: unknown, method: string): object {
    if (!isObject(self)) fail(`Iterator.prototype.${method} called on non-object`);
    return self as object;
  }

  function requireCallable(iterator: object, value: unknown): (...args: unknown[]) => unknown {
    if (!isCallable(value)) closeThrowing({ iterator, next: undefined }, new realm.TypeError(`${describeValue(value)} is not a function`));
    return value as (...args: unknown[]) => unknown;
  }

  /** The limit of take() and drop(), checked as the specification does (closing on failure). */
  function limitOf(iterator: object, limit: unknown): number {
    const number = closingOnThrow({ iterator, next: undefined }, () => Number(limit));
    if (Number.isNaN(number)) closeThrowing({ iterator, next: undefined }, new realm.RangeError(`${String(limit)} must be positive`));
    const integer = toIntegerOrInfinity(number);
    if (integer < 0) closeThrowing({ iterator, next: undefined }, new realm.RangeError(`${String(limit)} must be positive`));
    return integer;
  }

  /** Yields `value` from a helper's generator; a return() of the helper meanwhile closes `iterated`. */
  function* yieldClosing(iterated: Iterated, value: unknown): Generator<unknown, void, unknown> {
    let resumed = false;
    try {
      yield value;
      resumed = true;
    } finally {
      if (!resumed) close(iterated);
    }
  }

  // The Iterator Helper objects: a generator behind each, which the prototype's next and return drive.
  interface HelperState {
    readonly generator: Generator<unknown, void, unknown>;
    readonly underlying: Iterated;
    started: boolean;
  }
  const helpers = new WeakMap<object, HelperState>();
  const helperPrototype = Object.create(iteratorPrototype) as object;

  function helper(underlying: Iterated, generator: Generator<unknown, void, unknown>): object {
    const object = Object.create(helperPrototype) as object;
    helpers.set(object, { generator, underlying, started: false });
    return object;
  }

  function helperState(self: unknown, method: string): HelperState {
    const state = isObject(self) ? helpers.get(self) : undefined;
    if (state === undefined) fail(`Method Iterator Helper.prototype.${method} called on incompatible receiver ${describeReceiver(self)}`);
    return state!;
  }

  defineMissing(helperPrototype, {
    next(this: unknown) {
      const state = helperState(this, "next");
      state.started = true;
      return state.generator.next();
    },
    return(this: unknown) {
      const state = helperState(this, "return");
      if (!state.started) {
        // Not started: the helper completes, and the underlying iterator is closed.
        state.started = true;
        state.generator.return(undefined);
        close(state.underlying);
        return { value: undefined, done: true };
      }
      return state.generator.return(undefined);
    },
  });
  Object.defineProperty(helperPrototype, Symbol.toStringTag, { value: "Iterator Helper", configurable: true });

  /** A lazy method: checks `this` and its argument, then makes a helper over `closure`. */
  function lazy(self: unknown, method: string, check: (iterator: object) => void, closure: (iterated: Iterated) => Generator<unknown, void, unknown>): object {
    const iterator = thisIterator(self, method);
    check(iterator);
    const iterated = direct(iterator);
    return helper(iterated, closure(iterated));
  }

  /** GetIteratorFlattenable, for `method` (flatMap's mapped values; Iterator.from's argument, which may be a string). */
  function flattenable(value: unknown, method: string, strings: boolean): Iterated {
    if (!isObject(value) && !(strings && typeof value === "string")) fail(`${method} called on non-object`);
    const iteratorMethod = (value as { [Symbol.iterator]?: unknown })[Symbol.iterator];
    const iterator = iteratorMethod === undefined || iteratorMethod === null ? value : Reflect.apply(iteratorMethod as Function, value, []);
    if (!isObject(iterator)) fail(`${describeValue(value)} is not iterable`);
    return direct(iterator as object);
  }

  defineMissing(iteratorPrototype, {
    map(this: unknown, mapper: unknown) {
      let map!: (...args: unknown[]) => unknown;
      return lazy(this, "map", (iterator) => (map = requireCallable(iterator, mapper)), function* (iterated) {
        for (let counter = 0; ; counter++) {
          const value = stepValue(iterated);
          if (value === DONE) return;
          const mapped = closingOnThrow(iterated, () => map(value, counter));
          yield* yieldClosing(iterated, mapped);
        }
      });
    },
    filter(this: unknown, predicate: unknown) {
      let test!: (...args: unknown[]) => unknown;
      return lazy(this, "filter", (iterator) => (test = requireCallable(iterator, predicate)), function* (iterated) {
        for (let counter = 0; ; counter++) {
          const value = stepValue(iterated);
          if (value === DONE) return;
          if (closingOnThrow(iterated, () => test(value, counter))) yield* yieldClosing(iterated, value);
        }
      });
    },
    take(this: unknown, limit: unknown) {
      let remaining = 0;
      return lazy(this, "take", (iterator) => (remaining = limitOf(iterator, limit)), function* (iterated) {
        for (;;) {
          if (remaining === 0) return close(iterated);
          if (remaining !== Infinity) remaining--;
          const value = stepValue(iterated);
          if (value === DONE) return;
          yield* yieldClosing(iterated, value);
        }
      });
    },
    drop(this: unknown, limit: unknown) {
      let remaining = 0;
      return lazy(this, "drop", (iterator) => (remaining = limitOf(iterator, limit)), function* (iterated) {
        for (; remaining > 0; ) {
          if (remaining !== Infinity) remaining--;
          if (stepValue(iterated) === DONE) return;
        }
        for (;;) {
          const value = stepValue(iterated);
          if (value === DONE) return;
          yield* yieldClosing(iterated, value);
        }
      });
    },
    flatMap(this: unknown, mapper: unknown) {
      let map!: (...args: unknown[]) => unknown;
      return lazy(this, "flatMap", (iterator) => (map = requireCallable(iterator, mapper)), function* (iterated) {
        for (let counter = 0; ; counter++) {
          const value = stepValue(iterated);
          if (value === DONE) return;
          const inner = closingOnThrow(iterated, () => flattenable(map(value, counter), "Iterator.prototype.flatMap", false));
          for (;;) {
            const innerValue = closingOnThrow(iterated, () => stepValue(inner));
            if (innerValue === DONE) break;
            let resumed = false;
            try {
              yield innerValue;
              resumed = true;
            } finally {
              // A return() of the helper closes the inner iterator, then the outer one.
              if (!resumed) {
                try {
                  close(inner);
                } catch (error) {
                  closeThrowing(iterated, error);
                }
                close(iterated);
              }
            }
          }
        }
      });
    },
    reduce(this: unknown, reducer: unknown, ...initial: unknown[]) {
      const iterator = thisIterator(this, "reduce");
      const reduce = requireCallable(iterator, reducer);
      const iterated = direct(iterator);
      let accumulator: unknown;
      let counter = 0;
      if (initial.length === 0) {
        accumulator = stepValue(iterated);
        if (accumulator === DONE) fail("Reduce of a done iterator with no initial value");
        counter = 1;
      } else {
        accumulator = initial[0];
      }
      for (; ; counter++) {
        const value = stepValue(iterated);
        if (value === DONE) return accumulator;
        const previous = accumulator;
        accumulator = closingOnThrow(iterated, () => reduce(previous, value, counter));
      }
    },
    toArray(this: unknown) {
      const iterated = direct(thisIterator(this, "toArray"));
      const items = new realm.Array();
      for (;;) {
        const value = stepValue(iterated);
        if (value === DONE) return items;
        items.push(value);
      }
    },
    forEach(this: unknown, fn: unknown) {
      const iterator = thisIterator(this, "forEach");
      const each = requireCallable(iterator, fn);
      const iterated = direct(iterator);
      for (let counter = 0; ; counter++) {
        const value = stepValue(iterated);
        if (value === DONE) return undefined;
        closingOnThrow(iterated, () => each(value, counter));
      }
    },
    some(this: unknown, predicate: unknown) {
      return decide(this, "some", predicate, true);
    },
    every(this: unknown, predicate: unknown) {
      return decide(this, "every", predicate, false);
    },
    find(this: unknown, predicate: unknown) {
      const iterator = thisIterator(this, "find");
      const test = requireCallable(iterator, predicate);
      const iterated = direct(iterator);
      for (let counter = 0; ; counter++) {
        const value = stepValue(iterated);
        if (value === DONE) return undefined;
        if (closingOnThrow(iterated, () => test(value, counter))) {
          close(iterated);
          return value;
        }
      }
    },
  });

  /** some() (stops at the first match: true) and every() (stops at the first miss: false). */
  function decide(self: unknown, method: string, predicate: unknown, stopWhen: boolean): boolean {
    const iterator = thisIterator(self, method);
    const test = requireCallable(iterator, predicate);
    const iterated = direct(iterator);
    for (let counter = 0; ; counter++) {
      const value = stepValue(iterated);
      if (value === DONE) return !stopWhen;
      if (Boolean(closingOnThrow(iterated, () => test(value, counter))) === stopWhen) {
        close(iterated);
        return stopWhen;
      }
    }
  }

  // Iterator.from()'s wrapper of an iterator that does not inherit from Iterator.prototype.
  const wrapped = new WeakMap<object, Iterated>();
  const wrapperPrototype = Object.create(iteratorPrototype) as object;
  const wrappedOf = (self: unknown, method: string): Iterated => {
    const iterated = isObject(self) ? wrapped.get(self) : undefined;
    if (iterated === undefined) fail(`Method %WrapForValidIteratorPrototype%.${method} called on incompatible receiver ${describeReceiver(self)}`);
    return iterated!;
  };
  defineMissing(wrapperPrototype, {
    next(this: unknown) {
      const iterated = wrappedOf(this, "next");
      return Reflect.apply(iterated.next as Function, iterated.iterator, []);
    },
    return(this: unknown) {
      const { iterator } = wrappedOf(this, "return");
      const method = (iterator as { return?: unknown }).return;
      if (method === undefined || method === null) return { value: undefined, done: true };
      return Reflect.apply(method as Function, iterator, []);
    },
  });

  // The abstract class: constructible only by a subclass.
  const Iterator = function Iterator(this: unknown) {
    if (new.target === undefined) fail("Constructor Iterator requires 'new'");
    if (new.target === Iterator) fail("Abstract class Iterator not directly constructable");
  } as unknown as { prototype: object; from(value: unknown): object };
  Object.defineProperty(Iterator, "prototype", { value: iteratorPrototype, writable: false, enumerable: false, configurable: false });
  defineMissing(Iterator, {
    from(value: unknown) {
      const iterated = flattenable(value, "Iterator.from", true);
      if (iterated.iterator instanceof (Iterator as unknown as Function)) return iterated.iterator;
      const wrapper = Object.create(wrapperPrototype) as object;
      wrapped.set(wrapper, iterated);
      return wrapper;
    },
  });

  /** The two accessors of Iterator.prototype, whose setters define an own property on a derived object. */
  const ignoringPrototype = (key: PropertyKey) =>
    function (this: unknown, assigned: unknown) {
      if (!isObject(this)) fail(`set Iterator.prototype${typeof key === "symbol" ? `[${key.description}]` : `.${key}`} called on non-object`);
      if (this === iteratorPrototype) fail(`Cannot assign to read only property '${String(key)}' of object '[object Object]'`);
      if (Object.getOwnPropertyDescriptor(this, key) === undefined) {
        Object.defineProperty(this, key, { value: assigned, writable: true, enumerable: true, configurable: true });
      } else {
        Reflect.set(this as object, key, assigned);
      }
    };
  Object.defineProperty(iteratorPrototype, "constructor", {
    get: () => Iterator,
    set: ignoringPrototype("constructor"),
    enumerable: false,
    configurable: true,
  });
  Object.defineProperty(iteratorPrototype, Symbol.toStringTag, {
    get: () => "Iterator",
    set: ignoringPrototype(Symbol.toStringTag),
    enumerable: false,
    configurable: true,
  });
  if (!Object.prototype.hasOwnProperty.call(realm, "Iterator")) {
    Object.defineProperty(realm, "Iterator", { value: Iterator, writable: true, enumerable: false, configurable: true });
  }
}
