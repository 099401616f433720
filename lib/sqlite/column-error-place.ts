import { closingParen, identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";
import { resolutionPositions } from "./resolution-order.js";
import { lowerAscii, upperAscii } from "../util/ascii-case.js";

/**
 * Which mention of a column SQLite could not resolve ("no such column", "ambiguous column
 * name") its resolver failed on, so that a refused read workerd's authorizer met before that
 * point is reported instead (sql-storage.ts). The resolver fails on the mention it meets
 * first: in resolution order (resolution-order.ts: WHERE before the joins' ON clauses, say),
 * not in written order. An UPDATE's SET items are handled one after another, each expression
 * resolved before its target is looked up. Probed against workerd. (The offset an error
 * reports is the one SQLite itself recorded: error-offsets.ts.)
 */

/** Whether `token` names `part` (any quoting, ASCII case-insensitive). */
const names = (token: Token | undefined, part: string) => isName(token) && lowerAscii(identifierName(token)) === lowerAscii(part);

/** Indices where `a.b.c` (`parts`) is written, each at its first part. */
export function mentionsOf(tokens: readonly Token[], parts: readonly string[]): number[] {
  const found: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (parts.every((part, k) => names(tokens[i + 2 * k], part) && (k === 0 || isPunct(tokens[i + 2 * k - 1], ".")))) found.push(i);
  }
  return found.length > 0 ? found : indexedStrings(tokens, parts);
}

/**
 * An index's column written as a string literal (`CREATE INDEX i ON t ('x')`), which SQLite
 * takes for a column's name: where one naming `parts` is written, if any.
 */
function indexedStrings(tokens: readonly Token[], parts: readonly string[]): number[] {
  const createsIndex = isKeyword(tokens[0], "CREATE") && tokens.slice(1, 3).some((t) => isKeyword(t, "INDEX"));
  if (!createsIndex || parts.length !== 1) return [];
  const found = tokens.findIndex((t) => t.kind === "string" && identifierName(t) === parts[0]);
  return found < 0 ? [] : [found];
}

/**
 * Of `mentions`, those SQLite fails on: a mention in a subquery whose own tables have the name
 * resolves there (`SELECT (SELECT b FROM t), b` fails on the second `b`). Each subquery is
 * prepared on its own (`attempt` returns its error): it fails with `message` where the name
 * fails. All of them when none is left.
 */
export function failingMentions(
  statement: string,
  tokens: readonly Token[],
  mentions: readonly number[],
  message: string,
  attempt: (text: string) => string | undefined,
): readonly number[] {
  const failing = mentions.filter((i) => {
    const open = enclosingSubquery(tokens, i);
    if (open === undefined) return true;
    const close = closingParen(tokens, open);
    return attempt(statement.slice(tokens[open + 1]!.start, tokens[close]?.start ?? statement.length)) === message;
  });
  return failing.length > 0 ? failing : mentions;
}

/** The `(` of the innermost subquery around the token at `at`, if any. */
function enclosingSubquery(tokens: readonly Token[], at: number): number | undefined {
  let depth = 0;
  for (let k = at - 1; k >= 0; k--) {
    if (isPunct(tokens[k], ")")) depth++;
    else if (isPunct(tokens[k], "(") && depth-- === 0) {
      if (isKeyword(tokens[k + 1], "SELECT") || isKeyword(tokens[k + 1], "WITH")) return k;
      depth = 0;
    }
  }
  return undefined;
}

/**
 * Of `mentions`, the one SQLite's resolver meets first. An INSERT's column list names the
 * table's columns without referring to them as expressions: SQLite's own error for those is
 * "table ... has no column named", and one of them as a failing trigger's or constraint's
 * column has no place in the statement.
 */
export function firstResolved(tokens: readonly Token[], mentions: readonly number[]): number | undefined {
  const [open, close] = insertColumnList(tokens);
  const end = firstStatementEnd(tokens);
  const references = mentions.filter((i) => (i < open || i > close) && i < end);
  if (references.length < 2) return references[0];
  const positions = resolutionPositions(tokens);
  const first = references.reduce((best, i) => (positions[i]! < positions[best]! ? i : best));
  // `c IN (SELECT ...)`: SQLite visits the IN, and resolves its subquery, before its left operand.
  const subquery = inSubqueryAfter(tokens, first);
  if (subquery === undefined) return first;
  const subqueryEnd = closingParen(tokens, subquery);
  return firstResolved(tokens, references.filter((i) => i > subquery && i < subqueryEnd)) ?? first;
}

