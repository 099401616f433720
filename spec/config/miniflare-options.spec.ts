import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { translateMiniflareOptions } from "../../lib/config/miniflare-options.js";
import { kCurrentWorker as durasimCurrentWorker } from "../../lib/config/current-worker.js";
import type { EmulatorOptions } from "../../lib/index.js";
import { emulator } from "../helpers.js";
import { configError } from "./config-error.js";

/** The date Miniflare gives a Worker whose options have none (an overlay's main Worker keeps the wrangler file's). */
const FALLBACK_DATE = "2000-01-01";


/** A directory holding `files` (empty), for options that name files: they are read when translated. */
function rootWith(...files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "durasim-mf-root-"));
  for (const file of files) {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), "");
  }
  return root;
}

const script = "export class Object1 {} export default { fetch() { return new Response('ok'); } }";

describe("one Worker at the top level", () => {
  it("the seed example: an inline module script and a class bound by name; the Worker is unnamed, as in Miniflare", () => {
    expect(translateMiniflareOptions({ modules: true, script, durableObjects: { OBJECT1: "Object1" } })).toEqual({
      name: "",
      script,
      compatibilityDate: FALLBACK_DATE,
      durableObjects: { OBJECT1: "Object1" },
    });
  });

  it("a Worker without a compatibility date runs on Miniflare's fallback date, where every dated feature is off", () => {
    expect(translateMiniflareOptions({ modules: true, script }).compatibilityDate).toBe("2000-01-01");
    expect(translateMiniflareOptions({ modules: true, script, compatibilityDate: "2025-06-01" }).compatibilityDate).toBe("2025-06-01");
  });

  it("scriptPath resolves from rootPath; designators map onto durasim's", () => {
    const root = rootWith("dist/index.js");
    const options = translateMiniflareOptions({
      name: "api",
      rootPath: root,
      modules: true,
      scriptPath: "dist/index.js",
      compatibilityDate: "2025-01-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { GREETING: "hi", CONFIG: { retries: 3 } },
      durableObjects: {
        ROOMS: { className: "Room", useSQLite: true, unsafePreventEviction: true },
        LEGACY: { className: "Legacy", useSQLite: false, unsafeUniqueKey: "legacy-key" },
      },
      kvNamespaces: ["CACHE"],
      r2Buckets: { FILES: "files-bucket", AVATARS: { id: "avatars" } },
      serviceBindings: { AUTH: "auth", RPC: { name: "auth", entrypoint: "AuthRpc", props: { tenant: 1 } } },
      port: 8787,
      verbose: true,
    });
    expect(options).toEqual({
      name: "api",
      modulePath: join(root, "dist/index.js"),
      compatibilityDate: "2025-01-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { GREETING: "hi", CONFIG: { retries: 3 } },
      durableObjects: {
        ROOMS: { className: "Room", sqlite: true, preventEviction: true },
        LEGACY: { className: "Legacy", sqlite: false, uniqueKey: "legacy-key" },
      },
      kvNamespaces: { CACHE: "CACHE" },
      r2Buckets: { FILES: "files-bucket", AVATARS: "avatars" },
      serviceBindings: { AUTH: "auth", RPC: { name: "auth", entrypoint: "AuthRpc", props: { tenant: 1 } } },
    });
  });

  it("kCurrentWorker binds the Worker itself, durasim's or the one a test imports from miniflare (made as Miniflare makes it)", () => {
    for (const kCurrentWorker of [durasimCurrentWorker, Symbol("miniflare.kCurrentWorker")]) {
      const options = translateMiniflareOptions({ name: "self", modules: true, script, serviceBindings: { SELF: kCurrentWorker, ENTRY: { name: kCurrentWorker, entrypoint: "E" } } });
      expect(options.serviceBindings).toEqual({ SELF: "self", ENTRY: { name: "self", entrypoint: "E" } });
    }
    expect(configError(() => translateMiniflareOptions({ modules: true, script, serviceBindings: { SELF: Symbol("other") } }))).toContain('"Miniflare options.serviceBindings.SELF" is Symbol(other)');
  });

  it("a function service binding is called as Miniflare calls it: a throw is a 500 response", async () => {
    const handler = (request: Request) => (request.method === "GET" ? new Response("custom") : Promise.reject(new Error("refused")));
    const bound = translateMiniflareOptions({ modules: true, script, serviceBindings: { CUSTOM: handler } }).serviceBindings!.CUSTOM as (request: Request) => Promise<Response>;
    expect(await (await bound(new Request("http://x/"))).text()).toBe("custom");
    const failed = await bound(new Request("http://x/", { method: "POST" }));
    expect([failed.status, (await failed.text()).split("\n")[0]]).toEqual([500, "Error: refused"]);
  });
});

