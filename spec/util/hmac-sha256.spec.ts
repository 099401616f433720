import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HmacSha256 } from "../../lib/util/hmac-sha256.js";

describe("HmacSha256", () => {
  it("equals node:crypto's HMAC-SHA-256 for keys and messages of every length around the block boundaries", () => {
    for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const hmac = new HmacSha256(key);
      for (const length of [...Array(201).keys(), 255, 256, 1000]) {
        const message = randomBytes(length);
        const out = Buffer.alloc(40, 0xee);
        hmac.macInto(message, out, 4, 32);
        expect(out.subarray(4, 36).toString("hex"), `key ${keyLength} B, message ${length} B`).toBe(
          createHmac("sha256", key).update(message).digest("hex"),
        );
        // Only the bytes asked for are written.
        expect(out[3]).toBe(0xee);
        expect(out[36]).toBe(0xee);
      }
    }
  });

  it("writes a prefix of the MAC when asked for fewer bytes", () => {
    const key = randomBytes(32);
    const out = Buffer.alloc(16);
    new HmacSha256(key).macInto(Buffer.from("name"), out, 0, 16);
    expect(out.toString("hex")).toBe(createHmac("sha256", key).update("name").digest("hex").slice(0, 32));
  });

  it("MACs only the first messageLength bytes of a reused buffer, and may write its MAC into that buffer", () => {
    const key = randomBytes(32);
    const hmac = new HmacSha256(key);
    for (const length of [0, 16, 55, 56, 64, 200]) {
      const buffer = randomBytes(length + 40);
      const expected = createHmac("sha256", key).update(buffer.subarray(0, length)).digest("hex").slice(0, 32);
      hmac.macInto(buffer, buffer, length, 16, length);
      expect(buffer.subarray(length, length + 16).toString("hex"), `message ${length} B`).toBe(expected);
    }
  });
});
