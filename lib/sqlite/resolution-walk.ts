import { isKeyword, isName, isPunct, type Token } from "./tokenizer.js";
import { upperAscii } from "../util/ascii-case.js";

/**
 * SQLite's resolver does not stop at a column read its authorizer refuses: the denial only sets
 * the error, and the walk over the expression goes on until it visits a node that is no column
 * reference (a literal, an operator, a call), which checks the error and aborts. Columns it
 * visits before that are resolved too, and a later refusal (or "no such column") replaces the
 * message. So `key || value` over `_cf_KV` is refused on `value`, `key || value || 'x'` too, and
 * `key + 1 AND value` on `key`. Probed against workerd; see FINDINGS.md.
 */

/** Binary operators by how tightly they bind (SQLite's grammar); LIKE and GLOB are calls with their operands swapped, so not here. */
const PRECEDENCE = new Map<string, number>([
  ["OR", 1], ["AND", 2],
  ["=", 4], ["==", 4], ["!=", 4], ["<>", 4], ["IS", 4],
  ["<", 5], ["<=", 5], [">", 5], [">=", 5],
  ["&", 7], ["|", 7], ["<<", 7], [">>", 7],
  ["+", 8], ["-", 8],
  ["*", 9], ["/", 9], ["%", 9],
  ["||", 10], ["->", 10], ["->>", 10],
]);

/** How tightly a test for NULL binds (as IS, and BETWEEN). */
const NULL_TEST = 4;

/** Lower than any operator: what a list separator (`,`, an aggregate's `ORDER BY`) binds. */
const LIST = 0;

function precedence(token: Token | undefined): number | undefined {
  if (token === undefined || token.kind === "string" || token.kind === "quoted") return undefined;
  return PRECEDENCE.get(token.kind === "word" ? upperAscii(token.text) : token.text);
}

/** A column reference's tokens: from `start` to `end` (its name), parentheses around it to `close`. */
export interface VisitedColumn {
  start: number;
  end: number;
  close: number;
}

/**
 * The column reads the walk visits after the column read whose last token is at `at`, before
 * it aborts, in order. `positions`: resolution positions (resolution-order.ts), by which the
 * last term of a WHERE clause is followed by the joins' ON clauses, appended to it.
 */
export function columnsVisitedAfter(tokens: readonly Token[], at: number, positions: readonly number[]): VisitedColumn[] {
  const order: number[] = [];
  positions.forEach((position, index) => {
    if (index < tokens.length && Number.isFinite(position)) order[position] = index;
  });
  const visited: VisitedColumn[] = [];
  for (;;) {
    let next = at + 1;
    // A call or parenthesised expression closing here was visited before its arguments.
    while (isPunct(tokens[next], ")") && !closesSubquery(tokens, next)) next++;
    let binds = precedence(tokens[next]);
    // `c NOT IN (...)`, `c NOT BETWEEN ...`: the NOT is the operator's.
    if (isKeyword(tokens[next], "NOT") && (isKeyword(tokens[next + 1], "IN") || isKeyword(tokens[next + 1], "BETWEEN"))) next++;
    if (isPunct(tokens[next], ",") && insideCall(tokens, next)) {
      binds = LIST;
    } else if (isKeyword(tokens[next], "ORDER") && isKeyword(tokens[next + 1], "BY") && insideCall(tokens, next)) {
      binds = LIST;
      next += 1;
    } else if (isKeyword(tokens[next], "FILTER") && isPunct(tokens[next + 1], "(") && isKeyword(tokens[next + 2], "WHERE")) {
      binds = LIST;
      next += 2;
    } else if (isKeyword(tokens[next], "IN") && isPunct(tokens[next + 1], "(") && !isKeyword(tokens[next + 2], "SELECT")) {
      // A list's values, a BETWEEN's bounds and a CASE's operands are walked after what precedes them.
      binds = LIST;
      next += 1;
    } else if (isKeyword(tokens[next], "BETWEEN")) {
      binds = NULL_TEST;
    } else if (["WHEN", "THEN", "ELSE"].some((k) => isKeyword(tokens[next], k))) {
      binds = LIST;
    } else if (binds === undefined && isKeyword(tokens[order[positions[next - 1]! + 1]!], "ON")) {
      // The end of WHERE (or of an ON clause): the next ON clause's expression is walked next.
      binds = LIST;
      next = order[positions[next - 1]! + 1]!;
    }
    if (binds === undefined) return visited;
    if (isKeyword(tokens[next], "IS") && isKeyword(tokens[next + 1], "NOT")) next++;
    const column = columnReference(tokens, next + 1);
    if (column === undefined) return visited;
    // The column is a leaf the walk visits next only if no tighter operator takes it as its left operand.
    // `c IS NULL` (and ISNULL, NOTNULL, NOT NULL, IS NOT NULL) resolves its column itself and
    // lets the walk go on; one that tests a wider left operand comes after its column.
    const tested = nullTestEnd(tokens, column.close + 1);
    if (tested !== undefined) {
      visited.push(column);
      if (binds >= NULL_TEST) return visited;
      at = tested;
      continue;
    }
    const after = precedence(tokens[column.close + 1]);
    if ((after !== undefined && after > binds) || takesLeftOperand(tokens[column.close + 1])) return visited;
    visited.push(column);
    at = column.close;
  }
}

