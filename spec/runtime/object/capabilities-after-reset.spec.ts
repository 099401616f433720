/**
 * What a caller still holds of an object that reset (or was evicted by emu.evict()): stubs to the
 * RpcTargets and functions it returned (conformance "resets: what the caller holds of an object
 * that reset ..."). A call in flight as it resets fails with the reset error flagged `remote`,
 * naming the object unless its input gate broke; every later call fails with the runtime's "no
 * longer running" error; the emulator disposed says so in its own words instead.
 */
import { describe, expect, it } from "vitest";
import { DurableObject, RpcTarget } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, rejection } from "../../helpers.js";

const HOME_ENDED = "The execution context which hosts this callback is no longer running.";

class Counter extends RpcTarget {
  constructor(private readonly bump: () => number) {
    super();
  }
  inc() {
    return this.bump();
  }
  slow() {
    return new Promise(() => {});
  }
}

class Maker extends DurableObject {
  memory = 0;
  counter() {
    return new Counter(() => ++this.memory);
  }
  adder() {
    return (x: number) => x + ++this.memory;
  }
  die(how: string) {
    const ctx = this.ctx as { abort(reason: string): never; blockConcurrencyWhile(f: () => Promise<void>): Promise<void> };
    if (how === "abort") ctx.abort("going down");
    return ctx.blockConcurrencyWhile(async () => {
      throw new RangeError("bcw failed");
    });
  }
}

const makers = () => emulator({ module: { Maker }, durableObjects: { NS: "Maker" } });

describe("stubs to an object's RpcTargets and functions, once it reset", () => {
  for (const [how, named] of [["abort", true], ["bcw", false]] as const) {
    it(`${how === "abort" ? "ctx.abort()" : "a failed blockConcurrencyWhile"}: the call in flight fails with the reset error flagged remote${named ? " and naming the object" : ""}; later calls, dup()s included, with the runtime's error and no flags`, async () => {
      const emu = makers();
      const stub: AnyStub = emu.env.NS.getByName(how);
      const counter = await stub.counter();
      const adder = await stub.adder();
      expect([await counter.inc(), await adder(10)]).toEqual([1, 12]);
      const inFlight = rejection(counter.slow());
      await rejection(stub.die(how));
      const error = await inFlight;
      expect({ ...error, message: error.message }).toEqual({
        message: how === "abort" ? "going down" : "bcw failed",
        remote: true,
        durableObjectReset: true,
        ...(named ? { durableObjectId: emu.env.NS.idFromName(how).toString() } : {}),
      });
      for (const call of [() => counter.inc(), () => adder(1), () => counter.dup().inc()]) {
        const later = await rejection(call());
        expect([later.constructor, later.message, { ...later }]).toEqual([Error, HOME_ENDED, {}]);
      }
      expect(await emu.env.NS.getByName(how).counter().inc()).toBe(1);
    });
  }

  it("after emu.evict() (an instance shut down mid-work, as a restart does) they fail with the runtime's error too, once its last event is over; the object's stub reaches a new instance", async () => {
    const emu = makers();
    const stub: AnyStub = emu.env.NS.getByName("evicted");
    const counter = await stub.counter();
    const adder = await stub.adder();
    expect([await counter.inc(), await adder(10)]).toEqual([1, 12]);
    await emu.evict(stub);
    for (const call of [() => counter.inc(), () => adder(1), () => counter.dup().inc()]) {
      const later = await rejection(call());
      expect([later.constructor, later.message, { ...later }]).toEqual([Error, HOME_ENDED, {}]);
    }
    expect(await (await stub.counter()).inc()).toBe(1);
  });

  it("after emu.dispose() they fail with the disposed error, as every other call does", async () => {
    const emu = makers();
    const counter = await (emu.env.NS.getByName("d") as AnyStub).counter();
    await emu.dispose();
    expect((await rejection(counter.inc())).message).toMatch(/this Emulator has been disposed/);
  });
});
