import { defineConfig } from "vitest/config";

// .ci/run sets DURASIM_VITEST_JSON to collect a JSON report for its summary line.
const jsonReport = process.env.DURASIM_VITEST_JSON;

export default defineConfig({
  test: {
    include: ["spec/**/*.spec.ts", "examples/**/*.spec.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: jsonReport ? ["default", "json"] : ["default"],
    outputFile: jsonReport ? { json: jsonReport } : undefined,
  },
});