describe("modules lists", () => {
  it("modules on disk: the first is the entry point and Node loads the rest from disk", () => {
    const root = rootWith("worker.mjs", "lib.mjs");
    const options = translateMiniflareOptions({
      rootPath: root,
      modules: [
        { type: "ESModule", path: "worker.mjs" },
        { type: "ESModule", path: "lib.mjs" },
      ],
    });
    expect(options).toEqual({ name: "", modulePath: join(root, "worker.mjs"), compatibilityDate: FALLBACK_DATE });
  });

  it("a file scriptPath or a modules list names that cannot be read is refused naming that option, the file, and where a relative path resolves from", () => {
    const root = rootWith("worker.mjs");
    const refusal = (option: string, file: string, code = "ENOENT") =>
      `durasim: "${option}" names ${file}, which cannot be read (${code}). Fix the path (it is relative to rootPath).`;
    expect(configError(() => translateMiniflareOptions({ rootPath: root, modules: true, scriptPath: "missing.mjs" }))).toBe(refusal("Miniflare options.scriptPath", join(root, "missing.mjs")));
    expect(configError(() => translateMiniflareOptions({ rootPath: root, modules: true, scriptPath: "." }))).toBe(refusal("Miniflare options.scriptPath", root, "EISDIR"));
    const list = [
      { type: "ESModule", path: "worker.mjs" },
      { type: "ESModule", path: "lib.mjs" },
    ];
    expect(configError(() => translateMiniflareOptions({ rootPath: root, modules: list }))).toBe(refusal("Miniflare options.modules[1].path", join(root, "lib.mjs")));
    expect(configError(() => translateMiniflareOptions({ workers: [{ rootPath: root, modules: true, scriptPath: "gone.mjs" }] }))).toBe(
      refusal("workers[0].scriptPath", join(root, "gone.mjs")),
    );
    // An absolute path resolves from nowhere: the fix is the path alone.
    const absolute = join(root, "absent.mjs");
    expect(configError(() => translateMiniflareOptions({ rootPath: root, modules: true, scriptPath: absolute }))).toBe(
      `durasim: "Miniflare options.scriptPath" names ${absolute}, which cannot be read (ENOENT). Fix the path.`,
    );
  });

  it("one inline ES module is a script; several inline modules are kept for the loader", () => {
    expect(translateMiniflareOptions({ modules: [{ type: "ESModule", path: "index.mjs", contents: script }] })).toEqual({ name: "", script, compatibilityDate: FALLBACK_DATE });
    const bytes = new TextEncoder().encode("export const x = 1;");
    const options = translateMiniflareOptions({
      rootPath: "/r",
      modules: [
        { type: "ESModule", path: "index.mjs", contents: "export { x } from './dep.mjs';" },
        { type: "ESModule", path: "dep.mjs", contents: bytes },
      ],
    });
    expect(options.modules).toEqual([
      { type: "ESModule", path: "/r/index.mjs", contents: "export { x } from './dep.mjs';" },
      { type: "ESModule", path: "/r/dep.mjs", contents: "export const x = 1;" },
    ]);
  });

  it("module types Node cannot import are refused by name", () => {
    const message = configError(() => translateMiniflareOptions({ modules: [{ type: "ESModule", path: "i.mjs", contents: script }, { type: "Text", path: "a.txt", contents: "x" }] }));
    expect(message).toContain('"Miniflare options.modules[1].type" is "Text"');
  });

  it("a script without modules: true is a service worker, which durasim does not run", () => {
    expect(configError(() => translateMiniflareOptions({ script }))).toContain("the script as a service worker");
    expect(configError(() => translateMiniflareOptions({ modules: true }))).toContain('needs exactly one of "script"');
  });
});

