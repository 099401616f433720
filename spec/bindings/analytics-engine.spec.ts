/**
 * Analytics Engine datasets as wrangler dev and Miniflare 4 bind them locally: Worker code's
 * `env.STATS.writeDataPoint(...)` is accepted and the point dropped, so a request that records
 * a data point runs in tests as under Cloudflare's Vitest integration (it failed on the
 * test runners' stand-in, and Emulator.fromWrangler refused the file).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { Emulator } from "../../lib/index.js";
import { Miniflare } from "../../lib/miniflare.js";

/** A Worker that records each request's path in STATS and answers what writeDataPoint returned. */
const RECORDING_WORKER = `export default {
  fetch(request, env) {
    const returned = env.STATS.writeDataPoint({ blobs: [new URL(request.url).pathname], doubles: [1], indexes: ["k"] });
    return Response.json({ returned: returned === undefined ? "undefined" : returned });
  },
};`;

const dir = mkdtempSync(join(tmpdir(), "durasim-ae-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(wrangler: string): string {
  writeFileSync(join(dir, "worker.js"), RECORDING_WORKER);
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, wrangler);
  return path;
}

describe("analytics_engine_datasets", () => {
  it("wrangler's binding is a dataset whose writeDataPoint() returns nothing, as Miniflare's", async () => {
    const path = project('name = "w"\nmain = "worker.js"\ncompatibility_date = "2025-10-01"\n[[analytics_engine_datasets]]\nbinding = "STATS"\ndataset = "clicks"\n');
    await using emu = await Emulator.fromWrangler(path);
    const response = await emu.dispatchFetch("https://example.com/a");
    expect(await response.json()).toEqual({ returned: "undefined" });
    expect(emu.env.STATS.writeDataPoint()).toBeUndefined();
  });

  it("a spy on writeDataPoint sees what Worker code wrote", async () => {
    const path = project('name = "w"\nmain = "worker.js"\ncompatibility_date = "2025-10-01"\nanalytics_engine_datasets = [{ binding = "STATS" }]\n');
    await using emu = await Emulator.fromWrangler(path);
    const spy = vi.spyOn(emu.env.STATS, "writeDataPoint");
    await emu.dispatchFetch("https://example.com/b");
    expect(spy.mock.calls).toEqual([[{ blobs: ["/b"], doubles: [1], indexes: ["k"] }]]);
  });

  it("binds names once: a var of the same name is refused", async () => {
    const path = project('name = "w"\nmain = "worker.js"\n[vars]\nSTATS = "x"\n[[analytics_engine_datasets]]\nbinding = "STATS"\n');
    await expect(Emulator.fromWrangler(path)).rejects.toThrow('binds "STATS" twice (vars and analytics_engine_datasets)');
  });

  it("Miniflare's analyticsEngineDatasets option binds the same", async () => {
    const mf = new Miniflare({ modules: true, script: RECORDING_WORKER, compatibilityDate: "2025-10-01", analyticsEngineDatasets: { STATS: { dataset: "clicks" } } });
    try {
      expect(await (await mf.dispatchFetch("https://example.com/c")).json()).toEqual({ returned: "undefined" });
      const { STATS } = (await mf.getBindings()) as { STATS: { writeDataPoint(point?: object): void } };
      expect(STATS.writeDataPoint({ blobs: ["x"] })).toBeUndefined();
    } finally {
      await mf.dispose();
    }
  });
});
