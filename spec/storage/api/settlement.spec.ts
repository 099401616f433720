import { describe, expect, it } from "vitest";
import { SettlementModel } from "../../../lib/storage/api/settlement.js";
import { KV_POLICY } from "../../../lib/storage/policy.js";

describe("SettlementModel: the read cache of a KV-backed instance", () => {
  it("serves every key it has seen without I/O, however many, and reads an unseen one as I/O", () => {
    const model = new SettlementModel();
    const settle = (op: "get" | "put", keys: string[]) => model.cachedSettlement(op, { keys }, KV_POLICY);
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    for (const key of keys.slice(0, 30)) settle("put", [key]);
    for (const key of keys.slice(30)) expect(settle("get", [key])).toBe("io");
    // Seen by a write or by a read: cached from then on.
    for (const key of keys) expect(settle("get", [key])).toBe(2);
    expect(settle("get", ["k0", "never"])).toBe("io");
    expect(settle("get", ["never"])).toBe(2);
  });
});
