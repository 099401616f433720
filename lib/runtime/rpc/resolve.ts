import { DURABLE_OBJECT_BRAND, hasBrand, RPC_TARGET_BRAND, WORKER_ENTRYPOINT_BRAND } from "../brands.js";
import { forwardingRef } from "./wildcard.js";

/**
 * How the receiving side finds the member an RPC path names, as the runtime's RPC server does.
 * On a Durable Object, a WorkerEntrypoint or an RpcTarget only prototype members count (own instance properties
 * are not reachable, nor is anything on Object.prototype); on plain objects and functions only
 * own properties do; nothing else (arrays, Maps, primitives) can be walked into, and the error
 * then names the member that produced the value. A stub met on the way takes the rest of the
 * path where it points.
 */

export function notImplemented(name: string): TypeError {
  return new TypeError(`The RPC receiver does not implement the method "${name}".`);
}

/** A prototype member of a Durable Object or RpcTarget, stopping before Object.prototype. */
export function findPrototypeMember(instance: object, name: string): PropertyDescriptor | undefined {
  // Not cached: tests replace methods on prototypes (vi.spyOn) and must see the replacement.
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

function isClassReceiver(value: object): boolean {
  return hasBrand(value, RPC_TARGET_BRAND) || hasBrand(value, DURABLE_OBJECT_BRAND) || hasBrand(value, WORKER_ENTRYPOINT_BRAND);
}

function isWalkable(value: unknown): value is object {
  if (typeof value === "function") return true;
  if (typeof value !== "object" || value === null) return false;
  if (isClassReceiver(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(holder: object, name: string): PropertyDescriptor | undefined {
  if (isClassReceiver(holder)) return name === "constructor" ? undefined : findPrototypeMember(holder, name);
  return Object.getOwnPropertyDescriptor(holder, name);
}

/**
 * Calls the member at `path` of `root` with `args`, or reads it when `args` is undefined.
 * `mark` flags the errors the runtime raises (a Durable Object's own calls carry no id).
 */
export function invokePath(
  root: object,
  path: readonly string[],
  args: unknown[] | undefined,
  mark: (error: TypeError) => TypeError = (error) => error,
): unknown {
  let holder: unknown = undefined;
  let member: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const ref = forwardingRef(member);
    if (ref !== undefined) return ref.call(path.slice(i), args);
    if (!isWalkable(member)) throw mark(notImplemented(path[i === 0 ? 0 : i - 1]!));
    const descriptor = describe(member, path[i]!);
    if (descriptor === undefined) throw mark(notImplemented(path[i]!));
    holder = member;
    member = descriptor.get ? descriptor.get.call(member) : descriptor.value;
  }
  if (args === undefined) return member;
  if (typeof member !== "function") throw mark(new TypeError(`"${path.join(".")}" is not a function.`));
  return Reflect.apply(member, holder, args);
}
