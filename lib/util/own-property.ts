/**
 * Records built from configuration keep every key as an ordinary own property. Assigning
 * `record[key] = value` with the key `__proto__` would instead replace the record's prototype
 * (and drop the key), so config code that copies keys it does not choose uses `setOwn`.
 */

/** Defines `key` as an own, enumerable, writable data property, whatever its name. */
export function setOwn<T extends object>(target: T, key: PropertyKey, value: unknown): T {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  return target;
}
