import { describe, expect, it } from "vitest";
import { arriveNextTurn, nextTurnPromise } from "../../lib/util/turn.js";

describe("arriveNextTurn", () => {
  it("delivers the calls sent in one turn in one later macrotask, those that go behind last, and what they send at once in the next", async () => {
    const seen: string[] = [];
    arriveNextTurn(() => {
      seen.push("first");
      arriveNextTurn(() => seen.push("sent by first"));
      arriveNextTurn(() => seen.push("sent behind by first"), true);
    });
    arriveNextTurn(() => seen.push("behind"), true);
    arriveNextTurn(() => seen.push("second"));
    expect(seen).toEqual([]);
    await nextTurnPromise();
    expect(seen).toEqual(["first", "second", "behind"]);
    await nextTurnPromise();
    expect(seen).toEqual(["first", "second", "behind", "sent by first", "sent behind by first"]);
  });

  it("still delivers what an arrival sends while a call that goes behind waits in the same macrotask", async () => {
    const seen: string[] = [];
    arriveNextTurn(() => arriveNextTurn(() => seen.push("sent while one waits behind")));
    arriveNextTurn(() => seen.push("behind"), true);
    await nextTurnPromise();
    await nextTurnPromise();
    // Later arrivals are not stranded behind it either.
    arriveNextTurn(() => seen.push("later"));
    await nextTurnPromise();
    expect(seen).toEqual(["behind", "sent while one waits behind", "later"]);
  });
});
