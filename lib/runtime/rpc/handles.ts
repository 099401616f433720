import { errorReference } from "../../util/error-reference.js";
import {
  type ArrivesIn,
  currentIoContext,
  endedContextRefusal,
  type EndsWithContext,
  type IoContext,
  ioContextRefusal,
  holdUntilContextEnds,
  letGo,
} from "../io-context.js";
import { copyArgsFirst } from "./early-copies.js";
import { rpcPromise, rpcProperty } from "./promises.js";
import { type RpcRef, stateOf, thisState, uncallableClass, pathOf, wildcard, wildcardKind } from "./wildcard.js";
import { refuseInStorage, serializableOnlyOverRpc } from "../../util/webidl.js";

/**
 * Stubs to functions and RpcTargets, and their lifetimes. A capability is the thing called (a
 * function or RpcTarget where it lives, reached through an endpoint); a handle is one holder's
 * reference to it (the runtime's JsRpcStub). Each handle is disposed once: explicitly, with the
 * result object that carried it, or when the call that received it as a parameter returns.
 * `dup()` makes another handle. When the last handle of a capability is disposed, an
 * RpcTarget's own `[Symbol.dispose]()` runs, where it lives.
 */

/** Where calls through a handle go: a function or RpcTarget, in the object (if any) it lives in. */
export interface RpcEndpoint {
  /** Calls the member at `path` with the (already copied) `args`, or reads it when `args` is
   * undefined; resolves to the result as the caller receives it. */
  invoke(path: readonly string[], args: unknown[] | undefined): Promise<unknown>;
  /** The Durable Object the capability lives in, named in errors the runtime raises there. */
  readonly durableObjectId?: string;
}

export class Capability {
  #handles = 0;

  constructor(
    readonly endpoint: RpcEndpoint,
    /** Runs once no handle is left (an RpcTarget's disposer). */
    private readonly onReleased?: () => void,
    /**
     * For a capability whose maker's own handle does not keep the maker going (`new RpcStub(fn)`
     * in a Worker event): what each handle handed over to a receiver takes, so the maker lasts
     * while a receiver holds one; it returns the function that gives the lend back.
     */
    readonly lend?: () => () => void,
  ) {}

  retain(): void {
    this.#handles++;
  }

  release(): void {
    if (--this.#handles === 0) this.onReleased?.();
  }
}

const DISPOSED_MESSAGE = "RPC stub used after being disposed.";

/** What the runtime names a handle's channel when another I/O context reaches it. */
const HANDLE_IO_TYPE = "Client";

/**
 * One handle's state; it is the RpcRef its property paths call through. A handle belongs to
 * an I/O context (io-context.ts): a `dup()` to the context whose code made it, a stub received
 * in a call's result to the caller's, one received as a parameter to the receiver's, as the call
 * arrives (so does the runtime; durasim copies a parameter in the sender's code, before it knows
 * the receiver's context, and binds it as the receiver starts running the call), and it
 * lasts as long as that context: when a Worker event ends, or an object's instance is reset, the
 * handles it held release their capability (the maker's event and timers may end then), and any
 * later use is refused as another context's. One test code made or received belongs to none.
 */
export class HandleState implements RpcRef, EndsWithContext, ArrivesIn {
  #disposed = false;
  /** Its context ended (see contextEnded): unlike a disposed handle, its use is refused as another context's. */
  #ended = false;
  #io: IoContext | undefined;
  /** Gives back the maker's lend this handle took (see Capability.lend), if it took one. */
  #lent: (() => void) | undefined;

  constructor(readonly capability: Capability, disposed = false, io?: IoContext, lends = false, ended = false) {
    this.#disposed = disposed;
    this.#ended = ended;
    this.#io = io;
    if (disposed || ended) return;
    capability.retain();
    if (lends) this.#lent = capability.lend?.();
    if (io !== undefined) holdUntilContextEnds(io, this);
  }

