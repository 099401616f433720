import { lowerAscii } from "../util/ascii-case.js";
import { closingParen, identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";

/** Functions SQLite refuses in an index or a generated column, as they return another value each call. */
const NONDETERMINISTIC = new Set(["random", "randomblob", "changes", "total_changes", "last_insert_rowid"]);

const MESSAGE = /^non-deterministic functions prohibited in (index expressions|partial index WHERE clauses|generated columns)$/;

/**
 * For SQLite's refusal of a non-deterministic call in an index or a generated column: the
 * index of the call it reports. SQLite resolves an index's expressions item by item and stops
 * after the first that failed, its partial WHERE as one expression, and every generated column
 * of the table in turn. Within that, it records each error it meets, each replacing the one
 * before: so it reports the last failing call of the first failing expression. A call fails
 * when its function is non-deterministic or, in workerd, when `refused(i)` (its authorizer
 * refuses the function, which SQLite asks before it checks where the call stands). Undefined
 * for any other message or when no such call is found.
 *
 * (SQLite also stops resolving an expression at the first operator or literal it visits after
 * an error, which this does not follow: `x > changes() AND sqlite_source_id() > ''` reports
 * changes() in workerd, sqlite_source_id() here.)
 */
export function reportedCall(message: string, tokens: readonly Token[], refused: (i: number) => boolean): number | undefined {
  const clause = MESSAGE.exec(message)?.[1];
  if (clause === undefined) return undefined;
  const fails = (i: number) =>
    isName(tokens[i]) && isPunct(tokens[i + 1], "(") && (NONDETERMINISTIC.has(lowerAscii(identifierName(tokens[i]!))) || refused(i));
  for (const ranges of expressions(tokens, clause)) {
    let last: number | undefined;
    for (const [start, end] of ranges) for (let i = start; i < end; i++) if (fails(i)) last = i;
    if (last !== undefined) return last;
  }
  return undefined;
}

type Range = [start: number, end: number];

/** The clause's expressions in the order SQLite resolves them, each as token ranges. */
function expressions(tokens: readonly Token[], clause: string): Range[][] {
  if (clause === "partial index WHERE clauses") {
    const where = tokens.findIndex((t) => isKeyword(t, "WHERE"));
    return where === -1 ? [] : [[[where + 1, tokens.length]]];
  }
  if (clause === "generated columns") {
    // Every generated column's `AS (expression)`, resolved as one: an error does not stop it.
    const ranges: Range[] = [];
    tokens.forEach((t, i) => {
      if (isKeyword(t, "AS") && isPunct(tokens[i + 1], "(")) ranges.push([i + 2, closingParen(tokens, i + 1)]);
    });
    return [ranges];
  }
  // An index's list after `ON table (`, item by item.
  const on = tokens.findIndex((t) => isKeyword(t, "ON"));
  const open = tokens.findIndex((t, i) => i > on && isPunct(t, "("));
  if (on === -1 || open === -1) return [];
  const close = closingParen(tokens, open);
  const items: Range[][] = [];
  let start = open + 1;
  for (let i = start; i <= close; i++) {
    if (isPunct(tokens[i], "(")) i = closingParen(tokens, i);
    else if (i === close || isPunct(tokens[i], ",")) {
      items.push([[start, i]]);
      start = i + 1;
    }
  }
  return items;
}
