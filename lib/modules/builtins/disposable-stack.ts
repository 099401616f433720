import { describeReceiver, isCallable, isObject, type Realm } from "./define.js";

/**
 * DisposableStack, AsyncDisposableStack and SuppressedError (ES2026 explicit resource management),
 * which the runtime's V8 and Node 24 have and Node 20 lacks (its `Symbol.dispose` and
 * `Symbol.asyncDispose` are Node's own, which these use): a stack disposes what it holds last
 * first, each error after the first wrapped with the ones before in a SuppressedError, with V8's
 * shapes and words.
 */

/** A resource on a stack: what disposing it calls (awaited on an async stack). */
type Disposal = () => unknown;

/** The resources of each stack, undefined once it is disposed. */
const held = new WeakMap<object, { kind: Kind; disposals: Disposal[] | undefined }>();

type Kind = "DisposableStack" | "AsyncDisposableStack";

const SUPPRESSED = "An error was suppressed during disposal";

export function installDisposableStacks(realm: Realm): void {
  const global = realm as unknown as Record<string, unknown>;
  const dispose = (realm.Symbol as unknown as { dispose?: symbol }).dispose;
  const asyncDispose = (realm.Symbol as unknown as { asyncDispose?: symbol }).asyncDispose;
  // A realm Node made without the symbols (a vm context on Node 20) has nothing to dispose by.
  if (global.DisposableStack !== undefined || dispose === undefined || asyncDispose === undefined) return;
  const SuppressedError = suppressedErrorOf(realm);

  /** The stack's state, refusing a receiver that is no stack of `kind` in V8's words. */
  const stateOf = (self: unknown, kind: Kind, method: string) => {
    const state = isObject(self) ? held.get(self) : undefined;
    if (state === undefined || state.kind !== kind) throw new realm.TypeError(`Method ${kind}.prototype.${method} called on incompatible receiver ${describeReceiver(self)}`);
    return state;
  };
  /** The resources of a stack still in use. */
  const openOf = (self: unknown, kind: Kind, method: string) => {
    const state = stateOf(self, kind, method);
    if (state.disposals === undefined) throw new realm.ReferenceError(`Cannot call ${kind}.prototype.${method} on an already-disposed DisposableStack`);
    return state.disposals;
  };
  const callable = (value: unknown, shown: string): Function => {
    if (!isCallable(value)) throw new realm.TypeError(`${shown} is not a function`);
    return value;
  };
  /** Errors of a disposal, each after the first wrapping the ones before. */
  const collect = () => {
    let failure: { error: unknown } | undefined;
    return {
      add(error: unknown) {
        failure = { error: failure === undefined ? error : SuppressedError(error, failure.error, SUPPRESSED) };
      },
      get failure() {
        return failure;
      },
    };
  };

  const methods = (kind: Kind) => ({
    use(this: unknown, value: unknown): unknown {
      const disposals = openOf(this, kind, "use");
      if (value === null || value === undefined) {
        // An async stack still awaits once for it (the standard's resource without a method).
        if (kind === "AsyncDisposableStack") disposals.push(() => undefined);
        return value;
      }
      if (!isObject(value)) throw new realm.TypeError("An object is expected with `using` declarations");
      let method = (value as Record<symbol, unknown>)[kind === "AsyncDisposableStack" ? asyncDispose : dispose];
      if (kind === "AsyncDisposableStack" && (method === undefined || method === null)) {
        const sync = callable((value as Record<symbol, unknown>)[dispose], String(asyncDispose));
        method = function (this: unknown) {
          Reflect.apply(sync, this, []);
        };
      }
      const f = callable(method, String(kind === "AsyncDisposableStack" ? asyncDispose : dispose));
      disposals.push(() => Reflect.apply(f, value, []));
      return value;
    },
    adopt(this: unknown, value: unknown, onDispose: unknown): unknown {
      const disposals = openOf(this, kind, "adopt");
      const f = callable(onDispose, describeReceiver(onDispose));
      disposals.push(() => Reflect.apply(f, undefined, [value]));
      return value;
    },
    defer(this: unknown, onDispose: unknown): undefined {
      const disposals = openOf(this, kind, "defer");
      const f = callable(onDispose, describeReceiver(onDispose));
      disposals.push(() => Reflect.apply(f, undefined, []));
      return undefined;
    },
    move(this: unknown): object {
      const disposals = openOf(this, kind, "move");
      const moved = Reflect.construct(kind === "DisposableStack" ? DisposableStack : AsyncDisposableStack, []) as object;
      held.get(moved)!.disposals = disposals;
      held.get(this as object)!.disposals = undefined;
      return moved;
    },
  });

  function DisposableStack(this: object): void {
    if (new.target === undefined) throw new realm.TypeError("Constructor DisposableStack requires 'new'");
    held.set(this, { kind: "DisposableStack", disposals: [] });
  }
  function AsyncDisposableStack(this: object): void {
    if (new.target === undefined) throw new realm.TypeError("Constructor AsyncDisposableStack requires 'new'");
    held.set(this, { kind: "AsyncDisposableStack", disposals: [] });
  }

  const syncMethods = {
    ...methods("DisposableStack"),
    dispose(this: unknown): undefined {
      const state = stateOf(this, "DisposableStack", "dispose");
      const disposals = state.disposals;
      if (disposals === undefined) return undefined;
      state.disposals = undefined;
      const errors = collect();
      for (let i = disposals.length - 1; i >= 0; i--) {
        try {
          disposals[i]!();
        } catch (error) {
          errors.add(error);
        }
      }
      if (errors.failure !== undefined) throw errors.failure.error;
      return undefined;
    },
  };
  const asyncMethods = {
    ...methods("AsyncDisposableStack"),
    async disposeAsync(this: unknown): Promise<undefined> {
      const state = isObject(this) ? held.get(this) : undefined;
      if (state === undefined || state.kind !== "AsyncDisposableStack") throw new realm.TypeError("Receiver is not an AsyncDisposableStack");
      const disposals = state.disposals;
      if (disposals === undefined) return undefined;
      state.disposals = undefined;
      const errors = collect();
      for (let i = disposals.length - 1; i >= 0; i--) {
        try {
          await disposals[i]!();
        } catch (error) {
          errors.add(error);
        }
      }
      if (errors.failure !== undefined) throw errors.failure.error;
      return undefined;
    },
  };
  defineClass(realm, DisposableStack, "DisposableStack", syncMethods, ["use", "dispose", "adopt", "defer", "move"], dispose, "dispose");
  defineClass(realm, AsyncDisposableStack, "AsyncDisposableStack", asyncMethods, ["use", "disposeAsync", "adopt", "defer", "move"], asyncDispose, "disposeAsync");
  for (const [name, value] of [["DisposableStack", DisposableStack], ["AsyncDisposableStack", AsyncDisposableStack], ["SuppressedError", SuppressedError]] as const) {
    if (global[name] === undefined) Object.defineProperty(realm, name, { value, writable: true, enumerable: false, configurable: true });
  }
}

