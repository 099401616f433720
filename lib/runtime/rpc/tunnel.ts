import { dataCloneError } from "../../storage/host-objects.js";
import { copyError, type ErrorFlags, flagsOf, isEndOfEmulatorError, isInputGateBreak, isResetError, isRuntimeSideError, isUndeliveredError, isUnflaggedError, rebuildError, thrownResetCause, withFlags, withRemoteFirst } from "../errors.js";
import { codeFeatures } from "../code-context.js";
import { type CodeFeatures, NEWEST_CODE_FEATURES } from "../code-features.js";
import { receivedMessage } from "./messages.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { domExceptionFacts, isDomException, isErrorValue } from "../../util/error-kinds.js";
import { unclonableThrown } from "./unclonable-thrown.js";
import { hintMissingWorkersGlobal } from "../missing-global-hint.js";
import { cloneForRpc, type StubPolicy } from "./serialize.js";

/**
 * How a thrown value reaches the caller of an object: the runtime serialises it as it would a
 * result (no stubs: an error cannot carry callbacks), and flags it `remote` with the object's
 * id. A value the serialiser cannot copy still arrives, rebuilt from its description
 * (unclonable-thrown.ts), flagged `remote` but without the id; DOMExceptions and thrown
 * primitives never carry the id.
 */

/** How the failed event was delivered, which decides the flags its caller sees. */
export interface Delivery {
  kind: "rpc" | "fetch";
  /** The object that ran it; absent when the failure was the result's own serialisation. */
  durableObjectId?: string;
  /** The stub was already broken: the error is raised locally, not by the object. */
  replayed?: boolean;
  /** The call was into a function or RpcTarget that lives in the object. */
  capability?: boolean;
  /** The compatibility features of the code that threw (its Worker's), where known. */
  senderFeatures?: CodeFeatures;
  /**
   * Those of the code that called, where they decide too: a value a Worker entrypoint throws is
   * copied only when both Workers have enhanced_error_serialization (workerd's), else tunneled.
   */
  receiverFeatures?: CodeFeatures;
}

function refuseStream(): never {
  throw dataCloneError("A thrown value cannot carry streams.");
}

const NO_STUBS: StubPolicy = {
  stubFor() {
    throw dataCloneError("A thrown value cannot carry stubs.");
  },
  // Either end of a pipe: a ReadableStream or a WritableStream.
  moveStream: refuseStream,
  moveWritable: refuseStream,
  // As storage: a message without a body is copied, one with a body (a stream) cannot be.
  moveMessage(message) {
    if (message.body !== null) refuseStream();
    return receivedMessage(message, undefined);
  },
  thrownValue: true,
  // Copied only from a thrower whose Worker has enhanced_error_serialization (else it is tunneled: thrownCopy).
  senderFeatures: NEWEST_CODE_FEATURES,
};

function remoteError(thrown: unknown, durableObjectId: string | undefined, tunnels: boolean): unknown {
  // The object's side names itself on the thrown value itself, as the runtime does (the thrower
  // sees it too; a frozen value stays unnamed), before copying it; the caller's side adds `remote`.
  if (durableObjectId !== undefined && typeof thrown === "object" && thrown !== null && !isDomException(thrown)) {
    try {
      Reflect.set(thrown, "durableObjectId", durableObjectId);
    } catch {
      // A setter or proxy trap that throws: the value leaves unnamed.
    }
  }
  return withFlags(thrownCopy(thrown, tunnels), { remote: true, ...carriedFlags(thrown, tunnels) });
}

/**
 * Whether a thrown value is tunneled (before enhanced_error_serialization, 2026-04-21): the
 * sender's date decides how a value is written (its features where the delivery names them, else
 * the running code's), and a caller whose features the delivery names reads it tunneled unless
 * it has the feature too.
 */
function tunnelsThrownValues(delivery: Delivery | undefined): boolean {
  const copied = (delivery?.senderFeatures ?? codeFeatures()).enhancedErrorSerialization;
  return !copied || delivery?.receiverFeatures?.enhancedErrorSerialization === false;
}

/**
 * The caller's copy of a thrown value: a primitive becomes an Error of its text, a value that
 * cannot be copied one rebuilt from its description. Before enhanced_error_serialization the
 * runtime tunnels every thrown value but a DOMException so: an error arrives as its type and
 * message alone (a name of its own joins the message), any other object as `#<Foo>`.
 */
function thrownCopy(thrown: unknown, tunnels: boolean): object {
  if (typeof thrown !== "object" || thrown === null) return new Error(String(thrown));
  if (tunnels && !isDomException(thrown)) return unclonableThrown(thrown);
  try {
    return cloneForRpc(thrown, NO_STUBS) as object;
  } catch {
    return isDomException(thrown) ? bareDomException(thrown) : unclonableThrown(thrown);
  }
}

