import { utf8Length } from "../util/utf8.js";
import {
  ALLOWED_FUNCTIONS,
  ALLOWED_PRAGMAS,
  ALLOWED_VIRTUAL_TABLE_MODULES,
  FUNCTIONS_ABSENT_FROM_WORKERD,
  isBooleanPragmaValue,
} from "./allow-lists.js";
import { engineLacks } from "./engine-gaps.js";
import { sqliteError } from "./sqlite-error.js";
import { listItems, MAX_FUNCTION_ARGS } from "./parse-limits.js";
import { commonTableExpressions, namesCte, withoutUnusedCtes } from "./unused-ctes.js";
import { readReferences, writeTargets, type TableReference, type WriteTarget } from "./table-references.js";
import { joinsOnColumn, mergedColumns, usingLists, type ColumnNamesLookup } from "./joined-columns.js";
import { resolutionPositions } from "./resolution-order.js";
import { columnsVisitedAfter, type VisitedColumn } from "./resolution-walk.js";
import { closingParen, identifierName, isKeyword, isName, isObjectName, isPunct, tokenize, type Token } from "./tokenizer.js";
import { lowerAscii, upperAscii } from "../util/ascii-case.js";

/**
 * workerd's SQLite authorizer (`isAuthorized` in workerd/util/sqlite.c++), enforced on tokens
 * of a statement that sql.js has already prepared successfully, just before it runs. The order
 * "prepare, then authorize" makes SQLite's own errors (syntax, unknown tables) win, as in
 * workerd where the authorizer only sees statements that parse.
 */

export const TRANSACTION_MESSAGE =
  "To execute a transaction, please use the state.storage.transaction() or " +
  "state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT " +
  "statements. The JavaScript API is safer because it will automatically roll back on " +
  "exceptions, and because it interacts correctly with Durable Objects' automatic atomic write " +
  "coalescing.";

/** What the authorizer needs to know about the database. */
export interface SchemaLookup extends ColumnNamesLookup {
  /** The CREATE VIEW text of view `name`, or undefined if there is no such view. */
  viewSql(name: string): string | undefined;
  /** The CREATE TRIGGER texts of the triggers on `table`, newest first. */
  triggerSql(table: string): readonly string[];
  /** Whether the schema holds a `type` ("table", "index", "view", "trigger") named `name`. */
  hasObject(type: string, name: string): boolean;
}

/** The internal tables user SQL may not read, with their columns in declaration order. */
const PROTECTED_TABLES = new Map([
  ["_cf_kv", { name: "_cf_KV", columns: ["key", "value"] }],
  ["_cf_metadata", { name: "_cf_METADATA", columns: ["key", "value"] }],
]);

const TRANSACTION_KEYWORDS = new Set(["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"]);

/** Keywords after which `name(` is a function call rather than a table or type name. */
const EXPRESSION_KEYWORDS = new Set([
  "SELECT", "WHERE", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "CASE", "ON", "BY", "HAVING",
  "SET", "VALUES", "LIKE", "GLOB", "IS", "IN", "BETWEEN", "DISTINCT", "ALL", "RETURNING", "LIMIT",
  "OFFSET", "DEFAULT", "ESCAPE", "MATCH", "REGEXP",
]);

const MAX_VIEW_DEPTH = 16;

const notAuthorized = () => sqliteError("not authorized", "SQLITE_AUTH");

export function isProtectedName(name: string): boolean {
  return lowerAscii(name).startsWith("_cf_");
}

export function authorizeStatement(
  statement: string,
  tokens: readonly Token[],
  schema: SchemaLookup,
  engineFunctions: ReadonlySet<string>,
): void {
  authorizeTokens(statement, withoutExplainPrefix(tokens), schema, engineFunctions, undefined);
}

/**
 * `statement`'s checks, and those of the trigger bodies it fires. A trigger body is checked when
 * it fires, as SQLite's authorizer sees it then (errors name no place), not at CREATE TRIGGER;
 * likewise a view over _cf_KV can be created and is refused when read. `fired` holds the
 * triggers already checked for this statement (triggers may fire each other in cycles); it is
 * undefined for the statement itself.
 */
