/** The `WebAssembly` of each realm given to Worker code, made once. */
const ofRealm = new WeakMap<object, object>();

/** What the runtime's WebAssembly lacks: it loads no module from a Response. */
const ABSENT = new Set<PropertyKey>(["compileStreaming", "instantiateStreaming"]);

/**
 * The `WebAssembly` Worker modules get (worker-scope.ts): `global`'s own namespace without
 * `compileStreaming` and `instantiateStreaming`, which the runtime lacks (Node has them), so
 * glue code that tests for them (Emscripten's) takes the path it takes in production, compiling
 * bytes it was given. Everything else is `global`'s: the same classes (`instanceof
 * WebAssembly.Module` holds for the modules Worker code imports) and functions, its tag.
 */
export function webAssemblyOf(global: object): object {
  let copy = ofRealm.get(global);
  if (copy === undefined) {
    const realm = (global as { WebAssembly: object }).WebAssembly;
    copy = Object.create(Object.getPrototypeOf(realm) as object | null) as object;
    for (const key of Reflect.ownKeys(realm)) {
      if (!ABSENT.has(key)) Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(realm, key)!);
    }
    ofRealm.set(global, copy);
  }
  return copy;
}
