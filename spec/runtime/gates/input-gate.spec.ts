import { describe, expect, it } from "vitest";
import { InputGate } from "../../../lib/runtime/gates/input-gate.js";

/** A gate on its own (in the runtime, the object's instance is its gate). */
class Gate extends InputGate {
  protected readonly gateMeter = { now: () => 0, waited: () => {}, outputHeld: () => {} };
}
const turnEnd = () => new Promise<void>((resolve) => setImmediate(resolve));

// A resumption can reach a gate whose queue is still the shared empty one (no event has queued
// since it was made, or since eviction took its queue): it must queue there, not write into it.
describe("InputGate.resume while a critical section holds the gate", () => {
  it("queues code resuming outside the section on a gate that never queued an event, and runs it once the gate reopens", async () => {
    const gate = new Gate();
    const section = {};
    const ran: string[] = [];
    gate.lock(section);
    gate.resume(() => ran.push("outside"), undefined);
    gate.resume(() => ran.push("inside"), section);
    expect(ran).toEqual(["inside"]);
    gate.unlock(section);
    await turnEnd();
    expect(ran).toEqual(["inside", "outside"]);
  });

  it("queues it after eviction took the queued events", async () => {
    const gate = new Gate();
    const ran: string[] = [];
    gate.lock();
    gate.enqueue({ start: () => ran.push("event"), fail: () => {}, queuedAt: undefined });
    expect(gate.takeQueued()).toHaveLength(1);
    gate.resume(() => ran.push("resumed"), undefined);
    gate.unlock();
    await turnEnd();
    expect(ran).toEqual(["resumed"]);
  });
});

describe("InputGate.holdWhile", () => {
  it.each([
    ["fulfils", () => Promise.resolve("done")],
    ["rejects", () => Promise.reject(new Error("storage failed"))],
  ])("reopens the gate once the operation %s: the event queued behind it starts", async (_, operate) => {
    const gate = new Gate();
    const operation = operate();
    const ran: string[] = [];
    gate.holdWhile(operation);
    gate.enqueue({ start: () => ran.push("event"), fail: () => {}, queuedAt: undefined });
    await turnEnd();
    expect(ran).toEqual(["event"]);
    // The operation's own failure is its caller's: the gate leaves no rejection of its own.
    await operation.catch(() => undefined);
  });
});

