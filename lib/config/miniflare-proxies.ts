/**
 * What Miniflare 4 hands to Node code (the bindings of getBindings() and the get*() methods,
 * getWorker()'s service, and the stubs and ids made from them) are proxies over its loopback to
 * workerd. A setOptions() or dispose() restarts or ends workerd, so each ends a generation of
 * proxies: every proxy made before is poisoned (any use throws at once), and a call still under
 * way that the end cuts short fails as undici's fetch() fails when the other side closes. The
 * front door gives Node code views of durasim's own objects that end the same way.
 */
import { inspect } from "node:util";
import { isEndOfEmulatorError } from "../runtime/errors.js";
import { registerView, seenThrough } from "../util/views.js";

export const POISONED_MESSAGE =
  "Attempted to use poisoned stub. Stubs to runtime objects must be re-created after calling `Miniflare#setOptions()` or `Miniflare#dispose()`.";

/**
 * When `error` is the end of the emulator under a call cutting it short: what the call rejects
 * with through Miniflare's loopback, undici's failure of a request whose connection the server
 * closed (workerd went away under it).
 */
export function loopbackFailure(error: unknown): TypeError | undefined {
  if (!isEndOfEmulatorError(error)) return undefined;
  const cause = Object.assign(new Error("other side closed"), { name: "SocketError", code: "UND_ERR_SOCKET" });
  return new TypeError("fetch failed", { cause });
}

/** `promise`, failing as a call through the loopback fails (loopbackFailure). */
function throughLoopback<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    throw loopbackFailure(error) ?? error;
  });
}

/** Sends a Node-side `fetch()` of a Fetcher (a Durable Object stub, a service): Miniflare's proxy builds Node's Request of it at once. */
export type NodeFetch = (fetcher: { fetch(request: Request, init?: unknown): Promise<unknown> }, input: unknown, init: unknown) => Promise<Response>;

export class ProxyGeneration {
  #poisoned = false;
  readonly #nodeFetch: NodeFetch;
  /** One view per object, so a binding got twice (getBindings().KV, getKVNamespace("KV")) is one object, as Miniflare's proxies are. */
  readonly #views = new WeakMap<object, object>();

  constructor(nodeFetch: NodeFetch) {
    this.#nodeFetch = nodeFetch;
  }

  /** Ends the generation: its views throw from now on. */
  poison(): void {
    this.#poisoned = true;
  }

  assertSafe(): void {
    if (this.#poisoned) throw new Error(POISONED_MESSAGE);
  }

  /**
   * A view of a runtime object for Node code: each property read and call first checks the
   * generation is alive, a call's promise fails as through the loopback, and a synchronous
   * result that is an object (a stub from a namespace, its id) is a view too. `fetch` of a
   * Fetcher is Node's (NodeFetch). Views given back as arguments are the objects themselves.
   */
  view<T>(target: T): T {
    if ((typeof target !== "object" || target === null) && typeof target !== "function") return target;
    const real = target as object;
    const known = this.#views.get(real);
    if (known !== undefined) return known as T;
    // The Proxy's own target is a stand-in, as Miniflare's: the views' properties are not the
    // object's, so no invariant of the object's own (frozen) properties binds what they return.
    const standIn: object = typeof real === "function" ? () => undefined : {};
    Object.defineProperty(standIn, inspect.custom, { value: (_depth: number, options: object) => inspect(real, options), configurable: true });
    const call = (method: Function, args: unknown[]) => this.#called(Reflect.apply(method, real, args.map(seenThrough)));
    const view = new Proxy(standIn, {
      get: (_standIn, key) => {
        this.assertSafe();
        // Not thenable, as Miniflare's proxies are not: `await mf.getWorker()` gives the view.
        if (key === "then") return undefined;
        const value: unknown = Reflect.get(real, key, real);
        if (typeof value === "function") {
          if (key === "fetch") return (input: unknown, init?: unknown) => (this.assertSafe(), throughLoopback(this.#nodeFetch(real as never, input, init)));
          // Named as the method, as Miniflare names the functions its proxies give.
          return { [key]: (...args: unknown[]) => (this.assertSafe(), call(value, args)) }[key as string];
        }
        return this.view(value);
      },
      apply: (_standIn, _this, args: unknown[]) => (this.assertSafe(), call(real as Function, args)),
      has: (_standIn, key) => (this.assertSafe(), Reflect.has(real, key)),
      ownKeys: () => (this.assertSafe(), Reflect.ownKeys(real)),
      getOwnPropertyDescriptor: (_standIn, key) => {
        this.assertSafe();
        const descriptor = Reflect.getOwnPropertyDescriptor(real, key);
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
      getPrototypeOf: () => Reflect.getPrototypeOf(real),
    });
    // Given back to durasim (an id to `get()`, a stub to a `durasim/test` helper), the view is
    // its object, while the generation is alive.
    registerView(view, () => (this.assertSafe(), real));
    this.#views.set(real, view);
    return view as T;
  }

  /**
   * A call's result: an object is a view; a promise (an RPC call's is a thenable) is a Promise,
   * as Miniflare's proxy answers (no pipelining), that fails as through the loopback and
   * resolves to a view when it gives a stub (an RpcTarget's, a function's: callables).
   */
  #called(result: unknown): unknown {
    if (typeof (result as { then?: unknown } | null)?.then !== "function") return this.view(result);
    const settled = Promise.resolve(result).then((value) => (typeof value === "function" ? this.view(value) : value));
    return throughLoopback(settled);
  }
}
