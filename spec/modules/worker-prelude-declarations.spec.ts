/**
 * The prelude never redeclares what a Worker module declares at its top level, in any form, and
 * no string, comment, template or regular expression confuses it (modules/declared-names.ts):
 * each module below loads and sees its own binding. A declaration inside a function leaves the
 * module the runtime's global; a hashbang line stays a comment.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withWorkerGlobals } from "../../lib/modules/worker-prelude.js";

const dir = mkdtempSync(join(tmpdir(), "durasim-prelude-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;

/** The rewritten module's `seen` export. */
async function load(source: string): Promise<unknown> {
  const rewritten = withWorkerGlobals(source);
  expect(rewritten.split("\n")).toHaveLength(source.split("\n").length);
  const file = join(dir, `m${count++}.mjs`);
  writeFileSync(file, rewritten);
  return ((await import(file)) as { seen: unknown }).seen;
}

describe("a Worker module's own top-level declarations", () => {
  const cases: Array<[string, string]> = [
    ["let a = 1, self = 2;", "self === 2"],
    ["const [atob, btoa] = [1, 2];", "atob === 1 && btoa === 2"],
    ["const { a: { b }, URL } = { a: { b: 1 }, URL: 3 };", "URL === 3 && b === 1"],
    ["const { x: navigator = 4 } = {};", "navigator === 4"],
    ["const [, [Headers] = [5]] = [];", "Headers === 5"],
    ["const { t, ...TextDecoder } = { t: 0, u: 6 };", "TextDecoder.u === 6"],
    ["const a = { b: [1, 2] }, [self] = [7];", "self === 7"],
    ["const f = (x, y) => x\nconst g = 2, URL = 8", "URL === 8"],
    ['import { URL } from "node:url";\nimport * as nodeUrl from "node:url";', "URL === nodeUrl.URL"],
    ['import * as self from "node:url";', "typeof self.fileURLToPath === 'function'"],
    ['import URL from "node:url";', "typeof URL.fileURLToPath === 'function'"],
    ['import { fileURLToPath as atob, URL as NodeURL } from "node:url";', "typeof atob === 'function' && new URL('http://a/') instanceof NodeURL"],
    ['import Headers, { URL as U } from "node:url";', "typeof Headers.URL === 'function'"],
    ["var btoa = 9;", "btoa === 9"],
    ["if (true) { var btoa = 10; }", "btoa === 10"],
    ["function navigator() { return 11; }", "navigator() === 11"],
    ["function* URLSearchParams() {}", "typeof URLSearchParams === 'function'"],
    ["async function structuredClone() {}", "typeof structuredClone === 'function'"],
    ["class Headers {}", "Headers.name === 'Headers'"],
    ["export const URLSearchParams = 12;", "URLSearchParams === 12"],
    ["export default class self {}", "self.name === 'self'"],
    ["export let x = 1, queueMicrotask = 13;", "queueMicrotask === 13"],
    ["export var { CompressionStream } = { CompressionStream: 14 };", "CompressionStream === 14"],
    ['const s = "{ let URL = 0"; const t = `${"}"}{`; const URL = 15;', "URL === 15"],
    ["const r = /[/{]\\/{/g; const URL = 16;", "URL === 16"],
    ["const q = 4 / 2 / 1; const URL = 17;", "URL === 17"],
    ["/* { */ const URL = 18; // {", "URL === 18"],
    ["const n = `a${`b${'{'}`}`; const self = 19;", "self === 19"],
    ["const \\u0055RL = 20;", "URL === 20"],
  ];
  for (const [declaration, check] of cases) {
    it(declaration, async () => {
      expect(await load(`${declaration}\nexport const seen = ${check};`)).toBe(true);
    });
  }
});

describe("names the module does not declare at its top level", () => {
  it("get the runtime's, even when a function declares them or a string mentions a declaration", async () => {
    const source = [
      "function f() { const self = this; let URL = 1; return [self, URL]; }",
      'const text = "const navigator = 1; let URL";',
      "class Probe { run() { const { atob } = {}; return atob; } }",
      "export const seen = [self === globalThis, navigator.userAgent, new URL('http://a/') instanceof URL, typeof atob, typeof Probe];",
    ].join("\n");
    expect(await load(source)).toEqual([true, "Cloudflare-Workers", true, "function", "function"]);
  });

  it("keep a hashbang line as a comment", async () => {
    expect(await load("#!/usr/bin/env node\nexport const seen = [typeof self, navigator.userAgent];")).toEqual(["object", "Cloudflare-Workers"]);
    expect(withWorkerGlobals("#!/usr/bin/env node\nnew URL(x);").startsWith("import { URL } from ")).toBe(true);
  });

  it("are not imported at all from a module the lexer cannot follow", () => {
    const source = "const s = 'unterminated\nnew URL(x); new Response(null);";
    expect(withWorkerGlobals(source)).toMatch(/^import \{ Response \} from [^;]*worker-globals[^;]*;const s/);
  });
});
