import { utf8Length } from "../util/utf8.js";
import { updateDeleteLimitFailure } from "./engine-gaps.js";
import { sqliteError } from "./sqlite-error.js";
import { identifierName, isName, isPunct, type Token } from "./tokenizer.js";

/**
 * Turns sql.js's failure to prepare a statement into the error workerd would raise. sql.js
 * reports only `sqlite3_errmsg`: the result code is inferred from the message and the
 * `at offset <n>` part (`sqlite3_error_offset`) is located again from the tokens.
 *
 * @param attempt prepares a prefix of the statement and returns its error message, or
 *   undefined when the prefix prepares; used to pin syntax errors on the right token.
 */
export function prepareFailure(
  message: string,
  statement: string,
  tokens: readonly Token[],
  attempt: (prefix: string) => string | undefined,
): Error {
  const limitFailure = updateDeleteLimitFailure(statement, tokens);
  if (limitFailure !== undefined) return limitFailure;
  if (message === "no such function: load_extension") return sqliteError("not authorized", "SQLITE_ERROR");
  const index = offendingToken(message, statement, tokens, attempt);
  const offset = index === undefined ? undefined : utf8Length(statement.slice(0, tokens[index]!.start));
  return sqliteError(message, resultCodeOf(message), { offset });
}

function resultCodeOf(message: string): string {
  if (message === "statement too long" || message === "string or blob too big") return "SQLITE_TOOBIG";
  if (message === "out of memory") return "SQLITE_NOMEM";
  return "SQLITE_ERROR";
}

/** Messages SQLite builds with `%T`/`%#T`, which records the offset of a token or expression. */
const LOCATED_MESSAGES: { pattern: RegExp; call: boolean }[] = [
  { pattern: /^no such column: (.+)$/, call: false },
  { pattern: /^ambiguous column name: (.+)$/, call: false },
  { pattern: /^no such function: (.+)$/, call: true },
  { pattern: /^wrong number of arguments to function (.+)\(\)$/, call: true },
  { pattern: /^misuse of (?:aggregate|window|aliased aggregate) function (.+)\(\)$/, call: true },
  { pattern: /^second argument to (likelihood)\(\) must be a constant between 0\.0 and 1\.0$/, call: true },
];

function offendingToken(
  message: string,
  statement: string,
  tokens: readonly Token[],
  attempt: (prefix: string) => string | undefined,
): number | undefined {
  const unrecognized = /^unrecognized token: "([\s\S]*)"$/.exec(message);
  if (unrecognized) return tokens.findIndex((t) => t.text === unrecognized[1]);
  const syntax = /^near "([\s\S]*)": syntax error$/.exec(message);
  if (syntax) {
    // SQLite stops at the first token that cannot continue the statement: the earliest
    // candidate whose prefix already fails with this very message.
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.text !== syntax[1]) continue;
      if (attempt(statement.slice(0, token.start + token.text.length)) === message) return i;
    }
    return undefined;
  }
  for (const { pattern, call } of LOCATED_MESSAGES) {
    const match = pattern.exec(message);
    if (match) return firstMention(tokens, match[1]!.split("."), call);
  }
  return undefined;
}

/** The first place `a.b.c` (or a call of it) is written: a heuristic when it is written twice. */
function firstMention(tokens: readonly Token[], parts: string[], call: boolean): number | undefined {
  const matches = (token: Token | undefined, part: string) =>
    isName(token) && identifierName(token).toLowerCase() === part.toLowerCase();
  for (let i = 0; i < tokens.length; i++) {
    const spelled = parts.every((part, k) => matches(tokens[i + 2 * k], part) && (k === 0 || isPunct(tokens[i + 2 * k - 1], ".")));
    if (spelled && (!call || isPunct(tokens[i + 2 * parts.length - 1], "("))) return i;
  }
  return undefined;
}
