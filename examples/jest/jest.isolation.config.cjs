// The isolation example under Jest: the default per-test isolation, and a project whose tests
// share a file's storage (isolation: "file" in testEnvironmentOptions), with the usage table.
const { resolve } = require("node:path");
const base = require("./jest.config.cjs");

const worker = { wrangler: { configPath: "../vitest/wrangler.jsonc" }, miniflare: { kvNamespaces: ["CACHE"] } };
const project = (displayName, file, options) => ({
  ...base,
  displayName,
  rootDir: resolve(__dirname, "../vitest-isolation"),
  testMatch: [`<rootDir>/test/${file}`],
  testEnvironmentOptions: { ...worker, ...options },
});

module.exports = {
  // Each test's usage in a table after the run (in your project: "durasim/jest/usage-reporter").
  reporters: ["default", require.resolve("durasim/jest/usage-reporter")],
  projects: [project("per-test", "isolation.test.ts", {}), project("per-file", "shared-file.test.ts", { isolation: "file" })],
};
