import { seenByCallingObject, withFlags } from "../errors.js";
import { copyArgsFirst } from "./early-copies.js";
import { takeObservesOwnRejection } from "../stacks.js";
import { CAPABILITY_RESERVED, forward, notAFunction, notImplemented, reservedName } from "./resolve.js";
import { forwardingRef, type PendingResult, type RpcRef, stateOf, thisState, uncallableClass, pathOf, wildcard, wildcardKind, wildcardOf } from "./wildcard.js";
import { notSerializable, refuseInStorage } from "../../util/webidl.js";
import { calledByBuiltin } from "../../util/call-sites.js";

/**
 * What calls return (the runtime's JsRpcPromise) and what reading a name returns
 * (JsRpcProperty). Both are thenable and callable; any other name pipelines a further call on
 * the eventual result, which the runtime resolves where the result is: through the stubs
 * inside it, or by walking its plain objects.
 */

/** What a JsRpcProperty reads or calls (never changed: proxies may share one; see ServiceStub's #lastRead). */
export interface PropertyState {
  readonly ref: RpcRef;
  readonly path: readonly string[];
  /** What JSON.stringify makes of the stub the property was read from, for a stub's `toJSON`. */
  readonly json?: () => object;
}

/** Reads the property (once per `then`). */
function read(self: unknown): Promise<unknown> {
  const { ref, path } = thisState(self, PROPERTY_KIND);
  return ref.call(path, undefined);
}

/** `RpcProperty` of cloudflare:workers: the class of what reading a name through a stub gives. */
export const JsRpcProperty = uncallableClass("JsRpcProperty", {
  then(this: unknown, onFulfilled?: (value: unknown) => unknown, onRejected?: (error: unknown) => unknown) {
    return read(this).then(onFulfilled, onRejected);
  },
  catch(this: unknown, onRejected?: (error: unknown) => unknown) {
    return read(this).catch(onRejected);
  },
  finally(this: unknown, onFinally?: () => void) {
    return read(this).finally(onFinally);
  },
}, { exposedAs: "RpcProperty" });

refuseInStorage(JsRpcProperty.prototype as object, notSerializable("RpcProperty"));

const PROPERTY_KIND = wildcardKind<PropertyState>({
  proto: JsRpcProperty.prototype as object,
  className: "RpcProperty",
  thenable: true,
  wildcard: (state, name) => rpcProperty(state.ref, [...state.path, name]),
  call: callProperty,
});

/**
 * Calls the member. JSON.stringify does not see the runtime's wildcard `toJSON` of a stub (V8
 * skips interceptors when it looks for it) and serialises the stub's own properties; a call from
 * anywhere else is an RPC call of the member named "toJSON".
 */
function callProperty(state: PropertyState, args: unknown[]): unknown {
  if (state.json !== undefined && calledByBuiltin(callProperty, "stringify")) return state.json();
  const ref = state.ref;
  if (ref.callForResult !== undefined) return wildcardOf(PROMISE_KIND, ref.callForResult(state.path, args));
  return rpcPromise(ref.call(state.path, args), ref.durableObjectId);
}

/** `ref.a.b`: awaiting it reads the member, calling it calls the member. */
export function rpcProperty(ref: RpcRef, path: readonly string[]): Function {
  return propertyOf({ ref, path });
}

/** A new JsRpcProperty over `state`. */
export function propertyOf(state: PropertyState): Function {
  return wildcard(PROPERTY_KIND, state);
}

const PROMISE_DISPOSED_MESSAGE = "RPC promise used after being disposed.";

/** A pending result of a call that is no object of its own (see PendingResult). */
class ResultState implements PendingResult {
  disposed = false;
  proxy: Function | undefined = undefined;

  constructor(
    readonly promise: Promise<unknown>,
    readonly durableObjectId: string | undefined,
  ) {}

  call(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    return callOnResult(this, path, args);
  }

  dispose(): void {
    disposeOnce(this);
  }

  get state(): PendingResult {
    return this;
  }
}

/**
 * PendingResult.call: waits for the result, then calls (or reads) the member at `path` of it,
 * with the arguments copied as the call was made (early-copies.ts).
 */
export function callOnResult(result: PendingResult, path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
  const send = (copied: unknown[] | undefined) =>
    result.disposed ? Promise.reject(new Error(PROMISE_DISPOSED_MESSAGE)) : result.promise.then((value) => pipeline(value, path, copied, result.durableObjectId));
  return copyArgsFirst(args, send, result.durableObjectId);
}

/** PendingResult.dispose: the first disposal disposes the result once it arrives. */
export function disposeOnce(result: PendingResult): void {
  if (result.disposed) return;
  result.disposed = true;
  result.promise.then(disposeResult, () => undefined);
}

