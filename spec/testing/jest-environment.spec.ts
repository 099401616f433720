/**
 * The Jest environment gives each test file's global object the Workers globals (Worker code
 * loaded through Jest has no other way to see them); the process's own globals stay Node's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createContext, runInContext } from "node:vm";
import { expect, it } from "vitest";

const dist = resolve(import.meta.dirname, "../../dist");

it("puts WebSocketPair, the Workers Response, caches and the missing built-ins on the test file's global, not on the process's", async () => {
  const { default: DurasimEnvironment } = await import(resolve(dist, "testing/jest/environment.js"));
  const globals = await import(resolve(dist, "modules/worker-globals.js"));
  const environment = new DurasimEnvironment(
    { globalConfig: {}, projectConfig: { rootDir: resolve(dist, "no-project-here"), testEnvironmentOptions: {}, globals: {} } },
    { console, docblockPragmas: {}, testPath: "chat.test.js" },
  );
  await environment.setup();
  try {
    const sandbox = environment.global;
    for (const name of Object.keys(globals)) expect(sandbox[name], name).toBe(globals[name]);
    const [client] = Object.values(new sandbox.WebSocketPair()) as object[];
    expect(new sandbox.Response(null, { status: 101, webSocket: client }).status).toBe(101);
    expect(await sandbox.caches.default.match("https://x/")).toBeUndefined();
    // The runtime's scope classes see the file's global as the Worker scope (worker-scope-classes.mjs).
    const scope = "[self instanceof ServiceWorkerGlobalScope, globalThis instanceof WorkerGlobalScope, caches instanceof CacheStorage, caches.default instanceof Cache, typeof BroadcastChannel].join()";
    expect(runInContext(scope, environment.getVmContext())).toBe("true,false,true,true,undefined");
    // The JavaScript built-ins Node 20 lacks, in the file's own realm (modules/builtins/).
    const builtins = "[typeof Promise.withResolvers, typeof Iterator, typeof new Set().union, typeof Array.fromAsync, typeof [].values().map].join()";
    expect(runInContext(builtins, environment.getVmContext())).toBe("function,function,function,function,function");
    expect("WebSocketPair" in globalThis).toBe(false);
    expect(globalThis.Response).not.toBe(globals.Response);
  } finally {
    await environment.teardown();
  }
});

it("gives the test file's global the runtime's scheduler, whose waits run on the runtime's own timers, not the file's (the ones jest.useFakeTimers() replaces), and the global addEventListener", async () => {
  const { default: DurasimEnvironment } = await import(resolve(dist, "testing/jest/environment.js"));
  const environment = new DurasimEnvironment(
    { globalConfig: {}, projectConfig: { rootDir: resolve(dist, "no-project-here"), testEnvironmentOptions: {}, globals: {} } },
    { console, docblockPragmas: {}, testPath: "waits.test.js" },
  );
  await environment.setup();
  try {
    const context = environment.getVmContext();
    expect(runInContext("[typeof scheduler.wait, typeof addEventListener, typeof removeEventListener, typeof dispatchEvent].join()", context)).toBe("function,function,function,function");
    // A stand-in for fake timers, put on the file's global after the environment set up.
    const delays: number[] = [];
    environment.global.setTimeout = (callback: () => void, ms: number) => (delays.push(ms), callback(), 0);
    await runInContext("scheduler.wait(5)", context);
    expect(delays).toEqual([]);
  } finally {
    await environment.teardown();
  }
});

it("the preset's module-rules transform: CommonJS or an ES module as Jest loads the file, the wrangler file's rules before wrangler's defaults, anything else passed on", async () => {
  const { default: transform } = await import(resolve(dist, "testing/jest/module-rules.js"));
  const { default: preset } = await import(resolve(dist, "testing/jest/jest-preset.js"));
  const fixture = resolve(import.meta.dirname, "fixtures/jest-module-rules");
  const config = { rootDir: fixture, testEnvironmentOptions: { wrangler: { configPath: "wrangler.jsonc" } } };
  const at = (name: string) => resolve(fixture, "src", name);
  expect(transform.process("", at("readme.md"), { config, supportsStaticESM: false }).code).toBe('module.exports = "# notes\\n";');
  expect(transform.process("", at("readme.md"), { config, supportsStaticESM: true }).code).toBe('export default "# notes\\n";');
  expect(transform.process("", at("bytes.bin"), { config, supportsStaticESM: true }).code).toContain("export default bytes.buffer.slice(");
  expect(transform.process("a = 1;", at("other.css"), { config, supportsStaticESM: false }).code).toBe("a = 1;");
  // Without a wrangler file's rules, only wrangler's defaults: a .md file is not a module rule's.
  const bare = { rootDir: resolve(dist, "no-project-here"), testEnvironmentOptions: { main: "x.js" } };
  expect(transform.process("# x", at("readme.md"), { config: bare, supportsStaticESM: false }).code).toBe("# x");
  expect(transform.getCacheKey("", at("readme.md"), { config, supportsStaticESM: false })).not.toBe(
    transform.getCacheKey("", at("readme.md"), { config: bare, supportsStaticESM: false }),
  );
  // The preset routes every other extension to it, and keeps Jest's default transform for code.
  const routes = Object.keys(preset.transform).map((pattern) => new RegExp(pattern));
  expect(["a.sql", "a.txt", "a.md", "a.ts", "a.mjs", "a.json"].map((name) => routes.findIndex((route) => route.test(name)))).toEqual([0, 0, 0, 1, -1, -1]);
  expect(Object.values(preset.transform)).toEqual([resolve(dist, "testing/jest/module-rules.js"), "babel-jest"]);
});

it("without the preset's transform (the environment named alone), a wrangler rule only a bundler applies is refused as the file's emulator starts", async () => {
  const { default: DurasimEnvironment } = await import(resolve(dist, "testing/jest/environment.js"));
  const { JEST_HOST } = await import(resolve(dist, "testing/jest/host.js"));
  const fixture = resolve(import.meta.dirname, "fixtures/jest-module-rules");
  const environment = new DurasimEnvironment(
    { globalConfig: {}, projectConfig: { rootDir: fixture, testEnvironmentOptions: { wrangler: { configPath: "wrangler.jsonc" } }, transform: [], globals: {} } },
    { console, docblockPragmas: {}, testPath: "notes.test.js" },
  );
  await environment.setup();
  try {
    const { ConfigError } = await import(resolve(dist, "util/config-error.js"));
    let error: unknown;
    try {
      await environment.global[JEST_HOST].start(() => undefined);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('"rules[1]" in ');
    expect((error as Error).message).toContain("is a Text module rule, which only a bundler applies");
  } finally {
    await environment.teardown();
  }
});

it("a wrangler main that does not exist is refused naming the setting (the Jest preset), not by Jest's 'Cannot find module' from durasim's setup file", async () => {
  const { emulatorOptions } = await import(resolve(dist, "testing/emulator-options.js"));
  const dir = mkdtempSync(join(tmpdir(), "durasim-jest-main-"));
  try {
    writeFileSync(join(dir, "wrangler.jsonc"), JSON.stringify({ name: "w", main: "src/missing.ts", compatibility_date: "2026-01-01" }));
    const options = { root: dir, wrangler: { configPath: "wrangler.jsonc" }, isolation: "test", clock: "real", reportUsage: false };
    expect(() => emulatorOptions(options)).toThrow(
      `durasim: "main" of ${join(dir, "wrangler.jsonc")} is ${join(dir, "src/missing.ts")}, which does not exist. Fix the path (relative to the wrangler file), or set main in testEnvironmentOptions.`,
    );
    // The integration's own main wins over the wrangler file's, which is then not checked.
    writeFileSync(join(dir, "index.js"), "export default {};");
    expect(emulatorOptions({ ...options, main: "index.js" }).modulePath).toBe(join(dir, "index.js"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("isolation \"test\" takes Jest 30's concurrent tests as they are announced, and refuses them where Jest (29) starts them before announcing them", async () => {
  const { default: DurasimEnvironment } = await import(resolve(dist, "testing/jest/environment.js"));
  const { JEST_HOST } = await import(resolve(dist, "testing/jest/host.js"));
  const script = "export default { fetch() { return new Response('x'); } }";
  const options = { miniflare: { modules: true, script, compatibilityDate: "2026-01-01" } };
  const environment = new DurasimEnvironment(
    { globalConfig: {}, projectConfig: { rootDir: resolve(dist, "no-project-here"), testEnvironmentOptions: options, transform: [], globals: {} } },
    { console, docblockPragmas: {}, testPath: "concurrent.test.js" },
  );
  await environment.setup();
  try {
    await environment.global[JEST_HOST].start(() => undefined);
    await environment.handleTestEvent({ name: "run_start" });
    const early = { name: "started early", concurrent: true };
    await expect(environment.handleTestEvent({ name: "test_start", test: early })).rejects.toThrow(
      'durasim: test "started early" runs concurrently, but this Jest starts concurrent tests before it reports them (Jest 29)',
    );
    await environment.handleTestEvent({ name: "concurrent_tests_start", tests: [] });
    const [a, b] = [{ name: "a", concurrent: true }, { name: "b", concurrent: true }];
    await environment.handleTestEvent({ name: "test_start", test: a });
    await environment.handleTestEvent({ name: "test_start", test: b });
    await environment.handleTestEvent({ name: "test_done", test: a });
    await environment.handleTestEvent({ name: "test_done", test: b });
  } finally {
    await environment.teardown();
  }
});

it("the preset as Jest loads it, by name or by path, is CommonJS (never the ES module an ES module config imports, which Jest's require() could meet midway on Node 24) and names the same ES module build's files as that one", async () => {
  const require = createRequire(import.meta.url);
  const byPath = require.resolve("durasim/jest/jest-preset");
  expect(byPath).toBe(resolve(dist, "cjs/testing/jest/jest-preset.js"));
  expect(require.resolve("durasim/jest")).toBe(byPath);
  const required = require(byPath);
  const imported = await import("durasim/jest");
  expect(required.default).toEqual(imported.default);
  expect(required.MODULE_RULES_TRANSFORM).toBe(resolve(dist, "testing/jest/module-rules.js"));
  expect(required.default.testEnvironment).toBe(resolve(dist, "testing/jest/environment.js"));
  expect(required.default.moduleNameMapper["^cloudflare:workflows$"]).toBe(resolve(dist, "cjs/modules/workflows.js"));
  expect(typeof required.readD1Migrations).toBe("function");
});

it("a module that needs the environment says where it was imported from: a setupFiles module (Jest runs them before the environment's setup) is told to move to setupFilesAfterEnv, a file in another environment to set the preset; the preset's setup file leaves such a file be", async () => {
  const { default: DurasimEnvironment } = await import(resolve(dist, "testing/jest/environment.js"));
  const environment = new DurasimEnvironment(
    { globalConfig: {}, projectConfig: { rootDir: resolve(dist, "no-project-here"), testEnvironmentOptions: {}, globals: {} } },
    { console, docblockPragmas: {}, testPath: "setup.test.js" },
  );
  /** Loads a CommonJS file of the build in `context` (as Jest's registry does), giving its exports or what it throws. */
  const load = (context: object, file: string): unknown => {
    const wrapper = runInContext(`(function (exports, require, module) {${readFileSync(resolve(dist, file), "utf8")}\n})`, context) as (...args: unknown[]) => void;
    const module = { exports: {} as unknown };
    const requireHere = (path: string) => (path === "./shims/host.cjs" || path === "./host.cjs" ? load(context, "testing/jest/shims/host.cjs") : createRequire(resolve(dist, file))(path));
    wrapper(module.exports, requireHere, module);
    return module.exports;
  };
  try {
    // Before setup(), as a setupFiles module meets it.
    expect(() => load(environment.getVmContext(), "testing/jest/shims/test.cjs")).toThrow(/Jest sets up only after the setupFiles modules have run: import it from a setupFilesAfterEnv module instead/);
  } finally {
    await environment.teardown();
  }
  // A file in Node's own environment (its docblock names it): no host at all.
  const elsewhere = createContext({ expect: { extend: () => { throw new Error("no matchers to extend here"); } } });
  expect(() => load(elsewhere, "testing/jest/shims/workers.cjs")).toThrow(/which this test file does not run in: set preset: "durasim\/jest" in the Jest config, and remove any @jest-environment.docblock/);
  expect(() => load(elsewhere, "testing/jest/setup.cjs")).not.toThrow();
});

