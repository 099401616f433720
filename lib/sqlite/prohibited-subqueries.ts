import { isKeyword, isObjectName, isPunct, type Token } from "./tokenizer.js";
import { upperAscii } from "../util/ascii-case.js";

/**
 * Where SQLite places "subqueries prohibited in CHECK constraints" (and in generated columns,
 * index expressions, partial index WHERE clauses). It records the offset of the expression it
 * refuses, going down its left operands while that has none: a `(SELECT ...)` or `EXISTS (...)`
 * has none, so the error names no place; `x IN (SELECT ...)` (or `x IN t`) has none either, but
 * its left operand's leftmost leaf has (`a` in `-a IN`, `CAST(a AS INT) IN`, `a + 1 IN`; probed
 * against workerd, whose SQLite records it where sql.js's does not).
 */

/** Words that bind looser than IN, or open an expression: a left operand does not reach past them. */
const OPERAND_BOUNDS = new Set([
  "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "CASE", "WHERE", "ON", "SELECT", "BY", "HAVING", "CHECK", "AS", "DEFAULT", "RETURNING", "SET", "VALUES",
]);

/** The index of the token SQLite names for the statement's first prohibited subquery, if it names one. */
export function prohibitedSubqueryAt(tokens: readonly Token[]): number | undefined {
  const opensSubquery = (i: number) => isPunct(tokens[i], "(") && ["SELECT", "WITH", "VALUES"].some((k) => isKeyword(tokens[i + 1], k));
  for (let i = 0; i < tokens.length; i++) {
    if (isKeyword(tokens[i], "IN") && (opensSubquery(i + 1) || isObjectName(tokens[i + 1]))) return leftmostLeaf(tokens, leftOperandStart(tokens, i));
    if (opensSubquery(i)) return undefined;
  }
  return undefined;
}

/** Where the left operand of the IN at `at` begins (IN binds as tightly as `=`, left to right). */
function leftOperandStart(tokens: readonly Token[], at: number): number {
  let start = isKeyword(tokens[at - 1], "NOT") ? at - 1 : at;
  for (let i = start - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (isPunct(token, ")")) i = openingParen(tokens, i);
    else if (isPunct(token, "(") || isPunct(token, ",") || (token.kind === "word" && OPERAND_BOUNDS.has(upperAscii(token.text)))) break;
    start = i;
  }
  return start;
}

/** The first token with an offset of its own: past parentheses, unary signs and `CAST(`. */
function leftmostLeaf(tokens: readonly Token[], at: number): number {
  for (;;) {
    if (isPunct(tokens[at], "(") || ["-", "+", "~"].some((sign) => isPunct(tokens[at], sign))) at++;
    else if (isKeyword(tokens[at], "CAST") && isPunct(tokens[at + 1], "(")) at += 2;
    else return at;
  }
}

/** The index of the `(` that the `)` at `close` closes (0 when none does). */
function openingParen(tokens: readonly Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (isPunct(tokens[i], ")")) depth++;
    else if (isPunct(tokens[i], "(") && --depth === 0) return i;
  }
  return 0;
}
