// Scenario format for the bindings' differential suite, and the Worker module each one becomes.
//
// A scenario is a plain object:
//   name      unique string
//   drive     `async (env) => record`: a function (stringified, so it may only use its
//             argument, globals and the embedded helpers) or the same as source text. `env` has
//             KV and KV_SAME (two bindings to one namespace), OTHER_KV (another namespace),
//             BUCKET and BUCKET_SAME (two bindings to one bucket), OTHER_BUCKET, LIMITER and
//             LIMITER_SAME (two rate limiting bindings to one namespace, with different limits
//             and periods), OTHER_LIMITER
//   differs   optional reason: a deliberate difference from Miniflare (production decides, see
//             the README); both records are printed, a mismatch does not fail the run
//   timeoutMs optional driver timeout (default 10 s)
//
// The module text is the same on both sides: Miniflare runs it inside workerd, durasim inside
// its Emulator. It answers `fetch` with the record as JSON.
import { HELPERS } from "../conformance/driver-helpers.mjs";
import { BINDING_HELPERS } from "./binding-helpers.mjs";

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The bindings every scenario's Worker gets: binding name -> which store it names. */
export const KV_BINDINGS = { KV: "kv", KV_SAME: "kv", OTHER_KV: "other-kv" };
export const R2_BINDINGS = { BUCKET: "bucket", BUCKET_SAME: "bucket", OTHER_BUCKET: "other-bucket" };
export const RATELIMIT_BINDINGS = {
  LIMITER: { namespace_id: "1001", simple: { limit: 3, period: 60 } },
  LIMITER_SAME: { namespace_id: "1001", simple: { limit: 5, period: 10 } },
  OTHER_LIMITER: { namespace_id: "2002", simple: { limit: 1 } },
};

/** Validates a scenario and fills in defaults; throws with the scenario's name on mistakes. */
export function normalize(s) {
  const where = `scenario ${JSON.stringify(s?.name)}`;
  if (typeof s?.name !== "string" || s.name === "") throw new Error(`${where}: name must be a non-empty string`);
  if (typeof s.drive !== "function" && typeof s.drive !== "string") throw new Error(`${where}: drive must be a function or its source`);
  return { name: s.name, drive: s.drive, differs: s.differs, timeoutMs: s.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

/** The scenario as a Worker module: helpers, `drive`, and a fetch handler returning the record. */
export function buildModule(scenario) {
  const drive = String(scenario.drive).trim();
  return `${HELPERS}

${BINDING_HELPERS}

const drive = (${drive});

export default {
  async fetch(request, env) {
    return new Response(recordJson(await runDrive(env, ${scenario.timeoutMs})), { headers: { "content-type": "application/json" } });
  },
};
`;
}

/** Extra time a side gets beyond the scenario's own timeout before it counts as hung. */
const ANSWER_MARGIN_MS = 10_000;

/**
 * One side's outcome for a scenario: `{ record }` from the JSON its fetch handler answered,
 * or `{ failure }` when it answered something else, threw outside the scenario, or hung.
 */
export async function answerOf(side, scenario, fetchAnswer) {
  let timer;
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ failure: `${side} did not answer` }), scenario.timeoutMs + ANSWER_MARGIN_MS);
  });
  const answer = (async () => {
    const res = await fetchAnswer();
    const text = await res.text();
    try {
      return { record: JSON.parse(text) };
    } catch {
      return { failure: `${side} answered ${res.status} with non-JSON: ${text.slice(0, 2000)}` };
    }
  })().catch((e) => ({ failure: `${side} failed outside the scenario: ${e?.stack ?? e}` }));
  try {
    return await Promise.race([answer, hang]);
  } finally {
    clearTimeout(timer);
  }
}