/** A column reference (`c`, `t.c`, `s.t.c`, maybe in parentheses) starting at `i`, if one starts there. */
function columnReference(tokens: readonly Token[], i: number): VisitedColumn | undefined {
  let start = i;
  while (isPunct(tokens[start], "(")) start++;
  if (!isName(tokens[start]) || isKeywordLiteral(tokens[start]!)) return undefined;
  let end = start;
  while (isPunct(tokens[end + 1], ".") && isName(tokens[end + 2])) end += 2;
  if (isPunct(tokens[end + 1], "(")) return undefined;
  let close = end;
  for (let open = start - i; open > 0; open--) {
    if (!isPunct(tokens[close + 1], ")")) return undefined;
    close++;
  }
  return { start, end, close };
}

/** The last token of a test for NULL starting at `i`, if one does. */
function nullTestEnd(tokens: readonly Token[], i: number): number | undefined {
  if (isKeyword(tokens[i], "ISNULL") || isKeyword(tokens[i], "NOTNULL")) return i;
  const rest = isKeyword(tokens[i], "IS") ? i + 1 : i;
  const negated = isKeyword(tokens[rest], "NOT") ? rest + 1 : rest;
  return negated > i && isKeyword(tokens[negated], "NULL") ? negated : undefined;
}

/** Words after an operand that make it an operand of theirs (`c BETWEEN ...`, `c IS NULL`'s kin, `c NOT IN ...`). */
function takesLeftOperand(token: Token | undefined): boolean {
  return token?.kind === "word" && ["BETWEEN", "IN", "LIKE", "GLOB", "MATCH", "REGEXP", "ISNULL", "NOTNULL", "NOT", "COLLATE", "ESCAPE"].includes(upperAscii(token.text));
}

/** Words SQLite reads as values, not names, where a name could stand. */
function isKeywordLiteral(token: Token): boolean {
  return token.kind === "word" && ["NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP", "NOT", "CASE", "EXISTS", "CAST", "SELECT"].includes(upperAscii(token.text));
}

/** The `(` that encloses the token at `i`, or -1. */
function enclosingParen(tokens: readonly Token[], i: number): number {
  let depth = 0;
  for (let k = i - 1; k >= 0; k--) {
    if (isPunct(tokens[k], ")")) depth++;
    else if (isPunct(tokens[k], "(") && depth-- === 0) return k;
  }
  return -1;
}

/** Whether the token at `i` is directly inside a call's argument list or an IN list (`f(`, `IN (`; not `OVER (` or a subquery). */
function insideCall(tokens: readonly Token[], i: number): boolean {
  const open = enclosingParen(tokens, i);
  return open > 0 && isName(tokens[open - 1]) && !["OVER", "AS", "USING", "VALUES", "EXISTS", "FILTER"].some((k) => isKeyword(tokens[open - 1], k)) && !isKeyword(tokens[open + 1], "SELECT");
}

/** Whether the `)` at `i` closes a subquery (whose walk is its own). */
function closesSubquery(tokens: readonly Token[], i: number): boolean {
  const open = enclosingParen(tokens, i);
  return open >= 0 && (isKeyword(tokens[open + 1], "SELECT") || isKeyword(tokens[open + 1], "WITH") || isKeyword(tokens[open + 1], "VALUES"));
}
