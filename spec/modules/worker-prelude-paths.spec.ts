/**
 * The Worker-module prelude's invariant (modules/worker-prelude.ts), module form by module form,
 * through every path that applies it: an inline `script`, `modules` given by contents, a
 * `modulePath` Worker Node loads through durasim's module hooks, and the Vitest plugin's
 * transform (a nested Vitest run over a generated project). Each module below is valid; each must
 * load, see its own binding where it declares a name (its `check`), and see the runtime's
 * `navigator` (userAgent "Cloudflare-Workers"), which it uses without declaring.
 * The Node paths run in a child process from the built package, as a user's code runs.
 * TypeScript goes through Node's type stripping where the Node running the suite has it (Node 20
 * has none: those rows are skipped there), and through Vite's transform on every Node.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../..");
const dist = (path: string) => pathToFileURL(resolve(repo, "dist", path)).href;

interface Case {
  /** What the row is about. */
  form: string;
  /** The module's own text, before the probe the spec appends. */
  source: string;
  /** An expression that holds when the module sees its own binding. */
  check: string;
  language?: "js" | "ts" | "jsx" | "tsx";
  /** The text of `./x.js` beside the module. */
  sibling?: string;
  /** TypeScript that Node strips in transform mode only (enum, namespace): Vite's transform alone. */
  transformOnly?: boolean;
  /** Syntax the Node running the suite may lack. */
  needs?: "using";
}

const CRLF_CONTINUATION = 'const s = "a\\\r\nb";';

