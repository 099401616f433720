/**
 * FileIsolation with concurrent tests (isolation "test"): the tests and suites running at the
 * same time share one snapshot, taken as the first starts and restored as the last ends; what
 * starts while they run joins them; sequential tests around them keep their own snapshots.
 * And the work of a context a test made itself (createExecutionContext()) is its test's.
 */
import { describe, expect, it } from "vitest";
import { createExecutionContext, useEmulator } from "../../lib/modules/test/index.js";
import { DurableObject } from "../../lib/modules/workers.js";
import { FileIsolation } from "../../lib/testing/isolation.js";
import { type AnyStub, emulator } from "../helpers.js";

type Storage = { put(key: string, value: string): Promise<void>; list(): Promise<Map<string, unknown>> };

class Box extends DurableObject {
  get storage(): Storage {
    return (this.ctx as { storage: Storage }).storage;
  }
  put(key: string, value: string) {
    return this.storage.put(key, value);
  }
  async keys() {
    return [...(await this.storage.list()).keys()];
  }
}

function isolated() {
  const emu = emulator({ module: { Box }, durableObjects: { BOX: "Box" } });
  const box: AnyStub = emu.env.BOX.getByName("b");
  return { emu, file: new FileIsolation(emu, "test"), box };
}

describe("concurrent tests under isolation \"test\"", () => {
  it("run side by side on one state, each seeing the others' writes, all undone when the last ends", async () => {
    const { file, box } = isolated();
    const [a, b] = [{}, {}];
    await Promise.all([file.enterTest(a, true), file.enterTest(b, true)]);
    await box.put("a", "1");
    await box.put("b", "2");
    await file.leaveTest(a);
    expect(await box.keys()).toEqual(["a", "b"]); // b still runs: a's write stays
    await file.leaveTest(b);
    expect(await box.keys()).toEqual([]);
  });

  it("keep what a sequential test before them wrote out, and a sequential test after them sees none of theirs", async () => {
    const { file, box } = isolated();
    const suite = {};
    await file.enterSuite(suite);
    await box.put("suite", "kept");
    const before = {};
    await file.enterTest(before, false);
    await box.put("before", "x");
    await file.leaveTest(before);
    const [a, b] = [{}, {}];
    await file.enterTest(a, true);
    await file.enterTest(b, true);
    expect(await box.keys()).toEqual(["suite"]);
    await box.put("a", "x");
    await Promise.all([file.leaveTest(a), file.leaveTest(b)]);
    const after = {};
    await file.enterTest(after, false);
    expect(await box.keys()).toEqual(["suite"]);
    await file.leaveTest(after);
    await file.leaveSuite(suite);
    expect(await box.keys()).toEqual([]);
  });

  it("take in a sequential suite and its tests that start while they run, so nothing they stand on is restored early", async () => {
    const { file, box } = isolated();
    const concurrent = {};
    await file.enterTest(concurrent, true);
    const nested = {};
    await file.enterSuite(nested, false);
    const first = {};
    await file.enterTest(first, false);
    await box.put("first", "x");
    await file.leaveTest(first);
    const second = {};
    await file.enterTest(second, false);
    expect(await box.keys()).toEqual(["first"]); // steps of a sequential describe build on each other
    await box.put("concurrent", "x");
    await file.leaveTest(second);
    await file.leaveSuite(nested);
    expect(await box.keys()).toEqual(["concurrent", "first"]);
    await file.leaveTest(concurrent);
    expect(await box.keys()).toEqual([]);
  });

  it("start a new group on the restored state when one joins as the last of the previous group leaves", async () => {
    const { file, box } = isolated();
    const a = {};
    await file.enterTest(a, true);
    await box.put("a", "x");
    const leaving = file.leaveTest(a);
    const b = {};
    await file.enterTest(b, true);
    await leaving;
    expect(await box.keys()).toEqual([]);
    await box.put("b", "x");
    await file.leaveTest(b);
    expect(await box.keys()).toEqual([]);
  });
});

describe("a context the test made with createExecutionContext()", () => {
  it("has its waitUntil() promises waited for before the test's state is restored, so their writes go with the test, as under Cloudflare's integration", async () => {
    const { emu, file, box } = isolated();
    useEmulator(emu);
    try {
      const test = {};
      await file.enterTest(test, false);
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      // A handler called as a unit, whose test does not await waitOnExecutionContext(ctx).
      createExecutionContext().waitUntil(opened.then(() => box.put("late", "x")));
      let left = false;
      const leaving = file.leaveTest(test).then(() => (left = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(left).toBe(false);
      open();
      await leaving;
      expect(await box.keys()).toEqual([]);
    } finally {
      useEmulator(undefined);
    }
  });
});
