import { afterEach, describe, expect, it } from "vitest";
import { Emulator } from "../../lib/index.js";

// A file of its own: freezing the global is for the process's life (one object serves every
// Worker of a process: see runtime/globals/cloudflare.ts).
const script = `export default { fetch() {
  const attempt = (f) => { try { return ["returns", f()]; } catch (e) { return ["throws", e.constructor.name, e.message]; } };
  const before = Cloudflare.compatibilityFlags;
  return Response.json({
    frozen: attempt(() => Object.isFrozen(Object.freeze(Cloudflare))),
    same: attempt(() => Cloudflare.compatibilityFlags === before),
    flag: attempt(() => Cloudflare.compatibilityFlags.nodejs_compat),
    descriptor: attempt(() => { const { value, ...rest } = Object.getOwnPropertyDescriptor(Cloudflare, "compatibilityFlags"); return [value === before, rest]; }),
    redefine: attempt(() => Object.defineProperty(Cloudflare, "compatibilityFlags", { value: {} })),
  });
} };`;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.dispose();
  emu = undefined;
});

describe("the Cloudflare global, frozen by Worker code", () => {
  it("still answers its Worker's flags, as a frozen data property (workerd's answers)", async () => {
    emu = new Emulator({ workers: [{ name: "w", script, compatibilityDate: "2024-10-01", compatibilityFlags: ["nodejs_compat"] }] });
    expect(await (await emu.getWorker("w").fetch("http://x/")).json()).toEqual({
      frozen: ["returns", true],
      same: ["returns", true],
      flag: ["returns", true],
      descriptor: ["returns", [true, { writable: false, enumerable: true, configurable: false }]],
      redefine: ["throws", "TypeError", "Cannot redefine property: compatibilityFlags"],
    });
  });
});
