/**
 * wrangler dev interop through the Emulator, both directions, against the real workerd binary:
 * `persist` pointed at a state directory workerd wrote (data only in -wal files, as a stopped
 * wrangler dev leaves it) reads what workerd reads; and workerd reads what durasim wrote,
 * firing its alarm with the object's name.
 */
import { cpSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { Emulator } from "../lib/index.js";
import {
  DESCRIBE_SOURCE,
  KV_CLASS,
  SCRIPT,
  SQL_CLASS,
  VALUES_SOURCE,
  WORKER_SOURCE,
  readStateWithWorkerd,
  writeStateWithWorkerd,
} from "./storage/persist/workerd-state.mjs";
import { ScratchDirectories } from "./scratch-directories.js";

const directories = new ScratchDirectories("durasim-wrangler-");
afterAll(() => {
  directories.removeAll();
});

/** The same Worker workerd runs, in durasim, over `state`. */
function emulatorOn(state: string, clock: "real" | "manual" = "real"): Emulator {
  return new Emulator({
    name: SCRIPT,
    script: WORKER_SOURCE,
    durableObjects: { KV: KV_CLASS, SQL: { className: SQL_CLASS, sqlite: true } },
    bindings: { PLAN: "[]" },
    persist: state,
    clock,
  });
}

const FAR_FUTURE = 4102444800000;

describe("persist: wrangler dev's state directory", () => {
  it("reads what workerd wrote (only in its -wal files) exactly as workerd reads it", async () => {
    const written = directories.make();
    await writeStateWithWorkerd(written, [
      { kind: "kv", name: "alice", alarm: FAR_FUTURE },
      { kind: "sql", name: "bob", alarm: null },
    ]);
    const forWorkerd = directories.make();
    cpSync(written, forWorkerd, { recursive: true });
    const emu = emulatorOn(written);
    try {
      const ours = {
        "kv:alice": await emu.env.KV.getByName("alice").read(),
        "sql:bob": await emu.env.SQL.getByName("bob").read(),
      };
      const theirs = await readStateWithWorkerd(forWorkerd, [
        { kind: "kv", name: "alice" },
        { kind: "sql", name: "bob" },
      ]);
      expect(ours).toEqual(theirs);
      expect(ours["kv:alice"].alarm).toBe(FAR_FUTURE);
      expect(ours["sql:bob"].items).toHaveLength(50);
    } finally {
      await emu.dispose();
    }
  }, 60_000);

  it("writes what workerd reads, and workerd fires durasim's overdue alarm with the object's name", async () => {
    const state = directories.make();
    const emu = emulatorOn(state, "manual");
    await emu.env.KV.getByName("carol").write(Date.now() + 1_000);
    await emu.env.SQL.getByName("dave").write(null);
    await emu.dispose();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const seen = await readStateWithWorkerd(state, [
      { kind: "kv", name: "carol", waitForAlarm: true },
      { kind: "sql", name: "dave" },
    ]);
    const describeValue = new Function(`return ${DESCRIBE_SOURCE}`)() as (value: unknown) => string;
    const values = new Function(`return ${VALUES_SOURCE}`)() as Record<string, unknown>;
    const carol = seen["kv:carol"]!;
    const fired = carol.entries.find(([key]) => key === "alarm fired");
    expect(fired, "workerd fired the alarm durasim set").toBeDefined();
    expect(JSON.parse(fired![1])[1]).toContainEqual(["name", "carol"]);
    expect(Object.fromEntries(carol.entries.filter(([key]) => key !== "alarm fired"))).toEqual(
      Object.fromEntries(Object.entries(values).map(([key, value]) => [key, describeValue(value)])),
    );
    expect(seen["sql:dave"]!.items).toHaveLength(50);
    expect(seen["sql:dave"]!.entries).toHaveLength(Object.keys(values).length);
  }, 60_000);
});
