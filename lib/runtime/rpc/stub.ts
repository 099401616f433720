import { nextTurn } from "../../util/turn.js";
import { DURABLE_OBJECT_BRAND, hasBrand, RPC_STUB_BRAND, SERVICE_STUB } from "../brands.js";
import { callerError, type Delivery, runtimeSideError } from "../errors.js";
import type { DurableObjectId } from "../ids.js";
import { isInsideObjectTurn } from "../gates/input-gate.js";
import type { Invoke } from "../object/events.js";
import type { Incarnation } from "../object/incarnation.js";
import type { ObjectRecord } from "../object/record.js";
import { findPrototypeMember, invokeMember, resultHandler, type RpcEndpoint, rpcPath } from "./path.js";
import { cloneArgs, cloneForRpc, type StubMaker } from "./serialize.js";

/**
 * A Durable Object stub as TypeScript sees it: `id`, `name` and `fetch`, and any other name is
 * an RPC method returning a promise (its result's type is the method's).
 */
export interface DurableObjectStub {
  readonly id: DurableObjectId;
  readonly name: string | undefined;
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  // RPC members are whatever the class declares.
  [method: string]: any;
}

/** How a stub reaches its object: lazily, since the Worker's module may still be loading. */
export interface ObjectLocator {
  /** Resolves when the namespace can construct objects; undefined once it can. */
  readonly ready: Promise<void> | undefined;
  /** The object's live incarnation (constructed by its first event if new). */
  live(): Incarnation;
  /** The object's record: its storage, alarm and current incarnation (if any). */
  record(): ObjectRecord;
  /** The name the stub was made from, if any. */
  readonly name: string | undefined;
}

/** Reads a stub's locator (what test helpers use to reach its object); unforgeable outside durasim. */
const LOCATOR = Symbol("durasim.stubLocator");

const RESERVED_METHODS = new Set([
  "fetch",
  "connect",
  "alarm",
  "webSocketMessage",
  "webSocketClose",
  "webSocketError",
  "dup",
  "constructor",
]);

const LEGACY_CLASS_ERROR =
  "The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`. In order to enable RPC, make sure your class extends the special class `DurableObject`, which can be imported from the module \"cloudflare:workers\".";

/** Runs an RPC call (or property read, when `args` is undefined) against a Durable Object instance. */
function dispatchToObject(instance: object, path: readonly string[], args: unknown[] | undefined): unknown {
  if (!hasBrand(instance, DURABLE_OBJECT_BRAND)) throw runtimeSideError(new TypeError(LEGACY_CLASS_ERROR));
  const name = path[0]!;
  if (RESERVED_METHODS.has(name)) {
    throw runtimeSideError(new TypeError(`'${name}' is a reserved method and cannot be called over RPC.`));
  }
  const member = findPrototypeMember(instance, name);
  if (member === undefined) throw runtimeSideError(notImplemented(name));
  return invokeMember(instance, member, path, args, runtimeSideError);
}

function notImplemented(name: string): TypeError {
  return new TypeError(`The RPC receiver does not implement the method "${name}".`);
}

function dispatchFetch(instance: object, request: Request): unknown {
  const handler = (instance as { fetch?: unknown }).fetch;
  if (typeof handler !== "function") throw runtimeSideError(new Error("Handler does not export a fetch() function."));
  return handler.call(instance, request);
}

/** Stubs for functions and RpcTargets returned by (or passed into) code running in `home`. */
function stubMaker(home: Incarnation | undefined): StubMaker {
  return {
    functionStub: (fn) => rpcPath(new LocalEndpoint(fn, home), []),
    targetStub: (target) => rpcPath(new LocalEndpoint(target, home), []),
  };
}

const OUTSIDE = stubMaker(undefined);

/** Results that are objects get a disposer, as the runtime's RPC results do. */
function disposable(value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Object.prototype.hasOwnProperty.call(value, Symbol.dispose)) {
    Object.defineProperty(value, Symbol.dispose, { value: () => undefined, configurable: true });
  }
  return value;
}

