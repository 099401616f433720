import { describe, expect, it } from "vitest";
import { countParameters } from "../../lib/sqlite/parameters.js";
import { tokenize } from "../../lib/sqlite/tokenizer.js";

const count = (sql: string) => countParameters(tokenize(sql));

describe("countParameters", () => {
  it("reads a named parameter in Tcl's forms as one, as SQLite's tokenizer does", () => {
    expect(count("SELECT $a::b, $a")).toBe(2);
    expect(count("SELECT @a::b::c(:x)")).toBe(1);
    expect(count("SELECT $a(:b), $a(:b), $a(c)")).toBe(2);
    expect(count("SELECT #a, #a, ?")).toBe(2);
    // A single colon ends the name; `(` right after the sigil opens no suffix.
    expect(count("SELECT $a:b")).toBe(2);
  });

  it("leaves an unclosed suffix and a sigil without a name unrecognized", () => {
    expect(tokenize("SELECT $a(b c)").map((t) => t.kind)).toEqual(["word", "invalid", "word", "punct"]);
    expect(tokenize("SELECT $(b)")[1]!.kind).toBe("invalid");
  });
});
