import { describe, expect, it } from "vitest";
import { Fifo } from "../../lib/util/fifo.js";

describe("Fifo", () => {
  it("hands items out in the order they came, across the ring's wrap and its growth", () => {
    const fifo = new Fifo<number>();
    const out: number[] = [];
    let next = 0;
    // Three in, two out, over and over: the front wraps round the ring while it grows.
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 3; i++) fifo.push(next++);
      for (let i = 0; i < 2; i++) out.push(fifo.shift());
    }
    expect(fifo.size).toBe(40);
    expect(fifo.capacity).toBe(64);
    expect(fifo.toArray()).toEqual(Array.from({ length: 40 }, (_, i) => 80 + i));
    while (fifo.size > 0) out.push(fifo.shift());
    expect(out).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });

  it("keeps its slots at a steady length: no growth while as many leave as come", () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 100; i++) fifo.push(i);
    for (let i = 100; i < 10_000; i++) {
      expect(fifo.shift()).toBe(i - 100);
      fifo.push(i);
    }
    expect([fifo.size, fifo.capacity, fifo.at(0), fifo.at(99)]).toEqual([100, 128, 9_900, 9_999]);
  });
});
