// Collects every scenario file. Add a file here when you add one to this directory.
import { normalize } from "../scenario.mjs";

const FILES = ["kv.mjs", "kv-semantics.mjs", "kv-edges.mjs", "r2-objects.mjs", "r2-metadata.mjs", "r2-conditionals.mjs", "r2-ranges.mjs", "r2-list.mjs", "r2-multipart.mjs", "r2-semantics.mjs", "r2-edges.mjs", "prototypes.mjs", "sweep.mjs", "r2-headers-kinds.mjs", "single-reads.mjs", "app-flows.mjs", "stream-chunks.mjs", "cache.mjs", "ratelimit.mjs"];

export async function loadScenarios() {
  const all = (await Promise.all(FILES.map((f) => import(new URL(f, import.meta.url))))).flatMap((m) => m.default.flat().map(normalize));
  const names = new Set(all.map((s) => s.name));
  if (names.size !== all.length) throw new Error("duplicate scenario names");
  return all;
}
