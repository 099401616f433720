/**
 * Whether `value` can be called with `new` (a class, an ordinary function, a bound one of
 * either), asked without calling it: as the `new.target` of a construction of String, which
 * only a constructor may be. Arrow, async and method functions are not.
 */
export function isConstructible(value: Function): boolean {
  try {
    Reflect.construct(String, [], value);
    return true;
  } catch {
    return false;
  }
}
