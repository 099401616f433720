import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { WORKERS_MODULE_URL } from "../testing/workers.js";
import type { WorkerOptions } from "./options.js";
import { registerWorkersSpecifier } from "./workers-specifier.js";

export type ModuleExports = Record<string, unknown>;

/** The Worker's exports: given directly (synchronously), or a promise of them. */
export function loadWorkerModule(options: WorkerOptions): ModuleExports | Promise<ModuleExports> {
  if (options.module !== undefined) return options.module;
  if (options.modulePath !== undefined) {
    registerWorkersSpecifier();
    return import(pathToFileURL(resolve(options.modulePath)).href);
  }
  return importInlineScript(options.script!);
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
