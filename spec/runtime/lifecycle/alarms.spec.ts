import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, nextTurn, rejection, until } from "../../helpers.js";
import { advanceUntil, alarmWorld, type Ctx, world } from "./fixtures.js";

describe("setAlarm and getAlarm (reference §3.8)", () => {
  it("keeps one alarm per object: setAlarm replaces it, and it fires once", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("one");
    await stub.arm(10_000);
    await stub.arm(60_000);
    await emu.advanceTime(59_000);
    expect(world.runs).toHaveLength(0);
    await emu.advanceTime(1_000);
    expect(world.runs).toHaveLength(1);
    await emu.advanceTime(600_000);
    expect(world.runs).toHaveLength(1);
  });

  it("takes a Date or epoch milliseconds, and getAlarm() truncates to whole milliseconds", async () => {
    const { ns } = alarmWorld();
    const stub = ns.getByName("values");
    const t = Date.now() + 60_000;
    await stub.setAlarm(t + 0.7);
    expect(await stub.getAlarm()).toBe(t);
    await stub.setAlarm(new Date(t + 1_000));
    expect(await stub.getAlarm()).toBe(t + 1_000);
  });

  it("clamps a past time to now, so getAlarm() reports now and the alarm fires at once", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("past");
    const before = Date.now();
    await stub.setAlarm(1_000);
    const clamped = await stub.getAlarm();
    expect(clamped).toBeGreaterThanOrEqual(before);
    expect(clamped).toBeLessThanOrEqual(Date.now());
    await emu.advanceTime(0);
    expect(world.runs.map((run) => run.info.scheduledTime)).toEqual([clamped]);
  });

  it("rejects times <= 0 and classes without an alarm() handler with the runtime's TypeErrors", async () => {
    const { ns } = alarmWorld();
    const zero = await rejection(ns.getByName("zero").setAlarm(0));
    expect([zero.name, zero.message]).toEqual(["TypeError", "setAlarm() cannot be called with an alarm time <= 0"]);

    class NoHandler extends DurableObject {
      set() {
        return (this.ctx as Ctx).storage.setAlarm(Date.now() + 1_000);
      }
    }
    const emu = emulator({ module: { NoHandler }, durableObjects: { NS: "NoHandler" }, clock: "manual" });
    const missing = await rejection((emu.env.NS as AnyStub).getByName("x").set());
    expect([missing.name, missing.message]).toEqual([
      "TypeError",
      "Your Durable Object class must have an alarm() handler in order to call setAlarm()",
    ]);
  });

  it("asks the object whose code runs for its alarm() handler, before refusing another object's storage (workerd: alarms scenario 'setAlarm() on storage kept from another object')", async () => {
    type Storage = Ctx["storage"];
    const kept = new Map<string, Storage>();
    const attempt = async (storage: Storage) => {
      try {
        await storage.setAlarm(Date.now() + 100_000);
        return "set";
      } catch (error) {
        return (error as Error).message.split(".")[0];
      }
    };
    class WithAlarm extends DurableObject {
      keep() {
        kept.set((this.ctx as Ctx).id.name!, (this.ctx as Ctx).storage);
      }
      use(whose: string) {
        return attempt(kept.get(whose)!);
      }
      alarm() {}
    }
    class NoAlarm extends DurableObject {
      keep() {
        kept.set((this.ctx as Ctx).id.name!, (this.ctx as Ctx).storage);
      }
      use(whose: string) {
        return attempt(kept.get(whose)!);
      }
      die() {
        (this.ctx as { abort(reason: string): void }).abort("reset");
      }
    }
    const emu = emulator({ module: { WithAlarm, NoAlarm }, durableObjects: { A: "WithAlarm", B: "NoAlarm" }, clock: "manual" });
    const { A, B } = emu.env as { A: AnyStub; B: AnyStub };
    await A.getByName("a").keep();
    await B.getByName("b").keep();
    const noHandler = "Your Durable Object class must have an alarm() handler in order to call setAlarm()";
    const otherObject = "Cannot perform I/O on behalf of a different Durable Object";
    expect(await B.getByName("b2").use("a")).toBe(noHandler);
    expect(await A.getByName("a2").use("b")).toBe(otherObject);
    await rejection(B.getByName("b").die());
    expect(await B.getByName("b").use("b")).toBe(noHandler);
  });

  it("deleteAlarm() cancels a scheduled alarm", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("cancel");
    await stub.arm(1_000);
    await stub.deleteAlarm();
    await emu.advanceTime(5_000);
    expect(world.runs).toHaveLength(0);
    expect(await stub.getAlarm()).toBeNull();
  });
});

