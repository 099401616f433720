/**
 * What the prelude does to a module's text (modules/worker-prelude.ts), beside the module forms
 * worker-prelude-paths.spec.ts loads through each path: it keeps every line where it was, and it
 * leaves alone a module whose scope it cannot know, so that module's own error is Node's, at its
 * own line and column, rather than one the prelude made.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withWorkerGlobals, WORKER_SCOPE_URL } from "../../lib/modules/worker-prelude.js";

const dir = mkdtempSync(join(tmpdir(), "durasim-prelude-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the prelude's rewrite", () => {
  it("goes on the first line: every line of the module stays where it was", () => {
    const source = "const a = 1;\n\nexport const b = () => new URL('http://h/');\nnavigator.userAgent;\n";
    expect(withWorkerGlobals(source)).toBe(`import { navigator, URL } from ${JSON.stringify(WORKER_SCOPE_URL)};${source}`);
  });

  it("leaves a module that does not parse as written, so its SyntaxError is Node's own, at its own place", async () => {
    const source = "new URL('http://h/');\nconst s = 'unterminated\nnavigator.userAgent;";
    expect(withWorkerGlobals(source)).toBe(source);
    const file = join(dir, "broken.mjs");
    writeFileSync(file, withWorkerGlobals(source));
    const { stderr } = spawnSync(process.execPath, [file], { encoding: "utf8" });
    expect(stderr).toContain(`${file}:2\n`);
    expect(stderr).toContain("SyntaxError: Invalid or unexpected token");
  });

  it("leaves TypeScript that Node cannot strip as written", () => {
    const source = "const a: = 1;\nnew URL('http://h/');";
    expect(withWorkerGlobals(source, { language: "typescript" })).toBe(source);
  });
});
