import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";

// Installs this checkout by path into a fresh consumer project and uses it the way another
// project would: `import { Emulator } from "durasim"` with Worker code importing
// "cloudflare:workers". Needs the build output, which `npm test` produces first.
const repo = resolve(import.meta.dirname, "..");
const consumer = mkdtempSync(join(tmpdir(), "durasim-consumer-"));
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

it("installs by path and works with no extra step", () => {
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", repo], { cwd: consumer, stdio: "pipe" });
  writeFileSync(
    join(consumer, "worker.js"),
    `import { DurableObject } from "cloudflare:workers";
     export class Counter extends DurableObject {
       async inc() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return n; }
     }`,
  );
  writeFileSync(
    join(consumer, "main.js"),
    `import { Emulator } from "durasim";
     import { DurableObject } from "durasim/workers";
     const emu = new Emulator({ modulePath: "./worker.js", durableObjects: { COUNTER: "Counter" } });
     const stub = emu.env.COUNTER.getByName("a");
     const results = await Promise.all([stub.inc(), stub.inc()]);
     console.log(JSON.stringify({ results, base: typeof DurableObject }));
     await emu.dispose();`,
  );
  const output = execFileSync(process.execPath, ["main.js"], { cwd: consumer, encoding: "utf8" });
  expect(JSON.parse(output)).toEqual({ results: [1, 2], base: "function" });
}, 120_000);

it("ships type declarations a TypeScript consumer compiles against", () => {
  writeFileSync(
    join(consumer, "typed.ts"),
    `import { Emulator, type DurableObjectStub } from "durasim";
     import { DurableObject } from "durasim/workers";
     export class Counter extends DurableObject {
       inc(): number { return 1; }
     }
     const emu = new Emulator({ module: { Counter }, durableObjects: { COUNTER: "Counter" } });
     const stub: DurableObjectStub = emu.env.COUNTER.getByName("a");
     const id: string = stub.id.toString();
     export const result: Promise<number> = stub.inc();
     // @ts-expect-error an unknown option is a type error too
     new Emulator({ module: {}, durabelObjects: {} });
     void id;`,
  );
  writeFileSync(
    join(consumer, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] }, files: ["typed.ts"] }),
  );
  const tsc = join(repo, "node_modules", ".bin", "tsc");
  execFileSync(tsc, ["-p", consumer, "--typeRoots", join(repo, "node_modules", "@types")], { cwd: consumer, stdio: "pipe" });
}, 60_000);

// The same, from a CommonJS project: require(), TypeScript compiling to require(), and tsx.
// The exports map's "require" targets are the CommonJS build (scripts/build-cjs.mjs).
const commonjs = mkdtempSync(join(tmpdir(), "durasim-cjs-consumer-"));
afterAll(() => rmSync(commonjs, { recursive: true, force: true }));

it("serves require() in a CommonJS project, modulePath Workers importing cloudflare:workers included", () => {
  writeFileSync(join(commonjs, "package.json"), JSON.stringify({ name: "cjs-consumer", private: true }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", repo], { cwd: commonjs, stdio: "pipe" });
  writeFileSync(
    join(commonjs, "worker.mjs"),
    `import { DurableObject, env } from "cloudflare:workers";
     export class Counter extends DurableObject {
       async inc() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return n + ":" + env.GREETING; }
     }`,
  );
  writeFileSync(
    join(commonjs, "main.js"),
    `const { Emulator } = require("durasim");
     const { DurableObject } = require("durasim/workers");
     const { Miniflare } = require("durasim/miniflare");
     class Local extends DurableObject { sql() { return this.ctx.storage.sql.exec("SELECT 6 * 7 AS x").one().x; } }
     (async () => {
       const emu = new Emulator({ modulePath: "./worker.mjs", durableObjects: { COUNTER: "Counter" }, bindings: { GREETING: "hi" } });
       const stub = emu.env.COUNTER.getByName("a");
       const counts = await Promise.all([stub.inc(), stub.inc()]);
       const local = new Emulator({ module: { Local }, durableObjects: { L: { className: "Local", sqlite: true } } });
       const sql = await local.env.L.getByName("x").sql();
       const mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('mf') } }" });
       const text = await (await mf.dispatchFetch("http://localhost/")).text();
       console.log(JSON.stringify({ counts, sql, text }));
       await Promise.all([emu.dispose(), local.dispose(), mf.dispose()]);
     })();`,
  );
  const output = execFileSync(process.execPath, ["main.js"], { cwd: commonjs, encoding: "utf8" });
  expect(JSON.parse(output)).toEqual({ counts: ["1:hi", "2:hi"], sql: 42, text: "mf" });
}, 120_000);

// sql.js makes one WebAssembly module per process, so a second copy of durasim (the ESM and the
// CommonJS build side by side) shares the first's engine: were it to set up its own, its
// cursors would count a full scan's rows read as the rows it returned, and it could not see
// SQLite's file writes to persist them.
it("counts rows and persists SQLite alike in the ESM and CommonJS builds loaded in one process", () => {
  writeFileSync(
    join(commonjs, "both.mjs"),
    `import { mkdtempSync, rmSync } from "node:fs";
     import { createRequire } from "node:module";
     import { tmpdir } from "node:os";
     import { join } from "node:path";
     import * as esm from "durasim";
     import * as esmWorkers from "durasim/workers";
     const require = createRequire(import.meta.url);
     const builds = [[esm, esmWorkers], [require("durasim"), require("durasim/workers")]];
     const rowsRead = [];
     for (const [{ Emulator }, { DurableObject }] of builds) {
       class Scan extends DurableObject {
         scan() {
           const sql = this.ctx.storage.sql;
           sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v)");
           for (let i = 0; i < 10; i++) sql.exec("INSERT INTO t VALUES (?, ?)", i, i);
           const cursor = sql.exec("SELECT count(*) AS n FROM t WHERE v > 100");
           return [cursor.one().n, cursor.rowsRead];
         }
       }
       const persist = mkdtempSync(join(tmpdir(), "durasim-both-"));
       const emu = new Emulator({ module: { Scan }, durableObjects: { S: { className: "Scan", sqlite: true } }, persist });
       rowsRead.push(await emu.env.S.getByName("x").scan());
       await emu.dispose();
       rmSync(persist, { recursive: true, force: true });
     }
     console.log(JSON.stringify(rowsRead));`,
  );
  const output = execFileSync(process.execPath, ["both.mjs"], { cwd: commonjs, encoding: "utf8" });
  expect(JSON.parse(output)).toEqual([[0, 10], [0, 10]]);
}, 60_000);

it("type-checks a TypeScript CommonJS project against the CommonJS declarations, and runs it with tsx", () => {
  writeFileSync(
    join(commonjs, "typed.ts"),
    `import { Emulator, type DurableObjectStub } from "durasim";
     import { DurableObject } from "durasim/workers";
     import { Miniflare } from "durasim/miniflare";
     export class Counter extends DurableObject {
       inc(): number { return 1; }
     }
     async function main(): Promise<void> {
       const emu = new Emulator({ module: { Counter }, durableObjects: { COUNTER: "Counter" } });
       const stub: DurableObjectStub = emu.env.COUNTER.getByName("a");
       const mf = new Miniflare({ modules: true, script: "export default {}" });
       console.log(JSON.stringify({ inc: await stub.inc(), ready: String(await mf.ready) }));
       await emu.dispose();
       await mf.dispose();
     }
     void main();`,
  );
  writeFileSync(
    join(commonjs, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] }, files: ["typed.ts"] }),
  );
  execFileSync(join(repo, "node_modules", ".bin", "tsc"), ["-p", commonjs, "--typeRoots", join(repo, "node_modules", "@types")], { cwd: commonjs, stdio: "pipe" });
  const tsx = join(repo, "node_modules", "tsx", "dist", "cli.mjs");
  const output = execFileSync(process.execPath, [tsx, "typed.ts"], { cwd: commonjs, encoding: "utf8" });
  expect(JSON.parse(output)).toEqual({ inc: 1, ready: "http://127.0.0.1/" });
}, 60_000);

