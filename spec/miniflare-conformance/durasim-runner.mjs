// Runs one scenario on durasim's bindings.
//
// Until the Emulator wires the bindings, the scenario's module is imported as is and its
// fetch handler is called with an env built from the binding classes directly: one store per
// named namespace or bucket, shared by the bindings that name it. Plain Node cannot import
// lib/*.ts, so this loads the build output (`npm run build`).
const DIST = new URL("../../dist/", import.meta.url);

let loaded;
function bindings() {
  loaded ??= Promise.all([
    import(new URL("bindings/kv/namespace.js", DIST)),
    import(new URL("bindings/kv/store.js", DIST)),
    import(new URL("bindings/r2/bucket.js", DIST)),
    import(new URL("bindings/r2/store.js", DIST)),
  ]).then(([{ KvNamespace }, { KvNamespaceStore }, { R2Bucket }, { R2BucketStore }]) => ({ KvNamespace, KvNamespaceStore, R2Bucket, R2BucketStore }));
  return loaded;
}

export async function runOnDurasim(scenario, { kvBindings, r2Buckets }) {
  const { KvNamespace, KvNamespaceStore, R2Bucket, R2BucketStore } = await bindings();
  const env = {};
  const bind = (names, Binding, Store) => {
    const stores = new Map();
    for (const [name, id] of Object.entries(names)) {
      if (!stores.has(id)) stores.set(id, new Store(() => Date.now()));
      env[name] = new Binding(stores.get(id));
    }
  };
  bind(kvBindings, KvNamespace, KvNamespaceStore);
  bind(r2Buckets, R2Bucket, R2BucketStore);
  let timer;
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ failure: "durasim did not answer" }), scenario.timeoutMs + 5_000);
  });
  const answer = (async () => {
    const mod = await import(`data:text/javascript,${encodeURIComponent(scenario.module)}`);
    const res = await mod.default.fetch(new Request("http://scenario/"), env);
    const text = await res.text();
    try {
      return { record: JSON.parse(text) };
    } catch {
      return { failure: `durasim answered ${res.status} with non-JSON: ${text.slice(0, 2000)}` };
    }
  })().catch((e) => ({ failure: `durasim failed outside the scenario: ${e?.stack ?? e}` }));
  try {
    return await Promise.race([answer, hang]);
  } finally {
    clearTimeout(timer);
  }
}
