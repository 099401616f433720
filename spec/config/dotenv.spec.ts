/**
 * durasim's .dev.vars / .env parser against the dotenv package at the version wrangler bundles
 * (a devDependency): the same keys, values and order for many generated files, built from the
 * pieces its rules turn on (keys, `=`, `: `, `export`, quotes and escaped quotes, `#`, blanks,
 * every line break, U+2028, a BOM).
 */
import { parse } from "dotenv";
import { expect, it } from "vitest";
import { parseDotenv } from "../../lib/config/wrangler/dotenv.js";

const PIECES = [
  "A", "B", "k.e-y_1", "__proto__", "export ", "export", "=", "A=", "B: ", ":", ": ", " ", "\t", "\v", "\n", "\n", "\r", "\r\n",
  "#", "'", '"', "`", "\\", "\\'", '\\"', "\\`", "\\n", "\\r", "x", "y z", "\u2028", "\u2029", "\u00a0", "\ufeff", "$", "{",
];

/** A small deterministic generator (a linear congruential one), so a failure names a file that fails again. */
function generator(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

it("parses generated files as dotenv's parse() does", () => {
  const random = generator(2026);
  const differing: Array<{ text: string; ours: unknown; dotenv: unknown }> = [];
  for (let file = 0; file < 30_000; file++) {
    let text = "";
    for (let count = Math.floor(random() * 30); count > 0; count--) text += PIECES[Math.floor(random() * PIECES.length)];
    const ours = Object.entries(parseDotenv(text));
    const theirs = Object.entries(parse(text));
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) differing.push({ text, ours, dotenv: theirs });
  }
  expect(differing.slice(0, 3)).toEqual([]);
});
