/**
 * Duration as production bills it: wall time while the object is active or idle but unable to
 * hibernate, at 128 MB, on the emulator's clock (virtual time under the manual clock or fake
 * timers), with what held it: a request in flight first, then a pending timer its code set.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, nextTurn } from "../../helpers.js";

let release: (() => void) | undefined;

class Busy extends DurableObject {
  timer: ReturnType<typeof setTimeout> | undefined;
  ping() {
    return "pong";
  }
  /** In flight until the test releases it. */
  async hold() {
    await new Promise<void>((resolve) => (release = resolve));
    return "done";
  }
  arm(ms: number) {
    this.timer = setTimeout(() => undefined, ms);
  }
  disarm() {
    clearTimeout(this.timer);
  }
}

function world() {
  const emu = emulator({ module: { Busy }, durableObjects: { NS: "Busy" }, clock: "manual" });
  return { emu, stub: (emu.env.NS as AnyStub).getByName("b") };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("usage: duration", () => {
  it("counts virtual time while a request is in flight, and nothing while idle", async () => {
    const { emu, stub } = world();
    await stub.ping();
    await emu.advanceTime(10_000); // idle: could hibernate
    expect(emu.usage(stub).duration.ms).toBe(0);
    const held = stub.hold();
    await nextTurn();
    await emu.advanceTime(2_500);
    release!();
    expect(await held).toBe("done");
    await emu.advanceTime(7_000);
    expect(emu.usage(stub).duration).toEqual({ ms: 2_500, gbSeconds: 0.32, heldBy: { requests: 2_500, webSockets: 0, timers: 0 } });
  });

  it("counts fractions of a millisecond, and times far from the machine's, exactly", async () => {
    const { emu, stub } = world();
    await stub.ping();
    const held = stub.hold();
    await nextTurn();
    await emu.advanceTime(0.5);
    await emu.advanceTime(0.25);
    release!();
    await held;
    expect(emu.usage(stub).duration.heldBy.requests).toBe(0.75);
    vi.useFakeTimers({ now: 1_000 });
    const faked = emulator({ module: { Busy }, durableObjects: { NS: "Busy" } });
    const far = (faked.env.NS as AnyStub).getByName("b");
    const heldFar = far.hold();
    await vi.advanceTimersByTimeAsync(2_500);
    release!();
    await heldFar;
    expect(faked.usage(far).duration.heldBy.requests).toBe(2_500);
  });

  it("counts a pending timer the object's code set until it is cleared", async () => {
    const { emu, stub } = world();
    await stub.arm(60_000); // a real timer: virtual time never fires it
    await emu.advanceTime(1_000);
    expect(emu.usage(stub).duration.heldBy.timers).toBe(1_000);
    const held = stub.hold(); // a request in flight takes precedence
    await nextTurn();
    await emu.advanceTime(500);
    release!();
    await held;
    await emu.advanceTime(250);
    await stub.disarm();
    await emu.advanceTime(5_000);
    expect(emu.usage(stub).duration).toEqual({ ms: 1_750, gbSeconds: 0.224, heldBy: { requests: 500, webSockets: 0, timers: 1_250 } });
  });

  it("counts fake timers' virtual time, until the object's timer fires", async () => {
    vi.useFakeTimers();
    const emu = emulator({ module: { Busy }, durableObjects: { NS: "Busy" } });
    const stub = (emu.env.NS as AnyStub).getByName("f");
    await stub.arm(3_000);
    await vi.advanceTimersByTimeAsync(10_000); // fires after 3,000
    expect(emu.usage(stub).duration.heldBy.timers).toBe(3_000);
  });

  it("stops counting an instance's timers when it is evicted, and resetUsage() restarts the count", async () => {
    const { emu, stub } = world();
    await stub.arm(60_000);
    await emu.advanceTime(400);
    emu.resetUsage();
    await emu.advanceTime(100);
    await emu.evict(stub);
    await emu.advanceTime(1_000);
    expect(emu.usage(stub).duration.heldBy.timers).toBe(100); // kept, though the object was forgotten
    expect(emu.usage(emu.env.NS).duration.heldBy.timers).toBe(100);
  });
});