it("loads under Jest's CommonJS module system (no ESM mode, no preset)", () => {
  writeFileSync(
    join(commonjs, "emulator.test.js"),
    `const { Emulator } = require("durasim");
     const { DurableObject } = require("durasim/workers");
     class Counter extends DurableObject {
       async inc() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return n; }
       sql() { return this.ctx.storage.sql.exec("SELECT 6 * 7 AS x").one().x; }
     }
     test("an emulator in a Jest test", async () => {
       const emu = new Emulator({ module: { Counter }, durableObjects: { C: "Counter", S: { className: "Counter", sqlite: true } } });
       const stub = emu.env.C.getByName("a");
       expect(await Promise.all([stub.inc(), stub.inc()])).toEqual([1, 2]);
       expect(await emu.env.S.getByName("a").sql()).toBe(42);
       await emu.dispose();
     });`,
  );
  const jest = join(repo, "node_modules", "jest", "bin", "jest.js");
  const report = execFileSync(process.execPath, [jest, "--rootDir", commonjs, "--ci", "--json", "emulator.test.js"], { cwd: commonjs, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  expect(JSON.parse(report)).toMatchObject({ numPassedTests: 1, numFailedTests: 0, success: true });
}, 120_000);

it("the build holds only what lib/ compiles to (npm run build empties dist/ first)", () => {
  // A file left from an earlier build could stand in for a module since moved or deleted, so a
  // broken import or exports-map entry would still resolve here and fail only once published.
  const dist = join(repo, "dist");
  const files = (readdirSync(dist, { recursive: true, withFileTypes: true }) as Array<{ parentPath: string; name: string; isFile(): boolean }>)
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dist, join(entry.parentPath, entry.name)).split("\\").join("/"));
  const orphans = files.filter((file) => {
    // The CommonJS build's own files: its package.json and rolldown's shared helpers.
    if (file === "cjs/package.json" || file.startsWith("cjs/_virtual/")) return false;
    const [esm, inCjs] = file.startsWith("cjs/") ? [file.slice("cjs/".length), true] : [file, false];
    const stem = esm.replace(/(\.d)?\.([cm]?)(js|ts)(\.map)?$/, ".$2");
    if (inCjs) return !existsSync(join(dist, `${stem.slice(0, -1)}.js`));
    return ![`${stem}ts`, `${stem}tsx`].some((source) => existsSync(join(repo, "lib", source)));
  });
  expect(files.length).toBeGreaterThan(100);
  expect(orphans).toEqual([]);
});

// durasim reads SQLite's internals at places it learns from one build of sql.js (the statement
// counters, the connection's limits and extended result code): a consumer must get that build,
// not whichever later one a range would let npm pick.
it("depends on exactly the sql.js build it was checked against", () => {
  const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
  expect(manifest.dependencies["sql.js"]).toBe(lock.packages["node_modules/sql.js"]!.version);
});