function authorizeTokens(
  statement: string,
  body: readonly Token[],
  schema: SchemaLookup,
  engineFunctions: ReadonlySet<string>,
  fired: Set<string> | undefined,
): void {
  body = withoutUnusedCtes(body);
  const verb = body[0]?.kind === "word" ? upperAscii(body[0].text) : "";
  if (TRANSACTION_KEYWORDS.has(verb)) throw new Error(TRANSACTION_MESSAGE);
  if (verb === "ATTACH" || verb === "DETACH") throw notAuthorized();
  if (verb === "PRAGMA") authorizePragma(body);
  if (verb === "CREATE") authorizeCreate(body);
  if (verb === "DROP" || verb === "ALTER") authorizeObjectNames(body, schema);
  if (verb === "ANALYZE") authorizeAnalyze(body);
  const creates = (kind: string) => verb === "CREATE" && body.slice(1, 4).some((t) => isKeyword(t, kind));
  if (creates("TRIGGER")) return;

  const targets = writeTargets(body);
  for (const target of targets) if (isProtectedName(target.name)) throw protectedWriteRefusal(body, target);
  // SQLite resolves a view's body (its reads and calls) where a statement reads the view.
  const resolved = !creates("VIEW");
  // It resolves a statement's own calls and column reads in the order written.
  if (resolved) refuseCallBeforeRead(statement, body, engineFunctions, fired === undefined);
  if (resolved) authorizeReads(body, schema, engineFunctions, 0);
  if (resolved) authorizeTableFunctions(body);
  if (resolved) authorizeFunctionCalls(statement, verb === "ALTER" ? addedDefaults(body) : body, engineFunctions, fired === undefined);
  const checked = fired ?? new Set<string>();
  for (const target of targets) {
    // SQLite codes a write's BEFORE triggers ahead of its AFTER ones, so a refused BEFORE
    // trigger is the statement's error even when a newer AFTER trigger is refused too.
    const triggers = schema
      .triggerSql(target.name)
      .map((trigger) => ({ trigger, tokens: tokenize(trigger) }))
      .filter(({ tokens }) => triggerEvent(tokens) === target.event)
      .sort((a, b) => Number(firesAfter(a.tokens)) - Number(firesAfter(b.tokens)));
    for (const { trigger, tokens } of triggers) {
      if (checked.has(trigger)) continue;
      checked.add(trigger);
      for (const statement of [...triggerCondition(tokens), ...triggerStatements(tokens)]) authorizeTokens("", statement, schema, engineFunctions, checked);
    }
  }
}

/**
 * Of `ALTER TABLE ... ADD COLUMN`, the tokens SQLite resolves while it runs: a `DEFAULT (...)`
 * expression, whose value it computes. A CHECK it resolves only as rows are written, and a
 * generated column as it reads the schema again, neither asking the authorizer.
 */
function addedDefaults(tokens: readonly Token[]): Token[] {
  return tokens.flatMap((t, i) => (isKeyword(t, "DEFAULT") && isPunct(tokens[i + 1], "(") ? tokens.slice(i + 1, closingParen(tokens, i + 1) + 1) : []));
}

/** Where `CREATE TRIGGER name [BEFORE|AFTER|INSTEAD OF] event ... ON table` names its event (-1: nowhere). */
function eventIndex(tokens: readonly Token[]): number {
  const on = tokens.findIndex((t) => isKeyword(t, "ON"));
  return tokens.slice(0, on).findIndex((t) => ["INSERT", "UPDATE", "DELETE"].some((k) => isKeyword(t, k)));
}

/** The trigger's event: INSERT, UPDATE or DELETE. */
function triggerEvent(tokens: readonly Token[]): string | undefined {
  const event = tokens[eventIndex(tokens)];
  return event === undefined ? undefined : upperAscii(event.text);
}

/** Whether the trigger fires AFTER its event (BEFORE is the default; INSTEAD OF is for views). */
function firesAfter(tokens: readonly Token[]): boolean {
  return isKeyword(tokens[eventIndex(tokens) - 1], "AFTER");
}

/**
 * A trigger's `WHEN` condition, as a SELECT of it: SQLite resolves it as the trigger fires,
 * before the body (`WHEN EXISTS (SELECT key FROM _cf_KV)` is refused then). None when absent.
 */
function triggerCondition(tokens: readonly Token[]): Token[][] {
  const begin = tokens.findIndex((t) => isKeyword(t, "BEGIN"));
  const when = tokens.slice(0, begin).findIndex((t) => isKeyword(t, "WHEN"));
  if (when === -1) return [];
  return [[{ kind: "word", text: "SELECT", start: tokens[when]!.start }, ...tokens.slice(when + 1, begin)]];
}

