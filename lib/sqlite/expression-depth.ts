import { isPunct, type Token } from "./tokenizer.js";

/**
 * How deep a statement's expressions are, as SQLite measures them to enforce
 * SQLITE_LIMIT_EXPR_DEPTH, in its two places:
 *
 * - while parsing, every node's height (`exprSetHeight` in expr.c): a leaf is 1, a node one
 *   more than its deepest child. Binary operators nest left-deep, so `1+1+...+1` with n terms
 *   is n high. Parentheses add no node; COLLATE and the NOT of `NOT IN`/`NOT LIKE` do. A row
 *   value `(a, b)` is built without its items and stays 1 high. A subquery counts as its
 *   deepest expression plus one.
 * - while resolving names, `sqlite3ResolveExprNames` adds each expression's height to those
 *   of the expressions it is nested in, so `(SELECT <99 deep>)` fails: 100 + 99.
 *
 * Verified against workerd 1.20261117 at both boundaries. This is a precedence-climbing parser
 * over tokens that only measures: whatever is not an expression (clause keywords, column
 * definitions) is skipped, and each parenthesised group in it is measured as a list.
 */
export function deepestExpression(tokens: readonly Token[]): number {
  const measure = new Measure(tokens);
  measure.check(0, tokens.length, 0);
  return measure.deepest;
}

/** Binding powers, from SQLite's %left/%right declarations in parse.y (higher binds tighter). */
const OR = 1;
const AND = 2;
const NOT = 3;
const EQUALITY = 4;
const COMPARISON = 5;
const ESCAPE = 6;
const BITWISE = 7;
const ADDITIVE = 8;
const MULTIPLICATIVE = 9;
const CONCAT = 10;
const COLLATE = 11;
const UNARY = 12;

const PUNCT_POWER = new Map([
  ["=", EQUALITY], ["==", EQUALITY], ["!=", EQUALITY], ["<>", EQUALITY],
  ["<", COMPARISON], ["<=", COMPARISON], [">", COMPARISON], [">=", COMPARISON],
  ["&", BITWISE], ["|", BITWISE], ["<<", BITWISE], [">>", BITWISE],
  ["+", ADDITIVE], ["-", ADDITIVE], ["*", MULTIPLICATIVE], ["/", MULTIPLICATIVE], ["%", MULTIPLICATIVE],
  ["||", CONCAT], ["->", CONCAT], ["->>", CONCAT],
]);

const LIKE_OPERATORS = ["LIKE", "GLOB", "MATCH", "REGEXP"];

/** Words that end an expression rather than being a name in it. */
const CLAUSE_WORDS = new Set([
  "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "BY", "LIMIT", "OFFSET", "UNION",
  "INTERSECT", "EXCEPT", "ALL", "DISTINCT", "AS", "ON", "USING", "JOIN", "VALUES", "SET", "INTO",
  "WITH", "RETURNING", "AND", "OR", "IS", "IN", "LIKE", "GLOB", "MATCH", "REGEXP", "BETWEEN",
  "ESCAPE", "COLLATE", "ISNULL", "NOTNULL", "WHEN", "THEN", "ELSE", "END", "FILTER", "OVER",
  "WINDOW", "ASC", "DESC",
]);

interface Span {
  start: number;
  end: number;
}

