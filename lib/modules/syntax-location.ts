import { parse } from "acorn";

/**
 * Where a Worker's inline source fails to parse. Node's SyntaxError from compiling a module says
 * what is wrong but not where (it keeps the place for its own crash report, and the file it
 * compiled, a private copy with the Workers globals' imports added, is gone by then), and a test
 * runner's module system that stands in for Node's may say neither. When the load failed and a
 * real parse of the source as the user wrote it fails too, that parse is the reason: a
 * SyntaxError with the line and column (in Node's words when Node gave them). A failure that is
 * no parse error (a missing import binding, an exception at the top level) or that the parser
 * does not see is left as it is.
 */
/** How Vite's message for a module it cannot parse begins. */
const VITE_PARSE_FAILURE = "Failed to parse source";

export function locatedSyntaxError(error: unknown, source: string, where: string): unknown {
  // Only a load failure that is a parse failure (Node's SyntaxError, Vite's "Failed to parse
  // source") is re-read: a top-level throw stays itself even where the parser lags the syntax.
  if (error instanceof Error && error.name !== "SyntaxError" && !error.message.startsWith(VITE_PARSE_FAILURE)) return error;
  try {
    parse(source, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true });
    return error;
  } catch (parseError) {
    const loc = (parseError as { loc?: { line: number; column: number } }).loc;
    if (loc === undefined) return error;
    const what = error instanceof SyntaxError ? error.message : (parseError as Error).message.replace(/ \(\d+:\d+\)$/, "");
    const located = new SyntaxError(`${what} (line ${loc.line}, column ${loc.column + 1} of ${where})`, { cause: error });
    parseFailures.add(located);
    return located;
  }
}

/** The errors locatedSyntaxError() made: each a failure to parse, whatever its cause's class. */
const parseFailures = new WeakSet<object>();

/**
 * Whether a module's load failed parsing it rather than in code it ran (JSON.parse at its top
 * level): one of locatedSyntaxError()'s, Vite's "Failed to parse source" (a file loaded through
 * a test runner's Vite), or Node's SyntaxError from compiling, whose stack holds only Node's own
 * frames, as no code of the module ran.
 */
export function isParseFailure(error: unknown): boolean {
  if (error instanceof Error && error.message.startsWith(VITE_PARSE_FAILURE)) return true;
  if (!(error instanceof SyntaxError)) return false;
  if (parseFailures.has(error)) return true;
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return frames.every((frame) => frame.includes("node:internal/"));
}
