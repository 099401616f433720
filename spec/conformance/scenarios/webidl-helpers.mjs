// Module-level helpers for the argument-check and shape scenarios (webidl-*, shapes, ctx,
// alarms-handler). Like driver-helpers, they are source text embedded in the generated module,
// so they may only use each other, the driver helpers and globals.
import { inside } from "../scenario.mjs";

/** How a call ends: `threw` (synchronously), `rejected`, `resolved` (a promise) or `returned`
 * (anything else). WebIDL conversion errors are synchronous for some methods and rejections
 * for others (promise-returning methods), and which one is part of the contract. */
async function how(f) {
  let r;
  try {
    r = f();
  } catch (e) {
    return { threw: err(e) };
  }
  if (r === null || (typeof r !== "object" && typeof r !== "function") || typeof r.then !== "function") return { returned: show(r) };
  try {
    return { resolved: show(await r) };
  } catch (e) {
    return { rejected: err(e) };
  }
}

/** Runs every case of `{ label: () => call }` in order and records how each ended. */
async function howAll(cases) {
  const out = {};
  for (const [k, f] of Object.entries(cases)) out[k] = await how(f);
  return out;
}

export const CALL_HELPERS = [how, howAll].map(String).join("\n\n");

/** `inside` with the call helpers in the module. */
export function insideWith(helpers, name, backend, body, rest = {}) {
  const s = inside(name, backend, body, rest);
  return { ...s, source: `${helpers}\n${s.source}` };
}

/** `insideWith` on both backends ("[sqlite]" / "[kv]" suffixes); `per` overrides per backend. */
export function insideWithBoth(helpers, name, body, rest = {}, per = {}) {
  return ["sqlite", "kv"].map((backend) => ({ ...insideWith(helpers, `${name} [${backend}]`, backend, body, rest), ...per[backend] }));
}
