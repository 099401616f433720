/**
 * Lays one set of Emulator options over another, the way Cloudflare's Vitest integration lays
 * its `miniflare` options over the wrangler file: binding records merge key by key (the overlay
 * wins), the code is replaced when the overlay gives code, other values are replaced, and the
 * overlay's extra Workers are added.
 */
import type { TranslatedOptions, TranslatedWorker } from "./translated.js";

const RECORDS = ["bindings", "durableObjects", "kvNamespaces", "r2Buckets", "serviceBindings"] as const;
const CODE = ["module", "modulePath", "script", "modules"] as const;

export function mergeOptions<T extends TranslatedOptions>(base: T, overlay: TranslatedOptions): T {
  const merged = { ...base } as T & Record<string, unknown>;
  if (CODE.some((key) => overlay[key] !== undefined)) for (const key of CODE) delete merged[key];
  for (const [key, value] of Object.entries(overlay) as Array<[keyof TranslatedOptions, unknown]>) {
    if (value === undefined) continue;
    if ((RECORDS as readonly string[]).includes(key)) {
      merged[key] = { ...(base[key as (typeof RECORDS)[number]] as object | undefined), ...(value as object) } as never;
    } else if (key === "workers") {
      merged.workers = [...(base.workers ?? []), ...(value as TranslatedWorker[])];
    } else {
      merged[key] = value as never;
    }
  }
  return merged;
}