/**
 * Delivers one event to an object and turns its outcome into the caller's promise. A call made
 * by Durable Object code is delivered, and its result returned, in a later turn, like real I/O.
 */
function deliver(
  incarnation: Incarnation,
  invoke: Invoke,
  convert: (value: unknown, incarnation: Incarnation) => unknown,
  kind: Delivery["kind"] = "rpc",
): Promise<unknown> {
  const nested = isInsideObjectTurn();
  const durableObjectId = incarnation.id.toString();
  return new Promise((resolve, reject) => {
    const settle = (ok: boolean, value: unknown, replayed?: boolean) => {
      const finish = () => {
        if (!ok) return reject(callerError(value, { kind, durableObjectId, replayed }));
        try {
          resolve(convert(value, incarnation));
        } catch (error) {
          reject(callerError(error, { kind, durableObjectId }));
        }
      };
      if (nested) nextTurn(finish);
      else finish();
    };
    if (nested) nextTurn(() => incarnation.submit(invoke, settle));
    else incarnation.submit(invoke, settle);
  });
}

function rpcResult(value: unknown, incarnation: Incarnation): unknown {
  return disposable(cloneForRpc(value, stubMaker(incarnation)));
}

function fetchResult(value: unknown): unknown {
  if (!(value instanceof Response)) {
    throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
  }
  return value;
}

/**
 * Copies call arguments (structured clone; functions and RpcTargets become stubs) and sends
 * them. A value that cannot be copied rejects the call, as in the runtime, instead of throwing.
 */
function withCopiedArgs(args: unknown[] | undefined, send: (copied: unknown[] | undefined) => Promise<unknown>): Promise<unknown> {
  let copied: unknown[] | undefined;
  try {
    copied = args && cloneArgs(args, OUTSIDE);
  } catch (error) {
    return Promise.reject(error);
  }
  return send(copied);
}

/** The sending side of a Durable Object stub. It remembers the incarnation it reached. */
class ObjectEndpoint implements RpcEndpoint {
  #bound: Incarnation | undefined;
  readonly results: ProxyHandler<Promise<unknown>>;

  constructor(
    private readonly locator: ObjectLocator,
    readonly durableObjectId: string,
  ) {
    this.results = resultHandler(durableObjectId);
  }

  invoke(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    return withCopiedArgs(args, (copied) =>
      this.#send((instance) => dispatchToObject(instance, path, copied), rpcResult, "rpc"),
    );
  }