/** The statements between a trigger's BEGIN and its final END. */
function triggerStatements(tokens: readonly Token[]): Token[][] {
  const begin = tokens.findIndex((t) => isKeyword(t, "BEGIN"));
  const statements: Token[][] = [[]];
  for (const token of tokens.slice(begin + 1, -1)) {
    if (isPunct(token, ";")) statements.push([]);
    else statements.at(-1)!.push(token);
  }
  return statements.filter((statement) => statement.length > 0);
}

function withoutExplainPrefix(tokens: readonly Token[]): readonly Token[] {
  if (!isKeyword(tokens[0], "EXPLAIN")) return tokens;
  return isKeyword(tokens[1], "QUERY") && isKeyword(tokens[2], "PLAN") ? tokens.slice(3) : tokens.slice(1);
}

/** `[schema.]name` at `i`: the name, and whether the schema is `temp`. */
function objectNameAt(tokens: readonly Token[], i: number): { name?: string; temp: boolean; next: number } {
  if (isObjectName(tokens[i]) && isPunct(tokens[i + 1], ".") && isObjectName(tokens[i + 2])) {
    const temp = lowerAscii(identifierName(tokens[i]!)) === "temp";
    return { name: identifierName(tokens[i + 2]!), temp, next: i + 3 };
  }
  return { name: isObjectName(tokens[i]) ? identifierName(tokens[i]!) : undefined, temp: false, next: i + 1 };
}

function skipIfExists(tokens: readonly Token[], i: number): number {
  if (!isKeyword(tokens[i], "IF")) return i;
  return isKeyword(tokens[i + 1], "NOT") ? i + 3 : i + 2;
}

function authorizeCreate(tokens: readonly Token[]): void {
  let i = 1;
  if (isKeyword(tokens[i], "TEMP") || isKeyword(tokens[i], "TEMPORARY")) throw notAuthorized();
  const isVirtual = isKeyword(tokens[i], "VIRTUAL");
  if (isVirtual || isKeyword(tokens[i], "UNIQUE")) i++;
  const kind = tokens[i] === undefined ? undefined : upperAscii(tokens[i].text);
  const object = objectNameAt(tokens, skipIfExists(tokens, i + 1));
  if (object.temp || (object.name !== undefined && isProtectedName(object.name))) throw notAuthorized();
  if (isVirtual) authorizeVirtualTableModule(tokens, object.next);
  if (kind === "INDEX" || kind === "TRIGGER") {
    const on = tokens.findIndex((t, at) => at >= object.next && isKeyword(t, "ON"));
    const table = objectNameAt(tokens, on + 1).name;
    if (on !== -1 && table !== undefined && isProtectedName(table)) throw notAuthorized();
  }
}

function authorizeVirtualTableModule(tokens: readonly Token[], afterName: number): void {
  const using = tokens[afterName];
  const module = tokens[afterName + 1];
  if (!isKeyword(using, "USING") || !isName(module)) return;
  const name = lowerAscii(identifierName(module));
  if (ALLOWED_VIRTUAL_TABLE_MODULES.has(name)) throw engineLacks(`the "${name}" virtual table module`);
  throw notAuthorized();
}

/**
 * Whether `DROP <kind> IF EXISTS name` finds something to drop: SQLite looks a DROP TABLE or
 * DROP VIEW name up among tables and views alike (then refuses the wrong kind), so either is
 * found and authorized; an index or trigger only among its own kind.
 */
function droppedObjectExists(kind: string, name: string, schema: SchemaLookup): boolean {
  if (kind === "table" || kind === "view") return schema.hasObject("table", name) || schema.hasObject("view", name);
  return schema.hasObject(kind, name);
}

/**
 * DROP and ALTER TABLE (including its RENAME TO target). SQLite asks the authorizer only about
 * an object it found: `DROP ... IF EXISTS` of a missing one does nothing, unrefused.
 */
function authorizeObjectNames(tokens: readonly Token[], schema: SchemaLookup): void {
  const ifExists = isKeyword(tokens[2], "IF");
  const object = objectNameAt(tokens, skipIfExists(tokens, 2));
  if (object.temp || (object.name !== undefined && isProtectedName(object.name))) {
    // Nothing can be created in temp, so an IF EXISTS there never finds anything.
    const missing = ifExists && (object.temp || !droppedObjectExists(lowerAscii(tokens[1]!.text), object.name!, schema));
    if (!missing) throw notAuthorized();
  }
  const renameTo = tokens.findIndex((t, at) => isKeyword(t, "TO") && isKeyword(tokens[at - 1], "RENAME"));
  if (renameTo !== -1 && isObjectName(tokens[renameTo + 1]) && isProtectedName(identifierName(tokens[renameTo + 1]!))) {
    throw notAuthorized();
  }
}

