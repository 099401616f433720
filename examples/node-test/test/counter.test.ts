// The Vitest example's Worker under node:test, with an emulator the test builds itself.
//   node --import tsx --import durasim/register --test examples/node-test/test/*.test.ts
import assert from "node:assert/strict";
import { after, afterEach, describe, it } from "node:test";
import { Emulator } from "durasim";
import { listDurableObjectIds, reset, runDurableObjectAlarm, runInDurableObject, useEmulator } from "durasim/test";
import { Counter } from "../../vitest/src/index.ts";

// The wrangler file's `main` (TypeScript) is imported by Node through tsx's loader.
const emu = await Emulator.fromWrangler(new URL("../../vitest/wrangler.jsonc", import.meta.url).pathname);
// cloudflare:test's emulator-wide helpers (reset, env, SELF, ...) act on this emulator.
useEmulator(emu);
after(() => emu.dispose());
afterEach(() => reset());

describe("Counter under node:test", () => {
  it("increments through RPC", async () => {
    const stub = emu.env.COUNTER.getByName("a");
    assert.equal(await stub.increment(), 1);
    assert.equal(await stub.increment(), 2);
  });

  it("starts from nothing after reset()", async () => {
    assert.deepEqual(await listDurableObjectIds(emu.env.COUNTER), []);
    assert.equal(await emu.env.COUNTER.getByName("a").getCount(), 0);
  });

  it("reaches the instance, the same class the test imports", async () => {
    const stub = emu.env.COUNTER.getByName("b");
    await stub.increment("visits");
    const seen = await runInDurableObject(stub, (instance: Counter, state: DurableObjectState) => ({
      isCounter: instance instanceof Counter,
      rows: state.storage.sql.exec("SELECT name, value FROM counters").toArray(),
    }));
    assert.deepEqual(seen, { isCounter: true, rows: [{ name: "visits", value: 1 }] });
  });

  it("runs a scheduled alarm now", async () => {
    const stub = emu.env.COUNTER.getByName("c");
    await stub.increment();
    await stub.scheduleReset(60_000);
    assert.equal(await runDurableObjectAlarm(stub), true);
    assert.equal(await stub.getCount(), 0);
    assert.equal(await runDurableObjectAlarm(stub), false);
  });
});
