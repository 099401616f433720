/**
 * What Miniflare 4 hands to Node code (the bindings of getBindings() and the get*() methods,
 * getWorker()'s service, and the stubs and ids made from them) are proxies over its loopback to
 * workerd. A setOptions() or dispose() restarts or ends workerd, so each ends a generation of
 * proxies: every proxy made before is poisoned (any use throws at once), and a call still under
 * way that the end cuts short fails as undici's fetch() fails when the other side closes. The
 * front door gives Node code views of durasim's own objects that end the same way.
 */
import { inspect, types } from "node:util";
import { isEndOfEmulatorError } from "../runtime/errors.js";
import { isObjectPrototype } from "../runtime/rpc/serialize.js";
import { registerView, seenThrough } from "../util/views.js";
import { stubLocator } from "../runtime/rpc/stub.js";

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

/** The classes Miniflare's proxy server sends an error as, by its name (devalue's reducer): any other is an Error. */
const SENT_ERROR_CLASSES: readonly ErrorConstructor[] = [EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];

/**
 * An error a call rejected with, as Node code receives it through Miniflare's proxy: rebuilt
 * from its name, message, stack and cause (sent the same way), so the runtime's `remote` and
 * any other own property stay behind and a class of another name arrives as an Error.
 */
function sentError(error: unknown): unknown {
  if (Object.prototype.toString.call(error) !== "[object Error]") return error;
  const given = error as Error;
  const ErrorClass = SENT_ERROR_CLASSES.find((candidate) => candidate.name === given.name) ?? Error;
  const sent = new ErrorClass(given.message, { cause: sentError(given.cause) });
  sent.stack = given.stack;
  return sent;
}

/** `promise`, failing as a call through the loopback fails (loopbackFailure). */
function throughLoopback<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    throw loopbackFailure(error) ?? error;
  });
}

/** Sends a Node-side `fetch()` of a Fetcher (a Durable Object stub, a service): Miniflare's proxy builds Node's Request of it at once. */
export type NodeFetch = (fetcher: { fetch(request: Request, init?: unknown): Promise<unknown> }, input: unknown, init: unknown) => Promise<Response>;

/** Whether `value` is a stub: a function's or an RpcTarget's (functions) or a Durable Object's (durasim's are Proxies). */
function isStub(value: unknown): boolean {
  return typeof value === "function" || types.isProxy(value);
}

export class ProxyGeneration {
  #poisoned = false;
  /**
   * Until the generation is poisoned: it closes over its Miniflare (the request.cf it adds), and
   * a view Node code keeps past dispose() or setOptions() (a stub, a KV binding) would keep that
   * Miniflare, with its emulator, for good. A poisoned view throws before it would fetch.
   */
  #nodeFetch: NodeFetch | undefined;
  /** One view per object, so a binding got twice (getBindings().KV, getKVNamespace("KV")) is one object, as Miniflare's proxies are. */
  readonly #views = new WeakMap<object, object>();
  /** Plain RPC results Node code holds as views, whose own properties read by value, as Miniflare's proxy reads them. */
  readonly #byValue = new WeakSet<object>();

  constructor(nodeFetch: NodeFetch) {
    this.#nodeFetch = nodeFetch;
  }