describe("delivery", () => {
  it("calls alarm(alarmInfo) with getAlarm() null inside, and clears the alarm on success", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("deliver");
    await stub.arm(60_000);
    const scheduled = await stub.getAlarm();
    await emu.advanceTime(60_000);
    expect(world.runs).toEqual([{ name: "deliver", info: { retryCount: 0, isRetry: false, scheduledTime: scheduled }, alarmInside: null }]);
    expect(await stub.getAlarm()).toBeNull();
    // The handler's write is committed.
    expect(await stub.get("run1")).toBe(0);
  });

  it("runs the next alarm when the handler sets one", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("rearm");
    await stub.arm(1_000, "rearm");
    await emu.advanceTime(1_000);
    expect(world.runs).toHaveLength(1);
    expect(await stub.getAlarm()).not.toBeNull();
    await emu.advanceTime(1_000);
    expect(world.runs).toHaveLength(2);
    expect(await stub.getAlarm()).toBeNull();
  });

  it("fires alarms of different objects in time order", async () => {
    const { emu, ns } = alarmWorld();
    await ns.getByName("late").arm(30_000);
    await ns.getByName("early").arm(10_000);
    await ns.getByName("middle").arm(20_000);
    await emu.advanceTime(60_000);
    expect(world.runs.map((run) => run.name)).toEqual(["early", "middle", "late"]);
  });

  it("is an event through the input gate: it waits for a call holding blockConcurrencyWhile", async () => {
    const order: string[] = [];
    let release: (() => void) | undefined;
    class Gated extends DurableObject {
      async alarm() {
        order.push("alarm");
      }
      async hold() {
        const ctx = this.ctx as Ctx;
        await ctx.storage.setAlarm(Date.now());
        await ctx.blockConcurrencyWhile(() => new Promise<void>((resolve) => (release = resolve)));
        order.push("call done");
      }
    }
    const emu = emulator({ module: { Gated }, durableObjects: { NS: "Gated" }, clock: "manual" });
    const stub = (emu.env.NS as AnyStub).getByName("g");
    const call = stub.hold();
    await until(() => release !== undefined);
    const advanced = emu.advanceTime(0);
    // The alarm is due and delivered to the gate within the turn; give it turns to run (it must not).
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(order).toEqual([]);
    release!();
    await call;
    await advanced;
    expect(order).toEqual(["call done", "alarm"]);
  });

  it("wakes an evicted object: the constructor runs and ctx.id.name is still set", async () => {
    const { emu, ns } = alarmWorld();
    await ns.getByName("sleeper").arm(60_000);
    await emu.evict();
    expect(world.constructed).toBe(1);
    await emu.advanceTime(60_000);
    expect(world.constructed).toBe(2);
    expect(world.runs.map((run) => run.name)).toEqual(["sleeper"]);
  });
});

