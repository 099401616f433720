import { afterEach, describe, expect, it } from "vitest";
import { Emulator } from "../../lib/index.js";

// A file of its own: freezing the global is for the process's life (one object serves every
// Worker of a process: see runtime/globals/cloudflare.ts).
const script = `export default { fetch() {
  const attempt = (f) => { try { return ["returns", f()]; } catch (e) { return ["throws", e.constructor.name, e.message]; } };
  // Fixed before anything reads it: it holds the flags of this Worker.
  const fixedUnread = attempt(() => Reflect.defineProperty(Cloudflare, "compatibilityFlags", { configurable: false }));
  const before = Cloudflare.compatibilityFlags;
  Object.defineProperty(Cloudflare, "fixed", { value: 1 });
  const refusals = {
    reflectRedefine: attempt(() => Reflect.defineProperty(Cloudflare, "fixed", { value: 2 })),
    objectRedefine: attempt(() => Object.defineProperty(Cloudflare, "fixed", { value: 2 })),
  };
  return Response.json({
    fixedUnread,
    refusals,
    frozen: attempt(() => Object.isFrozen(Object.freeze(Cloudflare))),
    same: attempt(() => Cloudflare.compatibilityFlags === before),
    flag: attempt(() => Cloudflare.compatibilityFlags.nodejs_compat),
    descriptor: attempt(() => { const { value, ...rest } = Object.getOwnPropertyDescriptor(Cloudflare, "compatibilityFlags"); return [value === before, rest]; }),
    redefine: attempt(() => Object.defineProperty(Cloudflare, "compatibilityFlags", { value: {} })),
    reflectRedefine: attempt(() => Reflect.defineProperty(Cloudflare, "compatibilityFlags", { value: {} })),
    reflectSame: attempt(() => Reflect.defineProperty(Cloudflare, "compatibilityFlags", { value: before })),
    reflectAdd: attempt(() => Reflect.defineProperty(Cloudflare, "added", { value: 1 })),
    objectAdd: attempt(() => Object.defineProperty(Cloudflare, "added", { value: 1 })),
    reflectSet: attempt(() => Reflect.set(Cloudflare, "added", 1)),
    reflectDelete: attempt(() => Reflect.deleteProperty(Cloudflare, "compatibilityFlags")),
    reflectPrototype: attempt(() => Reflect.setPrototypeOf(Cloudflare, null)),
  });
} };`;

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.dispose();
  emu = undefined;
});

// Each answer is workerd's (the same script run on workerd 2026-11-17: Reflect's operations
// answer false where Object's throw).
describe("the Cloudflare global, frozen by Worker code", () => {
  it("still answers its Worker's flags, as a frozen data property (workerd's answers)", async () => {
    emu = new Emulator({ workers: [{ name: "w", script, compatibilityDate: "2024-10-01", compatibilityFlags: ["nodejs_compat"] }] });
    expect(await (await emu.getWorker("w").fetch("http://x/")).json()).toEqual({
      fixedUnread: ["returns", true],
      refusals: { reflectRedefine: ["returns", false], objectRedefine: ["throws", "TypeError", "Cannot redefine property: fixed"] },
      frozen: ["returns", true],
      same: ["returns", true],
      flag: ["returns", true],
      descriptor: ["returns", [true, { writable: false, enumerable: true, configurable: false }]],
      redefine: ["throws", "TypeError", "Cannot redefine property: compatibilityFlags"],
      reflectRedefine: ["returns", false],
      reflectSame: ["returns", true],
      reflectAdd: ["returns", false],
      objectAdd: ["throws", "TypeError", "Cannot define property added, object is not extensible"],
      reflectSet: ["returns", false],
      reflectDelete: ["returns", false],
      reflectPrototype: ["returns", false],
    });
  });
});
