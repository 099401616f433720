// The per-test isolation example under Jest (isolation: "test" in testEnvironmentOptions).
const base = require("./jest.config.cjs");

module.exports = {
  ...base,
  rootDir: "../vitest-isolation",
  testEnvironmentOptions: { wrangler: { configPath: "../vitest/wrangler.jsonc" }, miniflare: { kvNamespaces: ["CACHE"] }, isolation: "test" },
};
