import { describe, expect, it, vi } from "vitest";
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
  fetch(): Response {
    (this.ctx as Ctx).abort("fetched");
    return new Response("unreached");
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

  it("a fetch() it fails rejects with remote first among the flags, then durableObjectReset, as the runtime orders them", async () => {
    const emu = emulator({ module: { Aborting }, durableObjects: { NS: "Aborting" } });
    const error = await rejection((emu.env.NS as AnyStub).getByName("f").fetch("http://do/"));
    expect([error.message, Object.keys(error)]).toEqual(["fetched", ["remote", "durableObjectReset"]]);
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

class TimerCode extends DurableObject {
  made = ++world.constructed;
  log: string[] = [];
  arm(kind: "throw" | "abort") {
    setTimeout(() => {
      this.log.push("fired");
      if (kind === "abort") (this.ctx as Ctx).abort("timer abort");
      throw new Error("timer throw");
    }, 1);
    setTimeout(() => this.log.push("later"), 5);
  }
  state() {
    return { made: this.made, log: this.log };
  }
}

describe("exceptions in an object's timer callbacks (workerd: edges scenarios)", () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

  it("logs a thrown exception as the runtime does, and the object goes on", async () => {
    world.constructed = 0;
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const emu = emulator({ module: { TimerCode }, durableObjects: { NS: "TimerCode" } });
      const stub = (emu.env.NS as AnyStub).getByName("a");
      await stub.arm("throw");
      await settle();
      expect(await stub.state()).toEqual({ made: 1, log: ["fired", "later"] });
      expect(logged.mock.calls.map(([first, error]) => [first, (error as Error).message])).toEqual([["Uncaught", "timer throw"]]);
    } finally {
      logged.mockRestore();
    }
  });

  it("ctx.abort() in a timer resets the object without ending the process", async () => {
    world.constructed = 0;
    const emu = emulator({ module: { TimerCode }, durableObjects: { NS: "TimerCode" } });
    const ns = emu.env.NS as AnyStub;
    const stub = ns.getByName("a");
    await stub.arm("abort");
    await settle();
    const error = await rejection(stub.state());
    expect([error.message, error.durableObjectReset]).toEqual(["timer abort", true]);
    expect(await ns.getByName("a").state()).toEqual({ made: 2, log: [] });
  });
});
