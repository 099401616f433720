import { defineMissing, isCallable, type Realm } from "./define.js";

/**
 * `Object.groupBy(items, callback)` and `Map.groupBy(items, callback)` (ES2024): the items of an
 * iterable in arrays by the key the callback gives each (with its index). Object.groupBy makes
 * property keys of them, into an object with no prototype; Map.groupBy keeps them (-0 as 0).
 */
export function installGroupBy(realm: Realm): void {
  defineMissing(realm.Object, {
    groupBy(items: unknown, callback: unknown) {
      const groups = group(realm, items, callback, "Object.groupBy", (key) => toPropertyKey(key));
      const result = Object.create(null) as Record<PropertyKey, unknown>;
      for (const [key, members] of groups) result[key as PropertyKey] = members;
      return result;
    },
  });
  defineMissing(realm.Map, {
    groupBy(items: unknown, callback: unknown) {
      const groups = group(realm, items, callback, "Map.groupBy", (key) => (Object.is(key, -0) ? 0 : key));
      const result = new realm.Map();
      for (const [key, members] of groups) result.set(key, members);
      return result;
    },
  });
}

function group(realm: Realm, items: unknown, callback: unknown, method: string, keyOf: (key: unknown) => unknown): Map<unknown, unknown[]> {
  if (items === undefined || items === null) throw new realm.TypeError(`${method} called on null or undefined`);
  if (!isCallable(callback)) throw new realm.TypeError(`${String(callback)} is not a function`);
  const groups = new Map<unknown, unknown[]>();
  let index = 0;
  // for...of gets the iterator (and closes it when the callback throws), as GroupBy does.
  for (const value of items as Iterable<unknown>) {
    const key = keyOf(callback(value, index++));
    let members = groups.get(key);
    if (members === undefined) groups.set(key, (members = new realm.Array()));
    members.push(value);
  }
  return groups;
}

/** ToPropertyKey, exactly: what a computed key makes of the value. */
function toPropertyKey(value: unknown): PropertyKey {
  return Reflect.ownKeys({ [value as PropertyKey]: 0 })[0]!;
}
