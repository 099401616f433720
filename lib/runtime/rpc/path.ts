import { RPC_STUB_BRAND } from "../brands.js";
import { withFlags } from "../errors.js";

/**
 * The receiving side of RPC stubs: a Durable Object, an RpcTarget, a callback function, or the
 * eventual result of an earlier call (promise pipelining).
 */
export interface RpcEndpoint {
  /** Calls the member at `path` with `args`, or reads it when `args` is undefined. */
  invoke(path: readonly string[], args: unknown[] | undefined): Promise<unknown>;
  /** The Durable Object behind the endpoint, named in errors of pipelined calls. */
  readonly durableObjectId?: string;
  /** The proxy handler of its results (see `resultHandler`). */
  readonly results?: ProxyHandler<Promise<unknown>>;
}

const pathHandler: ProxyHandler<RpcPathTarget> = {
  apply(target, _thisArg, args: unknown[]) {
    return new Proxy(target.endpoint.invoke(target.path, args), target.endpoint.results ?? ANONYMOUS_RESULTS);
  },
  get(target, prop) {
    if (prop === RPC_STUB_BRAND) return true;
    if (typeof prop === "symbol") return undefined;
    if (prop === "then" || prop === "catch" || prop === "finally") {
      // A stub itself is not thenable; `await stub.prop` reads the property.
      if (target.path.length === 0) return undefined;
      const read = target.endpoint.invoke(target.path, undefined);
      return (read[prop] as Function).bind(read);
    }
    return rpcPath(target.endpoint, [...target.path, prop]);
  },
};

interface RpcPathTarget {
  (): void;
  endpoint: RpcEndpoint;
  path: readonly string[];
}

/** A callable, awaitable reference to a member of a remote object: `stub.a.b(...)`. */
export function rpcPath(endpoint: RpcEndpoint, path: readonly string[]): Function {
  const target = function () {} as unknown as RpcPathTarget;
  target.endpoint = endpoint;
  target.path = path;
  return new Proxy(target, pathHandler);
}

/**
 * RPC results are proxies over native promises: `then`/`catch`/`finally` are the promise's, and
 * any other name is a call pipelined on the eventual result. Like the runtime's RpcPromise, a
 * result is a thenable but not `instanceof Promise`. Each endpoint keeps one handler (its id
 * names the source object in pipelining errors), so a call allocates only the proxy.
 */
export function resultHandler(durableObjectId: string | undefined): ProxyHandler<Promise<unknown>> {
  return {
    get(promise, prop) {
      if (prop === "then" || prop === "catch" || prop === "finally") return promise[prop].bind(promise);
      if (typeof prop === "symbol") return Reflect.get(promise, prop);
      return rpcPath(new PipelineEndpoint(promise, durableObjectId), [prop]);
    },
    getPrototypeOf: () => Object.prototype,
  };
}

const ANONYMOUS_RESULTS = resultHandler(undefined);

/** Calls made on a result that has not arrived yet are applied to it once it does. */
class PipelineEndpoint implements RpcEndpoint {
  constructor(
    private readonly result: Promise<unknown>,
    readonly durableObjectId: string | undefined,
  ) {}

  invoke(path: readonly string[], args: unknown[] | undefined): Promise<unknown> {
    return this.result.then((value) => {
      if ((typeof value !== "object" && typeof value !== "function") || value === null) {
        const error = new TypeError(`The RPC receiver does not implement the method "${path[0]}".`);
        throw withFlags(error, { remote: true, durableObjectId: this.durableObjectId });
      }
      let holder = value as Record<string, unknown>;
      for (const segment of path.slice(0, -1)) holder = holder[segment] as Record<string, unknown>;
      const member = holder[path[path.length - 1]!];
      if (args === undefined) return member;
      if (typeof member !== "function") throw new TypeError(`"${path.join(".")}" is not a function.`);
      return Reflect.apply(member, holder, args);
    });
  }
}

/**
 * Finds `name` the way the runtime's RPC does: on the prototype chain only (own instance
 * properties are not reachable), stopping before Object.prototype.
 */
export function findPrototypeMember(instance: object, name: string): PropertyDescriptor | undefined {
  // Not cached: tests replace methods on prototypes (vi.spyOn) and must see the replacement.
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return descriptor;
  }
  return undefined;
}

/**
 * Invokes `path` on a receiver, after the first segment was found by `findPrototypeMember`.
 * Later segments are ordinary property reads on what the first returned.
 */
export function invokeMember(
  receiver: object,
  first: PropertyDescriptor,
  path: readonly string[],
  args: unknown[] | undefined,
  mark: (error: TypeError) => TypeError = (error) => error,
): unknown {
  let holder: unknown = receiver;
  let member: unknown = first.get ? first.get.call(receiver) : first.value;
  for (let i = 1; i < path.length; i++) {
    const segment = path[i]!;
    holder = member;
    member = (member as Record<string, unknown> | null | undefined)?.[segment];
    if (member === undefined) throw mark(new TypeError(`The RPC receiver does not implement the method "${segment}".`));
  }
  if (args === undefined) return member;
  if (typeof member !== "function") throw mark(new TypeError(`"${path.join(".")}" is not a function.`));
  return Reflect.apply(member, holder, args);
}
