// An object's event handlers are read once per instance (workerd's rule); most instances share
// their prototype's record. A handler written as a class field closes over its instance, so
// it must never become a record kept for the prototype, or the first instance of each such
// class (its ctx, storage and gates) would outlive its eviction and its emulator. Needs
// --expose-gc, so it runs the built package (npm test builds it) in a child process.
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { CHILD_PROCESS_TIMEOUT } from "../../timeouts.js";

it("an instance whose fetch() is a class field is garbage once evicted and its emulator disposed", () => {
  const script = `
    import { Emulator } from "./dist/index.js";
    import { evictDurableObject, runInDurableObject } from "./dist/modules/test/durable-objects.js";
    const source = \`import { DurableObject } from "cloudflare:workers";
      export class O extends DurableObject { n = 1; fetch = async () => new Response(String(this.n)); }\`;
    const refs = [];
    // One function call per round: a loop's last block would keep its stub alive past the loop.
    const round = async () => {
      const emu = new Emulator({ script: source, durableObjects: { O: "O" } });
      const stub = emu.env.O.getByName("a");
      const answer = await (await stub.fetch("http://x/")).text();
      refs.push(new WeakRef(await runInDurableObject(stub, (instance) => instance)));
      await evictDurableObject(stub);
      await emu.dispose();
      if (answer !== "1") throw new Error("answered " + answer);
    };
    for (let i = 0; i < 3; i++) await round();
    for (let i = 0; i < 50 && (i < 4 || refs.some((ref) => ref.deref() !== undefined)); i++) { await new Promise((resolve) => setTimeout(resolve, 5)); globalThis.gc(); }
    console.log(JSON.stringify({ alive: refs.filter((ref) => ref.deref() !== undefined).length }));`;
  const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { cwd: new URL("../../..", import.meta.url), encoding: "utf8" });
  expect(child.stderr).toBe("");
  expect(JSON.parse(child.stdout.trim().split("\n").pop()!)).toEqual({ alive: 0 });
}, CHILD_PROCESS_TIMEOUT);
