import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, relative, resolve } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// .ci/run sets DURASIM_VITEST_JSON to collect a JSON report for its summary line.
const jsonReport = process.env.DURASIM_VITEST_JSON;

/** This repository's build (Vite's module ids use "/" separators). */
const distFiles = new RegExp(`^${resolve(import.meta.dirname, "dist").split("\\").join("/").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`);

/**
 * Vitest runs the longest files first once it has timings of a previous run; without them (a
 * fresh clone, as in CI) it runs the largest first, and a short file that starts child
 * processes (the slowest kind here) could start last and run alone at the end. So until every
 * file has a timing, files that import node:child_process, themselves or through a module of
 * their own directory (the runners-*.spec.ts files share nested-runs.ts), go first.
 */
class ChildProcessesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const timed = (file: TestSpecification) =>
      this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`) !== undefined;
    if (sorted.every(timed)) return sorted;
    const startsProcesses = (file: TestSpecification) => {
      const text = readFileSync(file.moduleId, "utf8");
      const neighbours = [...text.matchAll(/from "\.\/([\w.-]+)\.js"/g)].map((match) => resolve(dirname(file.moduleId), `${match[1]}.ts`));
      return [text, ...neighbours.filter((path) => existsSync(path)).map((path) => readFileSync(path, "utf8"))].some((source) => source.includes("node:child_process"));
    };
    return [...sorted.filter(startsProcesses), ...sorted.filter((file) => !startsProcesses(file))];
  }
}

export default defineConfig({
  test: {
    include: ["spec/**/*.spec.ts", "examples/**/*.spec.ts"],
    testTimeout: 20_000,
    // Specs that import the build (dist/) get Node's own loader, as the Vitest plugin gives
    // users: through Vite, the first import of dist's module graph in a worker was transformed
    // and fetched module by module over RPC, which on a loaded machine outlasted a test's timeout.
    server: { deps: { external: [distFiles] } },
    hookTimeout: 60_000,
    // Vitest keeps a core for its main process (cores - 1 workers): on a 2-core machine such as
    // CI that is one worker, and files ran one at a time although many of them mostly wait on
    // the child processes they start. The main process is nearly idle once modules are
    // transformed, so two workers there; larger machines keep Vitest's default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: ChildProcessesFirst },
    reporters: jsonReport ? ["default", "json"] : ["default"],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});
