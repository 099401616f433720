import { rememberedForFrozen } from "./frozen-tokens.js";
import { closingParen, identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";
import { lowerAscii, upperAscii } from "../util/ascii-case.js";

/**
 * The order in which SQLite's name resolver (resolveSelectStep) meets a SELECT's tokens, which
 * is the order its authorizer is asked about column reads and the order resolution errors are
 * met in. It differs from the written order: the FROM clause (its subqueries) comes first, then
 * the result columns, HAVING, WHERE, then the joins' ON clauses (which SQLite appended to
 * WHERE, in join order), ORDER BY and at last GROUP BY; a compound's arms from the last to the
 * first. A named window's definition is resolved where a function first uses it (`OVER w`),
 * and one nothing uses never is. Probed against workerd: `... JOIN _cf_KV k ON k.value = 1 WHERE
 * k.key = 1` is refused on `key`, `SELECT k.key ... UNION SELECT m.value ...` on `value`.
 */

/** Each clause's rank; text before a SELECT (a CTE's name, an INSERT's head) keeps its place. */
const CLAUSE_RANKS = new Map([
  ["FROM", 1], ["SELECT", 2], ["HAVING", 3], ["WHERE", 4], ["WINDOW", 6], ["ORDER", 7], ["GROUP", 8], ["LIMIT", 9], ["RETURNING", 9],
]);
const ON_RANK = 5;
/** Words that end an ON clause inside the FROM clause: the next join begins. */
const JOIN_WORDS = new Set(["JOIN", "NATURAL", "LEFT", "RIGHT", "FULL", "INNER", "CROSS", "OUTER"]);
const COMPOUND_WORDS = new Set(["UNION", "INTERSECT", "EXCEPT"]);

/**
 * For each token index (and `tokens.length`, for "the end"), its position in resolution order:
 * `a` is met before `b` when `positions[a] < positions[b]`; Infinity for a token never resolved.
 */
export const resolutionPositions = rememberedForFrozen((tokens): readonly number[] => Object.freeze(findResolutionPositions(tokens)));

function findResolutionPositions(tokens: readonly Token[]): number[] {
  const positions = new Array<number>(tokens.length + 1);
  const never = new Set<number>();
  resolutionOrder(tokens, 0, tokens.length, never).forEach((index, position) => (positions[index] = never.has(index) ? Infinity : position));
  positions[tokens.length] = tokens.length;
  return positions;
}

/** Token indices of `[start, end)` in resolution order; a parenthesised part keeps its clause's place and is ordered within. */
function resolutionOrder(tokens: readonly Token[], start: number, end: number, never: Set<number>): number[] {
  const parts: Array<{ arm: number; rank: number; indices: number[] }> = [];
  let arm = 0;
  let rank = 0;
  let selecting = false;
  for (let i = start; i < end; i++) {
    const token = tokens[i]!;
    const word = token.kind === "word" ? upperAscii(token.text) : "";
    if (COMPOUND_WORDS.has(word)) {
      arm++;
      rank = 0;
      selecting = false;
    } else if (word === "SELECT") {
      selecting = true;
      rank = CLAUSE_RANKS.get(word)!;
    } else if (selecting && CLAUSE_RANKS.has(word) && !isKeyword(tokens[i - 1], "DISTINCT")) {
      // `a IS DISTINCT FROM b` is an operator, not a FROM clause.
      rank = CLAUSE_RANKS.get(word)!;
    } else if (selecting && word === "ON" && rank === CLAUSE_RANKS.get("FROM")) {
      rank = ON_RANK;
    } else if (selecting && rank === ON_RANK && (JOIN_WORDS.has(word) || isPunct(token, ","))) {
      rank = CLAUSE_RANKS.get("FROM")!;
    }
    if (isPunct(token, "(")) {
      const close = Math.min(closingParen(tokens, i), end);
      const inner = resolutionOrder(tokens, i + 1, close, never);
      parts.push({ arm, rank, indices: close < end ? [i, ...inner, close] : [i, ...inner] });
      i = close;
    } else {
      parts.push({ arm, rank, indices: [i] });
    }
  }
  // SQLite resolves a compound's arms last first, and its ORDER BY and LIMIT (written in the
  // last arm) after them all; what comes before the first SELECT (a WITH clause) stays first.
  const compound = arm > 0;
  const sortArm = ({ arm, rank }: { arm: number; rank: number }) =>
    arm === 0 && rank === 0 ? -Infinity : compound && rank >= CLAUSE_RANKS.get("ORDER")! ? Infinity : -arm;
  // A stable sort: within a clause the written order stands.
  const order = parts.sort((a, b) => sortArm(a) - sortArm(b) || a.rank - b.rank).flatMap((part) => part.indices);
  for (const part of parts) if (part.rank === CLAUSE_RANKS.get("WINDOW")) placeWindowDefinition(tokens, part.indices, order, never);
  return order;
}

/**
 * Moves a named window's definition (`name AS (...)`, the parenthesised part) in `order` to
 * just after the first `OVER name` or `OVER (name ...` that uses it, or marks it never resolved.
 */
function placeWindowDefinition(tokens: readonly Token[], indices: number[], order: number[], never: Set<number>): void {
  const open = indices[0]!;
  if (!isPunct(tokens[open], "(") || !isKeyword(tokens[open - 1], "AS") || !isName(tokens[open - 2])) return;
  const name = lowerAscii(identifierName(tokens[open - 2]!));
  const names = (i: number) => isName(tokens[i]) && !isPunct(tokens[i + 1], "(") && lowerAscii(identifierName(tokens[i]!)) === name;
  const use = order.find((i) => i < open && names(i) && (isKeyword(tokens[i - 1], "OVER") || (isPunct(tokens[i - 1], "(") && isKeyword(tokens[i - 2], "OVER"))));
  order.splice(order.indexOf(open), indices.length);
  if (use === undefined) {
    for (const i of indices) never.add(i);
    order.push(...indices);
  } else {
    order.splice(order.indexOf(use) + 1, 0, ...indices);
  }
}
