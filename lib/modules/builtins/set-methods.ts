import { closeIterator, defineMissing, describeReceiver, isCallable, isObject, type Realm, toIntegerOrInfinity } from "./define.js";

/**
 * The Set methods of ES2025: union, intersection, difference, symmetricDifference, isSubsetOf,
 * isSupersetOf, isDisjointFrom. `other` is any set-like object (a `size`, a `has` and a `keys`,
 * read once, in that order, and checked as GetSetRecord does); which of the two sets is walked
 * depends on their sizes as the specification says, so a set-like's `has` and `keys` are called
 * exactly as the built-ins call them. Results are new plain Sets of the realm.
 */

interface SetRecord {
  readonly set: object;
  readonly size: number;
  readonly has: (value: unknown) => unknown;
  readonly keys: () => Iterator<unknown>;
}

export function installSetMethods(realm: Realm): void {
  const proto = realm.Set.prototype;
  const sizeOf = Object.getOwnPropertyDescriptor(proto, "size")!.get!;
  const has = proto.has;
  const add = proto.add;
  const remove = proto.delete;
  const values = proto.values;

  /** `this` as a Set (refused as the built-ins refuse a non-Set receiver), and its size. */
  const thisSize = (self: unknown, method: string): number => {
    try {
      return Reflect.apply(sizeOf, self, []) as number;
    } catch {
      throw new realm.TypeError(`Method Set.prototype.${method} called on incompatible receiver ${describeReceiver(self)}`);
    }
  };
  const thisHas = (self: unknown, value: unknown): boolean => Reflect.apply(has, self, [value]) as boolean;
  /** A copy of the elements to walk: the set may change while the other's methods run. */
  const elements = (self: unknown): unknown[] => [...(Reflect.apply(values, self, []) as Iterable<unknown>)];
  const append = (set: Set<unknown>, value: unknown): void => void Reflect.apply(add, set, [value]);
  const copy = (self: unknown): Set<unknown> => {
    const out = new realm.Set();
    for (const value of elements(self)) append(out, value);
    return out;
  };

  function setRecord(method: string, other: unknown): SetRecord {
    if (!isObject(other)) throw new realm.TypeError(`Set.prototype.${method} argument must be an object`);
    const record = other as { size: unknown; has: unknown; keys: unknown };
    const rawSize = record.size;
    const numSize = Number(rawSize);
    if (Number.isNaN(numSize)) throw new realm.TypeError("The .size property is NaN");
    const size = toIntegerOrInfinity(numSize);
    if (size < 0) throw new realm.RangeError(`'${String(rawSize)}' is an invalid size`);
    const hasMethod = record.has;
    if (!isCallable(hasMethod)) throw new realm.TypeError('string "has" is not a function');
    const keysMethod = record.keys;
    if (!isCallable(keysMethod)) throw new realm.TypeError('string "keys" is not a function');
    return { set: other, size, has: hasMethod as SetRecord["has"], keys: keysMethod as SetRecord["keys"] };
  }

  /** Calls `visit` with each key of the set-like (-0 as 0) until it returns false (closing the iterator). */
  function eachKey(record: SetRecord, visit: (key: unknown) => boolean | void): void {
    const iterator = Reflect.apply(record.keys, record.set, []) as Iterator<unknown>;
    if (!isObject(iterator)) throw new realm.TypeError("Result of the keys method is not an object");
    const next = iterator.next;
    for (;;) {
      const result = Reflect.apply(next, iterator, []) as IteratorResult<unknown>;
      if (!isObject(result)) throw new realm.TypeError(`Iterator result ${String(result)} is not an object`);
      if (result.done) return;
      const key = Object.is(result.value, -0) ? 0 : result.value;
      if (visit(key) === false) return closeIterator(realm, iterator);
    }
  }

  const otherHas = (record: SetRecord, value: unknown): boolean => Boolean(Reflect.apply(record.has, record.set, [value]));

  defineMissing(proto, {
    union(this: unknown, other: unknown) {
      thisSize(this, "union");
      const record = setRecord("union", other);
      const out = copy(this);
      eachKey(record, (key) => append(out, key));
      return out;
    },
    intersection(this: unknown, other: unknown) {
      const size = thisSize(this, "intersection");
      const record = setRecord("intersection", other);
      const out = new realm.Set();
      if (size <= record.size) {
        for (const value of elements(this)) if (otherHas(record, value)) append(out, value);
      } else {
        eachKey(record, (key) => {
          if (thisHas(this, key)) append(out, key);
        });
      }
      return out;
    },
    difference(this: unknown, other: unknown) {
      const size = thisSize(this, "difference");
      const record = setRecord("difference", other);
      const out = copy(this);
      if (size <= record.size) {
        for (const value of elements(this)) if (otherHas(record, value)) Reflect.apply(remove, out, [value]);
      } else {
        eachKey(record, (key) => void Reflect.apply(remove, out, [key]));
      }
      return out;
    },
    symmetricDifference(this: unknown, other: unknown) {
      thisSize(this, "symmetricDifference");
      const record = setRecord("symmetricDifference", other);
      const out = copy(this);
      eachKey(record, (key) => {
        if (thisHas(this, key)) Reflect.apply(remove, out, [key]);
        else append(out, key);
      });
      return out;
    },
    isSubsetOf(this: unknown, other: unknown) {
      const size = thisSize(this, "isSubsetOf");
      const record = setRecord("isSubsetOf", other);
      if (size > record.size) return false;
      return elements(this).every((value) => otherHas(record, value));
    },
    isSupersetOf(this: unknown, other: unknown) {
      const size = thisSize(this, "isSupersetOf");
      const record = setRecord("isSupersetOf", other);
      if (size < record.size) return false;
      let superset = true;
      eachKey(record, (key) => (superset = thisHas(this, key)));
      return superset;
    },
    isDisjointFrom(this: unknown, other: unknown) {
      const size = thisSize(this, "isDisjointFrom");
      const record = setRecord("isDisjointFrom", other);
      let disjoint = true;
      if (size <= record.size) return !elements(this).some((value) => otherHas(record, value));
      eachKey(record, (key) => (disjoint = !thisHas(this, key)));
      return disjoint;
    },
  });
}
