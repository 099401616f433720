/**
 * Finds the host durasim's Jest environment put on the test file's global object (host.ts).
 * Loaded by Jest's module registry, in the test file's realm.
 */
import type { JestHost } from "../host.js" with { "resolution-mode": "import" };

const host = (globalThis as Record<symbol, unknown>)[Symbol.for("durasim.jest")] as JestHost | undefined;
if (host === undefined) {
  throw new Error('durasim: this module needs durasim\'s Jest environment; set preset: "durasim/jest" in the Jest config.');
}
const modules = host.modules;

export = { host, modules };
