import { sqliteError } from "./sqlite-error.js";
import { closingParen, identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";
import { upperAscii } from "../util/ascii-case.js";

/**
 * Limits workerd sets with `sqlite3_limit()` that SQLite enforces while parsing and that are
 * checked here, on the tokens of a statement sql.js has prepared, to place their errors as
 * workerd does (its other limits SQLite enforces itself: native-limits.ts).
 */

/** SQLITE_LIMIT_COLUMN in workerd (SQLite's default is 2000, which sql.js keeps). */
export const MAX_COLUMNS = 100;

/** What the column limit needs to know of the schema. */
export interface ColumnLookup {
  /** Columns of table `name` (0 when there is none). */
  columnCount(name: string): number;
  /** Result columns of `select` prepared on its own; undefined when it cannot be (it names an outer query's tables). */
  resultColumns(select: string): number | undefined;
}

const NO_ENDS: ReadonlySet<string> = new Set();
/** SQLITE_LIMIT_FUNCTION_ARG in workerd (SQLite's default is 127 too; sql.js builds with 1000). */
export const MAX_FUNCTION_ARGS = 127;
const TABLE_CONSTRAINTS = new Set(["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]);
/** Keywords that end an ORDER BY or GROUP BY list at its own level. */
const LIST_ENDS = new Set(["LIMIT", "HAVING", "WINDOW", "ORDER", "UNION", "INTERSECT", "EXCEPT", "RETURNING", "ON", "DO", "FROM", "WHERE"]);

/**
 * workerd's SQLITE_LIMIT_COLUMN (100), where SQLite applies it, as far as the statement's
 * tokens and its prepared result show it: the statement's result columns, a CREATE TABLE's
 * column definitions, ALTER TABLE ... ADD COLUMN past 100, a CREATE INDEX's columns, an
 * UPDATE's SET list and ORDER BY / GROUP BY lists, and the result set of each subquery or
 * CREATE TABLE ... AS SELECT that can be prepared on its own (a correlated one cannot, so it is
 * not counted).
 */
export function checkColumnLimits(text: string, tokens: readonly Token[], resultColumns: number, schema: ColumnLookup): void {
  const tooMany = (what: string) => sqliteError(what, "SQLITE_ERROR");
  // Subqueries and CREATE TABLE ... AS: each SELECT that stands on its own, prepared alone.
  for (const select of nestedSelects(tokens, text)) {
    const columns = schema.resultColumns(select);
    if (columns !== undefined && columns > MAX_COLUMNS) throw tooMany("too many columns in result set");
  }
  for (let i = 0; i + 1 < tokens.length; i++) {
    const which = isKeyword(tokens[i], "ORDER") ? "ORDER" : isKeyword(tokens[i], "GROUP") ? "GROUP" : undefined;
    if (which === undefined || !isKeyword(tokens[i + 1], "BY")) continue;
    if (listItems(tokens, i + 2, LIST_ENDS).length > MAX_COLUMNS) throw tooMany(`too many terms in ${which} BY clause`);
  }
  if (resultColumns > MAX_COLUMNS) throw tooMany("too many columns in result set");
  if (isKeyword(tokens[0], "CREATE")) {
    checkTableColumns(tokens);
    checkIndexColumns(tokens);
    return;
  }
  if (isKeyword(tokens[0], "ALTER") && isKeyword(tokens[1], "TABLE")) {
    const at = isPunct(tokens[3], ".") ? 4 : 2;
    const name = tokens[at];
    if (isName(name) && isKeyword(tokens[at + 1], "ADD") && schema.columnCount(identifierName(name)) >= MAX_COLUMNS) {
      throw tooMany(`too many columns on sqlite_altertab_${identifierName(name)}`);
    }
    return;
  }
  if (isKeyword(tokens[0], "UPDATE") || (isKeyword(tokens[0], "WITH") && tokens.some((t) => isKeyword(t, "UPDATE")))) {
    const set = tokens.findIndex((t) => isKeyword(t, "SET"));
    if (set >= 0 && listItems(tokens, set + 1, LIST_ENDS).length > MAX_COLUMNS) throw tooMany("too many columns in set list");
  }
}

/** `CREATE [TEMP] [UNIQUE] TABLE|INDEX [IF NOT EXISTS] [schema.]name`: its kind and where its name is. */
function createdObject(tokens: readonly Token[]): { isTable: boolean; at: number } | undefined {
  if (!isKeyword(tokens[0], "CREATE")) return undefined;
  let i = 1;
  if (isKeyword(tokens[i], "TEMP") || isKeyword(tokens[i], "TEMPORARY")) i++;
  if (isKeyword(tokens[i], "UNIQUE")) i++;
  if (!isKeyword(tokens[i], "TABLE") && !isKeyword(tokens[i], "INDEX")) return undefined;
  const isTable = isKeyword(tokens[i], "TABLE");
  i++;
  if (isKeyword(tokens[i], "IF") && isKeyword(tokens[i + 1], "NOT") && isKeyword(tokens[i + 2], "EXISTS")) i += 3;
  if (isPunct(tokens[i + 1], ".")) i += 2;
  return isName(tokens[i]) ? { isTable, at: i } : undefined;
}

/**
 * A CREATE TABLE's column definitions past 100. SQLite counts each as it parses it, so this
 * holds for the tokens it read before a later syntax error too (see prepare-failure's
 * `tokensActedOn`), unlike the other column limits, checked once the statement parsed.
 */
export function checkTableColumns(tokens: readonly Token[]): void {
  const created = createdObject(tokens);
  if (created === undefined || !created.isTable || !isPunct(tokens[created.at + 1], "(")) return;
  const items = listItems(tokens, created.at + 2, new Set());
  // In a list cut short the last definition may not be whole: SQLite adds a column once it has
  // read past its type, to a constraint or the `,` or `)` after it.
  const close = closingParen(tokens, created.at + 1);
  const last = items.at(-1);
  if (close === tokens.length && last !== undefined && !tokens.slice(tokens.indexOf(last) + 1).some(endsColumnType)) items.pop();
  const columns = items.filter((first) => !(first.kind === "word" && TABLE_CONSTRAINTS.has(upperAscii(first.text)))).length;
  if (columns > MAX_COLUMNS) throw sqliteError(`too many columns on ${identifierName(tokens[created.at]!)}`, "SQLITE_ERROR");
}

/** Words that start a column constraint, after which SQLite has the column's name and type. */
const COLUMN_CONSTRAINTS = new Set(["CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"]);

function endsColumnType(token: Token): boolean {
  return isPunct(token, ",") || (token.kind === "word" && COLUMN_CONSTRAINTS.has(upperAscii(token.text)));
}

/** CREATE INDEX name ON table ( columns ): more than 100 columns. */
function checkIndexColumns(tokens: readonly Token[]): void {
  const created = createdObject(tokens);
  if (created === undefined || created.isTable) return;
  let j = created.at + 1;
  if (!isKeyword(tokens[j], "ON")) return;
  j += isPunct(tokens[j + 2], ".") ? 3 : 1;
  if (!isPunct(tokens[j + 1], "(")) return;
  if (listItems(tokens, j + 2, new Set()).length > MAX_COLUMNS) throw sqliteError("too many columns in index", "SQLITE_ERROR");
}

/**
 * The first token of each comma-separated item of a list starting at `start`, at that
 * parenthesis level: the list ends at a `)` closing the level, a `;`, or (at its level) one of
 * `ends`.
 */
export function listItems(tokens: readonly Token[], start: number, ends: ReadonlySet<string> = NO_ENDS): Token[] {
  const firsts: Token[] = [];
  let depth = 0;
  let expectItem = true;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isPunct(token, "(")) depth++;
    else if (isPunct(token, ")")) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0) {
      if (isPunct(token, ";")) break;
      if (token.kind === "word" && ends.has(upperAscii(token.text))) break;
      if (isPunct(token, ",")) {
        expectItem = true;
        continue;
      }
    }
    if (expectItem) {
      firsts.push(token);
      expectItem = false;
    }
  }
  return firsts;
}

/** The text of each parenthesised SELECT/VALUES/WITH, and of what follows CREATE TABLE ... AS. */
function nestedSelects(tokens: readonly Token[], text: string): string[] {
  const out: string[] = [];
  const starts = (token: Token | undefined) => isKeyword(token, "SELECT") || isKeyword(token, "VALUES") || isKeyword(token, "WITH");
  if (isKeyword(tokens[0], "CREATE")) {
    const as = tokens.findIndex((token) => isKeyword(token, "AS"));
    if (as > 0 && tokens.slice(0, as).some((token) => isKeyword(token, "TABLE")) && starts(tokens[as + 1])) out.push(text.slice(tokens[as + 1]!.start));
  }
  for (let i = 0; i < tokens.length; i++) {
    if (!isPunct(tokens[i], "(") || !starts(tokens[i + 1])) continue;
    const close = closingParen(tokens, i);
    if (close < tokens.length) out.push(text.slice(tokens[i + 1]!.start, tokens[close]!.start));
  }
  return out;
}
