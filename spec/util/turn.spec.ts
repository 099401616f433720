import { describe, expect, it } from "vitest";
import { ARRIVAL_PLACES, arriveNextTurn, nextTurnPromise } from "../../lib/util/turn.js";

describe("arriveNextTurn", () => {
  it("delivers the calls sent in one turn in one later macrotask, by place, and what they send at once in the next", async () => {
    const seen: string[] = [];
    arriveNextTurn(() => {
      seen.push("first");
      arriveNextTurn(() => seen.push("sent by first"));
      arriveNextTurn(() => seen.push("sent behind by first"), 1);
    });
    arriveNextTurn(() => seen.push("behind"), 1);
    arriveNextTurn(() => seen.push("second"));
    expect(seen).toEqual([]);
    await nextTurnPromise();
    expect(seen).toEqual(["first", "second", "behind"]);
    await nextTurnPromise();
    expect(seen).toEqual(["first", "second", "behind", "sent by first", "sent behind by first"]);
  });

  it("reports each delivery that throws as an uncaught error of its own, and still delivers the rest", async () => {
    // Vitest's own listeners would fail the run: they stand aside while this test listens.
    const vitestListeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    const uncaught: unknown[] = [];
    process.on("uncaughtException", (error) => uncaught.push(error));
    const seen: string[] = [];
    try {
      arriveNextTurn(() => {
        throw new Error("first");
      });
      arriveNextTurn(() => {
        throw new Error("second");
      });
      arriveNextTurn(() => seen.push("third"));
      await nextTurnPromise();
      await nextTurnPromise();
    } finally {
      process.removeAllListeners("uncaughtException");
      for (const listener of vitestListeners) process.on("uncaughtException", listener);
    }
    expect(seen).toEqual(["third"]);
    expect(uncaught.map((error) => (error as Error).message)).toEqual(["first", "second"]);
  });

  it("orders every place after the ones before it, the order given within each", async () => {
    const seen: string[] = [];
    for (let place = ARRIVAL_PLACES - 1; place >= 0; place--) {
      arriveNextTurn(() => seen.push(`${place}a`), place);
      arriveNextTurn(() => seen.push(`${place}b`), place);
    }
    await nextTurnPromise();
    expect(seen).toEqual(Array.from({ length: ARRIVAL_PLACES }, (_, place) => [`${place}a`, `${place}b`]).flat());
  });

  it("still delivers what an arrival sends while a call that goes behind waits in the same macrotask", async () => {
    const seen: string[] = [];
    arriveNextTurn(() => arriveNextTurn(() => seen.push("sent while one waits behind")));
    arriveNextTurn(() => seen.push("behind"), 1);
    await nextTurnPromise();
    await nextTurnPromise();
    // Later arrivals are not stranded behind it either.
    arriveNextTurn(() => seen.push("later"));
    await nextTurnPromise();
    expect(seen).toEqual(["behind", "sent while one waits behind", "later"]);
  });

  it("puts what a later turn sends behind what an earlier turn sent, whatever their places, when both wait for one delivery", async () => {
    const seen: string[] = [];
    // Two macrotasks run before the delivery the first schedules (as a timer falling due before
    // it does under load): the second's message, of the first place, must not overtake.
    await new Promise<void>((resolve) => {
      setImmediate(() => arriveNextTurn(() => seen.push("earlier turn, last place"), ARRIVAL_PLACES - 1));
      setImmediate(() => {
        arriveNextTurn(() => seen.push("later turn, first place"), 0);
        arriveNextTurn(() => seen.push("later turn, last place"), ARRIVAL_PLACES - 1);
        resolve();
      });
    });
    await nextTurnPromise();
    await nextTurnPromise();
    expect(seen).toEqual(["earlier turn, last place", "later turn, first place", "later turn, last place"]);
  });
});
