/**
 * Filling durasim's own arrays by defining their elements, as the runtime's C++ fills its own,
 * never by Array.prototype.push or `array[i] = value`. Both [[Set]] an index the array lacks (a
 * `new Array(n)` lacks them all), and that goes up the prototype chain: Worker code shares this
 * realm and may define an accessor at an index of Array.prototype (or replace push), whose setter
 * would be handed durasim's internal values and the element never stored. A defined element is
 * the array's own whatever the prototypes hold. Reflect.defineProperty is taken when durasim
 * loads, before any Worker code runs.
 */
const defineOwn = Reflect.defineProperty;

/** Makes `value` the element at `index` of `array`, its own. */
export function setOwn<T>(array: T[], index: number, value: T): void {
  defineOwn(array, index, { value, writable: true, enumerable: true, configurable: true });
}

/** Appends `value` to `array` as its own element. */
export function appendOwn<T>(array: T[], value: T): void {
  setOwn(array, array.length, value);
}

/** A new array of `length` elements, each `value`, all its own (`new Array(n).fill()` sets each). */
export function filledOwn<T>(length: number, value: T): T[] {
  const array: T[] = [];
  for (let i = 0; i < length; i++) setOwn(array, i, value);
  return array;
}
