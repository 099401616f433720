/**
 * What the prelude does to a module's text (modules/worker-prelude.ts), beside the module forms
 * worker-prelude-paths.spec.ts loads through each path: it keeps every line where it was, and an
 * invalid module keeps its own error, at its own line, rather than one the prelude made.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lettersSpelledOut, mayBind, moduleScopeNames } from "../../lib/modules/declared-names.js";
import { withWorkerGlobals, WORKER_SCOPE_URL } from "../../lib/modules/worker-prelude.js";

const dir = mkdtempSync(join(tmpdir(), "durasim-prelude-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the prelude's rewrite", () => {
  it("goes on the first line: every line of the module stays where it was", () => {
    const source = "const a = 1;\n\nexport const b = () => new URL('http://h/');\nnavigator.userAgent;\n";
    expect(withWorkerGlobals(source)).toBe(`import { navigator, URL } from ${JSON.stringify(WORKER_SCOPE_URL)};${source}`);
  });

  it("keeps an invalid module's own SyntaxError, at its own line: a module that may bind a name and does not parse is left as written", () => {
    const mayBind = "new URL('http://h/');\nconst s = 'unterminated\nconst URL = 1;";
    const cannotBind = "new URL('http://h/');\nconst s = 'unterminated\nnavigator.userAgent;";
    expect(withWorkerGlobals(mayBind)).toBe(mayBind);
    for (const [name, source] of [["may-bind.mjs", mayBind], ["cannot-bind.mjs", cannotBind]] as const) {
      const file = join(dir, name);
      writeFileSync(file, withWorkerGlobals(source));
      const { stderr } = spawnSync(process.execPath, [file], { encoding: "utf8" });
      expect(stderr).toContain(`${file}:2\n`);
      expect(stderr).toContain("SyntaxError: Invalid or unexpected token");
    }
  });

  it("leaves TypeScript that Node cannot strip as written", () => {
    const source = "const a: = 1;\nnew URL('http://h/');";
    expect(withWorkerGlobals(source, { language: "typescript" })).toBe(source);
  });
});

describe("the look at the text before the parse (declared-names.ts mayBind)", () => {
  // Parses every module of the build (its time grows with the build: 12 s alone on a loaded
  // 2-core machine, 19-23 s in a shared worker on Node 20 under load), so it gets a minute.
  it("never rules out a name the parse finds bound, over every module of durasim's build", { timeout: 60_000 }, () => {
    const dist = resolve(import.meta.dirname, "../../dist");
    const files = (readdirSync(dist, { recursive: true }) as string[]).filter((file) => file.endsWith(".js") && !file.startsWith("cjs"));
    expect(files.length).toBeGreaterThan(100);
    let checked = 0;
    for (const file of files) {
      const javascript = readFileSync(join(dist, file), "utf8");
      const plain = lettersSpelledOut(javascript);
      for (const name of moduleScopeNames(javascript) ?? []) {
        expect(mayBind(plain, name), `${file}: ${name}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("rules out mentions no declaration can make: a call, a member, an object key, a reference after an operator", () => {
    for (const text of ["new URL(x)", "URL.parse(x)", "a.URL", "({ URL: 1 })", "x instanceof URL", "f(a, URL(x))", "typeof URL", "{ URL() {} }"]) {
      expect(mayBind(text, "URL"), text).toBe(false);
    }
  });
});
