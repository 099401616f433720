import { utf8Length } from "../util/utf8.js";
import { sqliteError } from "./sqlite-error.js";
import type { Token } from "./tokenizer.js";

/** workerd sets SQLITE_LIMIT_VARIABLE_NUMBER to 100; sql.js would allow 32,766. */
export const MAX_PARAMETERS = 100;

/**
 * The number of parameters a statement takes (what `sqlite3_bind_parameter_count` returns),
 * numbered as SQLite numbers them: `?` takes the next number, `?NNN` names one, and a named
 * parameter (`:a`, `@a`, `$a`, `#a`, `$a(x)`) gets a number on first use and keeps it.
 * Enforces workerd's limit with SQLite's own messages, located at the offending parameter.
 */
export function countParameters(statement: string, tokens: readonly Token[]): number {
  let highest = 0;
  const named = new Map<string, number>();
  for (const token of tokens) {
    if (token.kind !== "variable") continue;
    const offset = () => utf8Length(statement.slice(0, token.start));
    if (token.text.startsWith("?") && token.text.length > 1) {
      const index = Number(token.text.slice(1));
      if (!(index >= 1 && index <= MAX_PARAMETERS)) {
        throw sqliteError(`variable number must be between ?1 and ?${MAX_PARAMETERS}`, "SQLITE_ERROR", {
          offset: offset(),
        });
      }
      highest = Math.max(highest, index);
      continue;
    }
    if (token.text !== "?" && named.has(token.text)) continue;
    highest++;
    if (highest > MAX_PARAMETERS) throw sqliteError("too many SQL variables", "SQLITE_ERROR", { offset: offset() });
    if (token.text !== "?") named.set(token.text, highest);
  }
  return highest;
}
