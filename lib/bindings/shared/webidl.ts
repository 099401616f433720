/**
 * Conversions of options dictionaries' fields as the bindings' JSG layer does them, beside
 * util/webidl.ts (parameters, integers): a mistyped field names the field and the dictionary,
 * and a Date field takes a Date or a number of milliseconds.
 */

export function fieldTypeError(field: string, dictionary: string, typeName: string): TypeError {
  return new TypeError(`Incorrect type for the '${field}' field on '${dictionary}': the provided value is not of type '${typeName}'.`);
}

/** A sequence element of the wrong type: the runtime names its index and the type it wanted. */
export function elementTypeError(index: number, typeName: string): TypeError {
  return new TypeError(`Incorrect type for array element ${index}: the provided value is not of type '${typeName}'.`);
}

/** A value that is an options dictionary: any object or function (null and undefined mean "none"). */
export function isDictionary(value: unknown): value is Record<string, unknown> {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** A Date-typed field: a Date or a number of milliseconds; an Invalid Date is refused. */
export function toDateMs(value: unknown, field: string, dictionary: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : undefined;
  if (ms === undefined) throw fieldTypeError(field, dictionary, "date");
  if (Number.isNaN(ms)) throw new TypeError("The value cannot be converted because it is not a valid Date.");
  return ms;
}
