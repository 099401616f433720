import { describe, expect, it } from "vitest";
import { sortAlchemyBindings } from "../../lib/config/alchemy.js";
import { planMigrations } from "../../lib/config/migrations.js";
import { resolveNamespaces } from "../../lib/config/namespaces.js";
import { DurableObjectNamespace } from "../../lib/config/options.js";
import { configError } from "./config-error.js";
import { emulator } from "../helpers.js";


describe("Alchemy's binding shapes", () => {
  it("sorts the Bindings page's resources: KV, Durable Object, R2, secret, variables", () => {
    const counter = DurableObjectNamespace("counter", { className: "Counter", sqlite: true });
    const sorted = sortAlchemyBindings(
      {
        MY_KV: { type: "kv_namespace", namespaceId: "a1b2", title: "my-kv-namespace", dev: { id: "my-kv-local" } },
        LEGACY_KV: { type: "kv_namespace", id: "ref-id" },
        COUNTER: counter,
        BUCKET: { type: "r2_bucket", name: "my-bucket" },
        API_KEY: { type: "secret", unencrypted: "secret-key" },
        SETTINGS: { type: "json", json: { flags: ["a"] } },
        STAGE: "prod",
        DEBUG_MODE: true,
        AUTH: { type: "service", name: "auth-worker", id: "auth" },
        REF: { type: "service", service: "billing", entrypoint: "Billing" },
      },
      "api",
    );
    expect(sorted).toEqual({
      bindings: { API_KEY: "secret-key", SETTINGS: { flags: ["a"] }, STAGE: "prod", DEBUG_MODE: true },
      durableObjects: { COUNTER: counter },
      kvNamespaces: { MY_KV: "my-kv-local", LEGACY_KV: "ref-id" },
      r2Buckets: { BUCKET: "my-bucket" },
      serviceBindings: { AUTH: "auth-worker", REF: { name: "billing", entrypoint: "Billing" } },
    });
  });

  it("RateLimit({ namespace_id, simple }) becomes a rate limiting binding, its numeric namespace_id as text, sharing that namespace's counts", async () => {
    const rateLimit = { type: "ratelimit", namespace_id: 1001, simple: { limit: 2, period: 60 } };
    expect(sortAlchemyBindings({ LIMITER: rateLimit }, "api")).toEqual({ ratelimits: { LIMITER: { namespace_id: "1001", simple: { limit: 2, period: 60 } } } });
    const emu = emulator({
      script: "export default { fetch: () => new Response() };",
      bindings: { LIMITER: rateLimit },
      ratelimits: { SAME: { namespace_id: "1001", simple: { limit: 2, period: 60 } } },
    });
    const env = emu.env as Record<string, { limit(options: { key: string }): Promise<{ success: boolean }> }>;
    const seen = [await env.LIMITER!.limit({ key: "k" }), await env.SAME!.limit({ key: "k" }), await env.LIMITER!.limit({ key: "k" })];
    expect(seen.map(({ success }) => success)).toEqual([true, true, false]);
  });

  it("a rate limit bound under a name another binding has is refused, as for any Alchemy resource", () => {
    const rateLimit = { type: "ratelimit", namespace_id: 1001, simple: { limit: 2, period: 60 } };
    const options = { script: "export default {};", bindings: { LIMITER: rateLimit }, ratelimits: { LIMITER: { namespace_id: "1", simple: { limit: 1 } } } };
    expect(configError(() => emulator(options))).toContain("LIMITER");
    expect(configError(() => emulator({ script: "export default {};", bindings: { LIMITER: { ...rateLimit, simple: { limit: 2, period: 30 } } } }))).toContain("ratelimits.LIMITER.simple.period");
  });

  it("a plain object whose type is not Alchemy's is a value", () => {
    expect(sortAlchemyBindings({ SHAPE: { type: "circle", r: 1 } }, "w")).toEqual({ bindings: { SHAPE: { type: "circle", r: 1 } } });
  });

  it("a resource durasim does not emulate, or a remote one, is refused by name", () => {
    expect(configError(() => sortAlchemyBindings({ DB: { type: "d1", id: "x" } }, "api"))).toContain('bindings.DB of Worker "api" is an Alchemy "d1" binding');
    expect(configError(() => sortAlchemyBindings({ KV: { type: "kv_namespace", namespaceId: "x", dev: { remote: true } } }, "api"))).toContain("remote binding");
  });
});

