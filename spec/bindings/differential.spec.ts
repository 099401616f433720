/**
 * The bindings' differential scenarios, replayed in durasim against the records Miniflare 4
 * gave (spec/miniflare-conformance/records.json). The live suite (`npm run
 * conformance:bindings`, Node >= 22) runs Miniflare itself and fails when that file is stale;
 * this replay runs wherever the tests run (Node 20 too), so every rule the scenarios pin
 * down is checked on every Node version.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const here = (path: string) => new URL(`../miniflare-conformance/${path}`, import.meta.url);
// The harness is plain JavaScript shared with the live runner; import it untyped.
const load = (path: string): Promise<any> => import(here(path).href);

const [{ loadScenarios }, { buildModule, KV_BINDINGS, R2_BINDINGS }, { runOnDurasim }, { asProductionWouldRecord }] = await Promise.all([
  load("scenarios/index.mjs"),
  load("scenario.mjs"),
  load("durasim-runner.mjs"),
  load("declared-differences.mjs"),
]);
const records: Record<string, unknown> = JSON.parse(readFileSync(here("records.json"), "utf8"));
const scenarios: Array<{ name: string; differs?: string; timeoutMs: number }> = await loadScenarios();

describe("KV and R2 bindings agree with Miniflare 4's records", () => {
  it("has a record for every scenario", () => {
    expect(scenarios.map((s) => s.name).filter((name) => !(name in records))).toEqual([]);
  });

  for (const scenario of scenarios) {
    it(scenario.name, { timeout: scenario.timeoutMs + 15_000 }, async () => {
      const outcome = await runOnDurasim({ ...scenario, module: buildModule(scenario) }, { kvBindings: KV_BINDINGS, r2Buckets: R2_BINDINGS });
      expect(outcome.failure).toBeUndefined();
      // A declared difference (the scenario names its reason) is compared by the live suite only.
      if (scenario.differs === undefined) expect(outcome.record).toEqual(asProductionWouldRecord(records[scenario.name]));
    });
  }
});