/**
 * ANALYZE of the temp schema (`ANALYZE temp`, `ANALYZE temp.t`) would create its statistics
 * table there, which workerd refuses. SQLite asks nothing else: the tables it reads are
 * analysed by name (_cf_KV too, as REINDEX rebuilds its index), unrefused.
 */
function authorizeAnalyze(tokens: readonly Token[]): void {
  const subject = objectNameAt(tokens, 1);
  const schemaOnly = subject.next === 2 && subject.name !== undefined && lowerAscii(subject.name) === "temp";
  if (subject.temp || schemaOnly) throw notAuthorized();
}

/** For a statement that failed to prepare: refuses it if it is a PRAGMA workerd refuses. */
export function authorizePragmaName(tokens: readonly Token[]): void {
  if (!isKeyword(tokens[0], "PRAGMA")) return;
  const end = tokens.findIndex((t) => isPunct(t, ";"));
  authorizePragma(end === -1 ? tokens : tokens.slice(0, end));
}

/**
 * For a statement that failed to prepare, given the tokens SQLite's parser acted on
 * (prepare-failure's `tokensActedOn`): the parser asks the authorizer about a CREATE TABLE
 * once it has read the table's whole name (sqlite3StartTable), and about a virtual table once
 * it has read the module's, before it reads the rest: a TEMP table, a `_cf_` name or a module
 * workerd refuses is refused ahead of a later syntax error.
 */
export function authorizeTableStart(tokens: readonly Token[]): void {
  if (!isKeyword(tokens[0], "CREATE")) return;
  const isVirtual = isKeyword(tokens[1], "VIRTUAL");
  const kindAt = isVirtual || isKeyword(tokens[1], "TEMP") || isKeyword(tokens[1], "TEMPORARY") ? 2 : 1;
  if (!isKeyword(tokens[kindAt], "TABLE")) return;
  const nameAt = skipIfExists(tokens, kindAt + 1);
  const object = objectNameAt(tokens, nameAt);
  // A name cut off before its second part (`main.`) was not read whole.
  if (object.name === undefined || isPunct(tokens[object.next], ".")) return;
  // SQLite refuses a schema it does not know, or a TEMP table qualified by another, first.
  const schemaName = object.next === nameAt + 3 ? lowerAscii(identifierName(tokens[nameAt]!)) : undefined;
  if (schemaName !== undefined && schemaName !== "temp" && (schemaName !== "main" || (kindAt === 2 && !isVirtual))) return;
  if (!isVirtual || tokens.length > object.next + 1) authorizeCreate(tokens);
}

/**
 * For a statement that failed to prepare: refuses a DROP of a protected object SQLite found,
 * as its authorizer is asked about the object before SQLite checks its kind (`DROP VIEW
 * _cf_KV` is "not authorized", not "use DROP TABLE to delete table _cf_KV").
 */
export function authorizeDropTarget(tokens: readonly Token[], schema: SchemaLookup): void {
  if (!isKeyword(tokens[0], "DROP") || tokens[1]?.kind !== "word") return;
  const object = objectNameAt(tokens, skipIfExists(tokens, 2));
  const found = !object.temp && object.name !== undefined && droppedObjectExists(lowerAscii(tokens[1].text), object.name, schema);
  if (found && isProtectedName(object.name!)) throw notAuthorized();
}

function authorizePragma(tokens: readonly Token[]): void {
  const target = objectNameAt(tokens, 1);
  const qualified = target.next === 4;
  const schemaName = qualified ? lowerAscii(identifierName(tokens[1]!)) : "main";
  // A database that does not exist SQLite refuses itself, before it asks the authorizer.
  if (schemaName !== "main" && schemaName !== "temp") return;
  if (schemaName !== "main") throw notAuthorized();
  const rule = ALLOWED_PRAGMAS.get(lowerAscii(target.name ?? ""));
  if (rule === undefined) throw notAuthorized();
  const value = pragmaValue(tokens, target.next);
  if (!pragmaValueAllowed(rule, value)) throw notAuthorized();
}

/**
 * The argument of `PRAGMA x = v` or `PRAGMA x(v)`, as SQLite passes it to the authorizer: its
 * grammar drops the sign of `+1` (a minus it keeps), so `foreign_keys = +1` is the boolean `1`.
 */
function pragmaValue(tokens: readonly Token[], i: number): Token[] | undefined {
  const rest = tokens.slice(i).filter((t) => !isPunct(t, ";"));
  const unsigned = (value: Token[]) => (isPunct(value[0], "+") ? value.slice(1) : value);
  if (isPunct(rest[0], "=")) return unsigned(rest.slice(1));
  if (isPunct(rest[0], "(")) return unsigned(rest.slice(1, -1));
  return undefined;
}

