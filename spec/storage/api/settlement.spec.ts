import { describe, expect, it } from "vitest";
import { SettlementModel } from "../../../lib/storage/api/settlement.js";
import { KV_POLICY } from "../../../lib/storage/policy.js";

describe("SettlementModel: the read cache of a KV-backed instance", () => {
  it("serves every key it has seen without I/O, however many, and reads an unseen one as I/O", () => {
    const model = new SettlementModel(KV_POLICY);
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    for (const key of keys.slice(0, 30)) model.settlement("put", { keys: [key] });
    for (const key of keys.slice(30)) expect(model.settlement("get", { keys: [key] })).toBe("io");
    // Seen by a write or by a read: cached from then on.
    for (const key of keys) expect(model.settlement("get", { keys: [key] })).toBe(2);
    expect(model.settlement("get", { keys: ["k0", "never"] })).toBe("io");
    expect(model.settlement("get", { keys: ["never"] })).toBe(2);
  });
});
