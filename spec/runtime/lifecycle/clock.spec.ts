import { describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, sleep } from "../../helpers.js";
import { alarmWorld, type Ctx, world } from "./fixtures.js";

let ticks = 0;

/** An alarm that re-arms itself every second and takes a little real time to finish. */
class Ticker extends DurableObject {
  async alarm() {
    await sleep(2);
    ticks++;
    await (this.ctx as Ctx).storage.put("ticks", ticks);
    await (this.ctx as Ctx).storage.setAlarm(Date.now() + 1_000);
  }
  start() {
    return (this.ctx as Ctx).storage.setAlarm(Date.now() + 1_000);
  }
  ticks() {
    return (this.ctx as Ctx).storage.get("ticks");
  }
}

describe('clock: "manual"', () => {
  it("fires alarms only when advanced, by their distance from Date.now() when they were set", async () => {
    const { emu, ns } = alarmWorld();
    await ns.getByName("m").arm(20_000);
    // Real time passing moves nothing.
    await sleep(40);
    expect(world.runs).toHaveLength(0);
    // The distance is taken when setAlarm() is called: the real time between the handler's
    // Date.now() and that call counts as passed. It is well under a millisecond once the code
    // is warm, but a cold first call on a loaded machine can take several, so leave a margin.
    await emu.advanceTime(19_000);
    expect(world.runs).toHaveLength(0);
    await emu.advanceTime(1_000);
    expect(world.runs).toHaveLength(1);
  });

  it("waits for each handler, and fires alarms that handlers set within the same advance", async () => {
    ticks = 0;
    const emu = emulator({ module: { Ticker }, durableObjects: { NS: "Ticker" }, clock: "manual" });
    const stub = (emu.env.NS as AnyStub).getByName("t");
    await stub.start();
    await emu.advanceTime(10_000);
    // Settled: every run finished and committed before advanceTime() resolved.
    expect(ticks).toBe(10);
    expect(await stub.ticks()).toBe(10);
  });

  it("runs advances one after another when they overlap", async () => {
    ticks = 0;
    const emu = emulator({ module: { Ticker }, durableObjects: { NS: "Ticker" }, clock: "manual" });
    await (emu.env.NS as AnyStub).getByName("t").start();
    await Promise.all([emu.advanceTime(2_000), emu.advanceTime(3_000)]);
    expect(ticks).toBe(5);
  });

  it("explains advanceTime() on the real clock, and rejects a bad duration", async () => {
    const { emu: real } = alarmWorld({ clock: "real" });
    await expect(real.advanceTime(1_000)).rejects.toThrow(
      'durasim: advanceTime() needs the manual clock: new Emulator({ clock: "manual", ... }). With the real clock, use your test runner\'s fake timers',
    );
    const { emu } = alarmWorld();
    await expect(emu.advanceTime(-1)).rejects.toThrow(TypeError);
    await expect(emu.advanceTime(Number.NaN)).rejects.toThrow("advanceTime(ms) needs a finite number of milliseconds >= 0, got NaN.");
  });
});

describe('clock: "real"', () => {
  it("fires alarms on time", async () => {
    const { ns } = alarmWorld({ clock: "real" });
    await ns.getByName("r").arm(20);
    expect(world.runs).toHaveLength(0);
    for (let i = 0; i < 100 && world.runs.length === 0; i++) await sleep(5);
    expect(world.runs.map((run) => run.name)).toEqual(["r"]);
  });

  it("fires nothing after dispose()", async () => {
    // Fake timers drive the real clock, so the alarm cannot fire before dispose() on a slow run.
    vi.useFakeTimers();
    try {
      const { emu, ns } = alarmWorld({ clock: "real" });
      await ns.getByName("d").arm(10);
      await emu.dispose();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(world.runs).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