  fetch(input: unknown, init?: RequestInit): Promise<unknown> {
    let request: Request;
    try {
      request = toRequest(input, init);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#send((instance) => dispatchFetch(instance, request), fetchResult, "fetch");
  }

  #send(
    invoke: Invoke,
    convert: (value: unknown, incarnation: Incarnation) => unknown,
    kind: Delivery["kind"],
  ): Promise<unknown> {
    // The hot path: the instance this stub reached last is still the live one.
    const bound = this.#bound;
    if (bound !== undefined && bound.broken === undefined && !bound.evicted) return deliver(bound, invoke, convert, kind);
    const ready = this.locator.ready;
    if (ready) return ready.then(() => deliver(this.#incarnation(), invoke, convert, kind));
    try {
      return deliver(this.#incarnation(), invoke, convert, kind);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A stub that saw its object reset stays broken; otherwise it follows the live incarnation. */
  #incarnation(): Incarnation {
    if (this.#bound?.broken === undefined) this.#bound = this.locator.live();
    return this.#bound;
  }
}

function toRequest(input: unknown, init: RequestInit | undefined): Request {
  if (input instanceof Request && init === undefined) return input;
  if (!(input instanceof Request)) {
    const url = String(input);
    // Durable Object stubs need absolute URLs (compatibility flag durable_object_fetch_requires_full_url).
    if (!URL.canParse(url)) throw new TypeError(`Invalid URL: ${url}`);
  }
  return new Request(input as ConstructorParameters<typeof Request>[0], init);
}

/** Calls into a function or RpcTarget where it lives: through its object's gate, if it has one. */
class LocalEndpoint implements RpcEndpoint {
  constructor(
    private readonly target: object,
    private readonly home: Incarnation | undefined,
  ) {}

  invoke(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    return withCopiedArgs(args, (copied) => this.#call(path, copied));
  }

  #call(path: readonly string[], copied: unknown[] | undefined): Promise<unknown> {
    const run = () => this.#run(path, copied);
    const back = (value: unknown) => disposable(cloneForRpc(value, stubMaker(this.home)));
    if (this.home === undefined) {
      return Promise.resolve()
        .then(run)
        .then(back, (error: unknown) => {
          throw callerError(error);
        });
    }
    return deliver(this.home, run, back);
  }

  #run(path: readonly string[], args: unknown[] | undefined): unknown {
    const target = this.target;
    if (typeof target === "function" && path.length === 0) {
      return args === undefined ? target : (target as Function)(...args);
    }
    const name = path[0]!;
    const member = findPrototypeMember(target, name);
    // Unlike a Durable Object's, an RpcTarget's refusals carry the id of the object it lives in.
    if (member === undefined || name === "constructor") throw notImplemented(name);
    return invokeMember(target, member, path, args);
  }
}

function illegalConstructor(): never {
  throw new TypeError("Illegal constructor");
}

/**
 * The proxy target behind a stub: `name` and `id` are its only own properties. Members of
 * Object.prototype (toString, valueOf, ...) stay local, as in the runtime; every other name is
 * an RPC method, a fresh function on each read.
 */
/** The base class of the runtime's stubs (what `stub.__proto__.__proto__` shows). */
class ServiceStub {}

class StubTarget extends ServiceStub {
  readonly #endpoint: ObjectEndpoint;
  readonly #locator: ObjectLocator;
  readonly #fetch: (input: unknown, init?: RequestInit) => Promise<unknown>;

  constructor(
    readonly name: string | undefined,
    readonly id: DurableObjectId,
    locator: ObjectLocator,
  ) {
    super();
    this.#locator = locator;
    const endpoint = (this.#endpoint = new ObjectEndpoint(locator, id.toString()));
    this.#fetch = (...args: unknown[]) => {
      if (args.length === 0) {
        return Promise.reject(
          new TypeError("Failed to execute 'fetch' on 'Fetcher': parameter 1 is not of type 'Request or string'."),
        );
      }
      return endpoint.fetch(args[0], args[1] as RequestInit | undefined);
    };
  }

  get [Symbol.toStringTag](): string {
    return "DurableObject";
  }

  get [LOCATOR](): ObjectLocator {
    return this.#locator;
  }

  member(prop: string | symbol): unknown {
    if (prop === RPC_STUB_BRAND) return true;
    // Sent over RPC, a stub becomes a plain service stub: `id` and `name` turn into RPC names.
    if (prop === SERVICE_STUB) return rpcPath(this.#endpoint, []);
    if (typeof prop === "symbol") return Reflect.get(this, prop);
    if (prop === "then") return undefined;
    if (prop === "fetch") return this.#fetch;
    if (prop === "constructor") return illegalConstructor;
    if (prop in Object.prototype) return Reflect.get(Object.prototype, prop, this);
    return rpcPath(this.#endpoint, [prop]);
  }
}
// The runtime's stubs are instances of a class named DurableObject.
Object.defineProperty(StubTarget, "name", { value: "DurableObject" });

const stubHandler: ProxyHandler<StubTarget> = {
  get: (target, prop) => (prop === "name" || prop === "id" ? target[prop] : target.member(prop)),
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
};

/** The locator behind a Durable Object stub made by durasim, or undefined for anything else. */
export function stubLocator(value: unknown): ObjectLocator | undefined {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
  return (value as { [LOCATOR]?: ObjectLocator })[LOCATOR];
}

/**
 * A Durable Object stub. Its own enumerable keys are exactly `name` and `id`; every other
 * property is an RPC method (it is not thenable). Creating one constructs nothing.
 */
export function createStub(locator: ObjectLocator, id: DurableObjectId): DurableObjectStub {
  return new Proxy(new StubTarget(locator.name, id, locator), stubHandler) as unknown as DurableObjectStub;
}
