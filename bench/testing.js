// Test-runner integration: durasim's own time per test file under its Vitest plugin, next to
// Vitest's own time per file for a suite of the same size that loads no durasim (measured in
// the same run), and Cloudflare's plugin when it is installed here (it is not a dependency:
// it needs workerd and wrangler). Each suite runs in a child process, as a user runs it.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Emulator } from "durasim";
import { DurableObject } from "durasim/workers";
import { duration, median } from "./harness.js";
import { FileIsolation } from "../dist/testing/isolation.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const FILES = Number(process.env.BENCH_TEST_FILES ?? 20);
const require = createRequire(import.meta.url);

const WORKER = `import { DurableObject } from "cloudflare:workers";
export class Counter extends DurableObject {
  async increment(by = 1) {
    const next = ((await this.ctx.storage.get("count")) ?? 0) + by;
    await this.ctx.storage.put("count", next);
    return next;
  }
}
export default { async fetch() { return new Response("ok"); } };
`;
const WRANGLER = JSON.stringify({
  name: "bench",
  main: "src/index.ts",
  compatibility_date: "2026-01-01",
  durable_objects: { bindings: [{ name: "COUNTER", class_name: "Counter" }] },
  migrations: [{ tag: "v1", new_sqlite_classes: ["Counter"] }],
});
const DURASIM_TEST = `import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
it("counts", async () => {
  const stub = env.COUNTER.getByName("a");
  expect(await stub.increment()).toBe(1);
  expect(await stub.increment(2)).toBe(3);
});
`;
const PLAIN_TEST = `import { expect, it } from "vitest";
it("counts", async () => {
  let count = 0;
  expect(++count).toBe(1);
});
`;

/** A project in a temporary directory: `files` maps paths to contents; packages are linked in. */
function project(files, packages) {
  const dir = mkdtempSync(join(tmpdir(), "durasim-bench-suite-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "suite", private: true, type: "module" }));
  mkdirSync(join(dir, "node_modules", "@cloudflare"), { recursive: true });
  for (const [name, target] of Object.entries(packages)) symlinkSync(target, join(dir, "node_modules", name), "dir");
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
  return dir;
}

function testFiles(body) {
  return Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`test/t${i}.test.ts`, body]));
}

/** Runs Vitest in `dir` (node: which Node binary); returns wall milliseconds per test file. */
function vitest(dir, { node = process.execPath, env = {} } = {}) {
  const start = performance.now();
  execFileSync(node, [join(repo, "node_modules/vitest/vitest.mjs"), "run", "--root", dir], {
    stdio: "pipe",
    env: { ...process.env, ...env },
  });
  return (performance.now() - start) / FILES;
}

const vitestLink = { vitest: join(repo, "node_modules/vitest") };

function durasimSuite() {
  return project(
    {
      "wrangler.json": WRANGLER,
      "src/index.ts": WORKER,
      "vitest.config.ts": `import { cloudflareTest } from "durasim/vitest";
import { defineConfig } from "vitest/config";
export default defineConfig({ plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.json" } })] });
`,
      ...testFiles(DURASIM_TEST),
    },
    { ...vitestLink, durasim: repo },
  );
}

function plainSuite(isolate) {
  return project(
    {
      "vitest.config.ts": `import { defineConfig } from "vitest/config";
export default defineConfig({ test: { isolate: ${isolate} } });
`,
      ...testFiles(PLAIN_TEST),
    },
    vitestLink,
  );
}

function cloudflareSuite(pluginDir) {
  return project(
    {
      "wrangler.json": WRANGLER,
      "src/index.ts": WORKER,
      "vitest.config.ts": `import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
export default defineConfig({ plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.json" } })] });
`,
      ...testFiles(DURASIM_TEST),
    },
    { ...vitestLink, "@cloudflare/vitest-pool-workers": pluginDir },
  );
}

const ms = (value) => `${value.toFixed(value < 1 ? 3 : 1)} ms`;

function resolvable(specifier) {
  try {
    return dirname(require.resolve(specifier));
  } catch {
    return undefined;
  }
}

class Store extends DurableObject {
  async fill(count, sqlite) {
    for (let i = 0; i < count; i += 128) {
      const batch = {};
      for (let j = i; j < Math.min(i + 128, count); j++) batch[`key-${j}`] = { n: j, text: "value" };
      await this.ctx.storage.put(batch);
    }
    if (sqlite) this.ctx.storage.sql.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, label TEXT)");
  }
  /** The three tests: reading a key, writing one, writing a row with SQL (SQLite only). */
  async read() {
    return this.ctx.storage.get("key-0");
  }
  async put() {
    await this.ctx.storage.put("key-0", { n: -1 });
  }
  sql() {
    this.ctx.storage.sql.exec("INSERT INTO rows (label) VALUES ('a row')");
  }
}

