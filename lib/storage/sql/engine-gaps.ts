import { isKeyword, isPunct, type Token } from "./tokenizer.js";

/**
 * SQL that workerd runs but sql.js cannot: sql.js is built without FTS5, R*Tree and
 * SQLITE_ENABLE_UPDATE_DELETE_LIMIT. Such SQL fails with an error that says so, instead of
 * sql.js's "no such module" or a syntax error that would send users hunting for a typo.
 */
export function engineLacks(feature: string): Error {
  return new Error(
    `durasim's SQLite engine (sql.js) lacks ${feature}, which Cloudflare's runtime supports; ` +
      "this statement cannot run under durasim.",
  );
}

/** `UPDATE ... LIMIT n` / `DELETE ... LIMIT n` (a LIMIT outside any subquery). */
export function usesUpdateDeleteLimit(tokens: readonly Token[]): boolean {
  let verb = 0;
  if (isKeyword(tokens[0], "WITH")) {
    let depth = 0;
    verb = tokens.findIndex((t) => {
      if (isPunct(t, "(")) depth++;
      else if (isPunct(t, ")")) depth--;
      return depth === 0 && (isKeyword(t, "UPDATE") || isKeyword(t, "DELETE") || isKeyword(t, "SELECT"));
    });
  }
  if (!isKeyword(tokens[verb], "UPDATE") && !isKeyword(tokens[verb], "DELETE")) return false;
  let depth = 0;
  return tokens.some((t) => {
    if (isPunct(t, "(")) depth++;
    else if (isPunct(t, ")")) depth--;
    return depth === 0 && isKeyword(t, "LIMIT");
  });
}
