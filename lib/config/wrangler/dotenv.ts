/**
 * `.dev.vars` and `.env` files read as wrangler reads them, with the dotenv package's rules
 * (Node's own parser, util.parseEnv, differs and changes between Node versions: a line without
 * `=` swallows the next line into its key there, and `KEY: value` is not an assignment):
 *
 * - an assignment is `[export ]KEY=value` or `KEY: value` (a colon and whitespace) at the start
 *   of a line, KEY made of letters, digits, `_`, `.` and `-`; any other line is skipped, a
 *   `# comment` line among them;
 * - a value in single or double quotes or backticks runs to the closing quote (across lines,
 *   past quotes escaped with a backslash) when only whitespace or a comment follows it on its
 *   line; it keeps its inner whitespace, and in double quotes `\n` and `\r` become a newline and
 *   a carriage return;
 * - any other value runs to a `#` or the end of the line, trimmed;
 * - a key given twice takes its last value; a `__proto__` key is dropped.
 *
 * A line ends at a line feed (after `\r\n` and `\r` became one), and also at U+2028 and U+2029
 * (dotenv's `^`, `$` and `.` take them for line terminators) except within an unquoted value,
 * which only a line feed or a `#` ends: a comment ends at U+2028, and an assignment may follow.
 */
import { setOwn } from "../../util/own-property.js";

const QUOTES = new Set(["'", '"', "`"]);
/** An assignment's start, matched at the start of a line: the key, and `=` or `: `. */
const ASSIGNMENT = /\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s)/y;
/** What may follow a value's closing quote: blanks, then the line's end or a comment. */
const AFTER_CLOSING_QUOTE = /[^\S\n\u2028\u2029]*(?:[\n\u2028\u2029#]|$)/y;

export function parseDotenv(text: string): Record<string, string> {
  const source = text.replace(/\r\n?/g, "\n");
  const result: Record<string, string> = {};
  let at = 0;
  while (at < source.length) {
    ASSIGNMENT.lastIndex = at;
    const assignment = ASSIGNMENT.exec(source);
    if (assignment === null) {
      at = lineEnd(source, at) + 1;
      continue;
    }
    const valueStart = at + assignment[0].length;
    const close = closingQuote(source, valueStart);
    const end = close === undefined ? unquotedEnd(source, valueStart) : close + 1;
    // dotenv assigns each key to a plain object, where a string given to "__proto__" is dropped.
    if (assignment[1] !== "__proto__") setOwn(result, assignment[1]!, unquote(source.slice(valueStart, end).trim()));
    at = lineEnd(source, end) + 1;
  }
  return result;
}

/**
 * Where the quoted value starting at `from` (after any whitespace) closes: the last place it
 * may (a quote escaped with a backslash, or the first one that is not) with only whitespace or
 * a comment after it on its line. Undefined when nothing does: the value is then unquoted.
 */
function closingQuote(source: string, from: number): number | undefined {
  let open = from;
  while (open < source.length && /\s/.test(source[open]!)) open++;
  const quote = source[open];
  if (quote === undefined || !QUOTES.has(quote)) return undefined;
  const closings: number[] = [];
  for (let index = open + 1; index < source.length; index++) {
    if (source[index] === "\\" && source[index + 1] === quote) closings.push(++index);
    else if (source[index] === quote) {
      closings.push(index);
      break;
    }
  }
  return closings.reverse().find((index) => {
    AFTER_CLOSING_QUOTE.lastIndex = index + 1;
    return AFTER_CLOSING_QUOTE.test(source);
  });
}

/**
 * A stretch of a value from a quote at a line's start to the same quote at a line's end, the
 * widest first, whose quotes dotenv drops: the whole value's when it is quoted; lines are a
 * multiline RegExp's, so an unquoted value that U+2028 or U+2029 breaks loses those of its parts.
 */
const QUOTED_STRETCH = /^(["'`])([\s\S]*)\1$/gm;

/** A value without its quotes; one that opens with a double quote has `\n` and `\r` as the characters. */
function unquote(value: string): string {
  const inner = value.replace(QUOTED_STRETCH, "$2");
  return value[0] === '"' ? inner.replace(/\\n/g, "\n").replace(/\\r/g, "\r") : inner;
}

/** Where the line (or the comment) that `from` is in ends. */
function lineEnd(source: string, from: number): number {
  const end = source.slice(from).search(/[\n\u2028\u2029]/);
  return end === -1 ? source.length : from + end;
}

/** Where an unquoted value starting at `from` ends: at a `#` or a line feed. */
function unquotedEnd(source: string, from: number): number {
  const end = source.slice(from).search(/[#\n]/);
  return end === -1 ? source.length : from + end;
}
