/**
 * Fields that read as read-only data properties yet give a new value at every read.
 *
 * The runtime defines some members of its objects (a queue batch's `messages`, a message's
 * `timestamp`) as V8 native data properties: `Object.getOwnPropertyDescriptor` shows a `value`,
 * not a getter, but each read (the descriptor's too) runs native code that makes a new array or
 * Date, so `batch.messages !== batch.messages` and changing the one read changes nothing.
 * JavaScript has no such property, so the object handed out is a Proxy of `target` whose reads
 * of those fields make them afresh. The fields stay real own properties of `target` (own keys,
 * order, `in`, assignment's "read only" TypeError are the ordinary ones); once code redefines
 * or deletes one (they are configurable), it is an ordinary property from then on.
 *
 * Code must use the Proxy, not `target`, as the object's identity (WeakMap keys, brand checks):
 * private fields of `target` do not answer through it.
 */
export function withFreshFields<T extends object>(target: T, fields: Record<string, () => unknown>): T {
  // The value each field was defined with: while the target still holds it, the field is ours.
  const placed = new Map<PropertyKey, { value: unknown; make: () => unknown }>();
  for (const [key, make] of Object.entries(fields)) {
    const value = make();
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true });
    placed.set(key, { value, make });
  }
  const ours = (own: PropertyDescriptor | undefined, key: PropertyKey): (() => unknown) | undefined => {
    const field = placed.get(key);
    // A frozen target's field is non-configurable: a Proxy must then report its one value.
    return field !== undefined && own !== undefined && own.configurable === true && "value" in own && own.value === field.value ? field.make : undefined;
  };
  return new Proxy(target, {
    get(on, key, receiver) {
      const make = ours(Reflect.getOwnPropertyDescriptor(on, key), key);
      return make !== undefined ? make() : Reflect.get(on, key, receiver);
    },
    getOwnPropertyDescriptor(on, key) {
      const own = Reflect.getOwnPropertyDescriptor(on, key);
      const make = ours(own, key);
      return make !== undefined ? { ...own, value: make() } : own;
    },
  });
}
