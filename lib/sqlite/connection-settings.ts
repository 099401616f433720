import { identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";

/**
 * PRAGMAs that change the connection rather than the file. The connection pool may close and
 * reopen a database at any time, so the SQL layer records these and the connection replays
 * them; otherwise `PRAGMA case_sensitive_like = ON` would silently wear off.
 */
const CONNECTION_PRAGMAS = new Set([
  "case_sensitive_like",
  "foreign_keys",
  "ignore_check_constraints",
  "legacy_alter_table",
  "recursive_triggers",
  "reverse_unordered_selects",
]);

/** The setting a statement changes, if it is one to replay on reopen. */
export function connectionSetting(tokens: readonly Token[], inTransaction: boolean): string | undefined {
  if (!isKeyword(tokens[0], "PRAGMA")) return undefined;
  const nameAt = isPunct(tokens[2], ".") ? 3 : 1;
  const token = tokens[nameAt];
  const assigns = isPunct(tokens[nameAt + 1], "=") || isPunct(tokens[nameAt + 1], "(");
  if (!isName(token) || !assigns) return undefined;
  const name = identifierName(token).toLowerCase();
  // SQLite ignores `PRAGMA foreign_keys` inside a transaction; replaying it later would not.
  if (!CONNECTION_PRAGMAS.has(name) || (name === "foreign_keys" && inTransaction)) return undefined;
  return name;
}