describe("namespaces across Workers", () => {
  it("a client that leaves sqlite out takes the host's backend and reaches the host's namespace", () => {
    const plans = resolveNamespaces([
      { worker: "data", binding: "STORAGE", className: "DataStorage", sqlite: true },
      { worker: "api", binding: "SHARED", className: "DataStorage", scriptName: "data" },
    ]);
    expect(plans).toEqual([
      {
        hosts: ["data"],
        className: "DataStorage",
        uniqueKey: "data-DataStorage",
        sqlite: true,
        preventEviction: false,
        bindings: [
          { worker: "data", binding: "STORAGE" },
          { worker: "api", binding: "SHARED" },
        ],
      },
    ]);
  });

  it("a client that contradicts the host is refused, naming both Workers", () => {
    const message = configError(() =>
      resolveNamespaces([
        { worker: "data", binding: "STORAGE", className: "DataStorage", sqlite: false },
        { worker: "api", binding: "SHARED", className: "DataStorage", scriptName: "data", sqlite: true },
      ]),
    );
    expect(message).toContain('Worker "api"');
    expect(message).toContain('Worker "data"');
    expect(message).toContain("Leave \"sqlite\" out of the client's binding");
  });

  it("the host's migrations decide the backend; a binding contradicting them is refused", () => {
    const { state } = planMigrations({}, "data", [{ tag: "v1", new_sqlite_classes: ["DataStorage"] }], { boundClasses: [], knownScripts: ["data"] });
    const [plan] = resolveNamespaces([{ worker: "api", binding: "S", className: "DataStorage", scriptName: "data" }], state);
    expect(plan).toMatchObject({ sqlite: true, uniqueKey: "data-DataStorage" });
    expect(configError(() => resolveNamespaces([{ worker: "api", binding: "S", className: "DataStorage", scriptName: "data", sqlite: false }], state))).toContain(
      'contradicts Worker "data", whose migrations made class "DataStorage" SQLite-backed',
    );
  });

  it("a renamed class keeps the namespace key its migrations handed it", () => {
    const { state } = planMigrations({}, "w", [{ tag: "v1", new_classes: ["Counter"] }, { tag: "v2", renamed_classes: [{ from: "Counter", to: "MyCounter" }] }], {
      boundClasses: [],
      knownScripts: ["w"],
    });
    expect(resolveNamespaces([{ worker: "w", binding: "C", className: "MyCounter" }], state)[0]).toMatchObject({ uniqueKey: "w-Counter", sqlite: false });
  });

  it("an Alchemy declaration re-used in another Worker is one namespace keyed by its stable id", () => {
    const plans = resolveNamespaces([
      { worker: "api", binding: "SHARED", className: "DataStorage", declaration: "storage" },
      { worker: "data", binding: "STORAGE", className: "DataStorage", declaration: "storage" },
    ]);
    // Both bind it as their own: the Worker that exports DataStorage hosts it.
    expect(plans).toEqual([
      {
        hosts: ["api", "data"],
        className: "DataStorage",
        uniqueKey: "storage",
        sqlite: false,
        preventEviction: false,
        bindings: [
          { worker: "api", binding: "SHARED" },
          { worker: "data", binding: "STORAGE" },
        ],
      },
    ]);
    const named = resolveNamespaces([
      { worker: "data", binding: "STORAGE", className: "DataStorage", declaration: "storage", sqlite: true },
      { worker: "api", binding: "SHARED", className: "DataStorage", declaration: "storage", scriptName: "data", sqlite: true },
      { worker: "admin", binding: "RAW", className: "DataStorage", scriptName: "data" },
    ]);
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({ hosts: ["data"], uniqueKey: "storage", sqlite: true });
    expect(named[0]!.bindings).toHaveLength(3);
  });

  it("one declaration with two class names, or two hosts, is refused", () => {
    expect(
      configError(() =>
        resolveNamespaces([
          { worker: "a", binding: "X", className: "A", declaration: "d" },
          { worker: "b", binding: "Y", className: "B", declaration: "d" },
        ]),
      ),
    ).toContain('the declaration "d" is bound with different class names');
    expect(
      configError(() =>
        resolveNamespaces([
          { worker: "a", binding: "X", className: "A", declaration: "d", scriptName: "h1" },
          { worker: "b", binding: "Y", className: "A", declaration: "d", scriptName: "h2" },
        ]),
      ),
    ).toContain("names different hosts");
  });

  it("an explicit unique key (Miniflare's unsafeUniqueKey) names the namespace; preventEviction from any binding holds", () => {
    const [plan] = resolveNamespaces([
      { worker: "", binding: "A", className: "Object1", uniqueKey: "custom-key" },
      { worker: "", binding: "B", className: "Object1", preventEviction: true },
    ]);
    expect(plan).toMatchObject({ uniqueKey: "custom-key", preventEviction: true, hosts: [""] });
    const [unnamed] = resolveNamespaces([{ worker: "", binding: "A", className: "Object1" }]);
    expect(unnamed!.uniqueKey).toBe("-Object1");
  });
});

describe("Alchemy's VersionMetadata", () => {
  it("binds what wrangler dev does: a random UUID, an empty tag, and when the binding was made", () => {
    const { bindings } = sortAlchemyBindings({ VERSION: { type: "version_metadata" } }, "api");
    const version = bindings!.VERSION as Record<string, string>;
    expect(Object.keys(version)).toEqual(["id", "tag", "timestamp"]);
    expect(version.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([version.tag, new Date(version.timestamp).toISOString()]).toEqual(["", version.timestamp]);
  });
});

describe("Alchemy's AnalyticsEngineDataset", () => {
  it("binds a dataset whose writeDataPoint() drops the point, as wrangler dev's", () => {
    const { bindings } = sortAlchemyBindings({ EVENTS: { type: "analytics_engine", dataset: "events" } }, "api");
    const dataset = bindings!.EVENTS as { writeDataPoint(point?: object): unknown };
    expect(dataset.writeDataPoint({ blobs: ["a"] })).toBeUndefined();
  });
});
