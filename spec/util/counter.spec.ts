import { expect, it } from "vitest";
import { decrement } from "../../lib/util/counter.js";

it("decrements a count and refuses to take it below zero", () => {
  expect(decrement(2, "locks")).toBe(1);
  expect(decrement(1, "locks")).toBe(0);
  expect(() => decrement(0, "input gate locks")).toThrow("durasim internal: input gate locks released more often than taken");
});
