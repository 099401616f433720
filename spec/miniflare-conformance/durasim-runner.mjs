// Runs one scenario inside durasim, through the public API only: the scenario's module is the
// Worker script of a new Emulator with the same bindings Miniflare's side gets, and the record
// is its fetch handler's answer.
//
// Plain Node cannot import lib/*.ts, so this loads `lib/index.js` when a TS-aware loader is
// active (vitest, tsx) and otherwise the build output `dist/index.js` (`npm run build`).
import { answerOf, RATELIMIT_BINDINGS } from "./scenario.mjs";

let loaded;
function loadEmulator() {
  loaded ??= (async () => {
    const problems = [];
    for (const url of [new URL("../../lib/index.js", import.meta.url), new URL("../../dist/index.js", import.meta.url)]) {
      try {
        return (await import(url.href)).Emulator;
      } catch (e) {
        // Only "not loadable here" falls through; a real error inside durasim must surface.
        if (e?.code !== "ERR_MODULE_NOT_FOUND" && e?.code !== "ERR_UNKNOWN_FILE_EXTENSION") throw e;
        problems.push(`${url.href}: ${e.code}`);
      }
    }
    throw new Error(`durasim's Emulator is not available (${problems.join("; ")}); run "npm run build" or pass --miniflare-only`);
  })();
  return loaded;
}

export async function runOnDurasim(scenario, { kvBindings, r2Buckets }) {
  const Emulator = await loadEmulator();
  let emu;
  try {
    return await answerOf("durasim", scenario, () => {
      emu = new Emulator({ name: "scenario", script: scenario.module, kvNamespaces: kvBindings, r2Buckets, ratelimits: RATELIMIT_BINDINGS });
      return emu.dispatchFetch("http://scenario/");
    });
  } finally {
    await emu?.dispose().catch(() => undefined);
  }
}
