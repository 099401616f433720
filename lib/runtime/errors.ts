/**
 * Errors as callers of a Durable Object see them. The runtime tunnels errors across the
 * object boundary by structured clone: the type (chosen by `name`), the message, `cause` and
 * other own enumerable properties survive, the stack does not. Flags say where an error came
 * from (`remote`) and what happened to the object (`durableObjectReset`, `overloaded`, ...).
 */
import { types } from "node:util";
import { runtimeDomException } from "../util/dom-exception.js";

export interface ErrorFlags {
  remote?: boolean;
  durableObjectReset?: boolean;
  retryable?: boolean;
  overloaded?: boolean;
  durableObjectId?: string;
}

const FLAG_KEYS = ["remote", "durableObjectReset", "retryable", "overloaded", "durableObjectId"] as const;

const ERROR_TYPES: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** A copy of an Error as the runtime's error tunnel reproduces it. */
export function rebuildError(thrown: Error): Error {
  if (thrown instanceof DOMException) return runtimeDomException(thrown.message, thrown.name);
  let copy: Error;
  if (thrown.name === "AggregateError") {
    copy = new AggregateError((cloneOrDrop((thrown as AggregateError).errors) as unknown[] | undefined) ?? [], thrown.message);
  } else {
    const Type = ERROR_TYPES[thrown.name] ?? Error;
    copy = new Type(thrown.message);
  }
  if ("cause" in thrown) (copy as Error & { cause?: unknown }).cause = cloneOrDrop(thrown.cause);
  for (const key of Object.keys(thrown)) {
    (copy as unknown as Record<string, unknown>)[key] = cloneOrDrop((thrown as unknown as Record<string, unknown>)[key]);
  }
  return copy;
}

function cloneOrDrop(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return undefined;
  }
}

export function withFlags<E extends object>(error: E, flags: ErrorFlags): E {
  for (const key of FLAG_KEYS) {
    if (flags[key] !== undefined) (error as Record<string, unknown>)[key] = flags[key];
  }
  if (flags.durableObjectReset === true) resets.add(error);
  return error;
}

/**
 * The error a Durable Object's RPC call on another object's stub rejects with, as that calling
 * object's code sees it: the runtime names the calling object in `durableObjectId` (replacing
 * the callee's id where there was one) on every error the other side raised (`remote`), not on
 * resets, nor on calls on functions and RpcTargets, nor on fetch().
 */
export function seenByCallingObject(error: unknown, callerId: string): unknown {
  if (typeof error === "object" && error !== null && (error as ErrorFlags).remote === true) withFlags(error, { durableObjectId: callerId });
  return error;
}

/**
 * `error` flagged `remote` as the first of its own keys, ahead of the flags it already has: where
 * the runtime marks an error of the object's own failure as remote (a fetch the object failed by
 * a reset), the flag comes first among its keys.
 */
export function withRemoteFirst<E extends object>(error: E): E {
  const record = error as Record<string, unknown>;
  // By descriptor: a DOMException's own `code`, `name` and `message` are accessors that its
  // prototype's read-only ones would refuse to be assigned over.
  const rest = Object.keys(record).filter((key) => key !== "remote").map((key) => [key, Object.getOwnPropertyDescriptor(record, key)!] as const);
  for (const [key] of rest) delete record[key];
  record.remote = true;
  for (const [key, descriptor] of rest) Object.defineProperty(record, key, descriptor);
  return error;
}

/**
 * Errors the runtime raised for a reset (flagged here): what tells a reset apart, not the
 * `durableObjectReset` property, which code may set on an error of its own (that one travels
 * as any other error, and resets nothing).
 */
const resets = new WeakSet<object>();

export function isResetError(error: object): boolean {
  return resets.has(error);
}

/**
 * A kind of error told by identity, never by a property: code may set any property on an error
 * of its own, and a copy (one per caller) is not of the kind unless marked too. `mark` notes an
 * error as one and hands it back; `is` asks.
 */
function errorKind(): { mark: <E extends Error>(error: E) => E; is: (error: Error) => boolean } {
  const members = new WeakSet<Error>();
  return {
    mark: (error) => {
      members.add(error);
      return error;
    },
    is: (error) => members.has(error),
  };
}

/** Errors the runtime itself raises on the object's side (unknown method, reserved name, ...). */
const runtimeSideErrors = errorKind();
export const runtimeSideError = runtimeSideErrors.mark;
export const isRuntimeSideError = runtimeSideErrors.is;

/**
 * Errors that reach callers exactly as made, with no flags: a failed commit of the SQLite
 * backend replaces the caller's result with one of these.
 */
const unflaggedErrors = errorKind();
export const unflaggedError = unflaggedErrors.mark;
export const isUnflaggedError = unflaggedErrors.is;

/**
 * Errors of a call that never reached the callee's Worker (its default entrypoint is a class the
 * runtime cannot call): they reach callers unflagged, a fetch's too.
 */
const undeliveredErrors = errorKind();
export const undeliveredError = undeliveredErrors.mark;
export const isUndeliveredError = undeliveredErrors.is;

