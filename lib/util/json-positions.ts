/**
 * JSON.parse's syntax errors as the runtime's V8 words them: one that names a position ("...
 * in JSON at position 7", "Unexpected non-whitespace character after JSON at position 3") goes
 * on to name its line and column ("... (line 2 column 5)"), lines
 * ending at "\n", "\r\n" or "\r" as V8 counts them. Node 22 and newer's V8 words them so; Node
 * 20's leaves the line and column out, so they are added where it does (and only there), for a
 * failed parse to read the same on every supported Node.
 */

// Every wording of Node 20's V8 that names a position ends so: "in JSON" for most, "after JSON"
// for text after the value.
const AT_POSITION = / JSON at position (\d+)$/;

/** Whether this process's V8 names the line and column itself. */
export const namesJsonLines: boolean = (() => {
  try {
    JSON.parse("{");
  } catch (error) {
    return / \(line \d+ column \d+\)$/.test((error as Error).message);
  }
  return true;
})();

/** `error`, thrown by a parse of `text`, with its line and column named where V8 did not. */
export function withJsonLines(error: unknown, text: string): unknown {
  // Of any realm: the Jest preset's Worker code parses with its test file's JSON.
  if (namesJsonLines || typeof error !== "object" || error === null || (error as Error).name !== "SyntaxError") return error;
  const at = AT_POSITION.exec((error as Error).message);
  if (at === null) return error;
  const position = Number(at[1]);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position; i++) {
    const code = text.charCodeAt(i);
    // "\r\n" ends one line, at its "\n".
    if (code === 0x0a || (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line += 1;
      lineStart = i + 1;
    }
  }
  // V8 formats `stack` at its first read, so it shows the message as completed here.
  (error as Error).message += ` (line ${line} column ${position - lineStart + 1})`;
  return error;
}

/** JSON.parse(text), failing in the runtime's words. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw withJsonLines(error, text);
  }
}