  /** Ends the generation: its views throw from now on. */
  poison(): void {
    this.#poisoned = true;
    this.#nodeFetch = undefined;
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
    // An array's is an array, so Array.isArray() tells a view of one, as Miniflare's proxy lets it.
    const standIn: object = typeof real === "function" ? () => undefined : Array.isArray(real) ? [] : {};
    Object.defineProperty(standIn, inspect.custom, { value: (_depth: number, options: object) => inspect(real, options), configurable: true });
    // Miniflare's proxy answers every RPC call synchronously but a Durable Object stub's own.
    const answersAtOnce = stubLocator(real) === undefined;
    const call = (method: Function, args: unknown[]) => this.#called(Reflect.apply(method, real, args.map(seenThrough)), types.isProxy(method), answersAtOnce);
    const view = new Proxy(standIn, {
      get: (_standIn, key) => {
        this.assertSafe();
        // Not thenable, as Miniflare's proxies are not: `await mf.getWorker()` gives the view.
        if (key === "then") return undefined;
        const value: unknown = Reflect.get(real, key, real);
        // A plain result's own data reads by value, as Miniflare's proxy sends it (its stubs are views already).
        if (this.#byValue.has(real) && Object.hasOwn(real, key) && (typeof value !== "function" || seenThrough(value) !== value)) return value;
        if (typeof value === "function") {
          if (key === "fetch") return (input: unknown, init?: unknown) => (this.assertSafe(), throughLoopback(this.#nodeFetch!(real as never, input, init)));
          // Named as the method, as Miniflare names the functions its proxies give.
          const method = { [key]: (...args: unknown[]) => (this.assertSafe(), call(value, args)) }[key as string]!;
          return types.isProxy(value) ? this.#readable(method, value) : method;
        }
        return this.view(value);
      },
      apply: (_standIn, _this, args: unknown[]) => (this.assertSafe(), call(real as Function, args)),
      has: (_standIn, key) => (this.assertSafe(), Reflect.has(real, key)),
      ownKeys: () => (this.assertSafe(), Reflect.ownKeys(real)),
      getOwnPropertyDescriptor: (_standIn, key) => {
        this.assertSafe();
        const descriptor = Reflect.getOwnPropertyDescriptor(real, key);
        // An array stand-in's own `length` cannot be reported configurable (a Proxy invariant).
        const fixed = Reflect.getOwnPropertyDescriptor(standIn, key)?.configurable === false;
        return descriptor === undefined || fixed ? descriptor : { ...descriptor, configurable: true };
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
   * `method`, a view's RPC name (the runtime's RpcProperty `property`), made thenable: awaited,
   * it reads the property, as Miniflare's proxy gives a getter's value (`await stub.count`).
   */
  #readable(method: Function, property: unknown): Function {
    for (const name of ["then", "catch", "finally"] as const) {
      Object.defineProperty(method, name, {
        value: (...args: unknown[]) => {
          const read = this.#called(property, true) as Promise<unknown>;
          return (read[name] as (...args: unknown[]) => Promise<unknown>).apply(read, args);
        },
      });
    }
    return method;
  }

  /**
   * A call's result: an object is a view; a promise (an RPC call's is a thenable) is a Promise,
   * as Miniflare's proxy answers (a Durable Object stub's without pipelining; `pipelines`: one
   * Miniflare answers synchronously pipelines, #pipelined), that fails as through the loopback, or with
   * the error as Miniflare sends it (sentError), and resolves to what Node code receives of the
   * value (#received). `rpc`: whether the method
   * called is a stub's (JS RPC: a Proxy, as durasim's RPC paths are), not a built-in binding's
   * (KV, R2, a Fetcher's scheduled()).
   */
  #called(result: unknown, rpc: boolean, pipelines = false): unknown {
    if (typeof (result as { then?: unknown } | null)?.then !== "function") return this.view(result);
    const settle = () =>
      Promise.resolve(result).then(
        (value) => this.#received(value, rpc),
        (error: unknown) => {
          throw loopbackFailure(error) ?? sentError(error);
        },
      );
    return rpc && pipelines ? this.#pipelined(settle) : settle();
  }

  /**
   * The promise of an RPC call Miniflare's proxy answers synchronously (any but a Durable Object
   * stub's own methods: a service's, getWorker()'s, an RpcTarget's or a function's). durasim's
   * call cannot block, so its promise pipelines instead: a name read from it is that property of
   * the value it resolves to (as Node code receives it), and a call on it calls the value, each
   * pipelining again, so `await worker.make().list[0]`, `await worker.target().method()` and
   * `await worker.makeFunction()(1)` give what Miniflare's synchronous answers do. It is a
   * Promise (instanceof, its tag), callable. `settle` makes the promise, only once Node code
   * awaits it (or what is read from it), so a failure nothing awaits goes unreported, as the
   * runtime's own does; `call` calls the value (`parent[key](...args)` for a member).
   */
  #pipelined(settle: () => Promise<unknown>, call = (args: unknown[]) => settle().then((value) => (value as Function)(...args))): unknown {
    let settled: Promise<unknown> | undefined;
    const promise = (): Promise<unknown> => (settled ??= settle());
    return new Proxy(Object.setPrototypeOf(() => undefined, Promise.prototype) as object, {
      get: (_standIn, key) => {
        this.assertSafe();
        if (key === "then" || key === "catch" || key === "finally") return promise()[key].bind(promise());
        if (typeof key === "symbol" || key in Promise.prototype) return Reflect.get(Promise.prototype, key);
        const member = (value: unknown) => value as Record<string, (...args: unknown[]) => unknown>;
        return this.#pipelined(
          () => promise().then((value) => member(value)[key]),
          (args) => promise().then((value) => member(value)[key]!(...args)),
        );
      },
      apply: (_standIn, _this, args: unknown[]) => (this.assertSafe(), this.#pipelined(() => call(args))),
    });
  }

  /**
   * An RPC result as Miniflare's proxy server sends it to Node code: by value (devalue), but
   * what devalue cannot send stays in workerd behind a proxy: each stub in it, and the result
   * itself when an RPC call's is a plain object (workerd gives such a result a Symbol.dispose,
   * so it is plain no more), whose properties then read by value, stubs views. The result is
   * the call's own copy, so stubs are replaced in it.
   */
  #received(value: unknown, rpc: boolean): unknown {
    const disposable = rpc && typeof value === "object" && value !== null && isObjectPrototype(Object.getPrototypeOf(value));
    if (isStub(value)) return this.view(value);
    // (A built-in binding's result, a KV value or listing, holds no stub: not walked.)
    if (rpc) this.#viewStubsIn(value, new Set());
    if (!disposable) return value;
    // The plain result is a proxy, but what is read from it comes by value (#byValue).
    this.#byValue.add(value as object);
    return this.view(value);
  }

  /** Replaces each stub in `value`'s arrays, plain objects, Map values and Sets by its view. */
  #viewStubsIn(value: unknown, seen: Set<object>): void {
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    const received = (entry: unknown) => (isStub(entry) ? this.view(entry) : (this.#viewStubsIn(entry, seen), entry));
    if (value instanceof Map) {
      for (const [key, entry] of value) value.set(key, received(entry));
    } else if (value instanceof Set) {
      const entries = [...value].map(received);
      value.clear();
      for (const entry of entries) value.add(entry);
    } else if (Array.isArray(value) || isObjectPrototype(Object.getPrototypeOf(value))) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = received(record[key]);
    }
  }
}