/** Gives `Class` V8's shape: length 0, a read-only prototype whose methods come in V8's order,
 * then `disposed`, the dispose symbol (the same function as `disposeName`) and the tag. */
function defineClass(realm: Realm, Class: Function, name: Kind, methods: Record<string, Function>, order: string[], symbol: symbol, disposeName: string): void {
  Object.defineProperty(Class, "length", { value: 0 });
  const prototype = Object.create(realm.Object.prototype) as object;
  const method = (value: unknown) => ({ value, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(prototype, "constructor", method(Class));
  for (const key of order) {
    const f = methods[key]!;
    Object.defineProperty(f, "name", { value: key });
    Object.defineProperty(prototype, key, method(f));
  }
  const disposed = {
    get disposed(): boolean {
      const state = isObject(this) ? held.get(this) : undefined;
      if (state === undefined || state.kind !== name) throw new realm.TypeError(`Method get ${name}.prototype.disposed called on incompatible receiver ${describeReceiver(this)}`);
      return state.disposals === undefined;
    },
  };
  Object.defineProperty(prototype, "disposed", { get: Object.getOwnPropertyDescriptor(disposed, "disposed")!.get, enumerable: false, configurable: true });
  Object.defineProperty(prototype, symbol, method(methods[disposeName]));
  Object.defineProperty(prototype, Symbol.toStringTag, { value: name, writable: false, enumerable: false, configurable: true });
  Object.defineProperty(Class, "prototype", { value: prototype, writable: false, enumerable: false, configurable: false });
}

/** SuppressedError(error, suppressed, message): callable without `new`, an Error of its own class
 * with own `message` (when given), `error` and `suppressed`, in V8's order after `stack`. */
function suppressedErrorOf(realm: Realm): (error: unknown, suppressed: unknown, message?: unknown) => Error {
  const SuppressedError = function (this: unknown, error: unknown, suppressed: unknown, message?: unknown): Error {
    const target = new.target ?? SuppressedError;
    const made = Reflect.construct(realm.Error, message === undefined ? [] : [message], target) as Error;
    realm.Error.captureStackTrace?.(made, SuppressedError);
    const value = (v: unknown) => ({ value: v, writable: true, enumerable: false, configurable: true });
    Object.defineProperties(made, { error: value(error), suppressed: value(suppressed) });
    return made;
  } as unknown as (error: unknown, suppressed: unknown, message?: unknown) => Error;
  Object.setPrototypeOf(SuppressedError, realm.Error);
  const prototype = Object.create(realm.Error.prototype) as object;
  const member = (v: unknown) => ({ value: v, writable: true, enumerable: false, configurable: true });
  Object.defineProperties(prototype, { constructor: member(SuppressedError), name: member("SuppressedError"), message: member("") });
  Object.defineProperty(SuppressedError, "prototype", { value: prototype, writable: false, enumerable: false, configurable: false });
  return SuppressedError;
}
