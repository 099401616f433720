import { deepestExpression } from "./expression-depth.js";
import { sqliteError } from "./sqlite-error.js";
import { isKeyword, isPunct, type Token } from "./tokenizer.js";

/**
 * Limits workerd sets with `sqlite3_limit()` that SQLite enforces while parsing. sql.js does
 * not export `sqlite3_limit`, so these two are checked on the tokens of a statement sql.js
 * has prepared (its own limits are far higher: depth 1000, 500 compound terms).
 */

/** SQLITE_LIMIT_EXPR_DEPTH in workerd. */
export const MAX_EXPRESSION_DEPTH = 100;
/** SQLITE_LIMIT_COMPOUND_SELECT in workerd. */
export const MAX_COMPOUND_TERMS = 5;

export function checkParseLimits(tokens: readonly Token[]): void {
  // SQLite checks each expression node as it is built, and a compound SELECT once it is
  // complete, so a deep expression inside a long compound is reported first.
  if (deepestExpression(tokens) > MAX_EXPRESSION_DEPTH) {
    throw sqliteError(`Expression tree is too large (maximum depth ${MAX_EXPRESSION_DEPTH})`, "SQLITE_ERROR");
  }
  if (longestCompound(tokens) > MAX_COMPOUND_TERMS) {
    throw sqliteError("too many terms in compound SELECT", "SQLITE_ERROR");
  }
}

interface Compound {
  /** UNION [ALL], INTERSECT and EXCEPT operators so far. */
  operators: number;
  /** What the latest term is: SQLite exempts a compound ending in a one-row VALUES. */
  tail: "select" | "values" | "rows";
}

/**
 * The most terms in one compound SELECT that SQLite limits. Each parenthesised level
 * (subquery, CTE) and each statement of a trigger body holds its own compound.
 */
function longestCompound(tokens: readonly Token[]): number {
  const levels: Compound[] = [{ operators: 0, tail: "select" }];
  let longest = 1;
  const end = (compound: Compound) => {
    if (compound.tail !== "values") longest = Math.max(longest, compound.operators + 1);
  };
  for (const token of tokens) {
    const compound = levels.at(-1)!;
    if (isPunct(token, "(")) {
      levels.push({ operators: 0, tail: "select" });
    } else if (isPunct(token, ")") && levels.length > 1) {
      end(levels.pop()!);
    } else if (isPunct(token, ";")) {
      end(compound);
      levels[levels.length - 1] = { operators: 0, tail: "select" };
    } else if (isKeyword(token, "UNION") || isKeyword(token, "INTERSECT") || isKeyword(token, "EXCEPT")) {
      compound.operators++;
      compound.tail = "select";
    } else if (isKeyword(token, "VALUES")) {
      compound.tail = "values";
    } else if (isPunct(token, ",") && compound.tail === "values") {
      compound.tail = "rows";
    }
  }
  levels.forEach(end);
  return longest;
}
