/**
 * What the Vitest plugin asks of Vitest (aliases, the runner, durasim kept out of Vite's
 * transform, isolate off unless the project says otherwise), from the built package, as ES
 * module and as CommonJS (a CommonJS project's vitest.config is required).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../..");
const dist = resolve(repo, "dist");
const require = createRequire(import.meta.url);

type Plugin = {
  config(config: object): Record<string, any>;
  configResolved(config: { root: string; test?: { setupFiles?: string[] } }): void;
  resolveId(this: unknown, id: string, importer?: string): any;
  load(id: string): string | undefined;
  transform: { order: string; handler(code: string, id: string): { code: string; map: null } | undefined };
};

async function esmPlugin(): Promise<{
  cloudflareTest(options?: unknown): Plugin;
  defineWorkersConfig(config: unknown): any;
  readD1Migrations(path: string): Promise<unknown>;
  buildPagesASSETSBinding(path: string): unknown;
}> {
  return import(resolve(dist, "testing/vitest/index.js"));
}

describe("the Vitest plugin", () => {
  it("aliases the modules, installs the runner and keeps durasim native", async () => {
    const { cloudflareTest } = await esmPlugin();
    const plugin = cloudflareTest({ main: "./src/index.ts" });
    const config = plugin.config({ root: "/project" });
    expect(config.resolve.alias).toEqual(
      ["workers", "email", "sockets", "workflows", "durable-objects"].map((name) => ({ find: new RegExp(`^cloudflare:${name}$`), replacement: resolve(dist, `modules/${name}.js`) })),
    );
    expect(config.test.runner).toBe(resolve(dist, "testing/vitest/runner.js"));
    expect(config.test.isolate).toBe(false);
    expect(config.test.server.deps.external[0].test(resolve(dist, "emulator.js"))).toBe(true);
    expect(config.test.provide["durasim:options"]).toMatchObject({ root: "/project", main: "./src/index.ts", isolation: "test" });
    const id = plugin.resolveId("cloudflare:test")!;
    expect(plugin.load(id)).toBe(`export * from ${JSON.stringify(resolve(dist, "modules/test/index.js"))};\nimport ${JSON.stringify("/project/src/index.ts")};\n`);
  });

  it("gives setup files cloudflare:test without the Worker, which would otherwise load before a test file's vi.mock calls", async () => {
    const { cloudflareTest } = await esmPlugin();
    const plugin = cloudflareTest({ main: "./src/index.ts" });
    plugin.config({ root: "/project" });
    plugin.configResolved({ root: "/project", test: { setupFiles: ["./test/setup.ts"] } });
    const helpers = `export * from ${JSON.stringify(resolve(dist, "modules/test/index.js"))};\n`;
    expect(plugin.load(plugin.resolveId("cloudflare:test", "/project/test/setup.ts") as string)).toBe(helpers);
    expect(plugin.load(plugin.resolveId("cloudflare:test", "/project/test/a.test.ts") as string)).toBe(`${helpers}import ${JSON.stringify("/project/src/index.ts")};\n`);
  });

  it("recognises a setup file named without its extension, in a project reached through a symbolic link (Vite's importer is the real path)", async () => {
    const { cloudflareTest } = await esmPlugin();
    const real = mkdtempSync(join(tmpdir(), "durasim-setup-real-"));
    const link = `${real}-link`;
    try {
      mkdirSync(join(real, "test"));
      writeFileSync(join(real, "test", "setup.ts"), 'import "cloudflare:test";\n');
      symlinkSync(real, link);
      const plugin = cloudflareTest({ main: "./src/index.ts" });
      plugin.config({ root: link });
      plugin.configResolved({ root: link, test: { setupFiles: ["./test/setup"] } });
      const helpers = `export * from ${JSON.stringify(resolve(dist, "modules/test/index.js"))};\n`;
      expect(plugin.load(plugin.resolveId("cloudflare:test", join(realpathSync(real), "test", "setup.ts")) as string)).toBe(helpers);
      expect(plugin.load(plugin.resolveId("cloudflare:test", join(realpathSync(real), "test", "a.test.ts")) as string)).not.toBe(helpers);
    } finally {
      rmSync(link, { force: true });
      rmSync(real, { recursive: true, force: true });
    }
  });

  it("gives the project's modules and the packages Vite runs for them the Workers globals they mention, on their first line; Vitest's own packages, durasim and virtual modules stay as they are", async () => {
    const { cloudflareTest } = await esmPlugin();
    const plugin = cloudflareTest({ main: "./src/index.ts" });
    const code = "const [a, b] = Object.values(new WebSocketPair());\nexport default new Response(null, { status: 101, webSocket: a });\n";
    const globals = JSON.stringify(pathToFileURL(resolve(dist, "modules/worker-globals.js")).href);
    expect(plugin.transform.handler(code, "/project/src/index.ts")).toEqual({
      code: `import { WebSocketPair, Response } from ${globals};${code}`,
      map: null,
    });
    expect(plugin.transform.handler("export const x = 1;\n", "/project/test/plain.test.ts")).toBeUndefined();
    expect(plugin.transform.handler(code, "/project/node_modules/router/index.js")?.code).toBe(`import { WebSocketPair, Response } from ${globals};${code}`);
    for (const id of ["/project/node_modules/vitest/dist/index.js", "/project/node_modules/@vitest/expect/dist/index.js", resolve(dist, "emulator.js"), "\0virtual:x", "/project/src/data.json"]) {
      expect(plugin.transform.handler(code, id)).toBeUndefined();
    }
  });

  it("loads text, data and WebAssembly files by wrangler's default module rules, and leaves Vite's queries and other names alone", async () => {
    const { cloudflareTest } = await esmPlugin();
    const plugin = cloudflareTest({ main: "./src/index.ts" });
    const dir = mkdtempSync(join(tmpdir(), "durasim-rules-"));
    const wasm = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0);
    writeFileSync(join(dir, "q.sql"), "SELECT 1;\n");
    writeFileSync(join(dir, "b.bin"), Uint8Array.of(1, 2, 3));
    writeFileSync(join(dir, "m.wasm"), wasm);
    const evaluate = async (id: string) => (await import(`data:text/javascript,${encodeURIComponent(plugin.load(id)!)}`)).default;
    expect(await evaluate(join(dir, "q.sql"))).toBe("SELECT 1;\n");
    expect([...new Uint8Array(await evaluate(join(dir, "b.bin")))]).toEqual([1, 2, 3]);
    for (const id of [join(dir, "m.wasm"), `${join(dir, "m.wasm")}?module`]) expect(Object.prototype.toString.call(await evaluate(id))).toBe("[object WebAssembly.Module]");
    for (const id of [`${join(dir, "q.sql")}?raw`, `${join(dir, "m.wasm")}?init`, join(dir, "add.wasm.test.ts")]) expect(plugin.load(id)).toBeUndefined();
    rmSync(dir, { recursive: true });
  });

  it("readD1Migrations() reads a directory's .sql files in migration-number order, each split into its statements", async () => {
    const plugin = await esmPlugin();
    const dir = mkdtempSync(join(tmpdir(), "durasim-migrations-"));
    writeFileSync(join(dir, "0010_tags.sql"), "-- tags\nCREATE TABLE tags (name TEXT);\nINSERT INTO tags VALUES ('a;b');\n");
    writeFileSync(join(dir, "0002_posts.sql"), "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n");
    writeFileSync(join(dir, "notes.md"), "not a migration");
    expect(await plugin.readD1Migrations(dir)).toEqual([
      { name: "0002_posts.sql", queries: ["CREATE TABLE posts (id INTEGER PRIMARY KEY);\n"] },
      { name: "0010_tags.sql", queries: ["-- tags\nCREATE TABLE tags (name TEXT)", "INSERT INTO tags VALUES ('a;b')"] },
    ]);
    await expect(plugin.readD1Migrations(join(dir, "missing"))).rejects.toThrow("ENOENT");
    // A path that is no string is refused in Cloudflare's words, as a rejection.
    const notAPath = plugin.readD1Migrations(new URL(`file://${dir}`) as unknown as string);
    await expect(notAPath).rejects.toThrow(new TypeError("Failed to execute 'readD1Migrations': parameter 1 is not of type 'string'."));
    rmSync(dir, { recursive: true });
  });

  it("exports Cloudflare's Pages config helper, which says durasim does not emulate Pages", async () => {
    const plugin = await esmPlugin();
    expect(() => plugin.buildPagesASSETSBinding("./public")).toThrow("durasim: buildPagesASSETSBinding() is not available: durasim does not emulate Pages (static assets).");
  });

  it("hands the wrangler file's alias to Vite and its define to the runner, which sets it as globals", async () => {
    const { cloudflareTest } = await esmPlugin();
    const dir = mkdtempSync(join(tmpdir(), "durasim-define-"));
    writeFileSync(join(dir, "w.js"), "");
    const wrangler = { main: "w.js", define: { BUILD: '"b1"', "A.B": "[1]" }, alias: { "old-pkg": "./shims/old.ts", fs: "node:fs" } };
    writeFileSync(join(dir, "wrangler.jsonc"), JSON.stringify(wrangler));
    const config = cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" } }).config({ root: dir });
    expect(config).not.toHaveProperty("define");
    expect(config.test.provide["durasim:options"].defines).toEqual({ BUILD: '"b1"', "A.B": "[1]" });
    expect(config.resolve.alias.slice(5)).toEqual([
      { find: "old-pkg", replacement: join(dir, "shims/old.ts") },
      { find: "fs", replacement: "node:fs" },
    ]);
    expect(config.test.provide["durasim:options"].bundled).toBe(true);
    writeFileSync(join(dir, "wrangler.jsonc"), JSON.stringify({ ...wrangler, define: { BUILD: 1 } }));
    expect(() => cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" } }).config({ root: dir })).toThrow('"define" must be an object of strings; "BUILD" is not a string.');
    rmSync(dir, { recursive: true });
  });

  it("applies the wrangler file's module rules before the defaults; a rule without fallthrough: true ends its type, as in wrangler", async () => {
    const { cloudflareTest } = await esmPlugin();
    const dir = mkdtempSync(join(tmpdir(), "durasim-rules-"));
    const rules = [
      { type: "ESModule", globs: ["**/*.js"] },
      { type: "Text", globs: ["**/*.tmpl", "templates/*.md"] },
      { type: "Data", globs: ["**/*.dat"], fallthrough: true },
      { type: "CompiledWasm", globs: ["**/*.wbin"] },
    ];
    writeFileSync(join(dir, "w.js"), "");
    writeFileSync(join(dir, "wrangler.jsonc"), JSON.stringify({ main: "w.js", rules }));
    const plugin = cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" } });
    plugin.config({ root: dir });
    const wasm = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0);
    writeFileSync(join(dir, "page.tmpl"), "<p>{{x}}</p>");
    writeFileSync(join(dir, "d.dat"), Uint8Array.of(7));
    writeFileSync(join(dir, "b.bin"), Uint8Array.of(8));
    writeFileSync(join(dir, "m.wbin"), wasm);
    const evaluate = async (id: string) => (await import(`data:text/javascript,${encodeURIComponent(plugin.load(id)!)}`)).default;
    expect(await evaluate(join(dir, "page.tmpl"))).toBe("<p>{{x}}</p>");
    expect([...new Uint8Array(await evaluate(join(dir, "d.dat")))]).toEqual([7]);
    expect([...new Uint8Array(await evaluate(join(dir, "b.bin")))]).toEqual([8]); // Data falls through to the default rule
    expect(Object.prototype.toString.call(await evaluate(join(dir, "m.wbin")))).toBe("[object WebAssembly.Module]");
    // Text and CompiledWasm rules without fallthrough end their type: the defaults for *.txt and *.wasm no longer apply.
    for (const id of [join(dir, "a.txt"), join(dir, "m.wasm"), join(dir, "src/x.js"), join(dir, "docs/templates/a.md/b")]) expect(plugin.load(id)).toBeUndefined();
    mkdirSync(join(dir, "docs/templates"), { recursive: true });
    writeFileSync(join(dir, "docs/templates/a.md"), "# a");
    expect(await evaluate(join(dir, "docs/templates/a.md"))).toBe("# a");
    rmSync(dir, { recursive: true });
  });

  it("applies miniflare.modulesRules as Cloudflare's plugin orders them: before the defaults without a wrangler file, after them (which have then ended Text, Data and CompiledWasm) with one; an auxiliary Worker's after the main Worker's", async () => {
    const { cloudflareTest } = await esmPlugin();
    const dir = mkdtempSync(join(tmpdir(), "durasim-mf-rules-"));
    writeFileSync(join(dir, "a.md"), "# md");
    writeFileSync(join(dir, "a.txt"), "txt");
    writeFileSync(join(dir, "b.tmpl"), "tmpl");
    const markdown = { type: "Text", include: ["**/*.md"] };
    const evaluate = async (plugin: Plugin, id: string) => (await import(`data:text/javascript,${encodeURIComponent(plugin.load(id)!)}`)).default;
    const bare = cloudflareTest({ miniflare: { modulesRules: [markdown], workers: [{ name: "aux", modules: true, script: "", modulesRules: [{ type: "Text", include: ["*.tmpl"] }] }] } });
    bare.config({ root: dir });
    expect(await evaluate(bare, join(dir, "a.md"))).toBe("# md");
    expect(bare.load(join(dir, "a.txt"))).toBeUndefined(); // the Text rule without fallthrough ends the default's *.txt
    expect(await evaluate(bare, join(dir, "b.tmpl"))).toBe("tmpl");
    writeFileSync(join(dir, "w.js"), "");
    writeFileSync(join(dir, "wrangler.jsonc"), JSON.stringify({ main: "w.js" }));
    const withWrangler = cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" }, miniflare: { modulesRules: [markdown] } });
    withWrangler.config({ root: dir });
    expect(withWrangler.load(join(dir, "a.md"))).toBeUndefined();
    expect(await evaluate(withWrangler, join(dir, "a.txt"))).toBe("txt");
    rmSync(dir, { recursive: true });
  });

  it("options given as a function get the wrangler file's rules and alias from the plugin once the globalSetup resolved them, and its define as globals for the runner to set", async () => {
    const { cloudflareTest } = await esmPlugin();
    const { takePendingOptions } = await import(resolve(dist, "testing/vitest/pending-options.js"));
    const dir = mkdtempSync(join(tmpdir(), "durasim-deferred-"));
    writeFileSync(join(dir, "wrangler.jsonc"), JSON.stringify({ main: "w.js", define: { BUILD: '"b1"' }, alias: { "old-pkg": "./shims/old.js" }, rules: [{ type: "Text", globs: ["**/*.tmpl"] }] }));
    writeFileSync(join(dir, "page.tmpl"), "<p/>");
    writeFileSync(join(dir, "w.js"), "");
    const plugin = cloudflareTest(async () => ({ wrangler: { configPath: "./wrangler.jsonc" } }));
    const config = plugin.config({ root: dir });
    expect(config).not.toHaveProperty("define");
    const resolved = await takePendingOptions(config.test.provide["durasim:pending-options"])(() => undefined);
    expect(resolved).toMatchObject({ bundled: true, defines: { BUILD: '"b1"' } });
    expect(plugin.load(join(dir, "page.tmpl"))).toBe('export default "<p/>";');
    const context = { resolve: async (id: string) => ({ id: `resolved:${id}` }) };
    expect(await plugin.resolveId.call(context, "old-pkg/sub.js", join(dir, "w.js"))).toEqual({ id: `resolved:${join(dir, "shims/old.js")}/sub.js` });
    expect(plugin.resolveId.call(context, "other-pkg")).toBeUndefined();
    rmSync(dir, { recursive: true });
  });

  it("refuses a wrangler file whose main does not exist, naming the file and the setting, as wrangler does; the plugin's own main is Vite's to resolve", async () => {
    const { cloudflareTest } = await esmPlugin();
    const dir = mkdtempSync(join(tmpdir(), "durasim-main-"));
    writeFileSync(join(dir, "wrangler.jsonc"), JSON.stringify({ main: "src/missing.ts" }));
    expect(() => cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" } }).config({ root: dir })).toThrow(
      `durasim: "main" of ${join(dir, "wrangler.jsonc")} is ${join(dir, "src/missing.ts")}, which does not exist. Fix the path (relative to the wrangler file), or set the plugin's main option.`,
    );
    expect(cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" }, main: "./src/index" }).config({ root: dir }).test.runner).toBe(resolve(dist, "testing/vitest/runner.js"));
    rmSync(dir, { recursive: true });
  });

  it("keeps a project's own isolate setting, refuses another runner, and resolves function options in a globalSetup", async () => {
    const { cloudflareTest } = await esmPlugin();
    expect(cloudflareTest({}).config({ root: "/p", test: { isolate: true } }).test.isolate).toBe(true);
    expect(() => cloudflareTest({}).config({ root: "/p", test: { runner: "./mine.ts" } })).toThrow(/installs its own test runner, but test\.runner is set/);
    const deferred = cloudflareTest(() => ({ main: "./w.ts" })).config({ root: "/p" }).test;
    expect(deferred.globalSetup).toEqual([resolve(dist, "testing/vitest/global-setup.js")]);
    expect(typeof deferred.provide["durasim:pending-options"]).toBe("string");
  });

  it("keeps a service binding written as a function in this process: a marker crosses, and the globalSetup starts the server the workers call it through", async () => {
    const { cloudflareTest } = await esmPlugin();
    const test = cloudflareTest({ miniflare: { serviceBindings: { API: () => new Response("api") } } }).config({ root: "/p" }).test;
    expect(test.globalSetup).toEqual([resolve(dist, "testing/vitest/global-setup.js")]);
    expect(test.provide["durasim:options"].miniflare.serviceBindings.API).toEqual({ "durasim:host-function": expect.any(String) });
    expect(cloudflareTest({ miniflare: { serviceBindings: { API: "other" } } }).config({ root: "/p" }).test.globalSetup).toBeUndefined();
  });

  it("takes the older config shape: test.poolOptions.workers becomes the plugin, per-test isolation by default", async () => {
    const { defineWorkersConfig } = await esmPlugin();
    const config = defineWorkersConfig({
      test: { include: ["x"], poolOptions: { workers: { main: "./w.ts", singleWorker: true } } },
    });
    expect(config.test).toEqual({ include: ["x"] });
    expect(config.plugins[0].config({ root: "/p" }).test.provide["durasim:options"]).toMatchObject({ isolation: "test", main: "./w.ts" });
  });

  it("names test.poolOptions.workers, where the older config shape has the options, in their errors", async () => {
    const { defineWorkersConfig } = await esmPlugin();
    const config = defineWorkersConfig({ test: { poolOptions: { workers: { main: "./w.ts", miniflare: { workers: [{ name: "aux", fetchMock: () => new Response() }] } } } } });
    expect(() => config.plugins[0].config({ root: "/p" })).toThrow(/^durasim: test\.poolOptions\.workers: "miniflare\.workers\.0\.fetchMock" is a Miniflare option durasim does not emulate/);
  });

  it("is served to CommonJS too, pointing Vitest at the ES module build", () => {
    const { cloudflareTest } = require(resolve(dist, "cjs/testing/vitest/index.js"));
    const config = cloudflareTest({}).config({ root: "/p" });
    expect(config.test.runner).toBe(resolve(dist, "testing/vitest/runner.js"));
    expect(config.resolve.alias[0].replacement).toBe(resolve(dist, "modules/workers.js"));
  });

  it("served to CommonJS, gives the project's modules the ES module build's Workers globals, the classes the runtime accepts", () => {
    const { cloudflareTest } = require(resolve(dist, "cjs/testing/vitest/index.js"));
    const code = "const { 0: client, 1: server } = new WebSocketPair();\n";
    const globals = JSON.stringify(pathToFileURL(resolve(dist, "modules/worker-globals.js")).href);
    expect(cloudflareTest({}).transform.handler(code, "/project/src/index.ts")).toEqual({ code: `import { WebSocketPair } from ${globals};${code}`, map: null });
  });
});