describe("several Workers", () => {
  it("the first Worker is the entry point; a Worker may bind another's class by scriptName", () => {
    const options = translateMiniflareOptions({
      workers: [
        { name: "a", modules: true, script: "export default {}", durableObjects: { X: { className: "Object1", scriptName: "b" } } },
        { name: "b", modules: true, script },
      ],
    });
    expect(options).toEqual({
      name: "a",
      script: "export default {}",
      compatibilityDate: FALLBACK_DATE,
      durableObjects: { X: { className: "Object1", scriptName: "b" } },
      workers: [{ name: "b", script, compatibilityDate: FALLBACK_DATE }],
    });
  });

  it("Worker options at the top level beside workers are refused (Miniflare would ignore them)", () => {
    expect(configError(() => translateMiniflareOptions({ compatibilityDate: "2025-01-01", workers: [{ name: "a", modules: true, script }] }))).toContain(
      'option "compatibilityDate" is a Worker option, but "workers" is given',
    );
  });

  it("two unnamed Workers, or two with one name, are refused as Miniflare refuses them", () => {
    expect(configError(() => translateMiniflareOptions({ workers: [{ modules: true, script }, { modules: true, script }] }))).toContain(
      "Multiple workers defined without a `name`",
    );
    expect(configError(() => translateMiniflareOptions({ workers: [{ name: "x", modules: true, script }, { name: "x", modules: true, script }] }))).toContain(
      'same `name`: "x"',
    );
  });
});

