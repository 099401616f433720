/**
 * Finds the host durasim's Jest environment put on the test file's global object (host.ts).
 * Loaded by Jest's module registry, in the test file's realm. A test file may run in another
 * environment (a `@jest-environment node` docblock, for a plain unit test): the setup files then
 * do nothing (`present`), and a module that needs the host throws as it loads (`needed()`).
 */
import type { JestHost } from "../host.js" with { "resolution-mode": "import" };

/** The host; null while durasim's environment is not set up yet (Jest's `setupFiles` run then). */
const found = (globalThis as Record<symbol, unknown>)[Symbol.for("durasim.jest")] as JestHost | null | undefined;

/** The host, for a module that cannot work without it. */
function needed(): JestHost {
  if (found === null) {
    throw new Error(
      "durasim: this module needs durasim's Jest environment, which Jest sets up only after the setupFiles modules have run: " +
        "import it from a setupFilesAfterEnv module instead (or from the test file).",
    );
  }
  if (found === undefined) {
    throw new Error(
      'durasim: this module needs durasim\'s Jest environment, which this test file does not run in: set preset: "durasim/jest" in the Jest config, ' +
        "and remove any @jest-environment docblock naming another environment from the file that imports it.",
    );
  }
  return found;
}

// Plain values and a function, no getters: Jest's ES module view of this module reads each property.
export = { present: found != null, needed };
