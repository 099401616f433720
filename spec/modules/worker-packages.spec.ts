/**
 * The packages a Worker imports see the Workers globals its own modules see (module hooks,
 * modules/workers-specifier-hooks.ts), as in workerd, where a package's `atob` and `URL` are the
 * runtime's: through a `modulePath` Emulator without `durasim/register` and through the Vitest
 * plugin, whose project modules reach packages through Vitest's module evaluator (or through Vite,
 * for a package listed in `test.server.deps.inline`). A package only
 * the process's own code imports keeps Node's. Each path runs in a child process from the built
 * package, over a generated project with its own node_modules.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ScratchDirectories } from "../scratch-directories.js";

const repo = resolve(import.meta.dirname, "../..");
const dist = (path: string) => pathToFileURL(resolve(repo, "dist", path)).href;

/** What a module sees of the globals whose behaviour differs between Node and the runtime (WebAssembly: inside a handler). */
const PROBE = `const failure = (fn) => { try { fn(); return "no error"; } catch (error) { return \`\${error.name}: \${error.message}\`; } };
export const seen = () => [failure(() => JSON.parse("{")), failure(() => atob("*")), failure(() => new URL("nope")), typeof WebSocketPair,
  failure(() => new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])))];
`;

/** A package: its package.json and files. */
function writePackage(dir: string, name: string, files: Record<string, string>, type = "module"): void {
  mkdirSync(join(dir, "node_modules", name), { recursive: true });
  writeFileSync(join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, version: "1.0.0", type, exports: "./index.js" }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, "node_modules", name, file), text);
}

const scratch = new ScratchDirectories("durasim-worker-packages-");
afterAll(() => scratch.removeAll());

/**
 * A project whose Worker imports `worker-lib` (which imports a file of its own and the package
 * `worker-dep`), and a package `node-lib` the Worker never imports.
 */
function project(): string {
  const dir = scratch.make();
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "probe-project", type: "module" }));
  writePackage(dir, "worker-dep", { "index.js": PROBE });
  writePackage(dir, "worker-lib", {
    "index.js": `export { seen } from "./probe.js";\nexport { seen as depSeen } from "worker-dep";\n`,
    "probe.js": PROBE,
  });
  writePackage(dir, "node-lib", { "index.js": PROBE });
  writePackage(dir, "inline-lib", { "index.js": PROBE });
  writePackage(dir, "cjs-lib", { "index.js": "exports.pair = () => new WebSocketPair();\nexports.later = () => setTimeout(() => new IdentityTransformStream(), 0);\n" }, "commonjs");
  writeFileSync(
    join(dir, "worker.js"),
    `import { DurableObject } from "cloudflare:workers";
     import { seen as packageSeen, depSeen } from "worker-lib";
     import { seen as inlineSeen } from "inline-lib";
     import { later, pair } from "cjs-lib";
     ${PROBE.replace("export const seen", "const ownSeen")}
     export { packageSeen };
     export class Probe extends DurableObject {
       seen() { return { own: ownSeen(), pkg: packageSeen(), dep: depSeen(), inline: inlineSeen() }; }
       pair() { return pair(); }
       // The timer's callback throws with no caller to throw to: the runtime logs it as uncaught.
       async later() { later(); await new Promise((resolve) => setTimeout(resolve, 0)); }
     }
     export default { fetch: () => new Response("ok") };\n`,
  );
  return dir;
}

