// Shared by run.mjs and fuzz-values.mjs.
import { isDeepStrictEqual } from "node:util";

/** Paths where two JSON values differ, for a readable report next to the full records. */
export function diffPaths(a, b, path = "$", out = []) {
  if (isDeepStrictEqual(a, b)) return out;
  const bothObjects = a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    const j = (x) => (x === undefined ? "(absent)" : JSON.stringify(x));
    out.push(`${path}: workerd ${j(a)} | durasim ${j(b)}`);
    return out;
  }
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffPaths(a[k], b[k], `${path}.${k}`, out);
  return out;
}
