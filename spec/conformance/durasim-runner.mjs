// Runs one scenario inside durasim, through the public API only (black-box).
//
// Plain Node cannot import lib/*.ts, so this loads `lib/index.js` when a TS-aware loader is
// active (vitest, tsx) and otherwise the build output `dist/index.js` (`npm run build`).
// DURASIM_ENTRY overrides both.
import { buildModule, buildWorkerModule, DRIVE_URL, MAIN_WORKER } from "./scenario.mjs";

let loaded;
async function loadEmulator() {
  loaded ??= (async () => {
    const candidates = process.env.DURASIM_ENTRY
      ? [new URL(process.env.DURASIM_ENTRY, `file://${process.cwd()}/`).href]
      : [new URL("../../lib/index.js", import.meta.url).href, new URL("../../dist/index.js", import.meta.url).href];
    const problems = [];
    for (const url of candidates) {
      let mod;
      try {
        mod = await import(url);
      } catch (e) {
        // Only "this file is not loadable here" falls through to the next candidate; a real
        // error inside durasim must surface, not be masked by a stale build.
        if (e?.code !== "ERR_MODULE_NOT_FOUND" && e?.code !== "ERR_UNKNOWN_FILE_EXTENSION") throw e;
        problems.push(`${url}: ${e.code}`);
        continue;
      }
      if (typeof mod.Emulator === "function") return mod.Emulator;
      problems.push(`${url}: no Emulator export`);
    }
    throw new Error(`durasim's Emulator is not available (${problems.join("; ")}); run "npm run build" or pass --workerd-only`);
  })();
  return loaded;
}

/** The scenario's other Workers, service bindings and flags, as Emulator options (none: no options,
 * so scenarios without them do not depend on those options existing). */
function otherWorkers(scenario) {
  const options = {};
  const names = Object.keys(scenario.workers);
  if (names.length > 0) {
    options.workers = names.map((name) => {
      const worker = scenario.workers[name];
      const date = worker.compatibilityDate === undefined ? {} : { compatibilityDate: worker.compatibilityDate };
      return { name, script: ownInstance(buildWorkerModule(worker), scenario), ...date };
    });
  }
  if (Object.keys(scenario.services).length > 0) options.serviceBindings = scenario.services;
  if (scenario.compatibilityFlags.length > 0) options.compatibilityFlags = scenario.compatibilityFlags;
  if (scenario.compatibilityDate !== undefined) options.compatibilityDate = scenario.compatibilityDate;
  return options;
}

/**
 * workerd starts every scenario's Workers afresh; durasim shares one module instance among
 * emulators given the same source, so each scenario's text is made its own (the [sqlite] and
 * [kv] runs of one scenario have the same text, and module-level state must not carry over).
 */
function ownInstance(source, scenario) {
  return `${source}\n// scenario: ${JSON.stringify(scenario.name)}\n`;
}

/** Mirrors the workerd config: same class list, uniqueKey "test-<class>" (durasim derives it
 * as `${name}-${className}`, so the Worker is named "test") and the scenario's backend. */
export async function runOnDurasim(scenario) {
  const Emulator = await loadEmulator();
  const durableObjects = Object.fromEntries(
    Object.entries(scenario.classes).map(([binding, className]) => [
      binding,
      { className, sqlite: scenario.backend === "sqlite" },
    ]),
  );
  let emu;
  let timer;
  // The driver times itself out inside the module; this outer limit catches a hang in the
  // emulator itself (dispatch or module loading).
  const hang = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("durasim did not answer")), scenario.timeoutMs + 5_000);
  });
  try {
    emu = new Emulator({ name: MAIN_WORKER, script: ownInstance(buildModule(scenario, "durasim"), scenario), durableObjects, ...otherWorkers(scenario) });
    const res = await Promise.race([emu.dispatchFetch(DRIVE_URL), hang]);
    const text = await res.text();
    try {
      return { record: JSON.parse(text) };
    } catch {
      return { failure: `durasim answered ${res.status} with non-JSON: ${text.slice(0, 2000)}` };
    }
  } catch (e) {
    return { failure: `durasim failed outside the scenario: ${e?.stack ?? e}` };
  } finally {
    clearTimeout(timer);
    try {
      await emu?.dispose();
    } catch {
      // A dispose failure must not hide the record; durasim's own tests cover dispose.
    }
  }
}