  get durableObjectId(): string | undefined {
    return this.capability.endpoint.durableObjectId;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  call(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    if (this.#disposed) return copyArgsFirst(args, () => Promise.reject(new Error(DISPOSED_MESSAGE)));
    const refusal = this.#ended ? endedContextRefusal(HANDLE_IO_TYPE) : ioContextRefusal(this.#io, HANDLE_IO_TYPE);
    if (refusal !== undefined) return Promise.reject(refusal);
    return this.capability.endpoint.invoke(path, args);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#ended) return;
    if (this.#io !== undefined) letGo(this.#io, this);
    this.#release();
  }

  /** A parameter's handle reached its receiver, running in `context`. */
  arriveIn(context: IoContext): void {
    if (this.#io !== undefined || this.#disposed || this.#ended) return;
    this.#io = context;
    holdUntilContextEnds(context, this);
  }

  /** Its context ended: the capability is released as if disposed, but the handle is not (see #ended). */
  contextEnded(): void {
    if (this.#disposed || this.#ended) return;
    this.#ended = true;
    this.#release();
  }

  #release(): void {
    this.capability.release();
    const lent = this.#lent;
    this.#lent = undefined;
    lent?.();
  }

  /** Another handle to the same capability (disposed, if this one is), for the running code's context. */
  dup(): HandleState {
    return new HandleState(this.capability, this.#disposed, this.#io ?? currentIoContext(), this.#lent !== undefined, this.#ended);
  }

  /** Another handle to the same capability, for a receiver in `receiver` (undefined: a context yet unknown). */
  handOver(receiver: IoContext | undefined): HandleState {
    return new HandleState(this.capability, this.#disposed, receiver, true, this.#ended);
  }
}

/** What `new RpcStub(value)` returns; stub.ts supplies it, knowing where the running code lives. */
let constructStub: ((value: unknown) => object) | undefined;

export function defineStubConstructor(construct: (value: unknown) => object): void {
  constructStub = construct;
}

/** A stub as user code sees it: any member is a call or a property read through it. */
type LocalStub = { [member: string]: any; dup(): LocalStub; [Symbol.dispose](): void };

/** `RpcStub` of cloudflare:workers: the class of every stub, and `new RpcStub(value)` makes one to a local value. */
export const RpcStub = uncallableClass("JsRpcStub", {
  dup(this: unknown) {
    const state = thisState(this, STUB_KIND);
    // What the runtime answers for a dup() of a disposed stub.
    if (state.disposed) throw new Error(`internal error; reference = ${errorReference()}`);
    return handle(state.dup());
  },
  [Symbol.dispose](this: unknown) {
    thisState(this, STUB_KIND).dispose();
  },
}, { construct: (value) => constructStub!(value), exposedAs: "RpcStub" }) as new (value: object) => LocalStub;

refuseInStorage(RpcStub.prototype, serializableOnlyOverRpc("RpcStub"));

const STUB_KIND = wildcardKind<HandleState>({
  proto: RpcStub.prototype as object,
  className: "RpcStub",
  thenable: false,
  wildcard: (state, name) => rpcProperty(state, pathOf(name)),
  call: (state, args) => rpcPromise(state.call([], args), state.durableObjectId),
  forward: (state) => state,
});

/**
 * A stub nobody can reach any more is disposed, as the runtime drops a collected stub's
 * capability: a receiver that never disposes what it received (most code) no longer keeps the
 * maker's Worker event, and its timers, going for good.
 */
const collected = new FinalizationRegistry<HandleState>((state) => state.dispose());

/** The JsRpcStub proxy for a handle (each handle has one). */
export function handle(state: HandleState): Function {
  const stub = wildcard(STUB_KIND, state);
  if (!state.disposed) collected.register(stub, state);
  return stub;
}

/** The handle behind a JsRpcStub proxy, or undefined for anything else. */
export function handleOf(value: unknown): HandleState | undefined {
  return stateOf(value, STUB_KIND);
}
