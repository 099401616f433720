/**
 * CI runs every spec file on Node 20 and then on Node 24. On Node 20 it sets
 * DURASIM_NESTED_RUNS=smoke: tests whose outcome cannot depend on the Node that runs Vitest (they
 * drive child processes of a fixed Node or native binaries), or that drive the same entry points
 * as a smoke set kept on both Nodes, run on Node 24 only (and wherever the variable is unset, as
 * in `npm test`). `itBeyondSmoke` marks them; each file says why its own do not depend on Node 20.
 */
import { it } from "vitest";

export const smokeOnly = process.env.DURASIM_NESTED_RUNS === "smoke";
export const itBeyondSmoke = smokeOnly ? it.skip : it;
