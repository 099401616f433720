import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// .ci/run sets DURASIM_VITEST_JSON to collect a JSON report for its summary line.
const jsonReport = process.env.DURASIM_VITEST_JSON;

export default defineConfig({
  test: {
    include: ["spec/**/*.spec.ts", "examples/**/*.spec.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Vitest keeps a core for its main process (cores - 1 workers): on a 2-core machine such as
    // CI that is one worker, and files ran one at a time although many of them mostly wait on
    // the child processes they start. The main process is nearly idle once modules are
    // transformed, so two workers there; larger machines keep Vitest's default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: jsonReport ? ["default", "json"] : ["default"],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});