function pragmaValueAllowed(rule: string, value: Token[] | undefined): boolean {
  if (value === undefined) return rule !== "object";
  const text = value.map((t) => t.text).join("");
  switch (rule) {
    case "read-only":
      return false;
    case "boolean":
      return isBooleanPragmaValue(text);
    case "object":
    case "optional-object":
      return value.length !== 1 || !isProtectedName(identifierName(value[0]!));
    case "integer":
      return /^-?(?:0[xX][0-9a-fA-F]+|[0-9]+)$/.test(value.length === 1 ? identifierName(value[0]!) : text);
    default:
      return true;
  }
}

/** Reading `_cf_KV`/`_cf_METADATA`, directly or through views. */
function authorizeReads(tokens: readonly Token[], schema: SchemaLookup, engineFunctions: ReadonlySet<string>, depth: number): void {
  const ctes = commonTableExpressions(tokens);
  // SQLite reports the first column it authorizes, of whichever protected table.
  const read = firstProtectedColumnRead(tokens, schema);
  if (read !== undefined) throw read.refusal;
  for (const reference of readReferences(tokens)) {
    if (namesCte(ctes, reference.name, reference.index)) continue;
    const table = PROTECTED_TABLES.get(lowerAscii(reference.name));
    if (table !== undefined) {
      // A read of no column (count(*), SELECT 1) fails on the table itself, unless a join was
      // made on one of its columns (unasked).
      if (!joinsOnColumn(tokens, reference, table.columns, schema)) throw notAuthorized();
      continue;
    }
    const view = depth < MAX_VIEW_DEPTH ? schema.viewSql(reference.name) : undefined;
    if (view !== undefined) authorizeViewBody(view, schema, engineFunctions, depth + 1);
  }
}

/** A view's body (its reads, PRAGMA table functions and calls), checked where a statement reads the view. */
function authorizeViewBody(view: string, schema: SchemaLookup, engineFunctions: ReadonlySet<string>, depth: number): void {
  const body = withoutUnusedCtes(viewBody(tokenize(view)));
  authorizeReads(body, schema, engineFunctions, depth);
  authorizeTableFunctions(body);
  // Its refusal names no place: the call is in the view's text, not the statement's.
  authorizeFunctionCalls("", body, engineFunctions, false);
}

/**
 * For a statement that failed to prepare with an error SQLite meets while resolving, at token
 * `failedAt`: the refusal workerd's authorizer met first, if it met one before that error. A
 * read of a protected column counts, and so does a view's body (SQLite resolves a view where
 * the statement names it: `SELECT nope FROM v` over `_cf_KV` is refused, not `no such column`).
 * So does a refused call: SQLite asks about a call before it resolves the arguments, which it
 * then skips, so `log10((SELECT nope))` is refused on log10 (`statement`: for its offset), but
 * `log10(1) + nope` is `no such column`.
 */
export function refusalBeforeFailure(statement: string, tokens: readonly Token[], failedAt: number, schema: SchemaLookup, engineFunctions: ReadonlySet<string>): Error | undefined {
  const positions = resolutionPositions(tokens);
  const met: Array<{ position: number; refusal: Error }> = [];
  const read = firstProtectedColumnRead(tokens, schema);
  // A "no such column" among the columns the walk went on to is the error that stands.
  if (read !== undefined && !read.visitedAfter.some(({ start, end }) => start <= failedAt && failedAt <= end)) met.push(read);
  const ctes = commonTableExpressions(tokens);
  for (const reference of readReferences(tokens)) {
    const view = namesCte(ctes, reference.name, reference.index) ? undefined : schema.viewSql(reference.name);
    if (view === undefined) continue;
    try {
      authorizeViewBody(view, schema, engineFunctions, 1);
    } catch (refusal) {
      met.push({ position: positions[reference.index]!, refusal: refusal as Error });
    }
  }
  tokens.forEach((token, i) => {
    // The walk goes on after the call as after a refused read: a column it fails on then replaces the refusal.
    const visited = isRefusedCall(tokens, i, engineFunctions) ? columnsVisitedAfter(tokens, closingParen(tokens, i + 1), positions) : undefined;
    if (visited !== undefined && !visited.some(({ start, end }) => start <= failedAt && failedAt <= end)) {
      met.push({ position: positions[i]!, refusal: callRefusal(statement, token, true) });
    }
  });
  return met.filter((m) => m.position < positions[failedAt]!).sort((a, b) => a.position - b.position)[0]?.refusal;
}

