import { cloudflareTest } from "durasim/vitest";
import { defineConfig } from "vitest/config";

// The counter Worker of examples/vitest, with per-test isolation and the usage table.
export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: "../vitest/wrangler.jsonc" }, miniflare: { kvNamespaces: ["CACHE"] }, isolation: "test", reportUsage: true })],
});
