/**
 * reconfigure() keeps storage where it stays (the same directory, or memory again); over other
 * storage the successor starts from what that storage holds, as Miniflare's setOptions() does
 * when its persistence options change, and the predecessor lets go of its directory.
 */
import { afterEach, expect, it } from "vitest";
import { Emulator, type EmulatorOptions } from "../../lib/index.js";
import { DurableObject } from "../../lib/modules/workers.js";
import type { AnyStub } from "../helpers.js";
import { ScratchDirectories } from "../scratch-directories.js";

class Counter extends DurableObject {
  async increment(): Promise<number> {
    const storage = (this.ctx as unknown as { storage: { get(k: string): Promise<unknown>; put(k: string, v: unknown): Promise<void> } }).storage;
    const n = (((await storage.get("n")) as number | undefined) ?? 0) + 1;
    await storage.put("n", n);
    return n;
  }
}

type Kv = { get(key: string): Promise<string | null>; put(key: string, value: string): Promise<void> };
const base: EmulatorOptions = { module: { Counter }, durableObjects: { COUNTER: "Counter" }, kvNamespaces: ["KV"] };
const directories = new ScratchDirectories("durasim-reconfigure-storage-");
const live: Emulator[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((emu) => emu.dispose()));
  directories.removeAll();
});

/** The counter's next value and the KV key "k", as the emulator sees them. */
async function state(emu: Emulator): Promise<[number, string | null]> {
  const env = emu.env as { COUNTER: { getByName(name: string): AnyStub }; KV: Kv };
  return [await env.COUNTER.getByName("a").increment(), await env.KV.get("k")];
}

it("a successor over other storage starts from it, and the directory it left is free with its data", async () => {
  const dir = directories.make();
  const first = new Emulator({ ...base, persist: dir });
  await (first.env as { KV: Kv }).KV.put("k", "on disk");
  expect(await state(first)).toEqual([1, "on disk"]);

  const inMemory = first.reconfigure(base);
  expect(await state(inMemory)).toEqual([1, null]);
  // Memory again keeps memory's storage.
  const stillInMemory = inMemory.reconfigure(base);
  expect(await state(stillInMemory)).toEqual([2, null]);

  // The directory is no longer held: another emulator opens it and finds what was written there.
  const reopened = new Emulator({ ...base, persist: dir });
  live.push(stillInMemory, reopened);
  expect(await state(reopened)).toEqual([2, "on disk"]);
});

it("a successor over another directory starts from that directory's data", async () => {
  const [a, b] = [directories.make(), directories.make()];
  const first = new Emulator({ ...base, persist: a });
  expect(await state(first)).toEqual([1, null]);
  const moved = first.reconfigure({ ...base, persist: b });
  live.push(moved);
  expect(await state(moved)).toEqual([1, null]);
  const back = moved.reconfigure({ ...base, persist: a });
  live.splice(0, 1, back);
  expect(await state(back)).toEqual([2, null]);
});

class Noted extends DurableObject {
  async note(value: string): Promise<void> {
    const storage = (this.ctx as unknown as { storage: { put(k: string, v: unknown): Promise<void>; setAlarm(t: number): Promise<void> } }).storage;
    await storage.put("note", value);
    await storage.setAlarm(Date.now() + 3_600_000);
  }

  async read(): Promise<[unknown, boolean]> {
    const storage = (this.ctx as unknown as { storage: { get(k: string): Promise<unknown>; getAlarm(): Promise<number | null> } }).storage;
    return [(await storage.get("note")) ?? null, (await storage.getAlarm()) !== null];
  }

  alarm(): void {}
}

it("a successor that switches a namespace's backend (useSQLite) keeps its objects' KV data and alarms in memory, as on disk and in Miniflare", async () => {
  const options = (sqlite: boolean, persist?: string): EmulatorOptions => ({ module: { Noted }, durableObjects: { NOTED: { className: "Noted", sqlite } }, ...(persist === undefined ? {} : { persist }) });
  for (const persist of [undefined, directories.make()]) {
    let emu = new Emulator(options(false, persist));
    const stub = () => (emu.env as { NOTED: { getByName(name: string): AnyStub } }).NOTED.getByName("a");
    await stub().note("kept from KV-backed");
    emu = emu.reconfigure(options(true, persist));
    expect(await stub().read()).toEqual(["kept from KV-backed", true]);
    expect((await emu.listClassIds("Noted")).map(String)).toHaveLength(1);
    await stub().note("kept from SQLite-backed");
    emu = emu.reconfigure(options(false, persist));
    live.push(emu);
    expect(await stub().read()).toEqual(["kept from SQLite-backed", true]);
  }
});
