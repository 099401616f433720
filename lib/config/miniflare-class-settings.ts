import type { TranslatedDesignator, TranslatedWorker } from "./translated.js";
import { MiniflareOptionsError } from "./miniflare-options.js";

/** The settings Miniflare requires every binding of one class to agree on, and its code for each disagreement. */
const SETTINGS = [
  ["sqlite", "ERR_DIFFERENT_STORAGE_BACKEND", "storage backends (useSQLite)"],
  ["uniqueKey", "ERR_DIFFERENT_UNIQUE_KEYS", "unsafeUniqueKey values"],
  ["preventEviction", "ERR_DIFFERENT_PREVENT_EVICTION", "unsafePreventEviction values"],
] as const;

/**
 * Miniflare 4 refuses, as it starts (through `ready`, a user error), two Durable Object
 * designators of one class in one hosting Worker (bound, or in additionalUnboundDurableObjects)
 * that both give `useSQLite`, `unsafeUniqueKey` or `unsafePreventEviction` and differ in it; one
 * that leaves a setting out agrees with any. durasim's own configuration merges prevent-eviction
 * settings and refuses the other two as plain validation errors: this check comes first so the
 * Miniflare front door refuses all three with Miniflare's codes.
 */
export function checkClassSettings(workers: readonly TranslatedWorker[]): void {
  const seen = new Map<string, { where: string; designator: TranslatedDesignator }>();
  for (const worker of workers) {
    const name = worker.name ?? "";
    const designators = [...Object.entries(worker.durableObjects ?? {}), ...(worker.unboundDurableObjects ?? []).map((entry, index) => [`additionalUnboundDurableObjects[${index}]`, entry] as const)];
    for (const [binding, given] of designators) {
      if (typeof given === "object" && !("className" in given)) continue; // an Alchemy declaration: not Miniflare's
      const designator: TranslatedDesignator = typeof given === "string" ? { className: given } : given;
      const host = designator.scriptName ?? name;
      const key = JSON.stringify([host, designator.className]);
      const where = `${binding.startsWith("additional") ? "" : "durableObjects."}${binding} of Worker ${JSON.stringify(name)}`;
      const earlier = seen.get(key);
      if (earlier === undefined) {
        seen.set(key, { where, designator });
        continue;
      }
      for (const [setting, code, what] of SETTINGS) {
        const [mine, theirs] = [designator[setting], earlier.designator[setting]];
        if (mine === undefined || theirs === undefined || mine === theirs) continue;
        throw new MiniflareOptionsError(
          `durasim: different ${what} for Durable Object class ${JSON.stringify(designator.className)} hosted by Worker ${JSON.stringify(host)}: ` +
            `${where} gives ${JSON.stringify(mine)}, ${earlier.where} ${JSON.stringify(theirs)}. Give every binding of the class the same, or leave it out of all but one.`,
          code,
        );
      }
    }
  }
}
