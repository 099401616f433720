// Fake timers installed before durasim is loaded: @sinonjs/fake-timers (sinon's, and the library
// under Vitest's and Jest's) replaces node:timers' functions as well as the globals, so the
// functions durasim captures as it loads are the fakes. Each case runs in a process of its own
// (a module is loaded once per process), on the built package (npm test builds it).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const SCRIPT = JSON.stringify(`import { DurableObject } from "cloudflare:workers";
  export class DO extends DurableObject {
    async count() { const n = ((await this.ctx.storage.get("n")) ?? 0) + 1; await this.ctx.storage.put("n", n); return n; }
    async viaKv() { await this.env.KV.put("k", "from the object"); return this.env.KV.get("k"); }
    async section() { await this.ctx.blockConcurrencyWhile(async () => { await this.ctx.storage.put("s", 1); }); return "section"; }
    async arm() { await this.ctx.storage.setAlarm(Date.now() + 60_000); }
    async alarm() { await this.ctx.storage.put("alarmed", true); }
    async alarmed() { return (await this.ctx.storage.get("alarmed")) ?? false; }
  }`);

/** Installs the fakes (every timer but nextTick and queueMicrotask, as Vitest's default), then loads durasim as `load` says and uses it. */
function run(load: string): unknown {
  const script = `
    import FakeTimers from "@sinonjs/fake-timers";
    const clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "setInterval", "clearInterval", "Date", "hrtime", "performance"] });
    const { Emulator } = ${load};
    const emu = new Emulator({ script: ${SCRIPT}, durableObjects: { DO: { className: "DO", sqlite: true } }, kvNamespaces: ["KV"] });
    const stub = emu.env.DO.getByName("a");
    const out = { counts: [await stub.count(), await stub.count()], section: await stub.section(), viaKv: await stub.viaKv() };
    await emu.env.KV.put("t", "from the test");
    out.kv = await emu.env.KV.get("t");
    await stub.arm();
    await clock.tickAsync(60_000);
    out.alarmed = await stub.alarmed();
    await emu.dispose();
    clock.uninstall();
    console.log(JSON.stringify(out));`;
  // A request that never settles leaves nothing to keep Node running: it exits (13: an unsettled top-level await).
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 60_000 });
  expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: "" });
  return JSON.parse(child.stdout);
}

const expected = { counts: [1, 2], section: "section", viaKv: "from the object", kv: "from the test", alarmed: true };

it("the ES module build, imported after @sinonjs/fake-timers were installed: objects, KV and alarms work, moved by the fake clock", () => {
  expect(run(`await import(${JSON.stringify(pathToFileURL(resolve(root, "dist/index.js")).href)})`)).toEqual(expected);
}, 90_000);

it("the CommonJS build, required after @sinonjs/fake-timers were installed: the same", () => {
  expect(run(`(await import("node:module")).createRequire(import.meta.url)(${JSON.stringify(resolve(root, "dist/cjs/index.js"))})`)).toEqual(expected);
}, 90_000);
