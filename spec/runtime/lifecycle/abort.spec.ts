import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, rejection } from "../../helpers.js";
import { type Ctx, world } from "./fixtures.js";

// ctx.abort() inside alarm() is covered with the retries (alarm-retries.spec.ts); the general
// reset rules of an abort in a request are in spec/runtime/resets.spec.ts.

class Aborting extends DurableObject {
  async alarm() {
    world.runs.push({} as never);
  }
  /** Sets an alarm and aborts in the same turn: the alarm is uncommitted and discarded. */
  async armAndAbort() {
    void (this.ctx as Ctx).storage.setAlarm(Date.now() + 1_000);
    (this.ctx as Ctx).abort();
  }
  async arm() {
    await (this.ctx as Ctx).storage.setAlarm(Date.now() + 1_000);
  }
  abort() {
    (this.ctx as Ctx).abort("bye");
  }
}

describe("ctx.abort() inside a request (reference §2.4)", () => {
  it("discards an uncommitted setAlarm with the rest of the batch", async () => {
    world.runs = [];
    const emu = emulator({ module: { Aborting }, durableObjects: { NS: "Aborting" }, clock: "manual" });
    const ns = emu.env.NS as AnyStub;
    const error = await rejection(ns.getByName("a").armAndAbort());
    expect([error.message, error.durableObjectReset]).toEqual(["Application called abort() to reset Durable Object.", true]);
    await emu.advanceTime(5_000);
    expect(world.runs).toHaveLength(0);
  });

  it("keeps a committed alarm: it fires on a new instance", async () => {
    world.runs = [];
    const emu = emulator({ module: { Aborting }, durableObjects: { NS: "Aborting" }, clock: "manual" });
    const ns = emu.env.NS as AnyStub;
    await ns.getByName("b").arm();
    expect((await rejection(ns.getByName("b").abort())).message).toBe("bye");
    await emu.advanceTime(1_000);
    expect(world.runs).toHaveLength(1);
  });

});