/**
 * Why a write to a protected table is refused. SQLite asks about an UPDATE column by column,
 * each once it has resolved the expression assigned to it: when the first expression reads a
 * column of the table, that read is what is refused (`SET key = key`). With a FROM clause the
 * expressions are resolved later, so the column's update is refused first, as any other write.
 */
function protectedWriteRefusal(tokens: readonly Token[], target: WriteTarget): Error {
  const table = PROTECTED_TABLES.get(lowerAscii(target.name));
  const set = tokens.findIndex((t, at) => at > target.index && isKeyword(t, "SET"));
  if (table === undefined || target.event !== "UPDATE" || set === -1) return notAuthorized();
  let end = set + 1;
  for (; end < tokens.length; end++) {
    const token = tokens[end]!;
    if (isPunct(token, "(")) end = closingParen(tokens, end);
    else if (isPunct(token, ",") || isPunct(token, ";") || (token.kind === "word" && SET_LIST_ENDS.has(upperAscii(token.text)))) break;
  }
  if (isKeyword(tokens[end], "FROM")) return notAuthorized();
  const item = tokens.slice(0, end);
  const assigned = item.findIndex((t, at) => at > set && isPunct(t, "="));
  const column = columnReads(item, { ...target, index: -1, scopeStart: assigned + 1, scopeEnd: end }, table, resolutionPositions(item), [])[0]?.column;
  return column === undefined ? notAuthorized() : prohibited(table.name, column);
}

/** Keywords that end the first item of an UPDATE's SET list (its other items end at a comma). */
const SET_LIST_ENDS = new Set(["FROM", "WHERE", "RETURNING", "ORDER", "LIMIT"]);

const prohibited = (table: string, column: string) => sqliteError(`access to ${table}.${column} is prohibited`, "SQLITE_AUTH");

function viewBody(tokens: Token[]): Token[] {
  const as = tokens.findIndex((t) => isKeyword(t, "AS"));
  return tokens.slice(as + 1);
}

/**
 * The first read of a protected table's column SQLite's resolver meets (not one through a
 * view), with the index of the token that reads it, its position in resolution order, the
 * refusal reported (that of the last refused read among the columns the walk visits after it,
 * see resolution-walk.ts) and those columns' tokens. Without `schema` a NATURAL join is taken
 * to merge no column.
 */
function firstProtectedColumnRead(tokens: readonly Token[], schema?: ColumnNamesLookup): { index: number; refusal: Error; position: number; visitedAfter: VisitedColumn[] } | undefined {
  const ctes = commonTableExpressions(tokens);
  const positions = resolutionPositions(tokens);
  const refusals = new Map<number, Error>();
  let first: number | undefined;
  for (const reference of readReferences(tokens)) {
    const table = PROTECTED_TABLES.get(lowerAscii(reference.name));
    if (table === undefined || namesCte(ctes, reference.name, reference.index)) continue;
    const merged = mergedColumns(tokens, reference, table.columns, schema);
    for (const read of columnReads(tokens, reference, table, positions, merged)) {
      if (!refusals.has(read.index)) refusals.set(read.index, prohibited(table.name, read.column));
      if (first === undefined || positions[read.index]! < positions[first]!) first = read.index;
    }
  }
  if (first === undefined) return undefined;
  // A `*` stands for result columns of their own, each walked apart.
  const visitedAfter = isPunct(tokens[first], "*") ? [] : columnsVisitedAfter(tokens, first, positions);
  const last = [first, ...visitedAfter.map((column) => column.end)].filter((i) => refusals.has(i)).at(-1)!;
  return { index: first, refusal: refusals.get(last)!, position: positions[first]!, visitedAfter };
}

/**
 * The columns of `table` the reference's (sub)query reads, in resolution order, and the tokens
 * that read them. `merged`: the columns a join takes from the table on its left, which an
 * unqualified `*` or name means.
 */
