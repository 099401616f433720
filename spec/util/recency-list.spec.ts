import { describe, expect, it } from "vitest";
import { RecencyList, type RecencyNode } from "../../lib/util/recency-list.js";

const node = (key: string): RecencyNode => ({ key, newer: undefined, older: undefined });

/** The keys from the least recently used on, by repeatedly taking the oldest. */
function drain(list: RecencyList<RecencyNode>): string[] {
  const keys: string[] = [];
  for (let oldest = list.oldest(); oldest !== undefined; oldest = list.oldest()) {
    keys.push(oldest.key);
    list.delete(oldest);
  }
  return keys;
}

describe("RecencyList", () => {
  it("orders keys by their last use, whichever end a used node was at", () => {
    const list = new RecencyList<RecencyNode>();
    for (const key of ["a", "b", "c", "d"]) list.add(node(key));
    expect(list.use("a")?.key).toBe("a");
    expect(list.use("c")?.key).toBe("c");
    expect(list.use("c")?.key).toBe("c");
    expect(list.use("zz")).toBeUndefined();
    expect(list.size).toBe(4);
    expect(drain(list)).toEqual(["b", "d", "a", "c"]);
    expect(list.size).toBe(0);
  });

  it("deletes from the middle and both ends, and starts afresh after clear()", () => {
    const list = new RecencyList<RecencyNode>();
    const nodes = ["a", "b", "c", "d", "e"].map(node);
    for (const n of nodes) list.add(n);
    list.delete(nodes[2]!);
    list.delete(nodes[0]!);
    list.delete(nodes[4]!);
    expect(list.use("c")).toBeUndefined();
    list.add(node("f"));
    expect(drain(list)).toEqual(["b", "d", "f"]);
    list.add(node("g"));
    list.clear();
    expect([list.size, list.oldest(), list.use("g")]).toEqual([0, undefined, undefined]);
    list.add(node("h"));
    expect(drain(list)).toEqual(["h"]);
  });
});
