// Runs scenarios inside Miniflare 4 (workerd with Miniflare's KV and R2 simulators).
//
// Speed: one Miniflare instance hosts every scenario. Its entry Worker imports each scenario's
// module and routes `/?i=<index>` to it, handing it an env of that scenario's own bindings
// (`KV_<i>` -> "kv-<i>" and so on), so scenarios never see each other's data while workerd
// starts once. Miniflare needs Node >= 22: a start-up failure throws, so a run can never pass
// without the oracle.
import { answerOf, RATELIMIT_BINDINGS } from "./scenario.mjs";

/** Miniflare's bundled workerd accepts compatibility dates up to its own release. */
export const COMPATIBILITY_DATE = "2026-07-01";

async function loadMiniflare() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    throw new Error(`Miniflare 4 needs Node >= 22, this is ${process.version}: run with node_modules/.bin/node (npm run conformance:bindings does)`);
  }
  return (await import("miniflare")).Miniflare;
}

/** `{ KV: "kv" }` for scenario i -> `{ KV_i: "kv-i" }`. */
function scoped(bindings, i) {
  return Object.fromEntries(Object.entries(bindings).map(([name, store]) => [`${name}_${i}`, `${store}-${i}`]));
}

/** The rate limiting bindings for scenario i, each in a namespace of that scenario's own. */
function scopedRatelimits(i) {
  return Object.fromEntries(Object.entries(RATELIMIT_BINDINGS).map(([name, config]) => [`${name}_${i}`, { ...config, namespace_id: `${config.namespace_id}-${i}` }]));
}

function entryModule(count, bindingNames) {
  const imports = Array.from({ length: count }, (_, i) => `import s${i} from "./s${i}.mjs";`).join("\n");
  return `${imports}
const SCENARIOS = [${Array.from({ length: count }, (_, i) => `s${i}`).join(", ")}];
const NAMES = ${JSON.stringify(bindingNames)};
export default {
  fetch(request, env) {
    const i = Number(new URL(request.url).searchParams.get("i"));
    const own = Object.fromEntries(NAMES.map((name) => [name, env[name + "_" + i]]));
    return SCENARIOS[i].fetch(request, own);
  },
};
`;
}

/**
 * Runs `scenarios` (normalized, with `module` text) on one Miniflare.
 * Returns Map<name, { record } | { failure }> with every scenario present.
 */
export async function runOnMiniflare(scenarios, { kvBindings, r2Buckets, jobs = 1 }) {
  const Miniflare = await loadMiniflare();
  const kvNamespaces = {};
  const buckets = {};
  const ratelimits = {};
  scenarios.forEach((_, i) => {
    Object.assign(kvNamespaces, scoped(kvBindings, i));
    Object.assign(buckets, scoped(r2Buckets, i));
    Object.assign(ratelimits, scopedRatelimits(i));
  });
  const modules = [
    { type: "ESModule", path: "entry.mjs", contents: entryModule(scenarios.length, [...Object.keys(kvBindings), ...Object.keys(r2Buckets), ...Object.keys(RATELIMIT_BINDINGS)]) },
    ...scenarios.map((s, i) => ({ type: "ESModule", path: `s${i}.mjs`, contents: s.module })),
  ];
  const mf = new Miniflare({ modules, compatibilityDate: COMPATIBILITY_DATE, kvNamespaces, r2Buckets: buckets, ratelimits });
  const out = new Map();
  try {
    await mf.ready;
    let next = 0;
    const worker = async () => {
      while (next < scenarios.length) {
        const i = next++;
        out.set(scenarios[i].name, await runOne(mf, scenarios[i], i));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  } finally {
    await mf.dispose();
  }
  return out;
}

function runOne(mf, scenario, i) {
  return answerOf("Miniflare", scenario, () => mf.dispatchFetch(`http://scenario/?i=${i}`));
}
