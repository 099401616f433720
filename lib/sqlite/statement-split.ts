/**
 * Splits a SQL script (a D1 migration file) into its statements, as wrangler does before it
 * sends a migration to D1: at each `;` outside literals, quoted names and comments, except
 * inside a trigger's body, which holds statements of its own and ends at an `END;` right after
 * one of them (the rule SQLite's sqlite3_complete() applies: the END of a CASE expression
 * ending a body statement, `... ELSE 0 END;`, is no end of the trigger). Each statement keeps its text as written, comments
 * included, trimmed, without its `;`. A script with no `;` but a final one is one query, left
 * exactly as written (wrangler sends such a file untouched).
 */
import { upperAscii } from "../util/ascii-case.js";
import { isKeyword, isPunct, tokenize, type Token } from "./tokenizer.js";

export function splitSqlStatements(sql: string): string[] {
  const trimmed = sql.trimEnd();
  const semicolon = trimmed.indexOf(";");
  if (semicolon === -1 || semicolon === trimmed.length - 1) return [sql];
  const statements: string[] = [];
  let start = 0;
  let words: string[] = [];
  // The two tokens before the current one: a trigger ends at `;` `END` `;`.
  let previous: Token | undefined;
  let beforePrevious: Token | undefined;
  for (const token of tokenize(sql)) {
    const ends = isPunct(token, ";") && (!isTrigger(words) || (isKeyword(previous, "END") && isPunct(beforePrevious, ";")));
    if (ends) {
      statements.push(sql.slice(start, token.start));
      start = token.start + 1;
      words = [];
    } else if (words.length < 3) {
      words.push(upperAscii(token.text));
    }
    beforePrevious = previous;
    previous = token;
  }
  statements.push(sql.slice(start));
  const kept = statements.map((statement) => statement.trim()).filter((statement) => statement.length > 0);
  return kept.length === 0 ? [sql] : kept;
}

/** Whether a statement's first words are `CREATE [TEMP|TEMPORARY] TRIGGER`. */
function isTrigger([first, second, third]: string[]): boolean {
  return first === "CREATE" && (second === "TRIGGER" || ((second === "TEMP" || second === "TEMPORARY") && third === "TRIGGER"));
}
