// The Vitest example's tests, unchanged, under Jest: `vitest` is mapped to Jest's own globals.
// In your project this is `preset: "durasim/jest"`; inside durasim's repository the package is
// resolved by its own name, which Jest's preset lookup does not do, hence require.resolve.
module.exports = {
  preset: require.resolve("durasim/jest/jest-preset"),
  rootDir: "../vitest",
  // The Vitest example's tests, plus the Jest-only ones in ./test.
  roots: ["<rootDir>", __dirname],
  testMatch: ["<rootDir>/test/**/*.test.ts", "<rootDir>/../jest/test/**/*.test.ts"],
  // The same options as the Vitest example's cloudflareTest({ ... }).
  testEnvironmentOptions: {
    wrangler: { configPath: "./wrangler.jsonc" },
    miniflare: { compatibilityFlags: ["service_binding_extra_handlers"] },
  },
  moduleNameMapper: { "^vitest$": require.resolve("./vitest-as-jest.cjs") },
  transform: {
    "\\.ts$": ["babel-jest", { presets: ["@babel/preset-typescript"], plugins: ["@babel/plugin-transform-modules-commonjs"] }],
  },
};
