import { REFUSED_FUNCTIONS_ABSENT_HERE } from "./allow-lists.js";
import { updateDeleteLimitFailure } from "./engine-gaps.js";
import { excessParameter } from "./parameters.js";
import { listItems } from "./parse-limits.js";
import { codeOfMessage, sqliteError } from "./sqlite-error.js";
import { extendedCodeName } from "./extended-codes.js";
import { closingParen, identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";
import { lowerAscii, upperAscii } from "../util/ascii-case.js";
import { failingMentions, firstResolved, mentionsOf, updateAssignmentPlace } from "./column-error-place.js";

/**
 * Turns sql.js's failure to prepare a statement into the error workerd would raise. sql.js
 * reports only `sqlite3_errmsg`: the result code is inferred from the message, and the
 * `at offset <n>` part is the offset SQLite itself recorded (error-offsets.ts).
 *
 * @param extendedCode the connection's extended result code, read before anything else ran on
 *   it (`attempt` does): SQLITE_ERROR_MISSING_COLLSEQ for a collation it lacks, say.
 * @param recordedOffset the byte offset SQLite recorded for the failure (`sqlite3_error_offset`),
 *   -1 for none, read as `extendedCode` is.
 * @param attempt prepares a prefix of the statement and returns its error message, or
 *   undefined when the prefix prepares; used to find a refused call's arguments.
 */
export function prepareFailure(
  message: string,
  extendedCode: number,
  recordedOffset: number,
  statement: string,
  tokens: readonly Token[],
  attempt: (prefix: string) => string | undefined,
): Error {
  const limitFailure = updateDeleteLimitFailure(statement, tokens);
  if (limitFailure !== undefined) return limitFailure;
  const code = codeOfMessage(message);
  // A function sql.js lacks but workerd refuses: its arguments are counted from the call SQLite named.
  const missing = REFUSED_FUNCTION_MISSING.test(message) && statement.isWellFormed() ? offendingToken(message, statement, tokens, attempt) : undefined;
  const call = missing === undefined ? undefined : tokens.slice(missing);
  const offset = recordedOffset >= 0 ? recordedOffset : undefined;
  return sqliteError(refusedInWorkerd(message, call), code, { offset, extended: extendedCodeName(extendedCode, code) });
}

/** sql.js's error for a call of a function it lacks. */
const REFUSED_FUNCTION_MISSING = /^no such function: /;

/**
 * Errors SQLite meets while it resolves the names of a statement that parsed: a refused read
 * its authorizer met before them would have stopped it first.
 */
const RESOLUTION_ERRORS =
  /^(?:no such column: |no such function: |no such window: |ambiguous column name: |misuse of |wrong number of arguments to function |\d+(?:st|nd|rd|th) (?:ORDER|GROUP) BY term out of range|\d+(?:st|nd|rd|th) ORDER BY term does not match any column in the result set|sub-select returns |SELECTs to the left and right of |row value misused)/;

/** Errors about a call that SQLite reports once it has resolved the call's arguments. */
const CALL_ERRORS = /^(?:no such function: |wrong number of arguments to function )/;

/**
 * For a statement that failed to prepare on an error SQLite meets while resolving names: the
 * index of the token it names (the tokens' length when it names none), so that a read of a
 * protected column before it is refused first, as workerd's resolver meets that read first.
 * Undefined for any other failure, and for a statement holding lone surrogates.
 */
export function resolutionFailureAt(
  message: string,
  statement: string,
  tokens: readonly Token[],
  attempt: (prefix: string) => string | undefined,
): number | undefined {
  if (!RESOLUTION_ERRORS.test(message) || !statement.isWellFormed()) return undefined;
  const at = offendingToken(message, statement, tokens, attempt);
  if (at === undefined) return tokens.length;
  return CALL_ERRORS.test(message) && isPunct(tokens[at + 1], "(") ? closingParen(tokens, at + 1) : at;
}

/**
 * For a statement SQLite's parser refused (a syntax error, an unrecognized token, incomplete
 * input, a parameter past workerd's limit): the leading tokens the parser had acted on, or undefined when the statement parsed and
 * a later step failed. SQLite reduces a rule (runs the action that counts a call's arguments,
 * or asks the authorizer about a PRAGMA or DROP) only when the token after it is a valid
 * continuation, so a refused token at index k leaves tokens 0..k-2 acted on; "incomplete input"
 * is refused at the end. All tokens when the refused one cannot be found.
 */
export function tokensActedOn(
  message: string,
  statement: string,
  tokens: readonly Token[],
  attempt: (prefix: string) => string | undefined,
): readonly Token[] | undefined {
  const refusedAt =
    message === "incomplete input" ? tokens.length
    : /^(?:near "[\s\S]*": syntax error|unrecognized token: "[\s\S]*")$/.test(message) ? offendingToken(message, statement, tokens, attempt) ?? tokens.length + 1
    : isParameterError(message) ? (excessParameter(tokens) ?? tokens.length) + 1
    : undefined;
  return refusedAt === undefined ? undefined : tokens.slice(0, Math.max(0, refusedAt - 1));
}

/** SQLite's errors for a parameter past workerd's limit, which end the parse where they are raised. */
const isParameterError = (message: string) => message === "too many SQL variables" || /^variable number must be between /.test(message);

/**
 * A function workerd has but refuses, which sql.js lacks: workerd's error at the same place,
 * which checks the number of arguments first. `call` starts at the call sql.js named.
 */
function refusedInWorkerd(message: string, call: readonly Token[] | undefined): string {
  const missing = /^no such function: (.+)$/.exec(message);
  const arity = missing ? REFUSED_FUNCTIONS_ABSENT_HERE.get(lowerAscii(missing[1]!)) : undefined;
  if (arity === undefined) return message;
  const name = missing![1]!;
  // `f(*)` passes no arguments.
  const star = isPunct(call?.[2], "*") && isPunct(call?.[3], ")");
  const given = call === undefined || !isPunct(call[1], "(") ? arity : star ? 0 : listItems(call, 2).length;
  return given === arity ? `not authorized to use function: ${name}` : `wrong number of arguments to function ${name}()`;
}

/**
 * Messages SQLite builds with `%T`/`%#T` (or after recording an expression's offset), with where
 * to look: `call` for `name(`, `quoted` for a name SQLite quotes in the message.
 */
const LOCATED_MESSAGES: { pattern: RegExp; call?: boolean; quoted?: boolean; column?: boolean }[] = [
  { pattern: /^no such column: "(.+)"$/, quoted: true, column: true },
  { pattern: /^no such column: (.*)$/, column: true },
  { pattern: /^ambiguous column name: (.+)$/, column: true },
  { pattern: /^no such function: (.+)$/, call: true },
  { pattern: /^wrong number of arguments to function (.+)\(\)$/, call: true },
];

/**
 * The index of the token an error names, where SQLite's parser or resolver stopped: what it
 * parsed (tokensActedOn), where resolution failed (resolutionFailureAt), which call names a
 * function sql.js lacks. Undefined where it cannot be told.
 */
function offendingToken(
  message: string,
  statement: string,
  tokens: readonly Token[],
  attempt: (prefix: string) => string | undefined,
): number | undefined {
  const unrecognized = /^unrecognized token: "([\s\S]*)"$/.exec(message);
  if (unrecognized) return misplacedSeparator(tokens, unrecognized[1]!) ? undefined : tokenAtText(statement, tokens, unrecognized[1]!);
  const syntax = /^near "([\s\S]*)": syntax error$/.exec(message);
  if (syntax) {
    // SQLite stops at the first token that cannot continue the statement: the earliest
    // candidate whose prefix already fails with this very message. (SQLite's own tokens can
    // span several of ours, e.g. `#1`: a candidate is any of ours where its text starts.)
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (!statement.startsWith(syntax[1]!, token.start)) continue;
      if (attempt(statement.slice(0, token.start + syntax[1]!.length)) === message) return i;
    }
    return undefined;
  }
  if (isParameterError(message)) return excessParameter(tokens);
  const misuse = /^misuse of (?:aggregate|window|aliased aggregate) function (.+)\(\)$|^misuse of aggregate: (.+)\(\)$/.exec(message);
  if (misuse) return misusedCall(tokens, (misuse[1] ?? misuse[2])!);
  const outOfRange = /^(\d+)(?:st|nd|rd|th) (ORDER|GROUP) BY term out of range - should be between 1 and \d+$/.exec(message);
  if (outOfRange) return outOfRangeTerm(tokens, Number(outOfRange[1]), outOfRange[2]!);
  const column = /^no such column: ([^"].*)$/.exec(message);
  const assignment = column ? updateAssignmentPlace(tokens, column[1]!) : undefined;
  if (assignment !== undefined) return assignment === "target" ? undefined : assignment; // SQLite names SET targets without a place
  // A name `*` expanded to (`schema.table.column`, or `*.<subquery>.<n>`): SQLite points at that `*`.
  const expanded = /^ambiguous column name: ([^.]+\.[^.]+\.[^.]+)$/.exec(message);
  if (expanded && firstMention(tokens, expanded[1]!.split("."), false) === undefined) return expandedStar(tokens);
  for (const { pattern, call = false, quoted = false, column = false } of LOCATED_MESSAGES) {
    const match = pattern.exec(message);
    const parts = match && (quoted ? [match[1]!] : match[1]!.split("."));
    if (parts && column) return firstResolved(tokens, failingMentions(statement, tokens, mentionsOf(tokens, parts), message, attempt));
    if (parts) return firstMention(tokens, parts, call) ?? (call ? operatorMention(tokens, match![1]!) : undefined);
  }
  return undefined;
}

/**
 * The result-column `*` (or `t.*`) whose expansion found a name twice: of several, the most
 * deeply nested (a subquery in FROM expands first), the first of those.
 */
function expandedStar(tokens: readonly Token[]): number | undefined {
  let best = -1;
  let bestDepth = -1;
  let depth = 0;
  tokens.forEach((t, i) => {
    if (isPunct(t, "(")) depth++;
    else if (isPunct(t, ")")) depth--;
    else if (isPunct(t, "*") && !isPunct(tokens[i - 1], "(") && depth > bestDepth && isStarColumn(tokens[i - 1])) {
      best = i;
      bestDepth = depth;
    }
  });
  return indexOrUndefined(best);
}

/** Whether a `*` after `previous` is a result column (not a multiplication or `count(*)`). */
function isStarColumn(previous: Token | undefined): boolean {
  return ["SELECT", "DISTINCT", "ALL"].some((k) => isKeyword(previous, k)) || isPunct(previous, ",") || isPunct(previous, ".");
}

/** The token where `text` (SQLite's token, which may span several of ours) starts. */
function tokenAtText(statement: string, tokens: readonly Token[], text: string): number | undefined {
  return indexOrUndefined(tokens.findIndex((t) => statement.startsWith(text, t.start)));
}

function indexOrUndefined(index: number): number | undefined {
  return index === -1 ? undefined : index;
}

/**
 * Whether `text` is a number whose digit separator stands where SQLite's tokenizer takes it
 * but not beside a digit on both sides (`1_`, `1__0`, `1._5`, `0x1_`): its parser then rejects
 * the literal as an unrecognized token without recording where. A separator right after `0x`
 * ends a hex literal in the tokenizer, which locates that refusal (`0x_1`).
 */
function misplacedSeparator(tokens: readonly Token[], text: string): boolean {
  return text.includes("_") && !/^0[xX]_/.test(text) && tokens.some((t) => t.kind === "number" && t.text === text);
}

/** Aggregate functions whose argument may not be another aggregate. */
const AGGREGATES = new Set(["avg", "count", "group_concat", "max", "min", "string_agg", "sum", "total", "json_group_array", "json_group_object"]);

/**
 * Where an aggregate is misused: the first call of `name` that sits in a WHERE, ON, SET or GROUP
 * BY clause or inside another aggregate's arguments (the result columns, HAVING and ORDER BY
 * may hold aggregates); the first call of it otherwise.
 */
function misusedCall(tokens: readonly Token[], name: string): number | undefined {
  const calls = callsOf(tokens, name);
  const clauses = ["WHERE", "ON", "SET", "GROUP"];
  let clause = "";
  let depth = 0;
  const enclosing: boolean[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isPunct(token, "(")) {
      const callee = tokens[i - 1];
      enclosing.push(isName(callee) && AGGREGATES.has(lowerAscii(identifierName(callee))));
      depth++;
    } else if (isPunct(token, ")")) {
      enclosing.pop();
      depth--;
    } else if (depth === 0 && token.kind === "word") {
      const word = upperAscii(token.text);
      if (["SELECT", "FROM", "WHERE", "ON", "SET", "GROUP", "HAVING", "ORDER", "LIMIT", "RETURNING"].includes(word)) clause = word;
    }
    if (calls.includes(i) && (clauses.includes(clause) || enclosing.includes(true))) return i;
  }
  return calls[0];
}

function callsOf(tokens: readonly Token[], name: string): number[] {
  const calls: number[] = [];
  tokens.forEach((t, i) => {
    if (isName(t) && lowerAscii(identifierName(t)) === lowerAscii(name) && isPunct(tokens[i + 1], "(")) calls.push(i);
  });
  return calls;
}

/**
 * The `n`th term of the statement's last ORDER BY (or first GROUP BY), which SQLite points at
 * when the term is not positive, or in a compound SELECT; a simple SELECT's too-large term gets
 * no place.
 */
function outOfRangeTerm(tokens: readonly Token[], n: number, clause: string): number | undefined {
  const starts = tokens
    .map((t, i) => (isKeyword(t, clause) && isKeyword(tokens[i + 1], "BY") ? i + 2 : -1))
    .filter((i) => i !== -1);
  const start = clause === "ORDER" ? starts.at(-1) : starts[0];
  if (start === undefined) return undefined;
  let term = start;
  for (let k = 1, depth = 0, i = start; i < tokens.length && k <= n; i++) {
    const token = tokens[i]!;
    if (isPunct(token, "(")) depth++;
    else if (isPunct(token, ")")) depth--;
    else if (depth === 0 && isPunct(token, ",") && ++k === n) term = i + 1;
  }
  const signed = isPunct(tokens[term], "-") || isPunct(tokens[term], "+");
  const value = Number(tokens.slice(term, signed ? term + 2 : term + 1).map((t) => t.text).join(""));
  const compound = tokens.some((t) => ["UNION", "INTERSECT", "EXCEPT"].some((k) => isKeyword(t, k)));
  // SQLite points at the number itself, after any sign.
  return Number.isInteger(value) && (value <= 0 || compound) ? (signed ? term + 1 : term) : undefined;
}

/** The first use of an operator SQLite runs as a function (`x REGEXP y` calls regexp()). */
function operatorMention(tokens: readonly Token[], name: string): number | undefined {
  const index = tokens.findIndex((t) => isKeyword(t, upperAscii(name)));
  return index === -1 ? undefined : index;
}

/** The first place `a.b.c` (or a call of it) is written: a heuristic when it is written twice. */
function firstMention(tokens: readonly Token[], parts: string[], call: boolean): number | undefined {
  return mentionsOf(tokens, parts).find((i) => !call || isPunct(tokens[i + 2 * parts.length - 1], "("));
}