function columnReads(
  tokens: readonly Token[],
  reference: TableReference,
  table: { name: string; columns: string[] },
  positions: readonly number[],
  merged: readonly string[],
): Array<{ column: string; index: number }> {
  if (reference.wholeRow) return [{ column: table.columns[0]!, index: reference.index }];
  const reads: Array<{ column: string; index: number }> = [];
  const qualifiers = [table.name, reference.alias].flatMap((name) => (name === undefined ? [] : [lowerAscii(name)]));
  const isTableName = (t: Token | undefined) => isName(t) && qualifiers.includes(lowerAscii(identifierName(t)));
  const inUsingList = new Set(usingLists(tokens, reference).flatMap(({ open, close }) => Array.from({ length: close - open + 1 }, (_, k) => open + k)));
  const scope = Array.from({ length: reference.scopeEnd - reference.scopeStart }, (_, k) => reference.scopeStart + k);
  for (const i of scope.sort((a, b) => positions[a]! - positions[b]!)) {
    const token = tokens[i]!;
    const previous = tokens[i - 1];
    if (inUsingList.has(i) || positions[i] === Infinity) continue;
    if (isPunct(token, "*")) {
      const qualified = isPunct(previous, ".") && isTableName(tokens[i - 2]);
      const wildcard = ["SELECT", "DISTINCT", "ALL"].some((k) => isKeyword(previous, k)) || isPunct(previous, ",") || qualified;
      const listed = qualified ? table.columns : table.columns.filter((c) => !merged.includes(c));
      if (wildcard && listed.length > 0) reads.push({ column: listed[0]!, index: i });
    } else if (i !== reference.index && isName(token) && !isPunct(tokens[i + 1], "(")) {
      const column = table.columns.find((c) => c === lowerAscii(identifierName(token)));
      const qualified = isPunct(previous, ".");
      const qualifiedElsewhere = qualified && !isTableName(tokens[i - 2]);
      if (column !== undefined && !qualifiedElsewhere && (qualified || !merged.includes(column))) reads.push({ column, index: i });
    }
  }
  return reads;
}

/** `FROM pragma_<name>(...)`: table-valued PRAGMAs follow the PRAGMA allow-list. */
function authorizeTableFunctions(tokens: readonly Token[]): void {
  for (const reference of readReferences(tokens)) {
    const lower = lowerAscii(reference.name);
    if (!lower.startsWith("pragma_")) continue;
    const rule = ALLOWED_PRAGMAS.get(lower.slice("pragma_".length));
    const argument = isPunct(tokens[reference.index + 1], "(") ? tokens[reference.index + 2] : undefined;
    const protectedArgument =
      argument !== undefined && !isPunct(argument, ")") && isProtectedName(identifierName(argument));
    // table_list's argument is allowed whatever it names (`pragma_table_list('_cf_KV')`), as its PRAGMA's is.
    if (rule === undefined || (protectedArgument && rule !== "any")) throw notAuthorized();
  }
}

/** Words that open a parenthesised list without being a call (`x IN (...)`, `VALUES (...)`). */
const NOT_CALLS = new Set([
  "IN", "EXISTS", "VALUES", "AS", "USING", "OVER", "FILTER", "KEY", "CHECK", "UNIQUE", "ON", "INTO", "TABLE", "INDEX",
  "BY", "AND", "OR", "NOT", "SELECT", "WHERE", "THEN", "WHEN", "ELSE", "CASE", "IS", "BETWEEN", "LIKE", "GLOB",
  "REFERENCES", "DEFAULT", "RETURNING", "SET", "DO", "MATERIALIZED", "WINDOW", "PARTITION",
]);

/**
 * workerd's SQLITE_LIMIT_FUNCTION_ARG (127), which SQLite checks while parsing, before it
 * resolves the function (an unknown or fixed-arity one too) and in trigger bodies at CREATE
 * TRIGGER; sql.js allows 1000. The error names the call's place.
 */
export function checkFunctionArguments(statement: string, tokens: readonly Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isName(token) || !isPunct(tokens[i + 1], "(") || isPunct(tokens[i + 2], ")")) continue;
    if (token.kind === "word" && NOT_CALLS.has(upperAscii(token.text))) continue;
    // A call the parser never closed it never counted (the statement ended or failed first).
    if (closingParen(tokens, i + 1) === tokens.length || !isFunctionCall(tokens, i, false)) continue;
    if (listItems(tokens, i + 2).length > MAX_FUNCTION_ARGS) {
      const offset = utf8Length(statement.slice(0, token.start));
      throw sqliteError(`too many arguments on function ${identifierName(token)}`, "SQLITE_ERROR", { offset });
    }
  }
}

/**
 * For a statement that failed to prepare: refuses the call at `i` (the one SQLite's resolver
 * reported, see nondeterministic-calls.ts) if workerd refuses its function.
 */
export function authorizeCallAt(statement: string, tokens: readonly Token[], i: number, engineFunctions: ReadonlySet<string>): void {
  if (isRefusedCall(tokens, i, engineFunctions)) throw callRefusal(statement, tokens[i]!, true);
}

