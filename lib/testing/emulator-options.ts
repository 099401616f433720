/**
 * From a test integration's options to the options of one emulator: the wrangler file, the
 * `miniflare` options laid over it, and `main` (which wins over code the others give).
 */
import { resolve } from "node:path";
import { boundNames } from "../config/bound-names.js";
import { mergeOptions } from "../config/merge.js";
import { translateMiniflareOverlay } from "../config/miniflare-options.js";
import { existingMain, type UnemulatedBinding } from "../config/wrangler/translate.js";
import type { TranslatedOptions, TranslatedWorker } from "../config/translated.js";
import type { EmulatorOptions } from "../config/options.js";
import { type ConfigMemo, memoized, wranglerConfigOf } from "./config-memo.js";
import type { ResolvedTestOptions } from "./options.js";
import { hostFunctionId } from "./host-function-marker.js";
import { unemulatedBinding } from "./unemulated-binding.js";
import { ConfigError } from "../util/config-error.js";

interface Translation {
  options: TranslatedOptions;
  /** Absolute path of the main Worker's module. */
  main: string | undefined;
  /** The wrangler file's bindings of products durasim does not emulate, and the file. */
  unemulated: { bindings: UnemulatedBinding[]; file: string } | undefined;
}

/** Translations by options and wrangler file version: files re-read only when they change. */
const translations: ConfigMemo<Translation> = new Map();

/** Makes the function a marker in the options stands for (a function kept in the runner's main process). */
export type HostFunctionResolver = (id: string) => (request: Request) => Promise<Response>;

/** The translated configuration (cached per process while the wrangler file is unchanged). */
export function translateTestOptions(options: ResolvedTestOptions, hostFunction?: HostFunctionResolver): Translation {
  return memoized(translations, options, (configPath) => {
    let translated: TranslatedOptions = {};
    let main: string | undefined;
    let unemulated: Translation["unemulated"];
    if (configPath) {
      const config = wranglerConfigOf(options, configPath);
      translated = config.options;
      if (config.unemulated !== undefined) unemulated = { bindings: config.unemulated, file: config.configPath };
      // Refused here, naming the setting: the runner's own refusal would name durasim's loader
      // (Jest: its setup file) as the importer. The Vitest plugin checked it already.
      if (options.main === undefined && config.main !== undefined) {
        main = existingMain(config.main, config.configPath, options.bundled ? "set the plugin's main option" : "set main in testEnvironmentOptions");
      }
    }
    if (options.main !== undefined) main = resolve(options.root, options.main);
    if (options.miniflare !== undefined) {
      const miniflare = withHostFunctions(options.miniflare, hostFunction) as Record<string, unknown>;
      const overlay = translateMiniflareOverlay({ rootPath: options.root, ...miniflare }, { moduleRules: options.moduleRules === true });
      translated = mergeOptions(translated, withFlagsAdded(translated, overlay));
    }
    return { options: translated, main, unemulated };
  });
}

/**
 * The overlay with its compatibility flags added to the wrangler file's, not replacing them:
 * Cloudflare's integration merges the two as Miniflare's mergeWorkerOptions() merges any list:
 * the `miniflare` option's first, then the file's, each flag once.
 */
function withFlagsAdded(base: TranslatedOptions, overlay: TranslatedOptions): TranslatedOptions {
  if (base.compatibilityFlags === undefined || overlay.compatibilityFlags === undefined) return overlay;
  return { ...overlay, compatibilityFlags: [...new Set([...overlay.compatibilityFlags, ...base.compatibilityFlags])] };
}

/**
 * Emulator options for one test file. Worker modules stay paths: the integration routes
 * `modulePath` through the test runner's module system (loader.ts, setHostModuleLoader).
 * Storage is the test file's own, in memory, as Cloudflare's integration isolates it per file:
 * Miniflare's persistence options in `miniflare` are accepted and do not reach the disk (test
 * files run side by side, and would otherwise share, and fight over, one directory).
 */
export function emulatorOptions(options: ResolvedTestOptions, hostFunction?: HostFunctionResolver): EmulatorOptions {
  const { options: { persist: _persist, ...translated }, main, unemulated } = translateTestOptions(options, hostFunction);
  // Fresh stand-ins per emulator, for the names the options bind nothing else to: a value in
  // miniflare.bindings, or a binding of another kind (a service binding standing in for the
  // assets binding, a KV namespace for what production binds otherwise), takes the name.
  if (unemulated !== undefined) {
    const bound = boundNames(translated);
    const standIns = unemulated.bindings.filter(({ name }) => !bound.has(name)).map((binding) => [binding.name, unemulatedBinding(binding, unemulated.file)]);
    translated.bindings = { ...Object.fromEntries(standIns), ...translated.bindings };
  }
  let worker: TranslatedOptions;
  if (main !== undefined) worker = { ...withoutCode(translated), modulePath: main };
  else if (hasCode(translated)) worker = translated;
  else {
    refuseOwnClassesWithoutCode(translated, options);
    worker = { ...translated, module: {} };
  }
  return { ...worker, clock: options.clock } as unknown as EmulatorOptions;
}

/**
 * Without a module, the main Worker exports nothing, and the emulator would say only that it
 * does not export the class a binding names ("exported classes: none"), which reads as a
 * mistake in the Worker. What is missing is the module: say so, as Cloudflare's integration
 * does ("Using Durable Object bindings to the current worker requires main ...").
 */
function refuseOwnClassesWithoutCode(worker: TranslatedWorker, options: ResolvedTestOptions): void {
  for (const [binding, designator] of Object.entries(worker.durableObjects ?? {})) {
    if (typeof designator !== "string" && designator.scriptName !== undefined && designator.scriptName !== worker.name) continue;
    const className = typeof designator === "string" ? designator : designator.className;
    const where = options.bundled ? "the plugin's options" : "testEnvironmentOptions";
    throw new ConfigError(
      `durasim: Durable Object binding ${binding} is to class "${className}" of the Worker under test, but ${where} give it no module: ` +
        `set "main" to the Worker's entry module, or "wrangler.configPath" to a wrangler file with "main".`,
    );
  }
}

function hasCode(worker: TranslatedWorker): boolean {
  return worker.module !== undefined || worker.modulePath !== undefined || worker.script !== undefined || worker.modules !== undefined;
}

/** The main Worker without the code `main` replaces. */
function withoutCode<W extends TranslatedWorker>(worker: W): W {
  const { module: _module, modulePath: _modulePath, script: _script, modules: _modules, ...rest } = worker;
  return rest as W;
}

/** The options with each function marker replaced by the function that calls it (left as it is without a resolver). */
function withHostFunctions(value: unknown, hostFunction: HostFunctionResolver | undefined): unknown {
  const id = hostFunctionId(value);
  if (id !== undefined && hostFunction !== undefined) return hostFunction(id);
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((inner) => withHostFunctions(inner, hostFunction));
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withHostFunctions(inner, hostFunction)]));
}
