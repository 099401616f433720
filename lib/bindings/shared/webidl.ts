/**
 * Argument conversion the way the runtime's bindings do it (workerd's JSG layer), with its
 * exact error texts: a missing or mistyped parameter, a mistyped field of an options
 * dictionary, and integers (any number is truncated; NaN and ±Infinity become 0; a result
 * outside the 32-bit range is refused rather than wrapped).
 */

export function parameterTypeError(className: string, method: string, index: number, typeName: string): TypeError {
  return new TypeError(`Failed to execute '${method}' on '${className}': parameter ${index} is not of type '${typeName}'.`);
}

export function fieldTypeError(field: string, dictionary: string, typeName: string): TypeError {
  return new TypeError(`Incorrect type for the '${field}' field on '${dictionary}': the provided value is not of type '${typeName}'.`);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function toInt32(value: unknown): number {
  // Unary plus is ToNumber: it throws for Symbol and BigInt exactly as the runtime reports.
  const number = +(value as number);
  if (!Number.isFinite(number)) return 0;
  const integer = Math.trunc(number);
  if (integer < INT32_MIN || integer > INT32_MAX) {
    throw new TypeError(`Value out of range. Must be between ${INT32_MIN} and ${INT32_MAX} (inclusive).`);
  }
  return integer === 0 ? 0 : integer;
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