/** Words that end an IN's left operand (a clause, a logical operator, a CASE's part). */
const OPERAND_ENDS = new Set(["AND", "OR", "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "ON", "WHEN", "THEN", "ELSE", "END", "SET", "RETURNING", "AS"]);

/** The `(` of an `IN (SELECT ...)` whose left operand holds the token at `at`, if any. */
function inSubqueryAfter(tokens: readonly Token[], at: number): number | undefined {
  let depth = 0;
  for (let k = at + 1; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (isPunct(token, "(")) {
      if (depth === 0 && isKeyword(tokens[k - 1], "IN") && isKeyword(tokens[k + 1], "SELECT")) return k;
      depth++;
    } else if (isPunct(token, ")")) {
      depth = Math.max(0, depth - 1); // a parenthesised left operand, `(c) IN ...`, goes on
    } else if (depth === 0 && (isPunct(token, ",") || isPunct(token, ";") || (token.kind === "word" && OPERAND_ENDS.has(upperAscii(token.text))))) {
      return undefined;
    }
  }
  return undefined;
}

/** The parentheses around an INSERT's column list (`INSERT INTO t AS x (a, b)`), or [-1, -1]. */
function insertColumnList(tokens: readonly Token[]): [number, number] {
  const into = tokens.findIndex((t) => isKeyword(t, "INTO"));
  if (into < 0 || !tokens.slice(0, into).some((t) => isKeyword(t, "INSERT") || isKeyword(t, "REPLACE"))) return [-1, -1];
  let i = into + 2;
  if (isPunct(tokens[i], ".")) i += 2;
  if (isKeyword(tokens[i], "AS")) i += 2;
  return isPunct(tokens[i], "(") ? [i, closingParen(tokens, i)] : [-1, -1];
}

/**
 * For an UPDATE (or an upsert's DO UPDATE) whose SET items mention `name`: the mention SQLite
 * fails on first, "target" when that is an assignment's target (named without a place), or
 * undefined when no SET item mentions it. With a FROM clause the targets are all looked up
 * before any expression is resolved.
 */
export function updateAssignmentPlace(allTokens: readonly Token[], name: string): number | "target" | undefined {
  const tokens = allTokens.slice(0, firstStatementEnd(allTokens));
  const set = topLevelIndex(tokens, tokens.findIndex((t) => isKeyword(t, "UPDATE")), "SET");
  if (set === undefined) return undefined;
  const items: { target: number[]; value: number[] }[] = [];
  let item = { target: [] as number[], value: [] as number[] };
  let depth = 0;
  let inValue = false;
  let fromClause = false;
  for (let i = set + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isPunct(token, "(")) depth++;
    else if (isPunct(token, ")")) depth--;
    else if (depth === 0 && ["FROM", "WHERE", "RETURNING", "ORDER", "LIMIT"].some((w) => isKeyword(token, w))) {
      fromClause = isKeyword(token, "FROM");
      break;
    } else if (depth === 0 && isPunct(token, ",")) {
      items.push(item);
      item = { target: [], value: [] };
      inValue = false;
      continue;
    } else if (depth === 0 && isPunct(token, "=") && !inValue) {
      inValue = true;
      continue;
    }
    if (names(token, name) && !isPunct(tokens[i - 1], ".") && !isPunct(tokens[i + 1], "(")) (inValue ? item.value : item.target).push(i);
  }
  items.push(item);
  if (fromClause) return items.some((x) => x.target.length > 0) ? "target" : undefined;
  for (const { target, value } of items) {
    if (value.length > 0) return value[0];
    if (target.length > 0) return "target";
  }
  return undefined;
}

/**
 * Where the failing statement ends, when the text holds more: its first `;` (a trigger's body
 * holds `;` of its own, but SQLite resolves none of its names as it creates the trigger).
 */
function firstStatementEnd(tokens: readonly Token[]): number {
  const end = tokens.findIndex((t) => isPunct(t, ";"));
  return end < 0 || tokens.slice(0, 3).some((t) => isKeyword(t, "TRIGGER")) ? tokens.length : end;
}

/** The first `word` after `from` outside parentheses, if any. */
function topLevelIndex(tokens: readonly Token[], from: number, word: string): number | undefined {
  if (from < 0) return undefined;
  let depth = 0;
  for (let i = from + 1; i < tokens.length; i++) {
    if (isPunct(tokens[i], "(")) depth++;
    else if (isPunct(tokens[i], ")")) depth--;
    else if (depth === 0 && isKeyword(tokens[i], word)) return i;
  }
  return undefined;
}
