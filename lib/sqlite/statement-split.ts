/**
 * Splits a SQL script (a D1 migration file) into its statements, as wrangler does before it
 * sends a migration to D1: at each `;` outside literals, quoted names and comments, except
 * inside a trigger's body, which holds statements of its own and ends at `END;` (the rule
 * SQLite's sqlite3_complete() applies). Each statement keeps its text as written, comments
 * included, trimmed, without its `;`. A script with no `;` but a final one is one query, left
 * exactly as written (wrangler sends such a file untouched).
 */
import { upperAscii } from "../util/ascii-case.js";
import { tokenize, type Token } from "./tokenizer.js";

export function splitSqlStatements(sql: string): string[] {
  const trimmed = sql.trimEnd();
  const semicolon = trimmed.indexOf(";");
  if (semicolon === -1 || semicolon === trimmed.length - 1) return [sql];
  const statements: string[] = [];
  let start = 0;
  let words: string[] = [];
  let previous: Token | undefined;
  for (const token of tokenize(sql)) {
    const ends = token.kind === "punct" && token.text === ";" && (!isTrigger(words) || (previous !== undefined && upperAscii(previous.text) === "END"));
    if (ends) {
      statements.push(sql.slice(start, token.start));
      start = token.start + 1;
      words = [];
    } else if (words.length < 3) {
      words.push(upperAscii(token.text));
    }
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
