import { types } from "node:util";

/**
 * Which values the runtime's serialiser treats as errors, for RPC and storage alike: what V8
 * made as an error (its internal error type, of any realm, whatever its prototype has since
 * become) and DOMExceptions (host objects in workerd). An object that merely inherits from
 * Error.prototype (Object.create, setPrototypeOf) is an ordinary class instance to it: refused
 * over RPC by its constructor's name, copied as a plain object when thrown, stored as one; and
 * a real error whose prototype was swapped for Object.prototype is still an error.
 *
 * Node 20's DOMException is no native error, so it is told by its brand: the `name` getter
 * refuses any receiver that is not one.
 */
const domExceptionName = Object.getOwnPropertyDescriptor(DOMException.prototype, "name")!.get!;
const domExceptionMessage = Object.getOwnPropertyDescriptor(DOMException.prototype, "message")!.get!;

export function isDomException(value: object): value is DOMException {
  // Every value is asked, and a refused brand check throws (costly). Node's DOMExceptions get an
  // own `stack` from their constructor, so an object with neither that nor the prototype is none.
  if (!Object.hasOwn(value, "stack") && !(value instanceof DOMException)) return false;
  try {
    domExceptionName.call(value);
    return true;
  } catch {
    return false;
  }
}

export function isErrorValue(value: object): value is Error {
  return types.isNativeError(value) || isDomException(value);
}

/** A DOMException's name and message as it holds them, whatever its prototype now is. */
export function domExceptionFacts(value: DOMException): { name: string; message: string } {
  return { name: domExceptionName.call(value) as string, message: domExceptionMessage.call(value) as string };
}