const cases: Case[] = [
  // Forms the earlier lexer misread (review 11b F), and their neighbours.
  { form: "a declarator list continued after a keyword at a line's end", source: "const ok = {} instanceof\n  Object, URL = 1;", check: "URL === 1 && ok === true" },
  { form: "a declarator after `{} / 1` (a division, no regular expression)", source: "const a = {} / 1, URL = 2;", check: "URL === 2 && Number.isNaN(a)" },
  { form: "a division by a name after `{}`, a `/` later on the line", source: "const g = 1, a = {} / g, URL = 4 / 2;", check: "URL === 2" },
  { form: "a division across a line break", source: "const a = 4, b = 2, g = 1;\nconst x = a\n/b/g; const URL = 3;", check: "x === 2 && URL === 3" },
  { form: "a string import name", source: 'import { "a-b" as URL } from "./x.js";', sibling: 'const v = 4; export { v as "a-b" };', check: "URL === 4" },
  { form: "a string import name of a builtin module", source: 'import { "URL" as URL } from "node:url";', check: "URL === globalThis.URL" },
  { form: "an astral identifier before the name", source: "const \u{1D49C} = 1, URL = 5;", check: "URL === 5" },
  { form: "an escaped astral identifier before the name", source: "const \\u{1D49C} = 1, URL = 6;", check: "URL === 6" },
  { form: "a name spelled with an escape", source: "const \\u0055RL = 7;", check: "URL === 7" },
  { form: "a CRLF line continuation in a string", source: CRLF_CONTINUATION, check: 's === "ab"' },
  { form: "an object key named like a global, the global used", source: "const o = { URL: 1, self };", check: "o.URL === 1 && o.self === globalThis && URL !== globalThis.URL" },
  { form: "a label named like a global", source: "URL: for (;;) break URL;", check: "URL !== globalThis.URL" },
  { form: "an export renamed to a global's name (no local binding)", source: "const x = {};\nexport { x as URL };", check: "URL !== globalThis.URL" },
  { form: "a namespace re-export named like a global (no local binding)", source: 'export * as URL from "node:url";', check: "URL !== globalThis.URL" },
  { form: "a regular expression after `)` of an if", source: "let r = false;\nif (true) /URL/.test('URL') && (r = true);\nconst URL = 8;", check: "URL === 8 && r" },
  { form: "a regular expression with `/` and `{` in a class", source: "const r = /[/{]\\/{/g; const URL = 9;", check: "URL === 9" },
  { form: "a template with nested braces", source: "const n = `a${`b${'{'}`}`; const self = 10;", check: "self === 10" },
  { form: "comments with braces", source: "/* { */ const URL = 11; // {", check: "URL === 11" },
  { form: "a hashbang line", source: "#!/usr/bin/env node\nconst URL = 12;", check: "URL === 12" },
  { form: "a line comment between the keyword and the name", source: "const // the name is on the next line\n  URL = 23;", check: "URL === 23" },
  { form: "a block comment between the keyword and the name", source: "const /* { */ URL = 24;", check: "URL === 24" },
  { form: "a line break after let", source: "let\nURL = 25;", check: "URL === 25" },
  { form: "an import's braces over several lines", source: 'import {\n  URL,\n} from "node:url";', check: "URL === globalThis.URL" },
  { form: "a class that extends", source: "class Headers extends Map {}", check: "new Headers() instanceof Map" },
  { form: "a generator with the star before its name", source: "function *atob() {}", check: "typeof atob === 'function'" },
  { form: "a destructuring for-of at the top level (the loop's own scope)", source: "for (const [URL] of [[1]]) {}", check: "URL !== globalThis.URL" },
  // Every kind of declaration.
  { form: "let, several declarators", source: "let a = 1, self = 2;", check: "self === 2" },
  { form: "array destructuring", source: "const [atob, btoa] = [1, 2];", check: "atob === 1 && btoa === 2" },
  { form: "nested object destructuring", source: "const { a: { b }, URL } = { a: { b: 1 }, URL: 3 };", check: "URL === 3 && b === 1" },
  { form: "a renamed destructured property with a default", source: "const { x: Headers = 4 } = {};", check: "Headers === 4" },
  { form: "a default naming a global (used, not declared)", source: "const [u = URL] = [];", check: "u === URL && URL !== globalThis.URL" },
  { form: "a rest element", source: "const { t, ...TextDecoder } = { t: 0, u: 6 };", check: "TextDecoder.u === 6" },
  { form: "import default, namespace and named", source: 'import URL, * as self from "node:url";\nimport { fileURLToPath as atob } from "node:url";', check: "typeof URL.fileURLToPath === 'function' && self.URL === globalThis.URL && typeof atob === 'function'" },
  { form: "var in nested blocks", source: "if (true) { { var btoa = 10; } }", check: "btoa === 10" },
  { form: "var in a for-of head", source: "for (var URL of [11]) {}", check: "URL === 11" },
  { form: "var in a catch block", source: "try { throw 0; } catch { var atob = 12; }", check: "atob === 12" },
  { form: "var in a switch case", source: "switch (1) { case 1: var btoa = 13; }", check: "btoa === 13" },
  { form: "var in a labelled block", source: "block: { var self = 14; break block; }", check: "self === 14" },
  { form: "function and generator declarations", source: "function URL() { return 15; }\nfunction* atob() {}\nasync function btoa() {}", check: "URL() === 15 && typeof atob === 'function'" },
  { form: "a class declaration", source: "class Headers {}", check: "Headers.name === 'Headers'" },
  { form: "export const / let / var", source: "export const URLSearchParams = [16];\nexport let x = {}, queueMicrotask = [17];\nexport var { CompressionStream } = { CompressionStream: [18] };", check: "URLSearchParams[0] === 16 && queueMicrotask[0] === 17 && CompressionStream[0] === 18" },
  { form: "export default function and class", source: "export default function URL() { return 19; }", check: "URL() === 19" },
  { form: "a using declaration", source: "using URL = null;", check: "URL === null", needs: "using" },
  { form: "names declared only inside functions (the module uses the runtime's)", source: "function f() { const self = this; let URL = 1; return [self, URL]; }\nclass P { m() { var atob = 1; return atob; } }", check: "f()[1] === 1 && new P().m() === 1 && self === globalThis && URL !== globalThis.URL" },
  // TypeScript, checked once its types are gone.
  { form: "TypeScript: an annotation before a later declarator", language: "ts", source: "export const a: number[] = [1], URL = [20];", check: "URL[0] === 20" },
  { form: "TypeScript: an object type with a key named like a global, the global used", language: "ts", source: "const o: { URL: string } = { URL: 'x' };\nconst u: URL = new URL('http://h/');", check: "o.URL === 'x' && u instanceof URL && URL !== globalThis.URL" },
  { form: "TypeScript: a type alias and an interface named like globals (no value binding)", language: "ts", source: "export type URL = string;\ninterface self { a: 1 }", check: "URL !== globalThis.URL && self === globalThis" },
  { form: "TypeScript: an ambient declaration (no binding)", language: "ts", source: "declare const atob: (s: string) => string;", check: "atob('YQ==') === 'a' && atob !== globalThis.atob" },
  { form: "TypeScript: casts, non-null assertions and generics", language: "ts", source: "const id = <T,>(x: T): T => x;\nlet n!: number;\nconst a = id(1) as unknown as number, URL = a satisfies number;", check: "URL === 1" },
  { form: "TypeScript: an abstract class", language: "ts", source: "abstract class Headers { abstract m(): void; }", check: "typeof Headers === 'function'" },
  { form: "TypeScript: an enum", language: "ts", source: "enum URL { A }", check: "URL.A === 0", transformOnly: true },
  { form: "TypeScript: a namespace", language: "ts", source: "namespace self { export const x = 21; }", check: "self.x === 21", transformOnly: true },
  // JSX, which Vite compiles.
  { form: "JSX", language: "jsx", source: "/** @jsxRuntime classic */\n/** @jsx h */\nconst h = (tag, props, ...children) => ({ tag, children });\nconst el = <b>{URL.name}</b>;", check: "el.tag === 'b' && el.children[0] === 'URL'" },
  { form: "TSX with an annotation before a later declarator", language: "tsx", source: "/** @jsxRuntime classic */\n/** @jsx h */\nconst h = (tag: string, _: unknown, ...children: unknown[]) => ({ tag, children });\nconst el: object = <i />, URL = 22;", check: "URL === 22 && typeof el === 'object'" },
];

