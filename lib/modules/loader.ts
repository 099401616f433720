import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ModuleExports } from "../runtime/worker.js";
import { WORKERS_MODULE_URL } from "./workers.js";
import { registerWorkersSpecifier } from "./workers-specifier.js";

/**
 * Loads a Worker's code: exports given directly, a module file Node imports, or inline source.
 * Worker code imports `cloudflare:workers`, which resolves to durasim's module (./workers.ts).
 */

/** Where a Worker's code comes from: exactly one of the three (config checks that). */
export interface WorkerSource {
  module?: ModuleExports | undefined;
  modulePath?: string | undefined;
  script?: string | undefined;
}

/** The Worker's exports: given directly (synchronously), or a promise of them. */
export function loadWorkerModule(source: WorkerSource): ModuleExports | Promise<ModuleExports> {
  if (source.module !== undefined) return source.module;
  if (source.modulePath !== undefined) {
    registerWorkersSpecifier();
    return import(pathToFileURL(resolve(source.modulePath)).href);
  }
  return importInlineScript(source.script!);
}

/** Import specifiers of `cloudflare:workers` in import/export statements and dynamic imports. */
const WORKERS_SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])cloudflare:workers\2/g;

let instances = 0;

/**
 * Inline sources are written to a content-addressed temporary module, with `cloudflare:workers`
 * pointed at durasim's own module. Each emulator imports it under its own URL, so each gets a
 * fresh module instance (module-level state is not shared), as each Worker start does.
 */
async function importInlineScript(source: string): Promise<ModuleExports> {
  const rewritten = source.replace(WORKERS_SPECIFIER, (_match, prefix: string) => `${prefix}${JSON.stringify(WORKERS_MODULE_URL)}`);
  const digest = createHash("sha256").update(rewritten).digest("hex").slice(0, 32);
  const dir = join(tmpdir(), "durasim-scripts");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${digest}.mjs`);
  writeFileSync(file, rewritten);
  return import(`${pathToFileURL(file).href}?instance=${++instances}`);
}
