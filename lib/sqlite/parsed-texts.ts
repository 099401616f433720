import { checkFunctionArguments } from "./authorizer.js";
import { countParameters } from "./parameters.js";
import { pragmaArgumentParameters } from "./pragma-arguments.js";
import { statementShape, type StatementShape } from "./row-counters.js";
import { isKeyword, tokenize, type Token } from "./tokenizer.js";

/**
 * What a statement's text alone determines, shared by every database in the process: objects of
 * one class run the same texts (a framework's CREATE TABLE IF NOT EXISTS at every start), and
 * each database's statement cache would otherwise tokenize and read each text again. Nothing
 * here looks at a schema; the authorizer and the other schema checks run per database on these
 * tokens (the parse-level facts they derive from the tokens alone are remembered with them, see
 * `rememberedForFrozen` in frozen-tokens.ts).
 *
 * The tokens are frozen: a shared array must not change under another database's checks, and
 * being frozen is what lets those facts be remembered for it.
 */
export interface ParsedText {
  readonly tokens: readonly Token[];
  /** How many parameters it takes (`sqlite3_bind_parameter_count`). */
  readonly parameters: number;
  /** The parameters bound as a table-valued PRAGMA's argument, checked as it runs (pragma-arguments.ts). */
  readonly pragmaArguments: readonly number[];
  readonly shape: StatementShape;
  /** A PRAGMA: it may change a connection setting that must be replayed on reopen. */
  readonly isPragma: boolean;
  /** Whether no call passes workerd's argument limit (see checkFunctionArguments, which throws the error). */
  readonly argumentsWithinLimit: boolean;
}

/** How many texts are kept: a process's distinct statements usually number far fewer. */
const MAX_TEXTS = 512;
/** Longer texts are parsed afresh: they are rarely run by many objects, and would hold memory. */
const MAX_LENGTH = 16 * 1024;

const parsed = new Map<string, ParsedText>();

/** The parse of the statement text `text` (one statement, as SQLite hands its text back). */
export function parsedText(text: string): ParsedText {
  let entry = parsed.get(text);
  if (entry !== undefined) {
    // Made the most recently used: the Map's order is the eviction order.
    parsed.delete(text);
    parsed.set(text, entry);
    return entry;
  }
  entry = parse(text);
  if (text.length > MAX_LENGTH) return entry;
  if (parsed.size >= MAX_TEXTS) parsed.delete(parsed.keys().next().value!);
  parsed.set(text, entry);
  return entry;
}

function parse(text: string): ParsedText {
  const tokens = Object.freeze(tokenize(text).map((token) => Object.freeze(token)));
  return {
    tokens,
    parameters: countParameters(tokens),
    pragmaArguments: Object.freeze(pragmaArgumentParameters(tokens)),
    shape: Object.freeze(statementShape(tokens)),
    isPragma: isKeyword(tokens[0], "PRAGMA"),
    argumentsWithinLimit: withinArgumentLimit(text, tokens),
  };
}

function withinArgumentLimit(text: string, tokens: readonly Token[]): boolean {
  try {
    checkFunctionArguments(text, tokens);
    return true;
  } catch {
    return false;
  }
}