class Measure {
  readonly #tokens: readonly Token[];
  /** The next token to read. */
  #at = 0;
  /** Where the current parenthesised group ends: parsing never reads past it. */
  #end: number;
  /** The subqueries met in the expression being parsed, to check once its height is known. */
  #subqueries: Span[] = [];
  /** The largest height either check has seen. */
  deepest = 0;

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
    this.#end = tokens.length;
  }

  /**
   * Checks the expressions in tokens [start, end), nested in expressions `base` high in all,
   * and the subqueries inside them, each on top of its enclosing expression.
   */
  check(start: number, end: number, base: number): void {
    this.#scan(start, end, (height, subqueries) => {
      this.deepest = Math.max(this.deepest, base + height);
      for (const subquery of subqueries) this.check(subquery.start, subquery.end, base + height);
    });
  }

  /**
   * The deepest expression in tokens [start, end), as SQLite's `heightOfSelect`. Subqueries
   * met in a group that is part of the current expression (call arguments, an IN list) are
   * the current expression's; those inside a subquery are checked with that subquery.
   */
  #measure(start: number, end: number, inSubquery: boolean): number {
    const enclosing = this.#subqueries;
    let deepest = 0;
    this.#scan(start, end, (height, subqueries) => {
      deepest = Math.max(deepest, height);
      if (!inSubquery) enclosing.push(...subqueries);
    });
    return deepest;
  }

  /** Parses each expression in tokens [start, end), skipping what is not one. */
  #scan(start: number, end: number, found: (height: number, subqueries: Span[]) => void): void {
    const outer = { at: this.#at, end: this.#end, subqueries: this.#subqueries };
    this.#at = start;
    this.#end = end;
    while (this.#at < end) {
      this.#subqueries = [];
      const height = this.#expression(0);
      if (height === undefined) this.#at++;
      else found(height, this.#subqueries);
    }
    this.#at = outer.at;
    this.#end = outer.end;
    this.#subqueries = outer.subqueries;
  }

  /** Records a node of the tree being parsed. */
  #node(height: number): number {
    this.deepest = Math.max(this.deepest, height);
    return height;
  }
  #peek(offset = 0): Token | undefined {
    const at = this.#at + offset;
    return at < this.#end ? this.#tokens[at] : undefined;
  }

  #word(offset = 0): string | undefined {
    const token = this.#peek(offset);
    return token?.kind === "word" ? token.text.toUpperCase() : undefined;
  }

  /** An expression binding at least `minPower`, or undefined if none starts here. */
  #expression(minPower: number): number | undefined {
    let left = this.#operand();
    if (left === undefined) return undefined;
    for (;;) {
      const height = this.#infix(left, minPower);
      if (height === undefined) return left;
      left = height;
    }
  }

  /** Applies the infix or postfix operator here to `left`; undefined if there is none. */
  #infix(left: number, minPower: number): number | undefined {
    const token = this.#peek();
    const punctPower = token?.kind === "punct" ? PUNCT_POWER.get(token.text) : undefined;
    if (punctPower !== undefined) return punctPower >= minPower ? this.#binary(left, punctPower, 1) : undefined;
    const word = this.#word();
    if (word === "OR" || word === "AND") {
      const power = word === "OR" ? OR : AND;
      return power >= minPower ? this.#binary(left, power, 1) : undefined;
    }
    if (word === "COLLATE") {
      if (COLLATE < minPower) return undefined;
      this.#at += 2;
      return this.#node(left + 1);
    }
    const negated = word === "NOT" ? 1 : 0;
    const operator = negated ? this.#word(1) : word;
    if (EQUALITY < minPower) return undefined;
    if (operator === "ISNULL" || operator === "NOTNULL" || (negated && operator === "NULL")) {
      this.#at += negated ? 2 : 1;
      return this.#node(left + 1);
    }
    if (operator === "IS" && !negated) {
      let width = 1;
      while (["NOT", "DISTINCT", "FROM"].includes(this.#word(width) ?? "")) width++;
      return this.#binary(left, EQUALITY, width);
    }
    if (operator === "BETWEEN" || operator === "IN" || (operator !== undefined && LIKE_OPERATORS.includes(operator))) {
      this.#at += 1 + negated;
      const operands = operator === "BETWEEN" ? this.#between() : operator === "IN" ? this.#inList() : this.#like();
      const node = this.#node(1 + Math.max(left, operands));
      return negated ? this.#node(node + 1) : node;
    }
    return undefined;
  }

  #binary(left: number, power: number, width: number): number {
    this.#at += width;
    return this.#node(1 + Math.max(left, this.#expression(power + 1) ?? 0));
  }

  /** `low AND high` of BETWEEN: the deeper one. */
  #between(): number {
    const low = this.#expression(EQUALITY + 1) ?? 0;
    if (this.#word() === "AND") this.#at++;
    return Math.max(low, this.#expression(EQUALITY + 1) ?? 0);
  }

  /** IN's list, subquery or table: its deepest expression. */
  #inList(): number {
    if (isPunct(this.#peek(), "(")) return this.#group().inner;
    if (this.#operand() === undefined) this.#at++;
    return 1;
  }

  /** LIKE's pattern and ESCAPE character: the deeper one. */
  #like(): number {
    const pattern = this.#expression(EQUALITY + 1) ?? 0;
    if (this.#word() !== "ESCAPE") return pattern;
    this.#at++;
    return Math.max(pattern, this.#expression(ESCAPE + 1) ?? 0);
  }

  /** A leaf, a prefixed expression, a call, CASE, CAST, EXISTS or a parenthesised group. */
  #operand(): number | undefined {
    const token = this.#peek();
    if (token === undefined || token.kind === "invalid") return undefined;
    if (token.kind === "punct") {
      if (token.text === "(") return this.#parenthesised();
      if (token.text !== "-" && token.text !== "+" && token.text !== "~") return undefined;
      this.#at++;
      return this.#node(1 + (this.#expression(UNARY) ?? 0));
    }
    if (token.kind !== "word" && token.kind !== "quoted") {
      this.#at++;
      return this.#node(1);
    }
    const word = token.kind === "word" ? token.text.toUpperCase() : "";
    if (word === "NOT") {
      this.#at++;
      return this.#node(1 + (this.#expression(NOT) ?? 0));
    }
    if (word === "CASE") return this.#case();
    if (CLAUSE_WORDS.has(word)) return undefined;
    this.#at++;
    while (isPunct(this.#peek(), ".") && this.#peek(1) !== undefined) this.#at += 2;
    // A call, EXISTS (...) or CAST (...): one node over its arguments.
    if (isPunct(this.#peek(), "(")) return this.#node(1 + this.#group().inner);
    return this.#node(1);
  }

  /** `(expr)` is expr itself, `(a, b)` a row value built 1 high, `(SELECT ...)` a node. */
  #parenthesised(): number {
    const group = this.#group();
    if (group.subquery) return this.#node(1 + group.inner);
    return group.list ? this.#node(1) : group.inner;
  }

  #case(): number {
    this.#at++;
    let deepest = 0;
    while (this.#peek() !== undefined && this.#word() !== "END") {
      const height = this.#expression(0);
      if (height !== undefined) deepest = Math.max(deepest, height);
      else this.#at++;
    }
    this.#at++;
    return this.#node(1 + deepest);
  }

  /**
   * Consumes the group opening here: the deepest expression inside it, and what it holds. A
   * subquery is remembered, to be checked on top of the expression it is part of.
   */
  #group(): { inner: number; subquery: boolean; list: boolean } {
    const open = this.#at;
    const subquery = ["SELECT", "WITH", "VALUES"].includes(this.#word(1) ?? "");
    let list = false;
    let close = open + 1;
    for (let depth = 1; close < this.#end; close++) {
      const token = this.#tokens[close];
      if (isPunct(token, "(")) depth++;
      else if (isPunct(token, ")") && --depth === 0) break;
      else if (depth === 1 && isPunct(token, ",")) list = true;
    }
    const inner = this.#measure(open + 1, close, subquery);
    if (subquery) this.#subqueries.push({ start: open + 1, end: close });
    this.#at = Math.min(close + 1, this.#end);
    return { inner, subquery, list };
  }
}
