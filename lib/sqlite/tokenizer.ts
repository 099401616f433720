/**
 * A SQL tokenizer following SQLite's lexical rules (tokenize.c): string literals, the three
 * identifier quotings, blob literals, numbers, parameters and comments. The authorizer and the
 * parameter counter work on its tokens, so nothing inside a literal, a quoted name or a comment
 * can be mistaken for SQL. Whitespace and comments produce no tokens.
 */
import { upperAscii } from "../util/ascii-case.js";

export type TokenKind =
  | "word" // bare identifier or keyword
  | "quoted" // "name", [name] or `name`
  | "string" // 'text'
  | "blob" // x'0a'
  | "number"
  | "variable" // ?, ?NNN, :name, @name, $name, #name, and Tcl's forms (see variableEnd)
  | "punct"
  | "invalid"; // what SQLite reports as "unrecognized token"

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset in UTF-16 code units within the tokenized text. */
  start: number;
}

/** White space to SQLite's tokenizer: a vertical tab is not (it is an unrecognized token). */
const WHITESPACE = new Set([" ", "\t", "\n", "\f", "\r"]);
/** What C's isspace() accepts: SQLite's own white space and the vertical tab. */
const C_SPACE = new Set([" ", "\t", "\n", "\v", "\f", "\r"]);
/**
 * SQLite's tokenizer reads a UTF-8 byte-order mark anywhere as white space too; workerd does
 * not when it decides whether SQL is left after a statement (`isSpaceAfterStatement`), so
 * `SELECT 1;` followed by one is a second, empty statement there.
 */
const BYTE_ORDER_MARK = "\uFEFF";
const PUNCT_3 = ["->>"];
const PUNCT_2 = ["||", "->", "<=", ">=", "==", "!=", "<>", "<<", ">>"];
const PUNCT_1 = new Set([..."(),;.+-*/%<>=&|~"]);

/**
 * What workerd skips after a statement before it looks for another: C's isspace(), so a
 * vertical tab there is skipped (`SELECT 1;\v` is one statement), though SQLite's tokenizer
 * would refuse it as the start of the next.
 */
export function isSpaceAfterStatement(ch: string | undefined): boolean {
  return ch !== undefined && C_SPACE.has(ch);
}

function isIdentifierStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code >= 0x80;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x24;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (WHITESPACE.has(ch) || ch === BYTE_ORDER_MARK) {
      i++;
    } else if (ch === "-" && sql[i + 1] === "-") {
      const newline = sql.indexOf("\n", i);
      i = newline === -1 ? sql.length : newline + 1;
    } else if (ch === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else {
      const end = tokenEnd(sql, i);
      tokens.push({ kind: end.kind, text: sql.slice(i, end.at), start: i });
      i = end.at;
    }
  }
  return tokens;
}

function tokenEnd(sql: string, i: number): { kind: TokenKind; at: number } {
  const ch = sql[i]!;
  const code = sql.charCodeAt(i);
  if (ch === "'") return quotedEnd(sql, i, "'", "string");
  if (ch === '"') return quotedEnd(sql, i, '"', "quoted");
  if (ch === "`") return quotedEnd(sql, i, "`", "quoted");
  if (ch === "[") {
    const close = sql.indexOf("]", i + 1);
    return close === -1 ? { kind: "invalid", at: sql.length } : { kind: "quoted", at: close + 1 };
  }
  if ((ch === "x" || ch === "X") && sql[i + 1] === "'") {
    const literal = quotedEnd(sql, i + 1, "'", "blob");
    const digits = sql.slice(i + 2, literal.at - 1);
    const wellFormed = literal.kind === "blob" && digits.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(digits);
    return { kind: wellFormed ? "blob" : "invalid", at: literal.at };
  }
  if (isDigit(ch) || (ch === "." && isDigit(sql[i + 1]))) return { kind: "number", at: numberEnd(sql, i) };
  if (ch === "?") {
    let j = i + 1;
    while (isDigit(sql[j])) j++;
    return { kind: "variable", at: j };
  }
  if (ch === ":" || ch === "@" || ch === "$" || ch === "#") return variableEnd(sql, i);
  if (isIdentifierStart(code)) {
    let j = i + 1;
    while (j < sql.length && isIdentifierPart(sql.charCodeAt(j))) j++;
    return { kind: "word", at: j };
  }
  for (const p of PUNCT_3) if (sql.startsWith(p, i)) return { kind: "punct", at: i + 3 };
  for (const p of PUNCT_2) if (sql.startsWith(p, i)) return { kind: "punct", at: i + 2 };
  if (PUNCT_1.has(ch)) return { kind: "punct", at: i + 1 };
  return { kind: "invalid", at: i + 1 };
}