const TESTS = { read: "reads only", put: "writes one key", sql: "writes a row with SQL" };

/**
 * What isolation "test" adds to one test (the runner's snapshot before it and restore after),
 * for an object holding 1,000 keys that the test reads, changes one key of, or adds a SQL row
 * to; beside the test's own work (one call), measured in the same run.
 */
async function isolationCost(sqlite, test) {
  const emu = new Emulator({ module: { Store }, durableObjects: { NS: { className: "Store", sqlite } } });
  const stub = emu.env.NS.getByName("a");
  await stub.fill(1_000, sqlite);
  const file = new FileIsolation(emu, "test");
  const time = async (isolate) => {
    const start = performance.now();
    for (let i = 0; i < 50; i++) {
      if (isolate) await file.enterTest("t", false);
      await stub[test]();
      if (isolate) await file.leaveTest();
    }
    return (performance.now() - start) / 50;
  };
  await time(true);
  // Rounds of both, side by side, so that load on the machine weighs on each alike.
  const added = [];
  const calls = [];
  for (let round = 0; round < 9; round++) {
    const isolated = await time(true);
    const plain = await time(false);
    added.push(isolated - plain);
    calls.push(plain);
  }
  await emu.dispose();
  return { isolation: median(added), call: median(calls) };
}

export async function runIsolationBenchmarks() {
  console.log("\n### Per-test isolation: cost per test, object with 1,000 keys (target < 1 ms)\n");
  console.log("| backend | the test | isolation per test | baseline: the test's one call |");
  console.log("|---|---|---|---|");
  for (const sqlite of [false, true]) {
    for (const test of sqlite ? ["read", "put", "sql"] : ["read", "put"]) {
      const { isolation, call } = await isolationCost(sqlite, test);
      console.log(`| ${sqlite ? "SQLite" : "KV"} | ${TESTS[test]} | ${ms(isolation)} | ${ms(call)} |`);
    }
  }
}

export async function runTestingBenchmarks() {
  await runIsolationBenchmarks();

  const dirs = [];
  const suite = (dir) => (dirs.push(dir), dir);
  try {
    const timings = join(suite(mkdtempSync(join(tmpdir(), "durasim-bench-timings-"))), "timings.jsonl");
    const durasimWall = vitest(suite(durasimSuite()), { env: { DURASIM_VITEST_TIMINGS: timings } });
    const perFile = readFileSync(timings, "utf8").trim().split("\n").map((line) => JSON.parse(line).ms);
    const steady = median(perFile.slice(1));
    const plainShared = vitest(suite(plainSuite(false)));
    const plainIsolated = vitest(suite(plainSuite(true)));
    let cloudflare = "not installed here (see README)";
    // BENCH_CLOUDFLARE_PLUGIN: the directory of an installed @cloudflare/vitest-pool-workers.
    const pluginDir = process.env.BENCH_CLOUDFLARE_PLUGIN ?? resolvable("@cloudflare/vitest-pool-workers/package.json");
    if (pluginDir !== undefined) {
      try {
        // Miniflare needs Node >= 22: the `node` dev dependency's binary.
        cloudflare = ms(vitest(suite(cloudflareSuite(pluginDir)), { node: join(repo, "node_modules/.bin/node") }));
      } catch (error) {
        cloudflare = `did not run: ${String(error.stderr ?? error.message).split("\n").find((line) => /Error/.test(line)) ?? "see stderr"}`;
      }
    }
    console.log(`\n### Test runners: cost per test file (${FILES} files, one Durable Object call pair each)\n`);
    console.log("| measure | per test file |");
    console.log("|---|---|");
    console.log(`| durasim's own time, steady (median; target <= 10 ms) | ${ms(steady)} |`);
    console.log(`| durasim's own time, first file of a worker (SQLite engine, first transform) | ${ms(perFile[0])} |`);
    console.log(`| whole suite under durasim's plugin, wall time | ${ms(durasimWall)} |`);
    console.log(`| baseline: Vitest alone, same file count, isolate: false (durasim's mode) | ${ms(plainShared)} |`);
    console.log(`| baseline: Vitest alone, isolate: true (Vitest's default) | ${ms(plainIsolated)} |`);
    console.log(`| Cloudflare's plugin, same suite, wall time | ${cloudflare} |`);
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runTestingBenchmarks();
