import { isParseFailure } from "../modules/syntax-location.js";
import { ConfigError } from "../util/config-error.js";
import { miniflareParseFailure, type WorkerSource } from "./miniflare-module-parse.js";

/**
 * How Miniflare 4 reports a Worker whose modules fail to load: it parses every module before
 * workerd starts, so a syntax error is its ERR_MODULE_PARSE (a user error); a module that throws
 * as it is evaluated (or exports what workerd refuses) stops workerd's start, ERR_RUNTIME_FAILURE
 * (a system error). Either way `ready`, every method and `dispose()` reject with it. A refusal of
 * durasim's own (a ConfigError) is no load failure: it keeps its way. A SyntaxError is
 * Miniflare's parse failure, in its words (miniflare-module-parse.ts), when a Worker's `script`
 * or `scriptPath` files (`sources`) do not parse.
 */
export interface LoadFailure {
  code: "ERR_MODULE_PARSE" | "ERR_RUNTIME_FAILURE";
  message: string;
}

export function loadFailureOf(error: unknown, sources: readonly WorkerSource[]): LoadFailure | undefined {
  if (error instanceof ConfigError) return undefined;
  const unparsed = isParseFailure(error) || (error as Error | undefined)?.name === "SyntaxError" ? miniflareParseFailure(sources) : undefined;
  if (unparsed?.refusedBy === "miniflare") return { code: "ERR_MODULE_PARSE", message: unparsed.message };
  if (isParseFailure(error) && unparsed === undefined) return { code: "ERR_MODULE_PARSE", message: `durasim: a Worker's module cannot be parsed: ${(error as Error).message}` };
  const thrown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const failed = unparsed === undefined ? thrown : `SyntaxError: ${v8Words(error) ?? unparsed.parserMessage}\n  at ${unparsed.at}`;
  return { code: "ERR_RUNTIME_FAILURE", message: `durasim: a Worker failed to start, its module throwing as it loaded (workerd refuses to start it): ${failed}` };
}

/** V8's words for a module that does not parse, as workerd reports them: Node's SyntaxError's (a located one keeps it as its cause); a test runner's loader may have none. */
function v8Words(error: unknown): string | undefined {
  const cause = (error as Error).cause;
  if (cause instanceof SyntaxError) return cause.message;
  // A located error without Node's SyntaxError as its cause wraps a test runner's words.
  return error instanceof SyntaxError && cause === undefined ? error.message : undefined;
}
