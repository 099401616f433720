import { cloudflareTest } from "durasim/vitest";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        // Gives SELF and exports.default a scheduled() that sends a scheduled event. It is an
        // experimental compatibility flag: tests only, never in wrangler.jsonc.
        compatibilityFlags: ["service_binding_extra_handlers"],
      },
    }),
  ],
});
