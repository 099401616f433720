/**
 * The URL Pattern Standard's tokenizer: a pattern string (in code points) becomes tokens of a
 * group `{ }`, a regexp `( )`, a name `:id`, a modifier `? * +`, an escaped or a plain character.
 * "strict" refuses a malformed pattern with a TypeError; "lenient" (the constructor string's
 * first pass) keeps the offending code point as an invalid-char token and goes on.
 */

export type TokenType =
  | "open" | "close" | "regexp" | "name" | "char" | "escaped-char" | "other-modifier" | "asterisk" | "end" | "invalid-char";

export interface Token {
  type: TokenType;
  /** Position in the input, in code points. */
  index: number;
  value: string;
}

export type TokenizePolicy = "strict" | "lenient";

const ID_START = /^[\p{ID_Start}$_]$/u;
const ID_CONTINUE = /^[\p{ID_Continue}$\u200C\u200D]$/u;

/** Whether a code point may stand in a `:name` (as its first code point when `first`). */
export function isValidNameCodePoint(codePoint: string, first: boolean): boolean {
  return (first ? ID_START : ID_CONTINUE).test(codePoint);
}

function isAscii(codePoint: string): boolean {
  return codePoint.codePointAt(0)! <= 0x7f;
}

export function tokenize(input: readonly string[], policy: TokenizePolicy): Token[] {
  const tokens: Token[] = [];
  const add = (type: TokenType, index: number, next: number, valueStart = index, valueLength = next - index) => {
    tokens.push({ type, index, value: input.slice(valueStart, valueStart + valueLength).join("") });
    return next;
  };
  const fail = (index: number, next: number): number => {
    if (policy === "strict") throw new TypeError(`Invalid pattern: unexpected character at ${index}`);
    return add("invalid-char", index, next);
  };
  let index = 0;
  while (index < input.length) {
    const c = input[index]!;
    if (c === "*") index = add("asterisk", index, index + 1);
    else if (c === "+" || c === "?") index = add("other-modifier", index, index + 1);
    else if (c === "\\") index = index === input.length - 1 ? fail(index, index + 1) : add("escaped-char", index, index + 2, index + 1, 1);
    else if (c === "{") index = add("open", index, index + 1);
    else if (c === "}") index = add("close", index, index + 1);
    else if (c === ":") index = readName(index);
    else if (c === "(") index = readRegexp(index);
    else index = add("char", index, index + 1);
  }
  add("end", index, index, index, 0);
  return tokens;

  function readName(start: number): number {
    let position = start + 1;
    while (position < input.length && isValidNameCodePoint(input[position]!, position === start + 1)) position++;
    if (position <= start + 1) return fail(start, start + 1);
    return add("name", start, position, start + 1, position - start - 1);
  }

  function readRegexp(start: number): number {
    let depth = 1;
    let position = start + 1;
    const valueStart = position;
    while (position < input.length) {
      const c = input[position]!;
      if (!isAscii(c)) return fail(start, valueStart);
      if (position === valueStart && c === "?") return fail(start, valueStart);
      if (c === "\\") {
        if (position === input.length - 1 || !isAscii(input[position + 1]!)) return fail(start, valueStart);
        position += 2;
        continue;
      }
      if (c === ")") {
        depth--;
        if (depth === 0) {
          position++;
          break;
        }
      } else if (c === "(") {
        depth++;
        if (position === input.length - 1 || input[position + 1] !== "?") return fail(start, valueStart);
      }
      position++;
    }
    if (depth !== 0) return fail(start, valueStart);
    const length = position - valueStart - 1;
    if (length === 0) return fail(start, valueStart);
    return add("regexp", start, position, valueStart, length);
  }
}
