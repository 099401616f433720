/**
 * JSON.parse as the runtime's V8 reports failures: a syntax error at a position ends with
 * "(line L column C)". Node 20's V8 leaves that out; it is added here so that a json read
 * fails with the same text on every supported Node.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = error instanceof SyntaxError ? /at position (\d+)$/.exec(error.message) : null;
    if (error instanceof SyntaxError && at !== null) {
      const position = Number(at[1]);
      const before = text.slice(0, position);
      const line = before.split("\n").length;
      error.message += ` (line ${line} column ${position - before.lastIndexOf("\n")})`;
    }
    throw error;
  }
}
