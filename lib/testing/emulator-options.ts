/**
 * From a test integration's options to the options of one emulator: the wrangler file, the
 * `miniflare` options laid over it, and `main`, with every Worker module on disk loaded by the
 * test runner's own module system (so TypeScript works, and the class a test imports is the
 * class the emulator instantiates).
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { mergeOptions } from "../config/merge.js";
import { translateMiniflareOverlay } from "../config/miniflare-options.js";
import type { TranslatedOptions, TranslatedWorker } from "../config/translated.js";
import { loadWranglerConfig } from "../config/wrangler/translate.js";
import type { EmulatorOptions } from "../config/options.js";
import type { ResolvedTestOptions } from "./options.js";

/** Imports a Worker module through the test runner (Vite's module runner, Jest's registry). */
export type ModuleLoader = (absolutePath: string) => Promise<Record<string, unknown>>;

interface Translation {
  options: TranslatedOptions;
  /** Absolute path of the main Worker's module. */
  main: string | undefined;
}

/** Translations by options and wrangler file version: files re-read only when they change. */
const translations = new Map<string, { stamp: number; translation: Translation }>();

/** The translated configuration (cached per process while the wrangler file is unchanged). */
export function translateTestOptions(options: ResolvedTestOptions): Translation {
  const configPath = options.wrangler?.configPath && resolve(options.root, options.wrangler.configPath);
  const key = JSON.stringify(options);
  const stamp = configPath ? statSync(configPath, { throwIfNoEntry: false })?.mtimeMs ?? -1 : 0;
  const cached = translations.get(key);
  if (cached !== undefined && cached.stamp === stamp) return cached.translation;
  let translated: TranslatedOptions = {};
  let main: string | undefined;
  if (configPath) {
    const config = loadWranglerConfig(configPath, { environment: options.wrangler?.environment });
    translated = config.options;
    main = config.main;
  }
  if (options.main !== undefined) main = resolve(options.root, options.main);
  if (options.miniflare !== undefined) {
    translated = mergeOptions(translated, translateMiniflareOverlay({ rootPath: options.root, ...options.miniflare }));
  }
  const translation = { options: translated, main };
  translations.set(key, { stamp, translation });
  return translation;
}

/** Emulator options for one test file: every Worker module on disk loaded through `load`. */
export async function emulatorOptions(options: ResolvedTestOptions, load: ModuleLoader): Promise<EmulatorOptions> {
  const { options: translated, main } = translateTestOptions(options);
  const workers = translated.workers && (await Promise.all(translated.workers.map((worker) => loadedWorker(worker, load))));
  const mainWorker =
    main !== undefined ? { ...withoutCode(translated), module: await load(main) } : await loadedWorker(translated, load);
  return { ...mainWorker, ...(workers && { workers }), clock: options.clock } as unknown as EmulatorOptions;
}

/** A Worker whose code is a file gets the module loaded; inline code stays for durasim to load. */
async function loadedWorker<W extends TranslatedWorker>(worker: W, load: ModuleLoader): Promise<W> {
  if (worker.modulePath !== undefined) return { ...withoutCode(worker), module: await load(worker.modulePath) };
  const entry = worker.modules?.[0];
  if (worker.modules?.length === 1 && entry !== undefined && entry.contents === undefined) {
    return { ...withoutCode(worker), module: await load(entry.path) };
  }
  if (worker.module === undefined && worker.script === undefined && worker.modules === undefined) return { ...worker, module: {} };
  return worker;
}

function withoutCode<W extends TranslatedWorker>(worker: W): W {
  const { module: _module, modulePath: _modulePath, script: _script, modules: _modules, ...rest } = worker;
  return rest as W;
}
