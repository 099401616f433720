/** What the probe's construction returns: nothing of `value` runs. */
const NOT_CALLED: ProxyHandler<Function> = { construct: () => NOT_CALLED };

/**
 * Whether `value` can be called with `new` (a class, an ordinary function, a bound one of
 * either), asked without calling it and without touching it: a Proxy of a function can be
 * constructed exactly when its target can, and its construct trap stands in for the target.
 * (Not `Reflect.construct(String, [], value)`: with `value` as new.target, V8 caches a String
 * wrapper's map as the function's initial map, so the next `new value()` builds its instance
 * map afresh. Asked before every construction of a Durable Object class, that gave each
 * instance a map of its own, and every property access on instances went megamorphic: the
 * first call to a new object took about twice the CPU.)
 */
export function isConstructible(value: Function): boolean {
  try {
    new (new Proxy(value, NOT_CALLED) as new () => unknown)();
    return true;
  } catch {
    return false;
  }
}
