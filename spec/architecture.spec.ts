/**
 * The shape of lib/ (README, "Architecture"): layers that import one way, and no import cycle
 * between files or between folders at any depth. Type-only imports count: they tie two units
 * together as much as value imports do. And one rule of how lib/ reaches Node: Buffer is imported,
 * never read through the global accessor.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** Each layer imports only from layers ranked below it (or from within itself). */
const LAYERS: ReadonlyArray<readonly [unit: string, rank: number]> = [
  ["util", 0],
  ["sqlite", 1],
  ["storage", 2],
  ["runtime", 3],
  ["bindings", 4],
  ["modules", 5],
  ["config", 6],
  ["emulator.ts", 7],
  ["index.ts", 8],
  ["register.ts", 8],
  ["miniflare.ts", 8],
  ["testing", 9],
];
const RANK = new Map(LAYERS);

/**
 * Relative specifiers of a module's static imports: `import ... from`, `export ... from` (over
 * several lines too) and bare `import "..."`, each starting a line. Dynamic `import()` calls are
 * not layering edges (lib/ loads only Worker code that way).
 */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/^[ \t]*(?:import|export)\b[^'";]*?\bfrom\s*["']([^"']+)["']/gm, /^[ \t]*import\s*["']([^"']+)["']/gm];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) if (match[1]!.startsWith(".")) found.push(match[1]!);
  }
  return found;
}

/** lib/'s TypeScript sources by their path under lib/ (forward slashes). */
function libSources(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  (function walk(dir: string) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) sources.set(relative(root, path).split("\\").join("/"), readFileSync(path, "utf8"));
    }
  })(root);
  return sources;
}

/** lib-relative path of every TypeScript module, with the lib-relative modules it imports. */
function libGraph(sources: Map<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, source] of sources) {
    const targets = importSpecifiers(source).map((specifier) => posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, ".ts"));
    graph.set(file, targets);
  }
  return graph;
}

/**
 * Files that use Node's Buffer without importing it from node:buffer. The global `Buffer` is an
 * accessor on globalThis (Node 20 and 24): each read from optimised code is a slow global lookup
 * and a getter call, measurable on per-call paths (about 290 instructions a KV put+get pair).
 */
export function globalBufferReaders(sources: Map<string, string>): string[] {
  const imports = /^import\s*\{[^}]*\bBuffer\b[^}]*\}\s*from\s*"node:buffer"/m;
  const uses = /(?<![\w.$])Buffer(?:\.[A-Za-z_$]|\s*\()|instanceof\s+Buffer\b|new\s+Buffer\b/;
  return [...sources].filter(([, source]) => uses.test(source) && !imports.test(source)).map(([file]) => file);
}

/** Every import that goes against the layer order, and every file not placed in a layer. */
export function layerViolations(graph: Map<string, string[]>): string[] {
  const problems: string[] = [];
  const rankOf = (file: string) => RANK.get(file.split("/")[0]!);
  for (const [file, targets] of graph) {
    const rank = rankOf(file);
    if (rank === undefined) {
      problems.push(`${file} is in no layer: place it in a layer folder, or add its folder to LAYERS`);
      continue;
    }
    for (const target of targets) {
      if (!graph.has(target)) problems.push(`${file} imports ${target}, which is not a module of lib/`);
      const targetRank = rankOf(target);
      if (targetRank !== undefined && targetRank > rank) problems.push(`${file} imports ${target} from a layer above it`);
    }
  }
  return problems;
}

/**
 * Import cycles, as lists of units: between files, and, for every folder, between its direct
 * children (each subfolder is one unit, each file its own).
 */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const cycles = stronglyConnected(graph);
  const folders = new Set<string>([""]);
  for (const file of graph.keys()) {
    for (let dir = posix.dirname(file); dir !== "."; dir = posix.dirname(dir)) folders.add(dir);
  }
  for (const folder of folders) {
    const prefix = folder === "" ? "" : `${folder}/`;
    const child = (file: string) => (file.startsWith(prefix) ? prefix + file.slice(prefix.length).split("/")[0]! : undefined);
    const units = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      const from = child(file);
      if (from === undefined) continue;
      const edges = units.get(from) ?? [];
      units.set(from, edges);
      for (const target of targets) {
        const to = child(target);
        if (to !== undefined && to !== from) edges.push(to);
      }
    }
    // A cycle of files inside one child is reported at the file level (or a deeper folder).
    for (const cycle of stronglyConnected(units)) if (!cycles.some((c) => same(c, cycle))) cycles.push(cycle);
  }
  return cycles;
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((unit) => b.includes(unit));
}

/** Tarjan's algorithm: the strongly connected components with more than one node. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.reverse());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

const sources = libSources(resolve(import.meta.dirname, "..", "lib"));
const lib = libGraph(sources);

describe("lib/ architecture", () => {
  it("finds lib/'s modules and their imports", () => {
    expect(lib.size).toBeGreaterThan(50);
    expect(lib.get("emulator.ts")).toContain("runtime/namespace.ts");
  });

  it("imports only downward through the layers", () => {
    expect(layerViolations(lib)).toEqual([]);
  });

  it("has no import cycle between files or folders", () => {
    expect(importCycles(lib)).toEqual([]);
  });

  it("reads Node's Buffer from node:buffer, never through the global accessor", () => {
    expect(globalBufferReaders(sources)).toEqual([]);
  });
});

describe("the architecture checks themselves", () => {
  it("read every form of static import, multi-line and type-only ones included", () => {
    const source = [
      'import { a } from "./a.js";',
      'import type {\n  B,\n  C,\n} from "../b/c.js";',
      'export { d } from "./d.js";',
      'export * from "./e.js";',
      'import "./f.js";',
      'import { node } from "node:fs";',
      'const hint = `e.g. import { x } from "./in-a-string.js"`;',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["./a.js", "../b/c.js", "./d.js", "./e.js", "./f.js"]);
  });

  it("report an import from a higher layer and a file outside every layer", () => {
    const graph = new Map([
      ["storage/x.ts", ["runtime/y.ts"]],
      ["runtime/y.ts", ["storage/x.ts"]],
      ["stray/z.ts", []],
    ]);
    expect(layerViolations(graph)).toEqual([
      "storage/x.ts imports runtime/y.ts from a layer above it",
      "stray/z.ts is in no layer: place it in a layer folder, or add its folder to LAYERS",
    ]);
  });

  it("report a file using the global Buffer, and not one importing it or only naming it", () => {
    const files = new Map([
      ["a.ts", "const b = Buffer.from(s);"],
      ["b.ts", 'import { Buffer } from "node:buffer";\nconst b = Buffer.from(s);'],
      ["c.ts", "if (x instanceof Buffer) {}"],
      ["d.ts", "// takes a URL or a Buffer.\nnew ArrayBuffer(1); isBuffer(x); myBuffer.from;"],
    ]);
    expect(globalBufferReaders(files)).toEqual(["a.ts", "c.ts"]);
  });

  it("report cycles between files and between sibling folders", () => {
    const files = new Map([
      ["runtime/a.ts", ["runtime/b.ts"]],
      ["runtime/b.ts", ["runtime/a.ts"]],
    ]);
    expect(importCycles(files)).toEqual([["runtime/a.ts", "runtime/b.ts"]]);
    const folders = new Map([
      ["runtime/object/a.ts", ["runtime/lifecycle/b.ts"]],
      ["runtime/lifecycle/b.ts", ["runtime/object/c.ts"]],
      ["runtime/object/c.ts", []],
    ]);
    expect(importCycles(folders)).toEqual([["runtime/object", "runtime/lifecycle"]]);
  });
});
