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
 */
import { setOwn } from "../../util/own-property.js";

const QUOTES = new Set(["'", '"', "`"]);
/** An assignment's start, matched at the start of a line: the key, and `=` or `: `. */
const ASSIGNMENT = /[^\S\n]*(?:export\s+)?([\w.-]+)(?:\s*=|:\s)/y;

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
    const end = close === undefined ? lineEnd(source, valueStart) : close + 1;
    const written = source.slice(valueStart, end);
    // dotenv assigns each key to a plain object, where a string given to "__proto__" is dropped.
    if (assignment[1] !== "__proto__") setOwn(result, assignment[1]!, unquote((close === undefined ? written.split("#")[0]! : written).trim()));
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
  return closings.reverse().find((index) => /^[^\S\n]*(?:#.*)?$/.test(source.slice(index + 1, lineEnd(source, index + 1))));
}

/** A value without the quotes around it; one that opens with a double quote has `\n` and `\r` as the characters. */
function unquote(value: string): string {
  const quote = value[0];
  const inner = quote !== undefined && QUOTES.has(quote) && value.length >= 2 && value.endsWith(quote) ? value.slice(1, -1) : value;
  return quote === '"' ? inner.replace(/\\n/g, "\n").replace(/\\r/g, "\r") : inner;
}

function lineEnd(source: string, from: number): number {
  const newline = source.indexOf("\n", from);
  return newline === -1 ? source.length : newline;
}
