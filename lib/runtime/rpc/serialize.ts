import { Serializer } from "node:v8";
import { hasBrand, RPC_STUB_BRAND, RPC_TARGET_BRAND, SERVICE_STUB } from "../brands.js";
import { runtimeSideError } from "../errors.js";
import { type Capability, handle, handleOf, HandleState } from "./handles.js";
import { isRpcPromiseLike } from "./promises.js";

/**
 * One copy of a value across an RPC boundary. Functions and RpcTargets of the sending side
 * become capabilities (made by `capabilityFor`, which knows where the sender lives); stubs the
 * sender holds are duplicated (compatibility flag rpc_params_dup_stubs), so the sender keeps
 * its own. Every handle made for the receiver is remembered: a call's parameters are disposed
 * when the call returns, a result's when the result is disposed.
 */
export class Transfer {
  readonly #handles: HandleState[] = [];

  constructor(private readonly capabilityFor: (value: object) => Capability) {}

  /** The receiver's stub for a function, an RpcTarget or a stub the sender holds. */
  stubFor(value: object): Function {
    const held = handleOf(value);
    return this.#keep(held !== undefined ? held.dup() : new HandleState(this.capabilityFor(value)));
  }

  get size(): number {
    return this.#handles.length;
  }

  /** Disposes every handle this transfer made (those the receiver dup()ed live on). */
  dispose(): void {
    for (const made of this.#handles) made.dispose();
  }

  #keep(made: HandleState): Function {
    this.#handles.push(made);
    return handle(made);
  }
}

function cloneError(message: string): DOMException {
  return new DOMException(message, "DataCloneError");
}

/**
 * Copies a value across an RPC boundary with the runtime's rules: structured-clone types are
 * copied (so neither side sees the other's later mutations), functions and RpcTarget
 * instances become stubs, and any other class instance is refused with the runtime's
 * DataCloneError.
 */
export function cloneForRpc(value: unknown, transfer: Transfer): unknown {
  if (isPrimitive(value)) {
    if (typeof value === "string") limitSize(value, value.length);
    return value;
  }
  const cloner = new RpcCloner(transfer);
  const copy = cloner.clone(value);
  limitSize(copy, cloner.roughSize);
  return copy;
}

/** Arguments are usually primitives; skip the cloner entirely then. */
export function cloneArgs(args: unknown[], transfer: Transfer): unknown[] {
  let roughSize = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!isPrimitive(arg)) {
      const cloner = new RpcCloner(transfer);
      const copy = cloner.clone(args) as unknown[];
      limitSize(copy, cloner.roughSize);
      return copy;
    }
    if (typeof arg === "string") roughSize += arg.length;
  }
  limitSize(args, roughSize);
  return args;
}

const RPC_SIZE_LIMIT = 32 * 1024 * 1024;

/**
 * The runtime refuses an RPC payload (the arguments array, or the result) whose serialization
 * exceeds 32 MiB. Measuring means serialising, so it happens only when the rough size (string
 * characters and buffer bytes seen while copying) reaches half the limit: a character takes at
 * most two bytes. Payloads holding stubs cannot be serialised here; their rough size stands in.
 */
function limitSize(value: unknown, roughSize: number): void {
  if (roughSize < RPC_SIZE_LIMIT / 2) return;
  let size = roughSize;
  try {
    const serializer = new Serializer();
    serializer.writeHeader();
    serializer.writeValue(value);
    size = serializer.releaseBuffer().byteLength;
  } catch {
    // A stub inside: keep the rough size.
  }
  if (size > RPC_SIZE_LIMIT) {
    throw runtimeSideError(
      new Error(`Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: ${size} bytes.`),
    );
  }
}

function isPrimitive(value: unknown): boolean {
  const type = typeof value;
  return value === null || (type !== "object" && type !== "function" && type !== "symbol");
}

class RpcCloner {
  readonly #seen = new Map<object, unknown>();
  /** String characters and buffer bytes copied so far (see limitSize). */
  roughSize = 0;

  constructor(private readonly transfer: Transfer) {}

  clone(value: unknown): unknown {
    if (typeof value === "symbol") throw cloneError(`${String(value)} could not be cloned.`);
    if (isPrimitive(value)) {
      if (typeof value === "string") this.roughSize += value.length;
      return value;
    }
    const object = value as object;
    const seen = this.#seen.get(object);
    if (seen !== undefined) return seen;
    if (hasBrand(object, RPC_STUB_BRAND)) return (object as Record<symbol, unknown>)[SERVICE_STUB];
    if (typeof object === "function") {
      if (isRpcPromiseLike(object)) throw cloneError(`Could not serialize object of type "RpcPromise". This type does not support serialization.`);
      return this.#remember(object, this.transfer.stubFor(object));
    }
    // Requests and Responses move across RPC (their bodies stream); they are not copied.
    if (object instanceof Request || object instanceof Response) return object;
    if (hasBrand(object, RPC_TARGET_BRAND)) return this.#remember(object, this.transfer.stubFor(object));
    if (Array.isArray(object)) return this.#array(object);
    if (object instanceof Map) return this.#map(object);
    if (object instanceof Set) return this.#set(object);
    const proto = Object.getPrototypeOf(object);
    if (proto === Object.prototype) return this.#plain(object);
    if (isStructuredCloneLeaf(object)) {
      if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) this.roughSize += object.byteLength;
      return this.#remember(object, structuredClone(object));
    }
    if (object instanceof WeakMap || object instanceof WeakSet || object instanceof Promise) {
      throw cloneError(`#<${proto.constructor.name}> could not be cloned.`);
    }
    const type = (proto?.constructor?.name as string | undefined) || "Object";
    throw cloneError(`Could not serialize object of type "${type}". This type does not support serialization.`);
  }

  #remember<T>(original: object, copy: T): T {
    this.#seen.set(original, copy);
    return copy;
  }

  #array(source: unknown[]): unknown[] {
    const copy = this.#remember(source, new Array<unknown>(source.length));
    for (let i = 0; i < source.length; i++) if (i in source) copy[i] = this.clone(source[i]);
    return copy;
  }

  #map(source: Map<unknown, unknown>): Map<unknown, unknown> {
    const copy = this.#remember(source, new Map());
    for (const [key, entry] of source) copy.set(this.clone(key), this.clone(entry));
    return copy;
  }

  #set(source: Set<unknown>): Set<unknown> {
    const copy = this.#remember(source, new Set());
    for (const entry of source) copy.add(this.clone(entry));
    return copy;
  }

  #plain(source: object): object {
    const copy = this.#remember(source, {} as Record<string, unknown>);
    for (const key of Object.keys(source)) {
      const value = this.clone((source as Record<string, unknown>)[key]);
      // An own "__proto__" key (from JSON.parse, say) is data, not the prototype.
      if (key === "__proto__") Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
      else copy[key] = value;
    }
    return copy;
  }
}

/** Types structuredClone copies faithfully and that hold no references to walk into. */
function isStructuredCloneLeaf(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Error ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    value instanceof Boolean ||
    value instanceof Number ||
    value instanceof String ||
    (typeof BigInt !== "undefined" && Object.prototype.toString.call(value) === "[object BigInt]")
  );
}