/** `args` run by this Node in `dir`, without this Vitest run's own variables (which would confuse a nested Vitest). */
function runChild(dir: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS"));
  const { stdout, stderr, status } = spawnSync(process.execPath, args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
  return { stdout, stderr, status };
}

interface Seen {
  own: unknown[];
  pkg: unknown[];
  dep: unknown[];
  inline: unknown[];
}

let emulatorRun: Seen & { node: unknown[]; driver: unknown[]; refusals: unknown[]; stderr: string };
let vitestRun: { status: number | null; report: { testResults: Array<{ message?: string; assertionResults: Array<{ status: string; failureMessages: string[] }> }> } };

beforeAll(() => {
  const plain = project();
  writeFileSync(
    join(plain, "driver.mjs"),
    `import { Emulator } from ${JSON.stringify(dist("index.js"))};
     import { seen as nodeSeen } from "node-lib";
     ${PROBE.replace("export const seen", "const driverSeen")}
     const emu = new Emulator({ modulePath: "./worker.js", durableObjects: { PROBE: "Probe" } });
     const stub = emu.env.PROBE.getByName("p");
     const seen = await stub.seen();
     const refusals = [];
     for (let i = 0; i < 2; i++) refusals.push(await stub.pair().then(() => "no error", (error) => [error instanceof ReferenceError, error.message]));
     await stub.later();
     await emu.dispose();
     console.log(JSON.stringify({ ...seen, node: nodeSeen(), driver: driverSeen(), refusals }));\n`,
  );
  const child = runChild(plain, ["driver.mjs"]);
  if (child.status !== 0) throw new Error(`the Emulator's child failed (${child.status}):\n${child.stdout}\n${child.stderr}`);
  emulatorRun = { ...JSON.parse(child.stdout.trim().split("\n").at(-1)!), stderr: child.stderr };

  const viaVitest = project();
  symlinkSync(join(repo, "node_modules/vitest"), join(viaVitest, "node_modules/vitest"), "dir");
  writeFileSync(
    join(viaVitest, "vitest.config.mjs"),
    `import { cloudflareTest } from ${JSON.stringify(dist("testing/vitest/index.js"))};
     export default { plugins: [cloudflareTest({ main: "./worker.js", miniflare: { compatibilityDate: "2026-01-01", durableObjects: { PROBE: "Probe" } } })], test: { include: ["probe.test.js"], server: { deps: { inline: ["inline-lib"] } } } };\n`,
  );
  writeFileSync(
    join(viaVitest, "probe.test.js"),
    `import { env } from "cloudflare:test";
     import { expect, it } from "vitest";
     import { seen } from "worker-lib";
     import * as worker from "./worker.js";
     it("the Worker's packages see its globals, and the test file shares their instances", async () => {
       const { own, pkg, dep, inline } = await env.PROBE.getByName("p").seen();
       expect(pkg).toEqual(own);
       expect(dep).toEqual(own);
       // A package Vite runs (test.server.deps.inline), not Node.
       expect(inline).toEqual(own);
       expect(seen).toBe(worker.packageSeen);
     });\n`,
  );
  const report = join(viaVitest, "report.json");
  const { status } = runChild(viaVitest, [join(repo, "node_modules/vitest/vitest.mjs"), "run", "--reporter=json", "--testTimeout=60000", `--outputFile=${report}`]);
  vitestRun = { status, report: JSON.parse(readFileSync(report, "utf8")) };
}, 240_000);

it("a modulePath Worker's packages, and theirs, see the Worker's globals without durasim/register", () => {
  // The probe tells the two apart: the Worker's own module sees the runtime's words.
  expect(emulatorRun.own).not.toEqual(emulatorRun.driver);
  expect(emulatorRun.own[3]).toBe("function");
  expect(emulatorRun.own[4]).toBe("CompileError: WebAssembly.Module(): Wasm code generation disallowed by embedder");
  expect(emulatorRun.driver[4]).toBe("no error");
  expect(emulatorRun.pkg).toEqual(emulatorRun.own);
  expect(emulatorRun.dep).toEqual(emulatorRun.own);
  expect(emulatorRun.inline).toEqual(emulatorRun.own);
});

it("CommonJS code keeps Node's global scope: its ReferenceError stays as it is, and the process is told once what gives the global", () => {
  expect(emulatorRun.refusals).toEqual([
    [true, "WebSocketPair is not defined"],
    [true, "WebSocketPair is not defined"],
  ]);
  const hint = (message: string) =>
    `durasim: Worker code failed with "ReferenceError: ${message}": the Workers runtime has that global, and durasim gives it to ` +
    "a Worker's ES modules and the ES module packages they import, but this code runs in Node's global scope " +
    '(a package\'s CommonJS code, or a Worker given as "module"). Run Node with --import durasim/register, or test under ' +
    "durasim's Vitest plugin or Jest preset, which make the Workers globals global.";
  const lines = emulatorRun.stderr.split("\n");
  // A thrown error the caller gets, then one the runtime logs as uncaught, after its log line.
  expect(lines.filter((line) => line.startsWith("durasim:") || line.startsWith("Uncaught"))).toEqual([
    hint("WebSocketPair is not defined"),
    "Uncaught ReferenceError: IdentityTransformStream is not defined",
    hint("IdentityTransformStream is not defined"),
  ]);
});

it("a package only the process's own code imports keeps Node's globals", () => {
  expect(emulatorRun.node).toEqual(emulatorRun.driver);
});

it("under the Vitest plugin, the Worker's packages see its globals", () => {
  const file = vitestRun.report.testResults[0]!;
  expect(file.message ?? "").toBe("");
  expect(file.assertionResults.flatMap((test) => test.failureMessages)).toEqual([]);
  expect(file.assertionResults.map((test) => test.status)).toEqual(["passed"]);
  expect(vitestRun.status).toBe(0);
});
