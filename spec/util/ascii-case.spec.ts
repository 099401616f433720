import { describe, expect, it } from "vitest";
import { lowerAscii, upperAscii } from "../../lib/util/ascii-case.js";

// Text already in the case asked for is returned without folding (the fast path); everything
// else folds ASCII letters only, whatever else the text holds.
describe("ASCII case folding", () => {
  it("folds ASCII letters only, leaving other characters as they are", () => {
    expect(upperAscii("post")).toBe("POST");
    expect(upperAscii("PoSt")).toBe("POST");
    // The long s and the dotless i fold to S and I in Unicode, not in ASCII.
    expect(upperAscii("\u017fet\u0131")).toBe("\u017fET\u0131");
    expect(lowerAscii("Content-Length")).toBe("content-length");
    // The Kelvin sign folds to k in Unicode.
    expect(lowerAscii("\u212aEY")).toBe("\u212aey");
  });

  it("returns text with no letter to fold unchanged, the characters beside the letters included", () => {
    for (const text of ["", "POST", "M-SEARCH", "@[`{~\u007f", "\u00e9\u017f\u0131"]) expect(upperAscii(text)).toBe(text);
    for (const text of ["", "content-length", "@[`{~\u007f", "\u00c9\u212a"]) expect(lowerAscii(text)).toBe(text);
    // The letters at each end of the range fold.
    expect(upperAscii("`az{")).toBe("`AZ{");
    expect(lowerAscii("@AZ[")).toBe("@az[");
  });
});
