import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DURABLE } from "../../../lib/storage/persist/durability.js";
import { FacetIndex } from "../../../lib/storage/persist/facet-index.js";
import { ScratchDirectories } from "../../scratch-directories.js";

const directories = new ScratchDirectories("durasim-facet-index-");
afterAll(() => directories.removeAll());

const indexPath = () => join(directories.make(), "0".repeat(64) + ".facets");

describe("FacetIndex (workerd's <id>.facets)", () => {
  it("numbers facets in the order first used, by parent and name, and reads them back", () => {
    const path = indexPath();
    const index = new FacetIndex(path, DURABLE);
    expect([index.number(0, "a"), index.number(0, "b"), index.number(1, "a"), index.number(0, "a"), index.number(0, "é")]).toEqual([1, 2, 3, 1, 4]);
    const again = new FacetIndex(path, DURABLE);
    expect([again.find(0, "a"), again.find(0, "b"), again.find(1, "a"), again.find(0, "é"), again.find(2, "a")]).toEqual([1, 2, 3, 4, undefined]);
    expect([again.children(0), again.children(1)]).toEqual([["a", "b", "é"], ["a"]]);
    // The magic, then (parent, byte length, name) per entry, little-endian.
    expect(readFileSync(path).subarray(0, 13).toString("hex")).toBe("57efb0c55bcecdc4" + "0000" + "0100" + "61");
  });

  it("ignores a torn tail, and the next entry replaces it", () => {
    const path = indexPath();
    new FacetIndex(path, DURABLE).number(0, "a");
    const whole = readFileSync(path);
    // Half an entry: a header whose name runs past the end.
    appendFileSync(path, Buffer.from([0, 0, 9, 0, 0x62]));
    const torn = new FacetIndex(path, DURABLE);
    expect(torn.children(0)).toEqual(["a"]);
    expect(torn.number(0, "b")).toBe(2);
    expect(readFileSync(path).byteLength).toBe(whole.byteLength + 5);
    expect(new FacetIndex(path, DURABLE).children(0)).toEqual(["a", "b"]);
  });

  it("starts over on a file no longer than the magic, and refuses one with other magic", () => {
    const path = indexPath();
    writeFileSync(path, Buffer.from([0x57, 0xef]));
    expect(new FacetIndex(path, DURABLE).number(0, "x")).toBe(1);
    writeFileSync(path, Buffer.alloc(16, 1));
    expect(() => new FacetIndex(path, DURABLE)).toThrow(`${path} is not a facet index (its first 8 bytes are not workerd's magic number)`);
  });
});
