import { expect, it } from "vitest";
import { type AnyStub, emulator } from "../helpers.js";

// The runtime's startup refusals (conformance "startup scope: ...") hold while durasim evaluates
// a Worker's modules, and only then: the test code that waited for the load is not refused.
const DISALLOWED = /^Disallowed operation called within global scope\. /;

it("refuses random values at a module's top level, failing the load, and not in the test code that awaited it", async () => {
  const emu = emulator({ script: `import { DurableObject } from "cloudflare:workers";\nconst id = crypto.randomUUID();\nexport class Counter extends DurableObject {}\n`, durableObjects: { C: "Counter" } });
  const loaded = await emu.ready.then(
    () => "loaded",
    (error: unknown) => [(error as Error).constructor.name, (error as Error).message],
  );
  expect(loaded).toEqual(["Error", expect.stringMatching(DISALLOWED)]);
  // Here and in the callback above, test code runs after the import the mark was set for.
  expect(crypto.randomUUID()).toHaveLength(36);
  const timer = setTimeout(() => {}, 1);
  clearTimeout(timer);
  expect(new Response("x").status).toBe(200);
});

it("lets a method call what the module's top level may not, once the module is loaded", async () => {
  const emu = emulator({
    script: `import { DurableObject } from "cloudflare:workers";
let refused;
try { setTimeout(() => {}, 1); } catch (e) { refused = e.message; }
await Promise.resolve();
let refusedAfterAwait;
try { new WebSocketPair(); } catch (e) { refusedAfterAwait = e.message; }
export class Counter extends DurableObject {
  get() { return { refused, refusedAfterAwait, uuid: crypto.randomUUID().length, pair: Object.keys(new WebSocketPair()).length }; }
}
`,
    durableObjects: { C: "Counter" },
  });
  expect(await (emu.env.C as AnyStub).getByName("x").get()).toEqual({ refused: expect.stringMatching(DISALLOWED), refusedAfterAwait: expect.stringMatching(DISALLOWED), uuid: 36, pair: 2 });
});
