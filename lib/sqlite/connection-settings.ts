import { statementShape } from "./row-counters.js";
import { identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";
import { lowerAscii } from "../util/ascii-case.js";

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
  const name = lowerAscii(identifierName(token));
  // SQLite ignores `PRAGMA foreign_keys` inside a transaction; replaying it later would not.
  if (!CONNECTION_PRAGMAS.has(name) || (name === "foreign_keys" && inTransaction)) return undefined;
  return name;
}

/**
 * Whether a statement needs workerd's implicit transaction, which opens at the first statement
 * SQLite's program for which may write (`sqlite3_stmt_readonly()` false): not for reads
 * (SELECT, VALUES, a PRAGMA that reads), nor for a connection setting, which SQLite applies
 * only outside a transaction (so `PRAGMA foreign_keys = OFF` takes effect from a turn that has
 * read but not written yet). Where the tokens cannot tell, the program does (`writes`, given
 * the EXPLAIN statement that lists it): `EXPLAIN [QUERY PLAN] X` lists X's program, which may
 * write though it never runs; `REINDEX` writes only when there are indexes to rebuild, and
 * `PRAGMA optimize` only when it has something to analyze.
 */
export function needsImplicitTransaction(tokens: readonly Token[], text: string, writes: (explain: string) => boolean): boolean {
  if (isKeyword(tokens[0], "EXPLAIN")) {
    const queryPlan = isKeyword(tokens[1], "QUERY") && isKeyword(tokens[2], "PLAN");
    return writes(queryPlan ? `EXPLAIN ${text.slice(tokens[3]!.start)}` : text);
  }
  if (isKeyword(tokens[0], "REINDEX")) return writes(`EXPLAIN ${text}`);
  if (isKeyword(tokens[0], "PRAGMA")) {
    const nameAt = isPunct(tokens[2], ".") ? 3 : 1;
    const name = isName(tokens[nameAt]) ? lowerAscii(identifierName(tokens[nameAt])) : "";
    if (name === "optimize") return writes(`EXPLAIN ${text}`);
    const assigns = isPunct(tokens[nameAt + 1], "=") || (isPunct(tokens[nameAt + 1], "(") && CONNECTION_PRAGMAS.has(name));
    return assigns && connectionSetting(tokens, false) === undefined;
  }
  return statementShape(tokens).kind !== "select";
}
