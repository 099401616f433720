// Runs one scenario inside durasim, through the public API only: the scenario's module is the
// Worker script of a new Emulator with the same bindings Miniflare's side gets, and the record
// is its fetch handler's answer.
//
// Plain Node cannot import lib/*.ts, so this loads `lib/index.js` when a TS-aware loader is
// active (vitest, tsx) and otherwise the build output `dist/index.js` (`npm run build`).
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
  let timer;
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ failure: "durasim did not answer" }), scenario.timeoutMs + 5_000);
  });
  const answer = (async () => {
    emu = new Emulator({ name: "scenario", script: scenario.module, kvNamespaces: kvBindings, r2Buckets });
    const res = await emu.dispatchFetch("http://scenario/");
    const text = await res.text();
    try {
      return { record: JSON.parse(text) };
    } catch {
      return { failure: `durasim answered ${res.status} with non-JSON: ${text.slice(0, 2000)}` };
    }
  })().catch((e) => ({ failure: `durasim failed outside the scenario: ${e?.stack ?? e}` }));
  try {
    return await Promise.race([answer, hang]);
  } finally {
    clearTimeout(timer);
    await emu?.dispose().catch(() => undefined);
  }
}