/** Disposes what a result lent its receiver (its stubs), if it is an RPC result; other values are left alone. */
export function disposeResult(value: unknown): void {
  if ((typeof value === "object" || typeof value === "function") && value !== null) {
    const dispose = (value as { [Symbol.dispose]?: unknown })[Symbol.dispose];
    if (typeof dispose === "function") dispose.call(value);
  }
}

/** `RpcPromise` of cloudflare:workers: the class of what a call through a stub returns. */
export const JsRpcPromise = uncallableClass("JsRpcPromise", {
  then(this: unknown, onFulfilled?: (value: unknown) => unknown, onRejected?: (error: unknown) => unknown) {
    return thisState(this, PROMISE_KIND).promise.then(onFulfilled, onRejected);
  },
  catch(this: unknown, onRejected?: (error: unknown) => unknown) {
    return thisState(this, PROMISE_KIND).promise.catch(onRejected);
  },
  finally(this: unknown, onFinally?: () => void) {
    return thisState(this, PROMISE_KIND).promise.finally(onFinally);
  },
  [Symbol.dispose](this: unknown) {
    thisState(this, PROMISE_KIND).dispose();
  },
}, { exposedAs: "RpcPromise" });

refuseInStorage(JsRpcPromise.prototype as object, notSerializable("RpcPromise"));

const PROMISE_KIND = wildcardKind<PendingResult>({
  proto: JsRpcPromise.prototype as object,
  className: "RpcPromise",
  thenable: true,
  wildcard: (state, name) => rpcProperty(state, pathOf(name)),
  call: (state, args) => rpcPromise(state.call([], args), state.durableObjectId),
});

/** The JsRpcPromise of a call whose result (as the caller receives it) `promise` resolves to. */
export function rpcPromise(promise: Promise<unknown>, durableObjectId: string | undefined): Function {
  return wildcardOf(PROMISE_KIND, pendingResult(promise, durableObjectId));
}

/** The pending result `promise` resolves to, for a JsRpcPromise to hold. */
export function pendingResult(promise: Promise<unknown>, durableObjectId: string | undefined): PendingResult {
  // The caller may never await it (only pipeline on it): its failure is theirs to see, not an
  // unhandled rejection of ours. (A delivered call's promise takes care of that itself.)
  if (!takeObservesOwnRejection(promise)) promise.catch(() => undefined);
  return new ResultState(promise, durableObjectId);
}

/**
 * The type the runtime names a JsRpcPromise or JsRpcProperty by (neither can be sent as an
 * argument), or undefined for anything else.
 */
export function rpcPromiseType(value: unknown): "RpcPromise" | "RpcProperty" | undefined {
  if (stateOf(value, PROMISE_KIND) !== undefined) return "RpcPromise";
  return stateOf(value, PROPERTY_KIND) !== undefined ? "RpcProperty" : undefined;
}

/** A plain object of a result (as the caller holds it), which pipelined paths may walk. */
function isWalkable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Applies a pipelined path to a result. Stubs take the rest of the path where they point;
 * plain objects are walked by own properties (a reserved name refused first, as the object that
 * made the result would refuse it); anything else (a primitive, an array, a Map)
 * cannot be walked into, and the runtime names the member that produced it. A stub met inside
 * the result is called by the result's owner in the runtime (the path goes to it first), so
 * what fails comes back named as the owner's (passedOn); a result that is a stub is called
 * directly.
 */
function pipeline(value: unknown, path: readonly string[], args: unknown[] | undefined, durableObjectId: string | undefined): Promise<unknown> | unknown {
  const refuse = (error: TypeError) => withFlags(error, { remote: true, durableObjectId });
  let member = value;
  for (let i = 0; i < path.length; i++) {
    const target = forwardingRef(member);
    if (target !== undefined) {
      const call = forward(target, path.slice(i), args, refuse, CAPABILITY_RESERVED);
      return i === 0 ? call : passedOn(call, durableObjectId);
    }
    if (!isWalkable(member)) throw refuse(notImplemented(path[i === 0 ? 0 : i - 1]!));
    if (CAPABILITY_RESERVED.has(path[i]!)) throw refuse(reservedName(path[i]!));
    if (!Object.prototype.hasOwnProperty.call(member, path[i]!)) throw refuse(notImplemented(path[i]!));
    member = member[path[i]!];
  }
  if (args === undefined) return member;
  const target = forwardingRef(member);
  if (target !== undefined) return path.length === 0 ? target.call([], args) : passedOn(target.call([], args), durableObjectId);
  throw refuse(notAFunction(path));
}

/** A call the result's owner passes on (see pipeline): its failure named as the owner's, as a
 * Durable Object's calls on other objects' stubs are. */
function passedOn(call: Promise<unknown>, durableObjectId: string | undefined): Promise<unknown> {
  if (durableObjectId === undefined) return call;
  return call.catch((error: unknown) => {
    throw seenByCallingObject(error, durableObjectId);
  });
}