describe("what durasim refuses", () => {
  it.each([
    [{ modules: true, script, d1Databases: ["DB"] }, 'option "d1Databases" in Miniflare options'],
    [{ modules: true, script, wasmBindings: { W: "x.wasm" } }, 'option "Miniflare options.wasmBindings": Wasm bindings are not allowed in modules-based scripts'],
    [{ modules: true, script, routes: ["example.com/*"] }, 'option "routes"'],
    [{ modules: true, script, durableObjects: { A: { className: "A", container: { imageName: "x" } } } }, 'option "container" in Miniflare options.durableObjects.A'],
    [{ modules: true, script, durableObjects: { A: { className: "A", unsafeUniqueKey: Symbol("kUnsafeEphemeralUniqueKey") } } }, "ephemeral"],
    [{ modules: true, script, serviceBindings: { NET: { network: { allow: ["public"] } } } }, 'is a "network" service'],
    [{ workers: [{ name: "a", modules: true, script, unsafeEvalBinding: "EVAL" }] }, 'option "unsafeEvalBinding" in workers[0]'],
    [{ modules: true, script, compatibilityDate: "2099-01-01" }, 'This Worker requires compatibility date "2099-01-01", but the newest date supported by this durasim'],
  ])("%#: %j", (options, text) => {
    expect(configError(() => translateMiniflareOptions(options as Record<string, unknown>))).toContain(text);
  });

  it("persistence options become persist's directories per kind, by Miniflare's rules", () => {
    const persist = (options: Record<string, unknown>) => translateMiniflareOptions({ modules: true, script, ...options }).persist;
    expect(persist({ durableObjectsPersist: true })).toEqual({ durableObjects: resolve(".mf/do"), kv: false, r2: false });
    expect(persist({ durableObjectsPersist: "./data", kvPersist: true })).toEqual({ durableObjects: resolve("data"), kv: resolve(".mf/kv"), r2: false });
    expect(persist({ rootPath: "/project", durableObjectsPersist: "data", r2Persist: "file:///elsewhere/r2" })).toEqual({
      durableObjects: resolve("/project/data"),
      kv: false,
      r2: resolve("/elsewhere/r2"),
    });
    // defaultPersistRoot persists every kind left out; false and "memory:" keep one in memory.
    expect(persist({ defaultPersistRoot: "state/v3", kvPersist: "memory:" })).toEqual({ durableObjects: resolve("state/v3/do"), kv: false, r2: resolve("state/v3/r2") });
    expect(persist({ defaultPersistRoot: "s", durableObjectsPersist: true, r2Persist: false })).toEqual({ durableObjects: resolve("s/do"), kv: resolve("s/kv"), r2: false });
    expect(persist({ durableObjectsPersist: false })).toBeUndefined();
    expect(persist({ kvPersist: "memory:", r2Persist: false })).toBeUndefined();
  });

  it("refuses persistence it cannot honour, naming the option", () => {
    expect(configError(() => translateMiniflareOptions({ modules: true, script, kvPersist: true }))).toContain('option "kvPersist" persists to disk while Durable Objects stay in memory');
    expect(configError(() => translateMiniflareOptions({ modules: true, script, durableObjectsPersist: "s3://bucket" }))).toContain('option "durableObjectsPersist" is "s3://bucket"');
    expect(configError(() => translateMiniflareOptions({ modules: true, script, durableObjectsPersist: 3 }))).toContain('option "durableObjectsPersist" must be true, false, "memory:" or a directory');
  });

  it("each refusal says what to do instead; a name Miniflare 4 does not have is a spelling to fix", () => {
    const refusal = (options: Record<string, unknown>) => configError(() => translateMiniflareOptions({ modules: true, script, ...options }));
    expect(refusal({ queueProducers: ["Q"] })).toContain('option "queueProducers" in Miniflare options declares bindings of a service durasim does not emulate. Remove it and put a stand-in value');
    expect(refusal({ fetchMock: {} })).toContain("Mock globalThis.fetch in the test instead");
    expect(refusal({ additionalUnboundDurableObjects: [{ className: "A", unsafeTransfer: true }] })).toContain('option "unsafeTransfer" in Miniflare options.additionalUnboundDurableObjects[0]');
    expect(refusal({ durableObjects: { A: { className: "A", remoteProxyConnectionString: "x" } } })).toContain("durasim emulates bindings locally");
    expect(refusal({ durableObject: { A: "A" } })).toBe(
      'durasim: option "durableObject" in Miniflare options is not an option of Miniflare 4 that durasim knows (Miniflare would ignore it). Remove it or fix its spelling.',
    );
    expect(refusal({ durableObjects: { A: { className: "A", useSqlite: true } } })).toContain('option "useSqlite" in Miniflare options.durableObjects.A is not an option of Miniflare 4');
  });

  it("an option of Miniflare 2 (which Miniflare 4 ignores) is refused with what replaces it, at the top level and on a Worker", () => {
    const refusal = (options: Record<string, unknown>) => configError(() => translateMiniflareOptions({ modules: true, script, ...options }));
    expect(refusal({ wranglerConfigPath: "wrangler.toml" })).toBe(
      'durasim: option "wranglerConfigPath" in Miniflare options is Miniflare 2\'s, which Miniflare 3 dropped (Miniflare 4 would ignore it): durasim reads a wrangler file itself: build the emulator with Emulator.fromWrangler(path, { environment }) from "durasim", or give its settings here as options.',
    );
    expect(refusal({ mounts: { api: "./api" } })).toContain('give each mounted Worker (with its name) in "workers" and bind it through serviceBindings');
    expect(refusal({ globals: { FLAG: true } })).toContain("set the values on globalThis in the test");
    expect(refusal({ durableObjectsAlarms: true })).toContain("alarms always run. Remove it.");
    expect(configError(() => translateMiniflareOptions({ workers: [{ name: "a", modules: true, script, crons: ["* * * * *"] }] }))).toContain(
      'option "crons" in workers[0] is Miniflare 2\'s, which Miniflare 3 dropped (Miniflare 4 would ignore it): call the scheduled handler with (await mf.getWorker()).scheduled({ cron })',
    );
    // Below the options, a Miniflare 2 name is just a name the designator does not have.
    expect(refusal({ durableObjects: { A: { className: "A", debug: true } } })).toContain('option "debug" in Miniflare options.durableObjects.A is not an option of Miniflare 4');
  });
});