const EXTENSION = { js: "mjs", ts: "ts", jsx: "jsx", tsx: "tsx" } as const;
const SEEN = [true, "Cloudflare-Workers"];

/** The case's module: its text, then what each path reads (a `seen()` export and a Durable Object calling it). */
function moduleText(c: Case): string {
  return `${c.source}\nexport const seen = () => [${c.check}, navigator.userAgent];\n`;
}

/** How this Node loads TypeScript by itself: "strip", "transform" (--experimental-transform-types) or not at all. */
const nodeTypeScript = (process.features as { typescript?: string | false }).typescript;
const nodeStrips = typeof nodeTypeScript === "string";
const nodeTransforms = nodeTypeScript === "transform";
const hasUsing = (() => {
  try {
    new Function("{ using x = null; }");
    return true;
  } catch {
    return false;
  }
})();

/** Whether Node itself (no bundler) runs the case on this Node. */
function nodeRuns(c: Case): boolean {
  if (c.needs === "using" && !hasUsing) return false;
  const language = c.language ?? "js";
  if (language === "jsx" || language === "tsx") return false;
  return language === "js" || (nodeStrips && (!c.transformOnly || nodeTransforms));
}

const scratch = mkdtempSync(join(tmpdir(), "durasim-prelude-paths-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Outcome = { seen: unknown } | { error: string };

/**
 * Every case through `script`, `modules` and `modulePath`, in one child process using the built
 * package: per path and case, what the Durable Object's `seen()` answered, or the load's error.
 */
function runNodePaths(): { outcomes: Record<string, Outcome>; stderr: string } {
  const rows = cases.flatMap((c, i) => {
    if (!nodeRuns(c)) return [];
    const dir = join(scratch, `node-${i}`);
    mkdirSync(dir);
    const file = `worker.${EXTENSION[c.language ?? "js"]}`;
    const text = `${moduleText(c)}import { DurableObject } from "cloudflare:workers";\nexport class Probe extends DurableObject { seen() { return seen(); } }\n`;
    writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
    if (c.sibling !== undefined) writeFileSync(join(dir, "x.js"), c.sibling);
    const modules = [{ path: join(dir, file), type: "ESModule", contents: text }, ...(c.sibling === undefined ? [] : [{ path: join(dir, "x.js"), type: "ESModule", contents: c.sibling }])];
    return [
      [`modulePath ${i}`, { modulePath: join(dir, file) }],
      [`modules ${i}`, { modules }],
      ...(c.sibling === undefined && (c.language ?? "js") === "js" ? [[`script ${i}`, { script: text }]] : []),
    ];
  });
  const driver = join(scratch, "driver.mjs");
  writeFileSync(
    driver,
    `import { Emulator } from ${JSON.stringify(dist("index.js"))};
     const rows = ${JSON.stringify(rows)};
     const out = {};
     for (const [key, source] of rows) {
       const emu = new Emulator({ ...source, durableObjects: { PROBE: "Probe" } });
       try {
         out[key] = { seen: await emu.env.PROBE.getByName("p").seen() };
       } catch (error) {
         out[key] = { error: String(error) };
       }
       await emu.dispose();
     }
     console.log(JSON.stringify(out));`,
  );
  const { stdout, stderr } = spawnSync(process.execPath, [driver], { cwd: scratch, encoding: "utf8", timeout: 120_000 });
  return { outcomes: JSON.parse(stdout.trim().split("\n").at(-1)!), stderr };
}

/** Every case through the Vitest plugin: a generated project, one test per case; each test's failure, or null. */
function runVitestPath(): Record<string, string | null> {
  const dir = join(scratch, "vitest-project");
  mkdirSync(join(dir, "cases"), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(
    join(dir, "vitest.config.mjs"),
    `import { cloudflareTest } from ${JSON.stringify(dist("testing/vitest/index.js"))};\nexport default { plugins: [cloudflareTest({})], test: { include: ["probe.test.js"] } };\n`,
  );
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "es2022", jsx: "react", verbatimModuleSyntax: true } }));
  const tests = cases.map((c, i) => {
    const language = c.language ?? "js";
    writeFileSync(join(dir, "cases", `c${i}.${language === "js" ? "js" : language}`), moduleText(c));
    if (c.sibling !== undefined) writeFileSync(join(dir, "cases", "x.js"), c.sibling);
    if (c.needs === "using" && !hasUsing) return "";
    return `it(${JSON.stringify(String(i))}, async () => { expect((await import("./cases/c${i}.${language === "js" ? "js" : language}")).seen()).toEqual(${JSON.stringify(SEEN)}); });\n`;
  });
  writeFileSync(join(dir, "probe.test.js"), `import { expect, it } from "vitest";\n${tests.join("")}`);
  const report = join(scratch, "vitest.json");
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS"));
  try {
    // A minute per test, not Vitest's 5 s: in CI this nested run shares two busy cores.
    execFileSync(process.execPath, [join(repo, "node_modules/vitest/vitest.mjs"), "run", "--root", dir, "--reporter=json", "--testTimeout=60000", `--outputFile=${report}`], {
      cwd: dir,
      env,
      stdio: "pipe",
      timeout: 120_000,
    });
  } catch {
    // A failing test exits non-zero; the report says which.
  }
  const result = JSON.parse(readFileSync(report, "utf8")) as {
    testResults: Array<{ message?: string; assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }>;
  };
  const file = result.testResults[0]!;
  const outcomes: Record<string, string | null> = {};
  for (const test of file.assertionResults) outcomes[test.title] = test.status === "passed" ? null : test.failureMessages.join("\n");
  if (file.assertionResults.length === 0) outcomes.file = file.message ?? "no tests ran";
  return outcomes;
}