/**
 * The runtime's reading of a thrown value's `retryable` and `overloaded`: a truthy one arrives as
 * `true` (in its place among a copied value's properties; a falsy one stays as it was), and a
 * tunneled value (see thrownCopy) keeps `overloaded`, else `retryable`.
 */
function carriedFlags(thrown: unknown, tunnels: boolean): ErrorFlags {
  if (typeof thrown !== "object" || thrown === null || isDomException(thrown)) return {};
  const [retryable, overloaded] = [truthy(thrown, "retryable"), truthy(thrown, "overloaded")];
  if (tunnels) return overloaded ? { overloaded: true } : retryable ? { retryable: true } : {};
  return { ...(retryable ? { retryable: true } : {}), ...(overloaded ? { overloaded: true } : {}) };
}

function truthy(thrown: object, key: string): boolean {
  try {
    return Boolean(Reflect.get(thrown, key));
  } catch {
    // A getter or proxy trap that throws: the value is described all the same.
    return false;
  }
}

/**
 * A reset error as its caller gets it: the value the object's code threw to reset it, copied as
 * a thrown value with the reset's flags; a reset of the runtime's own as it is. `remote`: the
 * object failed a fetch with it, which the runtime flags after the value's own properties (and
 * first among a reset error's of its own).
 */
function carriedReset(error: Error, remote: boolean, tunnels: boolean): object {
  const thrown = thrownResetCause(error);
  if (thrown === undefined) return remote ? withRemoteFirst(error) : error;
  return withFlags(thrownCopy(thrown.cause, tunnels), { ...(remote ? { remote: true } : {}), ...flagsOf(error) });
}

/** A DOMException that cannot be copied arrives as its name and message alone. */
function bareDomException(thrown: DOMException): Error {
  const { name, message } = domExceptionFacts(thrown);
  return new DOMException(message, name);
}

function nameIfUnnamed(error: unknown, durableObjectId: string): void {
  if (typeof error === "object" && error !== null && !Object.hasOwn(error, "durableObjectId")) withFlags(error, { durableObjectId });
}

/**
 * The error a caller sees for a failed call. RPC: application errors carry `remote` and the
 * object's id, errors the runtime raises carry `remote`, reset errors and failed commits only
 * their own flags. fetch: nothing carries the id, and a reset or a failed commit also carries
 * `remote` when the object itself failed the request (not when a broken stub repeats it).
 */
export function callerError(error: unknown, delivery?: Delivery): unknown {
  hintMissingWorkersGlobal(error);
  const fetchPath = delivery?.kind === "fetch";
  // Of any realm: under Jest a runtime API's error is of the test file's (util/code-realm.ts);
  // and a DOMException (not a native error on Node 20) such as an unreadable copy's.
  if (typeof error === "object" && error !== null && isErrorValue(error)) {
    // The emulator's end (dispose()) is no failure of the object's: it names no object and is not
    // `remote`, whether the call was running or still waiting its turn, as Worker code's callers get it.
    // (The caller's copy is one too: see worker-rejections.ts.)
    if (isEndOfEmulatorError(error) && !isResetError(error)) return inCodeRealm(copyError(error as Error));
    if (isUndeliveredError(error as Error)) return inCodeRealm(copyError(error as Error));
    // A failed commit (unflagged) and a reset are the object's own failure of a fetch.
    // A call into an RpcTarget or function of an object that reset while it ran: the object's
    // failure of the call, with the object named unless its input gate broke.
    if (delivery?.capability === true && isResetError(error) && !isEndOfEmulatorError(error)) {
      const id = isInputGateBreak(error) ? undefined : delivery.durableObjectId;
      return inCodeRealm(withFlags(carriedReset(error, false, tunnelsThrownValues(delivery)), { remote: true, ...(id === undefined ? {} : { durableObjectId: id }) }));
    }
    if (isUnflaggedError(error) || isResetError(error)) {
      // Each caller's own copy (events.ts), made in the caller's realm as every other error is.
      const remote = fetchPath && !delivery?.replayed;
      if (isResetError(error)) return inCodeRealm(carriedReset(error, remote, tunnelsThrownValues(delivery)));
      return inCodeRealm(remote ? withRemoteFirst(error) : error);
    }
    if (isRuntimeSideError(error)) return inCodeRealm(withFlags(rebuildError(error), { remote: true }));
  }
  const durableObjectId = fetchPath ? undefined : delivery?.durableObjectId;
  const remote = inCodeRealm(remoteError(error, durableObjectId, tunnelsThrownValues(delivery)));
  // A capability's caller learns where it lives even from an error whose copy lost the name (one
  // rebuilt, a primitive's, a DOMException, a frozen error): the runtime names it last, after `remote`.
  if (delivery?.capability === true && durableObjectId !== undefined) nameIfUnnamed(remote, durableObjectId);
  return remote;
}