describe("options accepted for what they mean in-process", () => {
  it("server, dev-registry and socket options, and the persistence of services durasim does not emulate, change nothing", () => {
    const plain = translateMiniflareOptions({ modules: true, script });
    expect(
      translateMiniflareOptions({
        modules: true,
        script,
        port: 8787,
        unsafeDevRegistryPath: "/tmp/registry",
        unsafeDevRegistryDurableObjectProxy: true,
        unsafeDirectSockets: [{ entrypoint: "default" }],
        unsafeStickyBlobs: true,
        d1Persist: true,
        cachePersist: "./cache",
      }),
    ).toEqual(plain);
    // How a queue's batches reach the Worker binds nothing; durasim delivers none by itself.
    expect(translateMiniflareOptions({ modules: true, script, queueConsumers: { queue: { maxBatchTimeout: 0.05 } } })).toEqual(plain);
  });

  it("unsafeEphemeralDurableObjects is in-memory storage, which durasim gives anyway", () => {
    expect(translateMiniflareOptions({ modules: true, script, unsafeEphemeralDurableObjects: true })).toEqual(translateMiniflareOptions({ modules: true, script }));
    expect(configError(() => translateMiniflareOptions({ modules: true, script, unsafeEphemeralDurableObjects: "yes" }))).toContain("must be true or false");
    expect(configError(() => translateMiniflareOptions({ workers: [{ name: "a", modules: true, script, unsafeEphemeralDurableObjects: true }], durableObjectsPersist: "/tmp/do" }))).toBe(
      'durasim: Worker "a" sets "unsafeEphemeralDurableObjects" (its Durable Objects in memory) while Durable Objects persist to /tmp/do; durasim persists every Worker\'s objects or none. Remove one of the two.',
    );
  });

  it("modulesRules of ESModule and CommonJS change nothing (Node loads the imports); other module types are refused by name", () => {
    const rules = [{ type: "ESModule", include: ["**/*.js"] }, { type: "CommonJS", include: ["**/*.cjs"], fallthrough: true }];
    expect(translateMiniflareOptions({ modules: true, script, modulesRules: rules })).toEqual(translateMiniflareOptions({ modules: true, script }));
    expect(configError(() => translateMiniflareOptions({ modules: true, script, modulesRules: [...rules, { type: "Text", include: ["**/*.md"] }] }))).toContain(
      '"Miniflare options.modulesRules[2].type" is "Text"',
    );
  });

  it("modulesRules naming only files wrangler's defaults give their type are taken where Node loads the imports (Miniflare has no defaults for them to end); others are refused naming the defaults", () => {
    // Miniflare's own documented rules: Text for *.txt alone, CompiledWasm for *.wasm alone.
    const restating = [
      { type: "Text", include: ["**/*.sql"], fallthrough: true },
      { type: "Data", include: ["**/*.bin"] },
      { type: "Text", include: ["**/*.txt"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ];
    expect(translateMiniflareOptions({ modules: true, script, modulesRules: restating })).toEqual(translateMiniflareOptions({ modules: true, script }));
    expect(configError(() => translateMiniflareOptions({ modules: true, script, modulesRules: [{ type: "Text", include: ["**/*.md"], fallthrough: true }] }))).toContain(
      "cannot be honoured beyond wrangler's defaults (*.txt, *.html and *.sql as text, *.bin as data, *.wasm as WebAssembly)",
    );
  });

  it("modulesRules of Text, Data and CompiledWasm are taken where a bundler applies them (the Vitest plugin's overlay), in wrangler's rule shape", async () => {
    const { miniflareModuleRules, translateMiniflareOverlay } = await import("../../lib/config/miniflare-options.js");
    const rules = [{ type: "Text", include: ["**/*.md"], fallthrough: true }, { type: "Data", include: ["**/*.dat"] }, { type: "CompiledWasm", include: ["**/*.wbin"] }];
    expect(miniflareModuleRules(rules, "miniflare.modulesRules", true)).toEqual([
      { type: "Text", globs: ["**/*.md"], fallthrough: true },
      { type: "Data", globs: ["**/*.dat"] },
      { type: "CompiledWasm", globs: ["**/*.wbin"] },
    ]);
    expect(translateMiniflareOverlay({ modulesRules: rules, workers: [{ name: "aux", modules: true, script, modulesRules: rules }] }, { moduleRules: true })).toEqual({ workers: [{ name: "aux", script, compatibilityDate: FALLBACK_DATE }] });
    expect(configError(() => translateMiniflareOverlay({ modulesRules: rules }))).toContain('"miniflare options.modulesRules[0].type" is "Text"');
    expect(configError(() => miniflareModuleRules([{ type: "PythonModule", include: ["**/*.py"] }], "m", true))).toBe(
      'durasim: "m[0].type" is "PythonModule": durasim loads ESModule, CommonJS, Text, Data and CompiledWasm modules (Python modules are not emulated).',
    );
    expect(configError(() => miniflareModuleRules([{ type: "Text", include: "*.md" }], "m", true))).toBe('durasim: option "m[0].include" must be an array of globs, got "*.md".');
  });

  it("binding names are ordinary keys, __proto__ included", () => {
    const options = JSON.parse('{ "modules": true, "bindings": { "__proto__": "a value", "constructor": 1 }, "r2Buckets": { "valueOf": "bucket" } }');
    const translated = translateMiniflareOptions({ ...options, script: "export default {}" });
    expect(Object.getOwnPropertyDescriptor(translated.bindings, "__proto__")?.value).toBe("a value");
    expect(translated.r2Buckets).toEqual({ valueOf: "bucket" });
  });
});

describe("Miniflare options laid over a wrangler configuration (the Vitest integration's `miniflare` option)", () => {
  it("the overlay adjusts the main Worker without giving its code, and adds auxiliary Workers", async () => {
    const { mergeOptions } = await import("../../lib/config/merge.js");
    const { translateMiniflareOverlay } = await import("../../lib/config/miniflare-options.js");
    const wrangler = {
      name: "app",
      modulePath: "/app/src/index.ts",
      bindings: { GREETING: "hello", MODE: "prod" },
      durableObjects: { ROOMS: "Room" },
      kvNamespaces: { CACHE: "cache-id" },
    };
    const overlay = translateMiniflareOverlay({
      bindings: { MODE: "test" },
      kvNamespaces: ["TEST_KV"],
      workers: [{ name: "auth", modules: true, script: "export default {}" }],
    });
    expect(overlay).toEqual({ bindings: { MODE: "test" }, kvNamespaces: { TEST_KV: "TEST_KV" }, workers: [{ name: "auth", script: "export default {}", compatibilityDate: FALLBACK_DATE }] });
    expect(mergeOptions(wrangler, overlay)).toEqual({
      name: "app",
      modulePath: "/app/src/index.ts",
      bindings: { GREETING: "hello", MODE: "test" },
      durableObjects: { ROOMS: "Room" },
      kvNamespaces: { CACHE: "cache-id", TEST_KV: "TEST_KV" },
      workers: [{ name: "auth", script: "export default {}", compatibilityDate: FALLBACK_DATE }],
    });
    // Code in the overlay replaces the base's code.
    expect(mergeOptions(wrangler, translateMiniflareOverlay({ modules: true, script: "export default {}" }))).toMatchObject({ script: "export default {}" });
    expect(mergeOptions(wrangler, translateMiniflareOverlay({ modules: true, script: "export default {}" }))).not.toHaveProperty("modulePath");
  });

  it("an auxiliary Worker must give its code", async () => {
    const { translateMiniflareOverlay } = await import("../../lib/config/miniflare-options.js");
    expect(configError(() => translateMiniflareOverlay({ workers: [{ name: "aux" }] }))).toContain('miniflare.workers[0] has no "modules: true"');
  });
});

describe("additionalUnboundDurableObjects", () => {
  it("gives each class a namespace with no binding, reached through ctx.exports (useSQLite picks the backend; scriptName another Worker's)", async () => {
    const main = `
      import { DurableObject } from "cloudflare:workers";
      export class Unbound extends DurableObject { size() { return this.ctx.storage.sql.databaseSize; } }
      export default { async fetch(request, env, ctx) {
        const size = await ctx.exports.Unbound.getByName("u").size();
        return new Response(Object.keys(env).join() + " " + Object.keys(ctx.exports).join() + " " + size);
      } };`;
    const aux = `
      import { DurableObject } from "cloudflare:workers";
      export class Kv extends DurableObject { kind() { try { this.ctx.storage.sql.exec("SELECT 1"); return "sqlite"; } catch { return "kv"; } } }
      export default { async fetch(request, env, ctx) { return new Response(await ctx.exports.Kv.getByName("k").kind()); } };`;
    const options = translateMiniflareOptions({
      workers: [
        // ctx.exports needs enable_ctx_exports, on from 2025-11-17 (Miniflare's own default date is 2000-01-01).
        { name: "main", modules: true, script: main, compatibilityDate: "2025-11-17", additionalUnboundDurableObjects: [{ className: "Unbound", useSQLite: true }, { className: "Kv", scriptName: "aux" }] },
        { name: "aux", modules: true, script: aux, compatibilityDate: "2025-11-17" },
      ],
    });
    expect(options.unboundDurableObjects).toEqual([{ className: "Unbound", sqlite: true }, { className: "Kv", scriptName: "aux" }]);
    const emu = emulator(options as EmulatorOptions);
    expect(await (await emu.dispatchFetch("http://x/")).text()).toBe(" default,Unbound 4096");
    expect(await (await emu.getWorker("aux").fetch("http://x/")).text()).toBe("kv");
  });
});