it("a file's global made once durasim runs in the process (a later test file) holds durasim's timer wrappers, yet the clock sees the machine's timers there: fakes of its Date alone run an alarm", async () => {
  const { Emulator } = await import(resolve(dist, "index.js"));
  // An emulator has tracked the process's timers: the next file's global copies their wrappers.
  await new Emulator({ script: "export default {}" }).dispose();
  const { default: DurasimEnvironment } = await import(resolve(dist, "testing/jest/environment.js"));
  const environment = new DurasimEnvironment(
    { globalConfig: {}, projectConfig: { rootDir: resolve(dist, "no-project-here"), testEnvironmentOptions: {}, globals: {} } },
    { console, docblockPragmas: {}, testPath: "later.test.js" },
  );
  await environment.setup();
  const timers = environment.fakeTimersModern!;
  const emu = new Emulator({
    script: `import { DurableObject } from "cloudflare:workers";
      export class A extends DurableObject { arm(time) { return this.ctx.storage.setAlarm(time); } alarm() {} pending() { return this.ctx.storage.getAlarm(); } }`,
    durableObjects: { A: "A" },
  });
  try {
    timers.useFakeTimers({ doNotFake: ["hrtime", "nextTick", "performance", "queueMicrotask", "setImmediate", "clearImmediate", "setInterval", "clearInterval", "setTimeout", "clearTimeout"] });
    const stub = (emu.env.A as any).getByName("a");
    // The file's Date is the faked one (object code here runs in the process's realm).
    await stub.arm(environment.global.Date.now() + 60_000);
    await timers.advanceTimersByTimeAsync(60_000);
    // The alarm has started; the handler's end is a call later.
    expect(await stub.pending()).toBeNull();
  } finally {
    timers.useRealTimers();
    await emu.dispose();
    await environment.teardown();
  }
});
