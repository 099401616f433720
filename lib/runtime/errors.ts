/**
 * Errors as callers of a Durable Object see them. The runtime tunnels errors across the
 * object boundary: only the type (by name) and message survive, and flags say where they came
 * from (`remote`) and what happened to the object (`durableObjectReset`, `overloaded`, ...).
 */
export interface ErrorFlags {
  remote?: boolean;
  durableObjectReset?: boolean;
  retryable?: boolean;
  overloaded?: boolean;
  durableObjectId?: string;
}

const ERROR_TYPES: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** A copy of `thrown` as the runtime's error tunnel reproduces it: name and message only. */
export function tunnelError(thrown: unknown): Error {
  if (thrown instanceof DOMException) return new DOMException(thrown.message, thrown.name);
  if (thrown instanceof Error) {
    const Type = ERROR_TYPES[thrown.name] ?? Error;
    return new Type(thrown.message);
  }
  return new Error(String(thrown));
}

export function withFlags<E extends Error>(error: E, flags: ErrorFlags): E {
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined) (error as unknown as Record<string, unknown>)[key] = value;
  }
  return error;
}

/** An application error thrown by an object's handler, as its caller receives it. */
export function remoteError(thrown: unknown, durableObjectId: string): Error {
  return withFlags(tunnelError(thrown), { remote: true, durableObjectId });
}

/** A fresh copy of an error with the same type, message and flags (for each caller). */
export function copyError(error: Error): Error {
  const copy = tunnelError(error);
  const flags: ErrorFlags = {};
  for (const key of ["remote", "durableObjectReset", "retryable", "overloaded", "durableObjectId"] as const) {
    if (key in error) (flags as Record<string, unknown>)[key] = (error as unknown as Record<string, unknown>)[key];
  }
  return withFlags(copy, flags);
}

/** The error that resets an object: the cause's type and message, with `durableObjectReset`. */
export function resetError(cause: unknown): Error {
  return withFlags(tunnelError(cause), { durableObjectReset: true });
}

export const ABORT_DEFAULT_MESSAGE = "Application called abort() to reset Durable Object.";
export const STORAGE_SHUTDOWN_MESSAGE = "Durable Object storage is no longer accessible.";
export const COMMIT_FAILED_MESSAGE = "Internal error in Durable Object storage write caused object to be reset.";
