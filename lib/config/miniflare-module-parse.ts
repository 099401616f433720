import { readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { parse } from "acorn";

/**
 * Miniflare 4 parses each Worker's `script`, or its `scriptPath` file and the files it imports,
 * before workerd starts, and refuses the first that does not parse (ERR_MODULE_PARSE) with
 * the parser's words: `Unable to parse "<name>": <message> (<line>:<column>)` and an `at`
 * line naming the file, the column counted from 0. An inline script is named `script-<index>`
 * (its Worker's place in `workers`), a file by its path from `modulesRoot` (the current
 * directory when not given). A `modules` list Miniflare hands to workerd unparsed, which fails to
 * start naming the module (from `modulesRoot`) and the place. durasim meets the failure as Node
 * loads the modules, whose error names neither file nor place: this finds them as Miniflare and
 * workerd do, parsing the same sources.
 */
export interface WorkerSource {
  /** The Worker's place in `workers` (0 for options without it). */
  index: number;
  script?: string | undefined;
  /** The `scriptPath` file, absolute. */
  modulePath?: string | undefined;
  /** A `modules` list: each module's absolute path, and its contents when given. */
  modules?: Array<{ path: string; contents?: string | undefined; type: string }> | undefined;
  /** Where module names are relative to, absolute. */
  modulesRoot: string;
}

/**
 * The first module of `sources` that does not parse: refused by Miniflare (a `script` or
 * `scriptPath` file, its message), or by workerd (a module of a `modules` list, `at` its name
 * and place, with the parser's words); undefined when all parse.
 */
export type ParseFailure = { refusedBy: "miniflare"; message: string } | { refusedBy: "workerd"; at: string; parserMessage: string };

export function miniflareParseFailure(sources: readonly WorkerSource[]): ParseFailure | undefined {
  for (const source of sources) {
    let message: string | undefined;
    if (source.script !== undefined) message = parseFailure(source.script, `script-${source.index}`, `script-${source.index}`, "module");
    else if (source.modulePath !== undefined) message = fileFailure(source.modulePath, source.modulesRoot, new Set());
    if (message !== undefined) return { refusedBy: "miniflare", message };
    for (const module of source.modules ?? []) {
      const failure = listedFailure(module, source.modulesRoot);
      if (failure !== undefined) return { refusedBy: "workerd", ...failure };
    }
  }
  return undefined;
}

/** Where a module of a `modules` list does not parse, as workerd names it (`<name>:<line>:<column>`), and why. */
function listedFailure({ path, contents, type }: { path: string; contents?: string | undefined; type: string }, modulesRoot: string): { at: string; parserMessage: string } | undefined {
  const code = contents ?? readable(path);
  const failure = code === undefined ? undefined : parseError(code, type === "CommonJS" ? "script" : "module");
  if (failure === undefined) return undefined;
  return { at: moduleName(modulesRoot, path) + failure.place, parserMessage: failure.message.replace(/ \(\d+:\d+\)$/, "") };
}

/** The failure of `path` or of a JavaScript file it imports (or re-exports from) by a relative specifier, in Miniflare's words. */
function fileFailure(path: string, modulesRoot: string, visited: Set<string>): string | undefined {
  if (visited.has(path) || !/\.[cm]?js$/.test(path)) return undefined;
  visited.add(path);
  const code = readable(path);
  if (code === undefined) return undefined;
  const failure = parseFailure(code, moduleName(modulesRoot, path), path, path.endsWith(".cjs") ? "script" : "module");
  if (failure !== undefined || path.endsWith(".cjs")) return failure;
  for (const specifier of relativeImports(code)) {
    const imported = fileFailure(resolve(dirname(path), specifier), modulesRoot, visited);
    if (imported !== undefined) return imported;
  }
  return undefined;
}

/** A file's text; undefined when it cannot be read, which is Node's error to report, not a parse failure. */
function readable(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function moduleName(modulesRoot: string, path: string): string {
  return relative(modulesRoot, path).split(sep).join("/");
}

/** Miniflare's refusal of `code`, named `name` and found `at`, or undefined when it parses. */
function parseFailure(code: string, name: string, at: string, sourceType: "module" | "script"): string | undefined {
  const failure = parseError(code, sourceType);
  return failure === undefined ? undefined : `Unable to parse "${name}": ${failure.message}\n    at ${at}${failure.place}`;
}

/** The parser's error for `code` (its message ends with the place) and the place as `:<line>:<column>` (from 0), or undefined when it parses. */
function parseError(code: string, sourceType: "module" | "script"): { message: string; place: string } | undefined {
  try {
    parse(code, { ecmaVersion: "latest", sourceType, allowHashBang: true });
    return undefined;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    return { message: (error as Error).message, place: loc === undefined ? "" : `:${loc.line}:${loc.column}` };
  }
}

/** The relative specifiers `code` (a module, which parses) imports or re-exports from. */
function relativeImports(code: string): string[] {
  const program = parse(code, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true });
  const specifiers: string[] = [];
  for (const node of program.body) {
    const source = "source" in node ? node.source : undefined;
    if (source?.type === "Literal" && typeof source.value === "string" && /^\.\.?\//.test(source.value)) specifiers.push(source.value);
  }
  return specifiers;
}

/**
 * Each Worker's sources as Miniflare and workerd parse them: `workers` is the options'
 * translation, in the order of `options.workers` (or the options themselves); `modulesRoot`
 * and a `modules` list's paths resolve from the Worker's rootPath, as the options' other paths do.
 */
export function workerSources(options: Record<string, unknown>, workers: readonly { script?: string; modulePath?: string }[]): WorkerSource[] {
  const given = (Array.isArray(options.workers) ? options.workers : [options]) as Array<Record<string, unknown> | undefined>;
  const sharedRoot = typeof options.rootPath === "string" ? options.rootPath : process.cwd();
  return workers.map((worker, index) => {
    const own = given[index] ?? {};
    const rootPath = resolve(sharedRoot, typeof own.rootPath === "string" ? own.rootPath : ".");
    const modulesRoot = typeof own.modulesRoot === "string" ? resolve(rootPath, own.modulesRoot) : process.cwd();
    // A `modules` list Miniflare hands to workerd unparsed (whatever durasim translates it to).
    if (Array.isArray(own.modules)) return { index, modulesRoot, modules: listedModules(own.modules, rootPath) };
    return { index, script: worker.script, modulePath: worker.modulePath, modulesRoot };
  });
}

/** A `modules` list's entries as translated (the translation checked them): paths from the Worker's rootPath. */
function listedModules(modules: unknown[], rootPath: string): NonNullable<WorkerSource["modules"]> {
  return (modules as Array<{ type: string; path: string; contents?: string | Uint8Array }>).map(({ type, path, contents }) => ({
    type,
    path: resolve(rootPath, path),
    contents: contents instanceof Uint8Array ? new TextDecoder().decode(contents) : contents,
  }));
}
