import { rememberedForFrozen } from "./frozen-tokens.js";
import { identifierName, isKeyword, isName, isObjectName, isPunct, type Token } from "./tokenizer.js";
import { upperAscii } from "../util/ascii-case.js";

/**
 * Where a statement names tables, found from its tokens: the tables it reads (FROM and JOIN
 * lists, at any nesting depth) and the tables it writes (INSERT/REPLACE INTO, UPDATE,
 * DELETE FROM). This is what SQLite's authorizer learns from the parser; sql.js gives us no
 * authorizer hook, so the authorizer works from these instead.
 */

export interface TableReference {
  /** The table name as SQLite resolves it: quotes removed, schema qualifier dropped. */
  name: string;
  /** Index of the name token. */
  index: number;
  /** Token range of the (sub)query the reference belongs to, for finding its columns. */
  scopeStart: number;
  scopeEnd: number;
  /**
   * The name after it (`t AS x`, `t x`): its alias if it has one, by which columns are then
   * qualified. Whatever word follows is taken (`t WHERE`): only `x.column` is looked for, which
   * no keyword can be.
   */
  alias?: string;
  /** `x IN t`: SQLite reads it as `x IN (SELECT * FROM t)`, every column, before anything else of the IN. */
  wholeRow?: boolean;
}

/** The word after a table's name at `index` (skipping AS): its alias, if it has one. */
function aliasAfter(tokens: readonly Token[], index: number): string | undefined {
  const at = isKeyword(tokens[index + 1], "AS") ? index + 2 : index + 1;
  return isName(tokens[at]) ? identifierName(tokens[at]) : undefined;
}

/** Keywords that end a FROM clause at the same nesting depth. */
const FROM_CLAUSE_ENDS = new Set([
  "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "UNION", "INTERSECT", "EXCEPT",
  "RETURNING", "SET", "VALUES", "SELECT",
]);

interface Scope {
  start: number;
  end: number;
  inFrom: boolean;
}

/**
 * The tables `tokens` reads, in the order written. A statement's checks ask several times, so
 * the answer is remembered for a shared parse's tokens (see rememberedForFrozen).
 */
export const readReferences = rememberedForFrozen((tokens): readonly TableReference[] => Object.freeze(findReadReferences(tokens)));

function findReadReferences(tokens: readonly Token[]): TableReference[] {
  const references: { name: string; index: number; scope: Scope; alias: string | undefined; wholeRow?: boolean }[] = [];
  const scopes: Scope[] = [{ start: 0, end: tokens.length, inFrom: false }];
  let expectingTable = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const scope = scopes.at(-1)!;
    if (isPunct(token, "(")) {
      scopes.push({ start: i + 1, end: tokens.length, inFrom: false });
      expectingTable = false;
    } else if (isPunct(token, ")")) {
      if (scopes.length > 1) scopes.pop()!.end = i;
    } else if (scopes.length === 1 && isKeyword(token, "SELECT") && tokens.slice(0, i).some((t) => isKeyword(t, "INTO"))) {
      // An INSERT's SELECT reads on its own: the column list before it names the written table's.
      scope.start = i;
      expectingTable = false;
    } else if (scopes.length === 1 && (isKeyword(token, "RETURNING") || (isKeyword(token, "ON") && isKeyword(tokens[i + 1], "CONFLICT")))) {
      // An INSERT's upsert clause and any RETURNING name the written table's columns, not
      // those of what its SELECT reads (`INSERT ... SELECT 1 FROM _cf_KV ... ON CONFLICT (key)`).
      scope.end = Math.min(scope.end, i);
      scope.inFrom = false;
      expectingTable = false;
    } else if (isKeyword(token, "FROM")) {
      // `a IS DISTINCT FROM b` is an operator; `DELETE FROM t` names a write target.
      const previous = tokens[i - 1];
      const isClause = !isKeyword(previous, "DISTINCT") && !isKeyword(previous, "DELETE");
      scope.inFrom = isClause;
      expectingTable = isClause;
    } else if (isKeyword(token, "JOIN")) {
      expectingTable = true;
    } else if (isPunct(token, ",") && scope.inFrom) {
      expectingTable = true;
    } else if (token.kind === "word" && FROM_CLAUSE_ENDS.has(upperAscii(token.text))) {
      scope.inFrom = false;
      expectingTable = false;
    } else if (isKeyword(token, "IN") && isObjectName(tokens[i + 1])) {
      const nameIndex = isPunct(tokens[i + 2], ".") && isObjectName(tokens[i + 3]) ? i + 3 : i + 1;
      // Its implied SELECT is a scope of its own: the name alone.
      const own = { start: nameIndex, end: nameIndex + 1, inFrom: false };
      references.push({ name: identifierName(tokens[nameIndex]!), index: nameIndex, scope: own, alias: undefined, wholeRow: true });
      i = nameIndex;
      expectingTable = false;
    } else if (expectingTable && isObjectName(token)) {
      const nameIndex = isPunct(tokens[i + 1], ".") && isObjectName(tokens[i + 2]) ? i + 2 : i;
      references.push({ name: identifierName(tokens[nameIndex]!), index: nameIndex, scope, alias: aliasAfter(tokens, nameIndex) });
      i = nameIndex;
      expectingTable = false;
    } else {
      expectingTable = false;
    }
  }
  return references.map(({ name, index, scope, alias, wholeRow }) => ({
    name,
    index,
    scopeStart: scope.start,
    scopeEnd: scope.end,
    alias,
    ...(wholeRow ? { wholeRow } : {}),
  }));
}

/** A table written, and how (the trigger event it fires). */
export interface WriteTarget extends TableReference {
  event: "INSERT" | "UPDATE" | "DELETE";
}

/** Tables the statement inserts into, updates or deletes from. */
export function writeTargets(tokens: readonly Token[]): WriteTarget[] {
  const targets: WriteTarget[] = [];
  const add = (at: number, event: WriteTarget["event"]) => {
    const index = isPunct(tokens[at + 1], ".") && isObjectName(tokens[at + 2]) ? at + 2 : at;
    const token = tokens[index];
    if (isObjectName(token)) targets.push({ name: identifierName(token), index, scopeStart: 0, scopeEnd: tokens.length, alias: aliasAfter(tokens, index), event });
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isKeyword(token, "INTO")) {
      add(i + 1, "INSERT");
    } else if (isKeyword(token, "DELETE") && isKeyword(tokens[i + 1], "FROM")) {
      add(i + 2, "DELETE");
    } else if (isKeyword(token, "UPDATE") && isUpdateStatement(tokens, i)) {
      add(isKeyword(tokens[i + 1], "OR") ? i + 3 : i + 1, "UPDATE");
    }
  }
  return targets;
}

/**
 * UPDATE also appears in `ON CONFLICT ... DO UPDATE SET`, `ON UPDATE CASCADE` and trigger
 * events (`AFTER UPDATE ON t`, `UPDATE OF col`); only the statement form names a table.
 */
function isUpdateStatement(tokens: readonly Token[], i: number): boolean {
  const previous = tokens[i - 1];
  const next = tokens[i + 1];
  const notAfter = ["ON", "DO", "BEFORE", "AFTER", "OF"].some((k) => isKeyword(previous, k));
  const notBefore = ["SET", "ON", "OF"].some((k) => isKeyword(next, k));
  return !notAfter && !notBefore && isObjectName(next);
}
