import { afterEach, describe, expect, it } from "vitest";
import { Emulator } from "../../lib/index.js";

// Worker code's `Cloudflare.compatibilityFlags`: each Worker's own, from its date and flags.
const script = `export default { fetch() {
  const flags = Cloudflare.compatibilityFlags;
  return Response.json({ tag: Object.prototype.toString.call(Cloudflare), on: Object.keys(flags).filter((flag) => flags[flag]), count: Object.keys(flags).length });
} };`;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.dispose();
  emu = undefined;
});

async function flagsOf(name?: string): Promise<{ tag: string; on: string[]; count: number }> {
  return (await emu!.getWorker(name).fetch("http://x/")).json() as Promise<{ tag: string; on: string[]; count: number }>;
}

describe("the Cloudflare global", () => {
  it("gives each Worker of one emulator the flags of its own date and flags", async () => {
    emu = new Emulator({
      workers: [
        { name: "new", script, compatibilityDate: "2026-11-01" },
        { name: "old", script, compatibilityDate: "2024-10-01", compatibilityFlags: ["nodejs_compat", "no_nodejs_zlib", "url_original"] },
        { name: "oldest", script, compatibilityDate: "2021-01-01" },
      ],
    });
    const [fresh, old, oldest] = await Promise.all([flagsOf("new"), flagsOf("old"), flagsOf("oldest")]);
    expect(fresh.tag).toBe("[object Cloudflare]");
    expect([fresh.count, old.count]).toEqual([205, 205]);
    // Implied by nodejs_compat from 2024-09-23, unless turned off.
    expect(old.on).toContain("nodejs_compat_v2");
    expect(old.on).not.toContain("nodejs_zlib");
    expect(old.on).not.toContain("url_standard");
    expect(fresh.on).toEqual(expect.arrayContaining(["nodejs_compat", "nodejs_zlib", "url_standard", "fixup-transform-stream-backpressure", "enable_nodejs_fs_module"]));
    expect(fresh.on).not.toContain("nodejs_process_version_24");
    expect(oldest.on).toEqual(["r2_public_beta_bindings"]);
  });

  it("without a date, has the newest date workerd takes: no flag that becomes the default later", async () => {
    emu = new Emulator({ script });
    const { on } = await flagsOf();
    expect(on).toEqual(expect.arrayContaining(["nodejs_process_version_24", "spec_compliant_dispatch_exceptions"]));
    expect(on).not.toContain("temporal");
  });
});
