import { describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, rejection } from "../../helpers.js";
import type { Ctx } from "./fixtures.js";

const TIMEOUT_MESSAGE =
  "A call to blockConcurrencyWhile() in a Durable Object waited for too long. The call was canceled and the Durable Object was reset.";

let constructed = 0;
/** The end of the first of twoInTurn()'s critical sections, and what brings it (set per test). */
let firstSectionEnd: Promise<void>;
let endFirstSection: () => void;
let secondStarted = false;

class Stuck extends DurableObject {
  memory = 0;

  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    constructed++;
  }

  /** A critical section that never ends; returns what blockConcurrencyWhile() rejected with. */
  async stall() {
    return (this.ctx as Ctx).blockConcurrencyWhile(() => new Promise<never>(() => undefined));
  }

  /** Two critical sections from one call: the first ends when the test says, the second never. */
  async twoInTurn() {
    const ctx = this.ctx as Ctx;
    const first = ctx.blockConcurrencyWhile(() => firstSectionEnd);
    const second = ctx.blockConcurrencyWhile(() => {
      secondStarted = true;
      return new Promise<never>(() => undefined);
    });
    await first;
    return second;
  }

  async quick() {
    return (this.ctx as Ctx).blockConcurrencyWhile(async () => "done");
  }

  bump() {
    return ++this.memory;
  }
}

function stuck() {
  constructed = 0;
  const emu = emulator({ module: { Stuck }, durableObjects: { NS: "Stuck" }, clock: "manual" });
  return { emu, ns: emu.env.NS as AnyStub };
}

describe("blockConcurrencyWhile() timeout (reference §2.3)", () => {
  it("cancels the call after 30 s of the clock's time and resets the object, with the overloaded flag", async () => {
    const { emu, ns } = stuck();
    const stub = ns.getByName("s");
    const call = stub.stall();
    const queued = rejection(stub.bump());
    await emu.advanceTime(29_999);
    let settled = false;
    void call.finally(() => (settled = true)).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settled).toBe(false);
    await emu.advanceTime(1);
    for (const error of [await rejection(call), await queued]) {
      expect({ name: error.name, message: error.message, overloaded: error.overloaded, reset: error.durableObjectReset }).toEqual({
        name: "Error",
        message: TIMEOUT_MESSAGE,
        overloaded: true,
        reset: true,
      });
    }
    // A new stub reaches a fresh instance.
    expect(await ns.getByName("s").bump()).toBe(1);
    expect(constructed).toBe(2);
  });

  it("does not fire for a critical section that finished", async () => {
    const { emu, ns } = stuck();
    const stub = ns.getByName("q");
    expect(await stub.quick()).toBe("done");
    expect(await stub.bump()).toBe(1);
    await emu.advanceTime(60_000);
    expect(constructed).toBe(1);
  });

  it("counts a queued call's 30 s from when its callback starts, not from the call", async () => {
    const { emu, ns } = stuck();
    firstSectionEnd = new Promise<void>((resolve) => (endFirstSection = resolve));
    secondStarted = false;
    const call = ns.getByName("t").twoInTurn();
    let settled = false;
    void call.finally(() => (settled = true)).catch(() => undefined);
    await emu.advanceTime(22_000);
    endFirstSection();
    await vi.waitFor(() => expect(secondStarted).toBe(true));
    // 52 s after the call, 30 s less a millisecond after the second callback started.
    await emu.advanceTime(29_999);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect({ settled, constructed }).toEqual({ settled: false, constructed: 1 });
    await emu.advanceTime(1);
    expect((await rejection(call)).message).toBe(TIMEOUT_MESSAGE);
  });
});
