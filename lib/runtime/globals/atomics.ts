import { readsNative } from "../../util/native-names.js";
import { evaluatesWorkerModules, runsEmulatedCode } from "../code-context.js";

/** The `Atomics` of each realm given to Worker code, made once. */
const ofRealm = new WeakMap<object, object>();

/**
 * The `Atomics` Worker modules get (worker-scope.ts): `global`'s own, except that `wait()`
 * refuses while a Worker event or an object runs, or while durasim evaluates the Worker's
 * modules (code-context.ts: asWorkerModuleEvaluation), as the runtime's isolate refuses it (it
 * would block the one thread every request shares) with V8's own TypeError, once its arguments
 * have passed V8's checks. Node lets its main thread wait; test code outside the Worker still may.
 */
export function atomicsOf(global: object): object {
  let copy = ofRealm.get(global);
  if (copy === undefined) {
    const realm = global as { Atomics: object; TypeError: new (message: string) => Error };
    copy = Object.create(Object.getPrototypeOf(realm.Atomics) as object | null) as object;
    for (const key of Reflect.ownKeys(realm.Atomics)) Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(realm.Atomics, key)!);
    const { wait, waitAsync } = realm.Atomics as { wait: Function; waitAsync: Function };
    // A method, not a function expression: V8's wait() is no constructor and has no
    // `prototype`, and a function expression named `wait` would also shadow the one it wraps.
    const guarded = {
      wait(this: unknown, ...args: unknown[]): unknown {
        if (!runsEmulatedCode() && !evaluatesWorkerModules()) return Reflect.apply(wait, this, args);
        // V8 checks and converts every argument before asking whether the thread may wait:
        // waitAsync() does the same checks without ever blocking (a zero timeout registers no
        // waiter), then the timeout is converted as ToNumber does (unary plus refuses a BigInt).
        const [array, index, value, timeout] = args;
        Reflect.apply(waitAsync, realm.Atomics, [array, index, value, 0]);
        void +(timeout as number);
        throw new realm.TypeError("Atomics.wait cannot be called in this context");
      },
    };
    Object.defineProperty(guarded.wait, "length", { value: 4 });
    (copy as { wait: Function }).wait = readsNative(guarded.wait, "wait");
    ofRealm.set(global, copy);
  }
  return copy;
}
