/** The test integrations' options: Cloudflare's names, durasim's additions, clear errors. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Emulator } from "../../lib/emulator.js";
import { emulatorOptions } from "../../lib/testing/emulator-options.js";
import { jestTestOptions } from "../../lib/testing/jest/test-options.js";
import { resolveTestOptions } from "../../lib/testing/options.js";
import { ConfigError } from "../../lib/util/config-error.js";

const where = "cloudflareTest()";

function error(options: unknown, legacy = false): string {
  try {
    resolveTestOptions(options, "/project", where, { legacy });
  } catch (caught) {
    expect(caught).toBeInstanceOf(ConfigError);
    return (caught as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("test options", () => {
  it("take Cloudflare's options and ignore the ones that only concern workerd", () => {
    const resolved = resolveTestOptions(
      { main: "./src/index.ts", wrangler: { configPath: "./wrangler.jsonc", environment: "staging" }, miniflare: { bindings: { A: 1 } }, remoteBindings: false, verbose: true, additionalExports: { X: "DurableObject" } },
      "/project",
      where,
    );
    expect(resolved).toEqual({
      root: "/project",
      main: "./src/index.ts",
      wrangler: { configPath: "./wrangler.jsonc", environment: "staging" },
      miniflare: { bindings: { A: 1 } },
      isolation: "test",
      clock: "real",
      reportUsage: false,
    });
  });

  it("isolate per test by default under both APIs; \"file\" when asked (isolation, or the older API's isolatedStorage: false)", () => {
    expect(resolveTestOptions({}, "/p", where).isolation).toBe("test");
    expect(resolveTestOptions({}, "/p", where, { legacy: true }).isolation).toBe("test");
    expect(resolveTestOptions({ isolatedStorage: false, singleWorker: true }, "/p", where, { legacy: true }).isolation).toBe("file");
    expect(resolveTestOptions({ isolation: "file", clock: "manual" }, "/p", where)).toMatchObject({ isolation: "file", clock: "manual" });
    expect(resolveTestOptions({ reportUsage: true }, "/p", where).reportUsage).toBe(true);
  });

  it("keep storage per test file in memory, whatever Miniflare persistence options say", () => {
    const resolved = resolveTestOptions({ miniflare: { durableObjectsPersist: true, kvPersist: "./kv", bindings: { A: 1 } } }, "/project", "cloudflareTest()");
    const options = emulatorOptions(resolved);
    expect(options).not.toHaveProperty("persist");
    expect(options.bindings).toEqual({ A: 1 });
  });

  it("where the integration hosts functions, a function service binding travels as the host's marker; Miniflare's ignored hooks are dropped; bytes stay bytes", () => {
    const api = () => new Response("api");
    const inner = () => new Response("inner");
    const hosted: unknown[] = [];
    const hostFunction = (service: unknown) => (hosted.push(service), { marker: hosted.length });
    const contents = Uint8Array.of(1, 2);
    const resolved = resolveTestOptions(
      {
        miniflare: {
          serviceBindings: { API: api, NAMED: "other" },
          handleRuntimeStdio: () => {},
          workers: [{ name: "aux", modules: [{ type: "ESModule", path: "a.mjs", contents }], serviceBindings: { INNER: inner }, unsafeHandleDevRegistryUpdate: () => {} }],
        },
      },
      "/p",
      "cloudflareTest()",
      { hostFunction },
    );
    expect(hosted).toEqual([api, inner]);
    expect(resolved.miniflare).toEqual({
      serviceBindings: { API: { marker: 1 }, NAMED: "other" },
      workers: [{ name: "aux", modules: [{ type: "ESModule", path: "a.mjs", contents }], serviceBindings: { INNER: { marker: 2 } } }],
    });
    expect((resolved.miniflare!.workers as Array<{ modules: Array<{ contents: unknown }> }>)[0]!.modules[0]!.contents).toBe(contents);
    // The main Worker's outbound service leaves the Miniflare options for the runner, which routes fetch() to it.
    const outbound = () => new Response("out");
    const routed = resolveTestOptions({ miniflare: { outboundService: outbound, bindings: { A: 1 } } }, "/p", "cloudflareTest()", { hostFunction });
    expect([routed.outboundService, routed.miniflare, hosted.at(-1)]).toEqual([{ marker: 3 }, { bindings: { A: 1 } }, outbound]);
    expect(resolveTestOptions({ miniflare: { outboundService: "upstream" } }, "/p", "cloudflareTest()", { hostFunction }).outboundService).toBe("upstream");
    expect(() => resolveTestOptions({ miniflare: { outboundService: { name: "upstream", entrypoint: "E" } } }, "/p", "cloudflareTest()", { hostFunction })).toThrow(
      '"miniflare.outboundService" must be a function or the name of a Worker in miniflare.workers, got {"name":"upstream","entrypoint":"E"}.',
    );
    // An auxiliary Worker's leaves its options too, by the Worker's name; one without a name is refused.
    const aux = resolveTestOptions({ miniflare: { workers: [{ name: "prices", script: "x", outboundService: outbound }, { name: "plain" }] } }, "/p", "cloudflareTest()", { hostFunction });
    expect([aux.workerOutboundServices, aux.miniflare, aux.outboundService]).toEqual([{ prices: { marker: 4 } }, { workers: [{ name: "prices", script: "x" }, { name: "plain" }] }, undefined]);
    expect(() => resolveTestOptions({ miniflare: { workers: [{ script: "x", outboundService: "upstream" }] } }, "/p", "cloudflareTest()", { hostFunction })).toThrow(
      '"miniflare.workers.0.outboundService" belongs to a Worker without a name: give "miniflare.workers.0.name".',
    );
    expect(() => resolveTestOptions({ miniflare: { bindings: { F: () => 1 } } }, "/p", "cloudflareTest()", { hostFunction })).toThrow(
      /"miniflare\.bindings\.F" is a function\. The options are sent to the test runner's worker processes and must be plain data \(only a service binding may be a function here\)\./,
    );
  });

  it("name what is wrong and how to fix it", () => {
    expect(error({ mian: "x" })).toMatch(/unknown option "mian"\. Known options: main, wrangler, /);
    expect(error({ isolatedStorage: true })).toMatch(/unknown option "isolatedStorage"/);
    expect(error({ isolation: "suite" })).toMatch(/"isolation" must be "test" or "file", got "suite"/);
    expect(error({ reportUsage: "yes" })).toMatch(/"reportUsage" must be true or false, got "yes"/);
    expect(error({ wrangler: { config: "x" } })).toMatch(/unknown option "wrangler\.config"/);
    // The wrangler file's path given as the option itself (not iterated as characters).
    expect(error({ wrangler: "./wrangler.toml" })).toMatch(/"wrangler" must be an object \{ configPath, environment \}, got "\.\/wrangler\.toml": write wrangler: \{ configPath: "\.\/wrangler\.toml" \}\.$/);
    expect(error({ wrangler: ["./wrangler.toml"] })).toMatch(/"wrangler" must be an object \{ configPath, environment \}, got \["\.\/wrangler\.toml"\]\.$/);
    expect(error({ experimental: { newConfig: true } })).toMatch(/"experimental" \(cloudflare\.config\.ts\) is not supported/);
    expect(error({ miniflare: { serviceBindings: { API: () => new Response() } } })).toMatch(
      /"miniflare\.serviceBindings\.API" is a function\. The options are sent to the test runner's worker processes/,
    );
    // A function given to an option durasim refuses gets the refusal, not advice to write a Worker.
    expect(error({ miniflare: { workers: [{ name: "aux", outboundService: () => new Response() }] } })).toMatch(
      /"miniflare\.workers\.0\.outboundService" is a Miniflare option durasim does not emulate: durasim does not intercept a Worker's outbound fetch\(\) here \(the Vitest plugin routes the tests' and the main Worker's to the top-level miniflare\.outboundService, and an auxiliary Worker's to its own\)\. Mock globalThis\.fetch in the test instead\.$/,
    );
  });

  it("under Jest, options that describe no Worker in a project without a wrangler file are still checked: a misplaced or misspelt option is named, not ignored; Jest's own node environment options pass", () => {
    const empty = mkdtempSync(join(tmpdir(), "durasim-jest-options-"));
    try {
      const jestError = (options: Record<string, unknown>) => {
        try {
          jestTestOptions(options, empty);
        } catch (caught) {
          expect(caught).toBeInstanceOf(ConfigError);
          return (caught as Error).message;
        }
        throw new Error("expected a ConfigError");
      };
      expect(jestError({ configPath: "./wrangler.toml" })).toMatch(/durasim\/jest \(testEnvironmentOptions\): unknown option "configPath"\. Known options: main, wrangler, /);
      expect(jestError({ isolatedStorage: false })).toMatch(/unknown option "isolatedStorage"/);
      expect(jestTestOptions({ customExportConditions: ["node"], globalsCleanup: "off" }, empty)).toBeUndefined();
      expect(jestTestOptions({}, empty)).toBeUndefined();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("a binding to a class of the Worker under test, when the options give no module, names the missing main (under either integration); another Worker's class needs none", () => {
    const bound = { miniflare: { compatibilityDate: "2026-01-01", durableObjects: { COUNTER: "Counter" } } };
    const fix = 'set "main" to the Worker\'s entry module, or "wrangler.configPath" to a wrangler file with "main".';
    expect(() => emulatorOptions({ ...resolveTestOptions(bound, "/p", where), bundled: true })).toThrow(
      new ConfigError(`durasim: Durable Object binding COUNTER is to class "Counter" of the Worker under test, but the plugin's options give it no module: ${fix}`),
    );
    expect(() => emulatorOptions(resolveTestOptions(bound, "/p", where))).toThrow(`but testEnvironmentOptions give it no module: ${fix}`);
    const elsewhere = { miniflare: { durableObjects: { COUNTER: { className: "Counter", scriptName: "aux" } }, workers: [{ name: "aux", script: "", modules: true }] } };
    expect(emulatorOptions(resolveTestOptions(elsewhere, "/p", where)).module).toEqual({});
  });

  it("a binding the wrangler file declares of a product durasim does not emulate gets a stand-in unless the options bind its name, as a value or a binding of any kind (an assets binding served by another Worker)", () => {
    const root = mkdtempSync(join(tmpdir(), "durasim-stand-ins-"));
    try {
      writeFileSync(join(root, "wrangler.jsonc"), JSON.stringify({
        name: "site",
        compatibility_date: "2026-01-01",
        assets: { directory: "./public", binding: "ASSETS" },
        d1_databases: [{ binding: "DB", database_name: "db", database_id: "1" }],
        ai: { binding: "AI" },
        hyperdrive: [{ binding: "PG", id: "1", localConnectionString: "postgres://app@localhost:5432/app" }],
      }));
      const miniflare = { serviceBindings: { ASSETS: "static-site" }, kvNamespaces: ["DB"], workers: [{ name: "static-site", script: "", modules: true }] };
      const options = emulatorOptions(resolveTestOptions({ wrangler: { configPath: "./wrangler.jsonc" }, miniflare }, root, where));
      expect(Object.keys(options.bindings ?? {})).toEqual(["PG", "AI"]);
      expect(Object.keys(options.serviceBindings ?? {})).toEqual(["ASSETS"]);
      expect(options.kvNamespaces).toEqual({ DB: "DB" });
      // Unbound, the assets binding's stand-in says how to serve it.
      const unserved = emulatorOptions(resolveTestOptions({ wrangler: { configPath: "./wrangler.jsonc" } }, root, where)).bindings as Record<string, { fetch(url: string): unknown }>;
      expect(() => unserved.ASSETS!.fetch("https://site/")).toThrow(
        /declares ASSETS, a kind of binding durasim does not emulate\. Replace the member in the test .*, or serve ASSETS with a function in the options' miniflare\.serviceBindings \(ASSETS: async \(request\) => new Response\(\.\.\.\)\)\.$/,
      );
      // A Hyperdrive's connection details are values: reading one throws, an assignment replaces it.
      const pg = unserved.PG as unknown as Record<string, unknown>;
      for (const member of ["connectionString", "host", "port", "user", "password", "database"]) {
        expect(() => pg[member]).toThrow(`durasim: env.PG.${member} cannot be read: "hyperdrive" in ${join(root, "wrangler.jsonc")} declares PG, a kind of binding durasim does not emulate. Assign the member in the test (env.PG.${member} = ...), or give PG a value in the options' miniflare.bindings.`);
      }
      pg.connectionString = "postgres://app@127.0.0.1:5432/app";
      expect(pg.connectionString).toBe("postgres://app@127.0.0.1:5432/app");
      expect(() => (pg.connect as () => unknown)()).toThrow("durasim: env.PG.connect() cannot run");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("the miniflare option's compatibility flags add to the wrangler file's, each once, as Cloudflare's integration merges lists", () => {
    const root = mkdtempSync(join(tmpdir(), "durasim-flags-"));
    try {
      writeFileSync(join(root, "wrangler.jsonc"), JSON.stringify({ name: "w", main: "./index.js", compatibility_date: "2025-06-01", compatibility_flags: ["nodejs_compat", "enable_ctx_exports"] }));
      writeFileSync(join(root, "index.js"), "export default {};");
      const wrangler = { configPath: "./wrangler.jsonc" };
      const added = emulatorOptions(resolveTestOptions({ wrangler, miniflare: { compatibilityFlags: ["service_binding_extra_handlers"] } }, root, where));
      expect(added.compatibilityFlags).toEqual(["service_binding_extra_handlers", "nodejs_compat", "enable_ctx_exports"]);
      const fileAlone = emulatorOptions(resolveTestOptions({ wrangler, miniflare: { bindings: { X: 1 } } }, root, where));
      expect(fileAlone.compatibilityFlags).toEqual(["nodejs_compat", "enable_ctx_exports"]);
      const both = emulatorOptions(resolveTestOptions({ wrangler, miniflare: { compatibilityFlags: ["enable_ctx_exports", "nodejs_compat"] } }, root, where));
      expect(both.compatibilityFlags).toEqual(["enable_ctx_exports", "nodejs_compat"]);
      // Within one list a repeat is still the mistake workerd refuses.
      expect(() => new Emulator({ compatibilityDate: "2025-06-01", compatibilityFlags: ["nodejs_compat", "nodejs_compat"], module: {} })).toThrow("durasim: Compatibility flag specified multiple times: nodejs_compat");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("rate limiting bindings from the wrangler file (ratelimits and [[unsafe.bindings]] type \"ratelimit\") and from miniflare.ratelimits are emulated, not stood in for", () => {
    const root = mkdtempSync(join(tmpdir(), "durasim-ratelimits-"));
    try {
      writeFileSync(join(root, "wrangler.jsonc"), JSON.stringify({
        name: "api",
        compatibility_date: "2026-01-01",
        ratelimits: [{ name: "LIMITER", namespace_id: "1001", simple: { limit: 100, period: 60 } }],
        unsafe: { bindings: [{ name: "LEGACY", type: "ratelimit", namespace_id: "1002", simple: { limit: 5, period: 10 } }] },
      }));
      const miniflare = { ratelimits: { LIMITER: { namespace_id: "9", simple: { limit: 1 } }, EXTRA: { namespace_id: "3", simple: { limit: 2, period: 10 } } } };
      const options = emulatorOptions(resolveTestOptions({ wrangler: { configPath: "./wrangler.jsonc" }, miniflare }, root, where));
      expect(options.bindings ?? {}).toEqual({});
      expect(options.ratelimits).toEqual({
        LIMITER: { namespace_id: "9", simple: { limit: 1 } },
        LEGACY: { namespace_id: "1002", simple: { limit: 5, period: 10 } },
        EXTRA: { namespace_id: "3", simple: { limit: 2, period: 10 } },
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