/**
 * Errors an emulator makes to end the calls still in flight when it is disposed or its state
 * restored (a test runner does both at a file's and a test's end): not an error of the code that
 * made the call, which may have left it unawaited (see worker-rejections.ts).
 */
const endOfEmulatorErrors = errorKind();
export const endOfEmulatorError = endOfEmulatorErrors.mark;

export function isEndOfEmulatorError(reason: unknown): boolean {
  return types.isNativeError(reason) && endOfEmulatorErrors.is(reason);
}

/**
 * Reset errors of an input gate that broke (a constructor or a critical section that failed):
 * the runtime names no object in them where it names the object in other resets (a call into
 * one of its RpcTargets in flight as it reset).
 */
const inputGateBreaks = errorKind();
export const inputGateBreak = inputGateBreaks.mark;
export const isInputGateBreak = inputGateBreaks.is;

/** A fresh copy of an error with the same type, message and flags (one per caller). */
export function copyError(error: Error): Error {
  const copy = withFlags(rebuildError(error), flagsOf(error));
  // The kinds a copy keeps (a runtime-side error is one only where the object raised it).
  for (const kind of [unflaggedErrors, endOfEmulatorErrors, inputGateBreaks]) if (kind.is(error)) kind.mark(copy);
  const thrown = thrownResetCauses.get(error);
  if (thrown !== undefined) thrownResetCauses.set(copy, thrown);
  return copy;
}

/** `reason` as the tunnel carries it, with `flags`: an Error rebuilt, anything else an Error with its text. */
export function flaggedCopy(reason: unknown, flags: ErrorFlags): Error {
  return withFlags(isAnyError(reason) ? rebuildError(reason) : new Error(String(reason)), flags);
}

/** `reason` itself if it is an Error, else an Error with its text. */
export function errorOrItsText(reason: unknown): Error {
  return isAnyError(reason) ? reason : new Error(String(reason));
}

/** `reason` as the runtime carries it across contexts, its own flags kept (copyError); anything
 * that is no Error becomes an Error with its text. */
export function carriedCopy(reason: unknown): Error {
  return isAnyError(reason) ? copyError(reason) : new Error(String(reason));
}

/** What a connection (a WebSocket, a TCP socket) whose peer went away reports. */
export function connectionLost(): Error {
  return withFlags(new Error("Network connection lost."), { retryable: true });
}

/** The runtime's failure of a read from a request (a body, a socket) whose client went away. */
export function clientDisconnected(): TypeError {
  return withFlags(new TypeError("Can't read from request stream because client disconnected."), { retryable: true });
}

/** An Error of any realm (under Jest, the test file's: util/code-realm.ts), a DOMException
 * included (Node 20's is no native error; Node 24's is). */
function isAnyError(value: unknown): value is Error {
  return types.isNativeError(value) || value instanceof DOMException;
}

/** The error that resets an object: the cause's type and message, with `durableObjectReset`. */
export function resetError(cause: unknown): Error {
  return flaggedCopy(cause, { durableObjectReset: true });
}

/**
 * What the object's code threw that reset it (its constructor, a blockConcurrencyWhile callback),
 * by the reset error made of it and by each copy of that error: its callers get the value itself,
 * copied as a thrown value is (rpc/tunnel.ts), with the reset's flags.
 */
const thrownResetCauses = new WeakMap<object, { readonly cause: unknown }>();

/** resetError() of a value the object's code threw (see thrownResetCauses). */
export function thrownReset(cause: unknown): Error {
  const error = resetError(cause);
  thrownResetCauses.set(error, { cause });
  return error;
}

/** The value the code threw that `error` (a reset error, or a copy of one) stands for, if any. */
export function thrownResetCause(error: object): { readonly cause: unknown } | undefined {
  return thrownResetCauses.get(error);
}

/**
 * `error` with its stack text written now, and that of the value its reset (if it is a reset's)
 * stands for: for an error kept past the code that raised it, such as a reset's, kept to refuse
 * the broken stub's later calls, or the one a stream the reset cut fails its reads with. Until
 * its stack is first read, V8 keeps it as frames, each holding its function and receiver: the
 * error would keep the reset instance alive (its methods' frames, the closures of a
 * blockConcurrencyWhile() callback), and with it all it holds, for as long as what holds the
 * error lives. workerd writes the text when the error is made.
 */
export function withStackWritten(error: Error): Error {
  void error.stack;
  const cause = thrownResetCauses.get(error)?.cause;
  if (isAnyError(cause)) void cause.stack;
  return error;
}

/** The flags `error` carries, as own properties. */
export function flagsOf(error: object): ErrorFlags {
  const flags: ErrorFlags = {};
  for (const key of FLAG_KEYS) {
    if (key in error) (flags as Record<string, unknown>)[key] = (error as Record<string, unknown>)[key];
  }
  return flags;
}

export const ABORT_DEFAULT_MESSAGE = "Application called abort() to reset Durable Object.";
export const STORAGE_SHUTDOWN_MESSAGE = "Durable Object storage is no longer accessible.";
