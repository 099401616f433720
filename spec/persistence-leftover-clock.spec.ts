/**
 * The age at which a crashed write's leftover is removed is measured by the file system's clock,
 * which no fake timers change: here they are installed before durasim is imported (as a test
 * runner's setup file may do), with a Date an hour ahead, so a leftover written a moment ago
 * looks an hour old to Date.now(). Black-box through the Emulator.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it, vi } from "vitest";
import { ScratchDirectories } from "./scratch-directories.js";

const directories = new ScratchDirectories("durasim-clock-");

afterEach(() => {
  vi.useRealTimers();
  directories.removeAll();
});

it("a leftover of a gone process written a moment ago stays, though a fake Date installed before durasim's import is an hour ahead", async () => {
  vi.useFakeTimers({ now: Date.now() + 60 * 60_000, toFake: ["Date"] });
  vi.resetModules();
  const { Emulator } = await import("../lib/index.js");
  const { DurableObject } = await import("../lib/modules/workers.js");
  class Store extends DurableObject {
    put(value: number) {
      return (this.ctx as unknown as { storage: { put(key: string, value: number): Promise<void> } }).storage.put("k", value);
    }
  }
  const dir = directories.make();
  const options = { name: "app", module: { Store }, durableObjects: { STORE: "Store" }, persist: dir };
  let emu = new Emulator(options);
  await (emu.env.STORE.getByName("a") as unknown as Store).put(1);
  await emu.dispose();
  const namespace = join(dir, "v3", "do", "app-Store");
  const file = readdirSync(namespace).find((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite")!;
  // A pid no process has: the writer looks gone, as one in another container's pid namespace does.
  const recent = `${file}.999999999.tmp`;
  writeFileSync(join(namespace, recent), "being written in another pid namespace");
  const before = readdirSync(namespace).sort();
  emu = new Emulator(options);
  await emu.dispose();
  // Nothing removed, nothing left behind.
  expect(readdirSync(namespace).sort()).toEqual(before);
  expect(before).toContain(recent);
});
