import { readFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { parse } from "acorn";

/**
 * Miniflare 4 parses each Worker's `script`, or its `scriptPath` file and the files it imports,
 * before workerd starts, and refuses the first that does not parse (ERR_MODULE_PARSE) with
 * the parser's words: `Unable to parse "<name>": <message> (<line>:<column>)` and an `at`
 * line naming the file, the column counted from 0. An inline script is named `script-<index>`
 * (its Worker's place in `workers`), a file by its path from `modulesRoot` (the current
 * directory when not given). durasim meets the failure as Node loads the modules, whose error
 * names neither file nor place: this finds them as Miniflare does, parsing the same sources.
 */
export interface WorkerSource {
  /** The Worker's place in `workers` (0 for options without it). */
  index: number;
  script?: string | undefined;
  /** The `scriptPath` file, absolute. */
  modulePath?: string | undefined;
  /** Where module names are relative to, absolute. */
  modulesRoot: string;
}

/** Miniflare's message for the first module of `sources` that does not parse, or undefined when all parse. */
export function miniflareParseFailure(sources: readonly WorkerSource[]): string | undefined {
  for (const source of sources) {
    if (source.script !== undefined) {
      const name = `script-${source.index}`;
      const failure = parseFailure(source.script, name, name, "module");
      if (failure !== undefined) return failure;
    } else if (source.modulePath !== undefined) {
      const failure = fileFailure(source.modulePath, source.modulesRoot, new Set());
      if (failure !== undefined) return failure;
    }
  }
  return undefined;
}

/** The failure of `path` or of a JavaScript file it imports (or re-exports from) by a relative specifier. */
function fileFailure(path: string, modulesRoot: string, visited: Set<string>): string | undefined {
  if (visited.has(path) || !/\.[cm]?js$/.test(path)) return undefined;
  visited.add(path);
  let code: string;
  try {
    code = readFileSync(path, "utf8");
  } catch {
    // A file that cannot be read is Node's error to report, not a parse failure.
    return undefined;
  }
  const name = relative(modulesRoot, path).split(sep).join("/");
  const failure = parseFailure(code, name, path, path.endsWith(".cjs") ? "script" : "module");
  if (failure !== undefined || path.endsWith(".cjs")) return failure;
  for (const specifier of relativeImports(code)) {
    const imported = fileFailure(resolve(dirname(path), specifier), modulesRoot, visited);
    if (imported !== undefined) return imported;
  }
  return undefined;
}

function parseFailure(code: string, name: string, at: string, sourceType: "module" | "script"): string | undefined {
  try {
    parse(code, { ecmaVersion: "latest", sourceType, allowHashBang: true });
    return undefined;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    return `Unable to parse "${name}": ${(error as Error).message}\n    at ${at}${loc === undefined ? "" : `:${loc.line}:${loc.column}`}`;
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
 * Each Worker's sources as Miniflare parses them (`script` and `scriptPath`, not a `modules`
 * list): `workers` is the options' translation, in the
 * order of `options.workers` (or the options themselves); `modulesRoot` resolves from the Worker's
 * rootPath, as the options' other paths do.
 */
export function workerSources(options: Record<string, unknown>, workers: readonly { script?: string; modulePath?: string }[]): WorkerSource[] {
  const given = (Array.isArray(options.workers) ? options.workers : [options]) as Array<Record<string, unknown> | undefined>;
  const sharedRoot = typeof options.rootPath === "string" ? options.rootPath : process.cwd();
  return workers.map((worker, index) => {
    const own = given[index] ?? {};
    const rootPath = resolve(sharedRoot, typeof own.rootPath === "string" ? own.rootPath : ".");
    const modulesRoot = typeof own.modulesRoot === "string" ? resolve(rootPath, own.modulesRoot) : process.cwd();
    // A `modules` list Miniflare hands to workerd unparsed (whatever durasim translates it to).
    if (Array.isArray(own.modules)) return { index, modulesRoot };
    return { index, script: worker.script, modulePath: worker.modulePath, modulesRoot };
  });
}