/**
 * A named parameter, as SQLite's tokenizer (built with Tcl variables, as workerd's and sql.js's
 * are) reads one: identifier characters, where `::` may join parts (`$ns::name`) and, once a
 * character was read, `(` opens a suffix that runs to `)` and ends the name (`$a(x y` stops
 * at the space: unrecognized). No identifier character at all: unrecognized too.
 */
function variableEnd(sql: string, i: number): { kind: TokenKind; at: number } {
  let named = 0;
  let j = i + 1;
  for (; j < sql.length; j++) {
    const ch = sql[j]!;
    if (isIdentifierPart(sql.charCodeAt(j))) {
      named++;
    } else if (ch === "(" && named > 0) {
      do j++;
      while (j < sql.length && !C_SPACE.has(sql[j]!) && sql[j] !== ")");
      return sql[j] === ")" ? { kind: "variable", at: j + 1 } : { kind: "invalid", at: j };
    } else if (ch === ":" && sql[j + 1] === ":") {
      j++;
    } else {
      break;
    }
  }
  return { kind: named === 0 ? "invalid" : "variable", at: j };
}

/** A quoted run where a doubled quote character stands for itself. */
function quotedEnd(sql: string, i: number, quote: string, kind: TokenKind): { kind: TokenKind; at: number } {
  let j = i + 1;
  for (;;) {
    const close = sql.indexOf(quote, j);
    if (close === -1) return { kind: "invalid", at: sql.length };
    if (sql[close + 1] !== quote) return { kind, at: close + 1 };
    j = close + 2;
  }
}

const HEX_NUMBER = /0[xX][0-9a-fA-F_]+/y;
const DECIMAL_NUMBER = /(?:\d[\d_]*)?(?:\.[\d_]*)?(?:[eE][+-]?\d[\d_]*)?/y;

function numberEnd(sql: string, i: number): number {
  for (const pattern of [HEX_NUMBER, DECIMAL_NUMBER]) {
    pattern.lastIndex = i;
    const match = pattern.exec(sql);
    if (match !== null && match[0].length > 0) return i + match[0].length;
  }
  return i + 1;
}

/**
 * The name a word, quoted identifier or (where SQLite takes one as a name) string literal
 * denotes: quotes removed, doubled quotes collapsed.
 */
export function identifierName(token: Token): string {
  if (token.kind !== "quoted" && token.kind !== "string") return token.text;
  const body = token.text.slice(1, -1);
  const quote = token.text[0]!;
  return quote === "[" ? body : body.replaceAll(quote + quote, quote);
}

/**
 * Whether `token` is the bare word `keyword` (SQLite keywords are case-insensitive). The length
 * is compared first: folding ASCII case keeps it, and most words met are not the keyword asked
 * about, so they are told apart without folding a copy (checks call this for every token).
 */
export function isKeyword(token: Token | undefined, keyword: string): boolean {
  return token !== undefined && token.kind === "word" && token.text.length === keyword.length && upperAscii(token.text) === keyword;
}

export function isPunct(token: Token | undefined, punct: string): boolean {
  return token !== undefined && token.kind === "punct" && token.text === punct;
}

export function isName(token: Token | undefined): token is Token {
  return token !== undefined && (token.kind === "word" || token.kind === "quoted");
}

/**
 * Whether `token` can name a table, index, view, trigger, schema or PRAGMA: SQLite's grammar
 * takes a string literal there too (`nm ::= id | STRING`), so `FROM '_cf_KV'` reads _cf_KV and
 * `PRAGMA 'foreign_keys'` is that PRAGMA.
 */
export function isObjectName(token: Token | undefined): token is Token {
  return token !== undefined && (token.kind === "word" || token.kind === "quoted" || token.kind === "string");
}

/** The index of the `)` that closes the `(` at `open`, or `tokens.length` when none does. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], "(")) depth++;
    else if (isPunct(tokens[i], ")") && --depth === 0) return i;
  }
  return tokens.length;
}
