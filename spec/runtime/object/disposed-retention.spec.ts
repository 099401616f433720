// What a disposed emulator leaves behind: nothing reachable, even when object code it cut short
// awaits forever (dispose() fails the callers; the code's promise never settles). What durasim
// shares between emulators (a pool of the watches on events' results) must not keep such an
// event, and through it the emulator. Needs --expose-gc, so it runs the built package (npm test
// builds it) in a child process.
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { CHILD_PROCESS_TIMEOUT } from "../../timeouts.js";

it("an emulator disposed while object code awaits a promise that never settles (an RPC method, fetch()) is garbage, with its objects' instances; the callers got the disposed error", () => {
  const script = `
    import { Emulator } from "./dist/index.js";
    const source = \`import { DurableObject } from "cloudflare:workers";
      export class O extends DurableObject {
        constructor(ctx, env) { super(ctx, env); globalThis.made(this); }
        async hi() { return "hi"; }
        async forever() { await new Promise(() => {}); }
        async fetch() { await new Promise(() => {}); }
      }\`;
    const refs = [];
    globalThis.made = (instance) => refs.push(new WeakRef(instance));
    // One function call per emulator: a loop's last block would keep its stub alive past the loop.
    const round = async (sqlite) => {
      const emu = new Emulator({ script: source, durableObjects: { O: { className: "O", sqlite } } });
      refs.push(new WeakRef(emu));
      const stub = emu.env.O.getByName("a");
      // Calls that completed first: what they used is free for the calls that never end.
      await Promise.all([stub.hi(), emu.env.O.getByName("b").hi()]);
      const cut = Promise.allSettled([stub.forever(), emu.env.O.getByName("b").fetch("http://x/")]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await emu.dispose();
      return (await cut).map((outcome) => outcome.status + ": " + outcome.reason?.message);
    };
    const outcomes = [...(await round(false)), ...(await round(true))];
    for (let i = 0; i < 50 && (i < 4 || refs.some((ref) => ref.deref() !== undefined)); i++) { await new Promise((resolve) => setTimeout(resolve, 5)); globalThis.gc(); }
    console.log(JSON.stringify({ tracked: refs.length, alive: refs.filter((ref) => ref.deref() !== undefined).length, outcomes: [...new Set(outcomes)] }));`;
  const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { cwd: new URL("../../..", import.meta.url), encoding: "utf8" });
  expect(child.stderr).toBe("");
  expect(JSON.parse(child.stdout.trim().split("\n").pop()!)).toEqual({
    tracked: 6,
    alive: 0,
    outcomes: ["rejected: durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code."],
  });
}, CHILD_PROCESS_TIMEOUT);