describe("alarms are storage writes", () => {
  it("deleteAll() deletes the alarm", async () => {
    class Wiper extends DurableObject {
      async alarm() {
        world.runs.push({} as never);
      }
      async armThenWipe() {
        const storage = (this.ctx as Ctx).storage;
        await storage.setAlarm(Date.now() + 1_000);
        await storage.put("k", 1);
        await storage.deleteAll();
        return storage.getAlarm();
      }
    }
    world.runs = [];
    const emu = emulator({ module: { Wiper }, durableObjects: { NS: "Wiper" }, clock: "manual" });
    expect(await (emu.env.NS as AnyStub).getByName("w").armThenWipe()).toBeNull();
    await emu.advanceTime(5_000);
    expect(world.runs).toHaveLength(0);
  });

  it("a setAlarm in a rolled-back transaction() never fires; a committed one does", async () => {
    let fired = 0;
    class Transactional extends DurableObject {
      async alarm() {
        fired++;
      }
      async rolledBack() {
        const storage = (this.ctx as Ctx).storage;
        await storage
          .transaction(async (txn) => {
            await txn.setAlarm(Date.now() + 1_000);
            throw new Error("undo");
          })
          .catch(() => undefined);
        return storage.getAlarm();
      }
      async committed() {
        await (this.ctx as Ctx).storage.transaction((txn) => txn.setAlarm(Date.now() + 1_000));
      }
    }
    const emu = emulator({ module: { Transactional }, durableObjects: { NS: "Transactional" }, clock: "manual" });
    const stub = (emu.env.NS as AnyStub).getByName("t");
    expect(await stub.rolledBack()).toBeNull();
    await emu.advanceTime(5_000);
    expect(fired).toBe(0);
    await stub.committed();
    await emu.advanceTime(1_000);
    expect(fired).toBe(1);
  });

  it("a setAlarm whose commit fails is lost with the batch, and the caller sees the reset (output gate)", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("lost");
    emu.failNextCommit(stub);
    const error = await rejection(stub.arm(1_000));
    expect(error.durableObjectReset).toBe(true);
    expect(await ns.getByName("lost").getAlarm()).toBeNull();
    await emu.advanceTime(5_000);
    expect(world.runs).toHaveLength(0);
  });

  it("a setAlarm coalesced with other writes commits with them, even when made by code after the call returned", async () => {
    class Background extends DurableObject {
      async alarm() {
        world.runs.push({} as never);
      }
      later() {
        // Not awaited by the call: the write lands in a later turn, outside any event.
        setTimeout(() => {
          void (this.ctx as Ctx).storage.setAlarm(Date.now() + 1_000);
          timerRan = true;
        }, 1);
      }
    }
    let timerRan = false;
    world.runs = [];
    const emu = emulator({ module: { Background }, durableObjects: { NS: "Background" }, clock: "manual" });
    await (emu.env.NS as AnyStub).getByName("b").later();
    await until(() => timerRan);
    // The write commits at the end of the timer's turn.
    await nextTurn();
    await emu.advanceTime(1_000);
    expect(world.runs).toHaveLength(1);
  });
});

describe("emu.runAlarm(stub)", () => {
  it("runs the scheduled alarm now and reports whether there was one", async () => {
    const { emu, ns } = alarmWorld();
    const stub = ns.getByName("run-now");
    expect(await emu.runAlarm(stub)).toBe(false);
    await stub.arm(3_600_000);
    expect(await emu.runAlarm(stub)).toBe(true);
    expect(world.runs).toHaveLength(1);
    expect(await stub.getAlarm()).toBeNull();
    expect(await emu.runAlarm(stub)).toBe(false);
    // The timer went with it.
    await emu.advanceTime(3_600_000);
    expect(world.runs).toHaveLength(1);
  });

  it("works on the real clock too, and constructs an evicted object", async () => {
    const { emu, ns } = alarmWorld({ clock: "real" });
    const stub = ns.getByName("real");
    await stub.arm(3_600_000);
    await emu.evict(stub);
    expect(await emu.runAlarm(stub)).toBe(true);
    expect(world.constructed).toBe(2);
    expect(world.runs.map((run) => run.name)).toEqual(["real"]);
  });

  it("needs a stub of this emulator", async () => {
    const { emu } = alarmWorld();
    await expect(emu.runAlarm({})).rejects.toThrow("durasim: runAlarm() needs a Durable Object stub of this Emulator.");
  });
});

describe("SQLite-backed classes", () => {
  it("schedule, clear and retry alarms the same way", async () => {
    const { emu, ns } = alarmWorld({ durableObjects: { NS: { className: "Alarmed", sqlite: true } } });
    await emu.ready;
    const stub = ns.getByName("sql");
    await stub.arm(1_000, "throw");
    const scheduled = await stub.getAlarm();
    await emu.advanceTime(1_000);
    expect(await stub.getAlarm()).toBe(scheduled);
    await emu.advanceTime(2_500);
    expect(world.runs.map((run) => [run.info.retryCount, run.alarmInside])).toEqual([
      [0, null],
      [1, null],
    ]);
    // A new alarm set while the second retry waits is queued behind it (see alarm-retries.spec.ts).
    await stub.arm(1_000, "ok");
    await emu.advanceTime(1_000);
    expect(world.runs).toHaveLength(2);
    await advanceUntil(emu, () => world.runs.length > 2, 10);
    expect(world.runs[2]!.info.retryCount).toBe(2);
    expect(await stub.getAlarm()).toBeNull();
  });
});
