import { utf8Length } from "../util/utf8.js";
import { sqliteError } from "./sqlite-error.js";
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

/**
 * The error for `UPDATE ... LIMIT n` / `DELETE ... LIMIT n` (a LIMIT outside any subquery), or
 * undefined for other statements. In workerd's grammar RETURNING comes before ORDER BY and
 * LIMIT, so a RETURNING after the LIMIT is a syntax error in production as well: that error
 * is the one to fix first, and it is reported as workerd reports it.
 */
export function updateDeleteLimitFailure(statement: string, tokens: readonly Token[]): Error | undefined {
  const topLevel = topLevelIndexes(tokens);
  const verb = isKeyword(tokens[0], "WITH")
    ? topLevel.find((i) => ["UPDATE", "DELETE", "SELECT"].some((k) => isKeyword(tokens[i], k)))
    : 0;
  if (verb === undefined || !(isKeyword(tokens[verb], "UPDATE") || isKeyword(tokens[verb], "DELETE"))) return undefined;
  const limit = topLevel.find((i) => isKeyword(tokens[i], "LIMIT"));
  if (limit === undefined) return undefined;
  const returning = topLevel.find((i) => i > limit && isKeyword(tokens[i], "RETURNING"));
  if (returning === undefined) return engineLacks("UPDATE ... LIMIT and DELETE ... LIMIT");
  const token = tokens[returning]!;
  return sqliteError(`near "${token.text}": syntax error`, "SQLITE_ERROR", {
    offset: utf8Length(statement.slice(0, token.start)),
  });
}

/** Indexes of the tokens outside any parentheses. */
function topLevelIndexes(tokens: readonly Token[]): number[] {
  const indexes: number[] = [];
  let depth = 0;
  tokens.forEach((token, i) => {
    if (isPunct(token, "(")) depth++;
    else if (isPunct(token, ")")) depth--;
    else if (depth === 0) indexes.push(i);
  });
  return indexes;
}
