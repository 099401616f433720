import { isBufferSource } from "../../util/buffer-source.js";
import { readsNative } from "../../util/native-names.js";
import { evaluatesWorkerModules, runsEmulatedCode } from "../code-context.js";

/** The `WebAssembly` of each realm given to Worker code, made once. */
const ofRealm = new WeakMap<object, object>();

/** What the runtime's WebAssembly lacks: it loads no module from a Response. */
const ABSENT = new Set<PropertyKey>(["compileStreaming", "instantiateStreaming"]);

type Namespace = Record<string, unknown> & { CompileError: new (message: string) => Error; Module: new (bytes: unknown) => object };

/**
 * The `WebAssembly` Worker modules get (worker-scope.ts): `global`'s own namespace without
 * `compileStreaming` and `instantiateStreaming`, which the runtime lacks (Node has them), and
 * whose compiling members refuse bytes while a Worker event or an object runs (see
 * refusingCompilation). Everything else is `global`'s: the same classes (`instanceof
 * WebAssembly.Module` holds for the modules Worker code imports) and functions, its tag.
 */
export function webAssemblyOf(global: object): object {
  let copy = ofRealm.get(global);
  if (copy === undefined) {
    const realm = (global as { WebAssembly: Namespace }).WebAssembly;
    copy = Object.create(Object.getPrototypeOf(realm) as object | null) as object;
    for (const key of Reflect.ownKeys(realm)) {
      if (!ABSENT.has(key)) Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(realm, key)!);
    }
    Object.assign(copy, refusingCompilation(realm, (global as { Promise: PromiseConstructor }).Promise));
    ofRealm.set(global, copy);
  }
  return copy;
}

/**
 * The runtime lets code compile WebAssembly from bytes only while the Worker's modules are
 * evaluated (the embedder allows code generation then); in a handler, an object's constructor or
 * anything they set off, `new WebAssembly.Module(bytes)`, `compile()` and `instantiate(bytes)`
 * fail with V8's CompileError, so a Worker compiles its modules up front or imports them (a
 * `.wasm` import is a Module, which `instantiate()` and `new Instance()` still take). So code
 * that is no Worker or object code may compile, and so may the Worker's modules while durasim
 * evaluates them (marked, code-context.ts: asWorkerModuleEvaluation), also where the context
 * they run in is an event's (the load an event's call set off, code after a top-level await);
 * test code outside the Worker is not refused either. V8 checks before reading the bytes (a call without
 * `new` is still its TypeError), except in `instantiate()`, which first tells a Module from bytes.
 */
function refusingCompilation(realm: Namespace, RealmPromise: PromiseConstructor): Record<string, unknown> {
  const refuses = () => runsEmulatedCode() && !evaluatesWorkerModules();
  const refusal = (method: string) => new realm.CompileError(`WebAssembly.${method}(): Wasm code generation disallowed by embedder`);
  const original = realm as unknown as { Module: Function; compile: Function; instantiate: Function };
  // Only the Worker's namespace names this Module: in the realm's place it would refuse the
  // libraries the emulator itself runs inside an event (sql.js compiling its engine on an
  // object's first SQLite call refused every call of a fresh test process).
  const guardedModule = new Proxy(original.Module, {
    construct(target, args, newTarget) {
      if (refuses()) throw refusal("Module");
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  // compile() is a method, not a function expression: V8's is no constructor and has no
  // `prototype`. The runtime's instantiate() is JavaScript (it wraps V8's to watch the instance
  // it makes), a function with a `prototype`, as this one.
  const guarded = {
    compile(this: unknown, ...args: unknown[]): unknown {
      return refuses() ? RealmPromise.reject(refusal("compile")) : Reflect.apply(original.compile, this, args);
    },
    instantiate: function instantiate(this: unknown, ...args: unknown[]): unknown {
      return refuses() && isBufferSource(args[0], { shared: true }) ? RealmPromise.reject(refusal("instantiate")) : Reflect.apply(original.instantiate, this, args);
    },
  };
  for (const f of [guarded.compile, guarded.instantiate]) Object.defineProperty(f, "length", { value: 1 });
  return { Module: readsNative(guardedModule, "Module"), compile: readsNative(guarded.compile, "compile"), instantiate: readsNative(guarded.instantiate, "instantiate") };
}