describe("valid Worker modules load with their own bindings and the runtime's globals", () => {
  let node: Record<string, Outcome>;
  let nodeStderr: string;
  let vitest: Record<string, string | null>;
  beforeAll(() => {
    ({ outcomes: node, stderr: nodeStderr } = runNodePaths());
    vitest = runVitestPath();
  }, 240_000);

  it("Node's paths print nothing of their own (no warning that type stripping is experimental)", () => {
    // Only the runtime's line for the case whose default export is a function (workerd logs it too).
    const runtimeLine = "Exported actor class as default entrypoint. This doesn't work, but historically did not produce a startup-time error.";
    expect(nodeStderr.split("\n").filter((line) => line !== "" && line !== runtimeLine)).toEqual([]);
  });

  cases.forEach((c, i) => {
    describe(c.form, () => {
      const runsOnNode = nodeRuns(c);
      for (const path of ["script", "modules", "modulePath"] as const) {
        const applies = runsOnNode && (path !== "script" || (c.sibling === undefined && (c.language ?? "js") === "js"));
        it.skipIf(!applies)(applies ? path : `${path}: not run (${c.language ?? "js"} this Node or path does not load without a bundler)`, () => {
          expect(node[`${path} ${i}`]).toEqual({ seen: SEEN });
        });
      }
      const vitestRuns = c.needs !== "using" || hasUsing;
      it.skipIf(!vitestRuns)(vitestRuns ? "the Vitest plugin's transform" : "the Vitest plugin's transform: not run (syntax this Node lacks)", () => {
        expect(vitest.file).toBeUndefined();
        expect(vitest[String(i)]).toBeNull();
      });
    });
  });
});
