import { cloudflareTest } from "durasim/vitest";
import { defineConfig } from "vitest/config";

// The counter Worker of examples/vitest, twice: the default per-test isolation (with the usage
// table), and a project whose tests share a file's storage (isolation: "file").
const worker = { wrangler: { configPath: "../vitest/wrangler.jsonc" }, miniflare: { kvNamespaces: ["CACHE"] } };

export default defineConfig({
  test: {
    projects: [
      { plugins: [cloudflareTest({ ...worker, reportUsage: true })], test: { name: "per-test", include: ["test/isolation.test.ts"] } },
      { plugins: [cloudflareTest({ ...worker, isolation: "file" })], test: { name: "per-file", include: ["test/shared-file.test.ts"] } },
    ],
  },
});
