import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type AnyStub, emulator } from "../helpers.js";

// The `script` option (issue 9, must-fix 2): no file at a predictable path, nothing left
// behind, and one module instance per distinct source (Node never unloads an ES module).
const counter = (tag: string) => `
  import { DurableObject } from "cloudflare:workers";
  let calls = 0; // module-level state ${tag}
  export class Counter extends DurableObject {
    next() { return ++calls; }
  }`;

let scratch: string;
let previousTmp: string | undefined;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "loader-spec-"));
  previousTmp = process.env.TMPDIR;
  // os.tmpdir() reads TMPDIR when called: the loader's temporary files land here.
  process.env.TMPDIR = scratch;
});
afterEach(() => {
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  rmSync(scratch, { recursive: true, force: true });
});

it("leaves nothing in the temporary directory once an inline script is loaded", async () => {
  const emu = emulator({ script: counter("a"), durableObjects: { C: "Counter" } });
  await emu.ready;
  expect(await (emu.env.C as AnyStub).getByName("x").next()).toBe(1);
  expect(readdirSync(scratch)).toEqual([]);
});

it("shares one module instance among emulators given the same source, and only those", async () => {
  const first = emulator({ script: counter("b"), durableObjects: { C: "Counter" } });
  const second = emulator({ script: counter("b"), durableObjects: { C: "Counter" } });
  const other = emulator({ script: counter("c"), durableObjects: { C: "Counter" } });
  expect(await (first.env.C as AnyStub).getByName("x").next()).toBe(1);
  expect(await (second.env.C as AnyStub).getByName("x").next()).toBe(2);
  expect(await (other.env.C as AnyStub).getByName("x").next()).toBe(1);
  expect(readdirSync(scratch)).toEqual([]);
});

it("reports a script that fails to load, and loads it afresh the next time", async () => {
  const broken = emulator({ script: "export class Counter extends {", durableObjects: { C: "Counter" } });
  await expect(broken.ready).rejects.toThrow();
  const again = emulator({ script: "export class Counter extends {", durableObjects: { C: "Counter" } });
  await expect(again.ready).rejects.toThrow();
  expect(readdirSync(scratch)).toEqual([]);
});