/** Whether the call at `i` is of a function workerd refuses (or lacks where sql.js has it). */
export function isRefusedCall(tokens: readonly Token[], i: number, engineFunctions: ReadonlySet<string>): boolean {
  const token = tokens[i];
  if (!isName(token) || !isPunct(tokens[i + 1], "(")) return false;
  const name = lowerAscii(identifierName(token));
  if (ALLOWED_FUNCTIONS.has(name) || !engineFunctions.has(name)) return false;
  const createsIndex = isKeyword(tokens[0], "CREATE") && tokens.slice(1, 3).some((t) => isKeyword(t, "INDEX"));
  return isFunctionCall(tokens, i, createsIndex);
}

/** workerd's refusal of a call; `located`: it names the call's place. */
function callRefusal(statement: string, token: Token, located: boolean): Error {
  const written = identifierName(token);
  const offset = located ? utf8Length(statement.slice(0, token.start)) : undefined;
  if (FUNCTIONS_ABSENT_FROM_WORKERD.has(lowerAscii(written))) return sqliteError(`no such function: ${written}`, "SQLITE_ERROR", { offset });
  return sqliteError(`not authorized to use function: ${written}`, "SQLITE_ERROR", { offset });
}

/**
 * Refuses a refused call among a SELECT's result columns written before its first read of a
 * protected column: SQLite resolves the result columns first, in order, and a read of no
 * column (`count(*)`) it refuses only once all is resolved. (Where it meets calls and reads
 * in other clauses is not followed: the read is refused first there.)
 */
function refuseCallBeforeRead(statement: string, tokens: readonly Token[], engineFunctions: ReadonlySet<string>, located: boolean): void {
  if (!isKeyword(tokens[0], "SELECT")) return;
  let from = 1;
  for (; from < tokens.length && !isKeyword(tokens[from], "FROM"); from++) if (isPunct(tokens[from], "(")) from = closingParen(tokens, from);
  const read = firstProtectedColumnRead(tokens);
  const protectedTable = readReferences(tokens).some((r) => PROTECTED_TABLES.has(lowerAscii(r.name)));
  const limit = Math.min(from, read?.index ?? (protectedTable ? from : 0));
  for (let i = 1; i < limit; i++) {
    if (isRefusedCall(tokens, i, engineFunctions)) throw callRefusal(statement, tokens[i]!, located);
  }
}

/** `located`: the error names the call's place (a trigger body's fires without one). */
function authorizeFunctionCalls(
  statement: string,
  tokens: readonly Token[],
  engineFunctions: ReadonlySet<string>,
  located: boolean,
): void {
  for (let i = 0; i < tokens.length; i++) {
    if (isRefusedCall(tokens, i, engineFunctions)) throw callRefusal(statement, tokens[i]!, located);
  }
}

/**
 * `name(` is a call unless it names a table (`CREATE TABLE t(`, `INTO t(`, `REFERENCES t(`,
 * `ON t(` in CREATE INDEX, `schema.t(`), a CTE or view column list (`c(x) AS (`), a type
 * (`b DECIMAL(10, 2)`, `CAST(x AS t(3))`) or a virtual table's module arguments (`USING m(`).
 * A call follows an operator, `(`, `,` or an expression keyword; a name in the positions above
 * follows some other word.
 */
function isFunctionCall(tokens: readonly Token[], i: number, createsIndex: boolean): boolean {
  const previous = tokens[i - 1];
  if (previous === undefined || isPunct(previous, ".") || previous.kind === "quoted") return false;
  if (previous.kind === "word") {
    const keyword = upperAscii(previous.text);
    // `a IS [NOT] DISTINCT FROM f(x)`: the operator's FROM, not a clause's.
    const operand = keyword === "FROM" && isKeyword(tokens[i - 2], "DISTINCT");
    if (!operand && (!EXPRESSION_KEYWORDS.has(keyword) || (keyword === "ON" && createsIndex))) return false;
  }
  return !startsCteBody(tokens, closingParen(tokens, i + 1) + 1);
}

/**
 * `AS (`, `AS MATERIALIZED (` or `AS NOT MATERIALIZED (` after `c(x)`: a later CTE's column
 * list (`WITH a AS (...), c(x) AS (...)`). A call followed by `AS alias` stays a call.
 */
function startsCteBody(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  return isKeyword(tokens[i], "AS") && (isPunct(next, "(") || isKeyword(next, "MATERIALIZED") || isKeyword(next, "NOT"));
}
