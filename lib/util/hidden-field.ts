/**
 * A value kept with an object, as a WeakMap keeps one, but in the object itself: a private field
 * that a class of its own adds to any object it is given (its base constructor returns that
 * object, so the subclass's field lands on it). Only this module can read it: it is no property,
 * so reflection, a Proxy's traps, structuredClone and util.inspect know nothing of it, and it
 * lives exactly as long as the object.
 *
 * For registries that take a new object on a hot path (a fetch()'s request and response: their
 * headers made immutable, their body's I/O context, the request answered, the response
 * delivered). Putting a new object, still in V8's young generation, into a WeakMap or WeakSet
 * that lives in the old one makes V8 record the entry in a hash set of its own (allocated with
 * malloc) and revisit it at every scavenge: about 0.7 µs an entry, against some 50 ns for a
 * field, and a stub.fetch() made five such entries.
 *
 * Invariant: get() is undefined for an object never given a value, one given undefined, and any
 * primitive; set() takes any object, one that cannot be extended too (a private field is no
 * property).
 */
export interface HiddenField<T> {
  get(target: unknown): T | undefined;
  set(target: object, value: T | undefined): void;
}

/**
 * The base whose constructor returns the object it is given, on which the subclass's field is
 * then defined. Itself a derived class that never calls super(): a base class's constructor makes
 * its own `this` before it runs, an object thrown away at once, where a derived one makes none
 * until super() runs (a stub.fetch() adds fields to nine objects, each made a throwaway object).
 * TypeScript asks every derived constructor for a super() call: it has one that never runs, as
 * the target is an object.
 */
class OnTarget extends Object {
  constructor(target: object) {
    if (target === null) super();
    return target as OnTarget;
  }
}

/** A field of its own (each class evaluation makes a new private name). */
export function hiddenField<T>(): HiddenField<T> {
  class Field extends OnTarget {
    #value: T | undefined;

    constructor(target: object, value: T | undefined) {
      super(target);
      this.#value = value;
    }

    static get(target: unknown): T | undefined {
      if ((typeof target !== "object" || target === null) && typeof target !== "function") return undefined;
      return #value in target ? (target as Field).#value : undefined;
    }

    static set(target: object, value: T | undefined): void {
      if (#value in target) (target as Field).#value = value;
      else new Field(target, value);
    }
  }
  return { get: Field.get, set: Field.set };
}
