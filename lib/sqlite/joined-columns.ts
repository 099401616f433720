import { readReferences, type TableReference } from "./table-references.js";
import { closingParen, identifierName, isKeyword, isName, isPunct, type Token } from "./tokenizer.js";
import { lowerAscii, upperAscii } from "../util/ascii-case.js";

/**
 * The columns a join merges: `JOIN t USING (c)` and `NATURAL JOIN t` join on `c` without asking
 * the authorizer about it (on either side), and `*` or an unqualified `c` then means the left
 * table's. What a NATURAL join shares depends on the tables' columns, hence the lookup.
 */

/** Column names of what a FROM clause may name, as SQLite would list them. */
export interface ColumnNamesLookup {
  /** A table's or view's columns ([] when there is none). */
  tableColumns(name: string): readonly string[];
  /** The result columns of a SELECT prepared on its own ([] when it cannot be). */
  selectColumns(select: string): readonly string[];
}

interface Span {
  open: number;
  close: number;
}

/** The parentheses of every `USING (...)` list in the reference's (sub)query. */
export function usingLists(tokens: readonly Token[], reference: TableReference): Span[] {
  const lists: Span[] = [];
  for (let i = reference.scopeStart; i < reference.scopeEnd; i++) {
    if (isKeyword(tokens[i], "USING") && isPunct(tokens[i + 1], "(")) lists.push({ open: i + 1, close: closingParen(tokens, i + 1) });
  }
  return lists;
}

/** Of `columns` (lower case), those the join that brings in the reference takes from its left side. */
export function mergedColumns(tokens: readonly Token[], reference: TableReference, columns: readonly string[], lookup: ColumnNamesLookup | undefined): string[] {
  const using = usingListAfter(tokens, reference);
  if (using !== undefined) return namesIn(tokens, using).filter((c) => columns.includes(c));
  if (lookup === undefined || !isNaturalJoin(tokens, reference)) return [];
  const left = leftColumns(tokens, reference, lookup);
  return columns.filter((c) => left.has(c));
}

/**
 * Whether a join in the reference's (sub)query is made on one of `columns`: a USING list names
 * one, or a NATURAL join shares one with the reference's table, which is on its left or right.
 */
export function joinsOnColumn(tokens: readonly Token[], reference: TableReference, columns: readonly string[], lookup: ColumnNamesLookup | undefined): boolean {
  if (usingLists(tokens, reference).some((list) => namesIn(tokens, list).some((c) => columns.includes(c)))) return true;
  if (lookup === undefined) return false;
  if (mergedColumns(tokens, reference, columns, lookup).length > 0) return true;
  const later = readReferences(tokens).filter((r) => r.scopeStart === reference.scopeStart && r.index > reference.index && isNaturalJoin(tokens, r));
  return later.some((r) => lookup.tableColumns(r.name).some((c) => columns.includes(lowerAscii(c))));
}

function namesIn(tokens: readonly Token[], { open, close }: Span): string[] {
  return tokens.slice(open + 1, close).filter(isName).map((t) => lowerAscii(identifierName(t)));
}

/** The parentheses of the `USING (...)` list that follows a joined table (and its alias), if any. */
export function usingListAfter(tokens: readonly Token[], reference: TableReference): Span | undefined {
  let at = reference.index + 1;
  if (isKeyword(tokens[at], "AS")) at += 2;
  else if (isName(tokens[at]) && !isKeyword(tokens[at], "USING")) at += 1;
  if (!isKeyword(tokens[at], "USING") || !isPunct(tokens[at + 1], "(")) return undefined;
  return { open: at + 1, close: closingParen(tokens, at + 1) };
}

/** Where the reference's `[schema.]name` begins. */
const nameStart = (tokens: readonly Token[], reference: TableReference) => (isPunct(tokens[reference.index - 1], ".") ? reference.index - 2 : reference.index);

const JOIN_OPERATOR_WORDS = new Set(["LEFT", "RIGHT", "FULL", "INNER", "CROSS", "OUTER"]);

/** Whether the reference is brought in by `NATURAL [LEFT|RIGHT|FULL|INNER] [OUTER] JOIN`. */
function isNaturalJoin(tokens: readonly Token[], reference: TableReference): boolean {
  let at = nameStart(tokens, reference) - 1;
  if (!isKeyword(tokens[at], "JOIN")) return false;
  for (at--; tokens[at]?.kind === "word" && JOIN_OPERATOR_WORDS.has(upperAscii(tokens[at]!.text)); at--);
  return isKeyword(tokens[at], "NATURAL");
}

/** The columns (lower case) of everything the FROM clause names before the reference: tables, views and subqueries. */
function leftColumns(tokens: readonly Token[], reference: TableReference, lookup: ColumnNamesLookup): Set<string> {
  const end = nameStart(tokens, reference);
  let from = reference.scopeStart;
  for (let i = reference.scopeStart; i < end; i++) {
    if (isPunct(tokens[i], "(")) i = closingParen(tokens, i);
    else if (isKeyword(tokens[i], "FROM")) from = i;
  }
  const names: string[] = [];
  for (const r of readReferences(tokens)) {
    if (r.scopeStart === reference.scopeStart && r.index > from && r.index < end && !r.wholeRow) names.push(...lookup.tableColumns(r.name));
  }
  for (let i = from; i < end; i++) {
    if (!isPunct(tokens[i], "(")) continue;
    const close = closingParen(tokens, i);
    if (isKeyword(tokens[i + 1], "SELECT") || isKeyword(tokens[i + 1], "WITH") || isKeyword(tokens[i + 1], "VALUES")) {
      names.push(...lookup.selectColumns(tokens.slice(i + 1, close).map((t) => t.text).join(" ")));
    }
    i = close;
  }
  return new Set(names.map(lowerAscii));
}
