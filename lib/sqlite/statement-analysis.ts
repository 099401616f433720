import { authorizeStatement, checkFunctionArguments, type SchemaLookup } from "./authorizer.js";
import { needsImplicitTransaction } from "./connection-settings.js";
import { checkColumnLimits, type ColumnLookup } from "./parse-limits.js";
import { parsedText, type ParsedText } from "./parsed-texts.js";
import { isKeyword, isSpaceAfterStatement } from "./tokenizer.js";
import { unitsReadBackAs } from "../util/utf8.js";

/**
 * What must hold of a statement sql.js has prepared before it may run (workerd's parse-time
 * limits, its parameter limit and its authorizer), and what running it needs to know. Every
 * part is a function of the statement's text and of the schema alone, so the statement cache
 * keeps an analysis until the schema changes; a statement that fails a check is never cached,
 * and is checked afresh each time it is run.
 */
export interface StatementAnalysis extends Omit<ParsedText, "argumentsWithinLimit"> {
  /** The statement's own text: the part of the input SQLite consumed. */
  readonly text: string;
  /** What follows it in the input, leading whitespace removed ("" when it is the last). */
  readonly rest: string;
  /** Whether it opens workerd's implicit transaction (see needsImplicitTransaction). */
  readonly opensTransaction: boolean;
}

/**
 * Checks the statement that `input` starts with, whose own text is `text` (as SQLite hands it
 * back: each lone surrogate of the input three U+FFFD); throws workerd's error for the first
 * check it fails. `programWrites` answers whether the program an EXPLAIN statement lists may
 * write (see needsImplicitTransaction).
 */
export function analyzeStatement(
  input: string,
  text: string,
  schema: SchemaLookup & ColumnLookup,
  engineFunctions: ReadonlySet<string>,
  resultColumns: number,
  programWrites: (explain: string) => boolean,
): StatementAnalysis {
  // The text's own facts come from the process-wide parse; every check against the schema runs here, for this database.
  const { tokens, parameters, pragmaArguments, shape, isPragma, argumentsWithinLimit } = parsedText(text);
  // Run again to throw: each failure gets an error of its own.
  if (!argumentsWithinLimit) checkFunctionArguments(text, tokens);
  checkColumnLimits(text, tokens, resultColumns, schema);
  authorizeStatement(text, tokens, schema, engineFunctions);
  return {
    text,
    rest: trimStart(input.slice(unitsReadBackAs(input, text.length))),
    tokens,
    parameters,
    pragmaArguments,
    shape,
    opensTransaction: needsImplicitTransaction(tokens, text, programWrites),
    isPragma,
  };
}

function trimStart(sql: string): string {
  let i = 0;
  while (isSpaceAfterStatement(sql[i])) i++;
  return sql.slice(i);
}

/**
 * Whether a statement prepared again after a schema change opens the implicit transaction at
 * the run that prepares it, given whether the statement held from before the change opened it
 * (`heldWrites`) and its analysis now. workerd asks the statement it held, which SQLite
 * recompiles only as that run steps it: so the run goes by the program it had (`REINDEX t` run
 * again after `CREATE INDEX` does not open it), and the runs after by the new one. Probed
 * against workerd: an `EXPLAIN` goes by the new program at once.
 */
export function writesAsHeld(heldWrites: boolean, now: StatementAnalysis): boolean {
  return isKeyword(now.tokens[0], "EXPLAIN") ? now.opensTransaction : heldWrites;
}
