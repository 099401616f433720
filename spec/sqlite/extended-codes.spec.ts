import { describe, expect, it } from "vitest";
import { extendedCodeName } from "../../lib/sqlite/extended-codes.js";

const SQLITE_CONSTRAINT_UNIQUE = 19 | (8 << 8);

describe("extendedCodeName", () => {
  it("names the extended code of the failure it belongs to", () => {
    expect(extendedCodeName(SQLITE_CONSTRAINT_UNIQUE, "SQLITE_CONSTRAINT")).toBe("SQLITE_CONSTRAINT_UNIQUE");
    expect(extendedCodeName(19, "SQLITE_CONSTRAINT")).toBeUndefined();
  });

  // A misuse of the API records no code on the connection: what it holds is an earlier failure's.
  it("names none for a code left by an earlier failure of another kind", () => {
    expect(extendedCodeName(SQLITE_CONSTRAINT_UNIQUE, "SQLITE_MISUSE")).toBeUndefined();
  });
});
