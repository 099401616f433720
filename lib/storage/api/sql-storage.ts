import { inCodeRealm } from "../../util/code-realm.js";
import { utf8Length } from "../../util/utf8.js";
import type { SqliteBackend } from "../backends/sqlite.js";
import { authorizeCallAt, authorizeDropTarget, authorizePragmaName, authorizeTableStart, checkFunctionArguments, isRefusedCall, refusalBeforeFailure } from "../../sqlite/authorizer.js";
import { checkBoundLength, toBoundValue } from "../../sqlite/bound-values.js";
import { authorizePragmaArguments } from "../../sqlite/pragma-arguments.js";
import { checkTableColumns } from "../../sqlite/parse-limits.js";
import type { LentStatement, SqliteConnection } from "../../sqlite/connection.js";
import { connectionSetting } from "../../sqlite/connection-settings.js";
import type { StorageMeter } from "../meter.js";
import type { StorageIoType } from "../io-types.js";
import { CURSOR_CONSTRUCTOR, SqlStorageCursor } from "./sql-cursor.js";
import { StatementChains } from "./statement-chains.js";
import { type ContextOwner, type SqliteHooksMark, sqliteHooksOf } from "./sqlite-only.js";
import { arrangeMembers, defineInterface, illegalConstructor, requireArgument, site, toIdlString } from "../../util/webidl.js";
import { getSqlEngine } from "../../sqlite/engine.js";
import { reportedCall } from "../../sqlite/nondeterministic-calls.js";
import { prepareFailure, resolutionFailureAt, tokensActedOn } from "../../sqlite/prepare-failure.js";
import { programWrites } from "../../sqlite/program-writes.js";
import { sqliteError } from "../../sqlite/sqlite-error.js";
import { analyzeStatement, type StatementAnalysis } from "../../sqlite/statement-analysis.js";
import type { BoundValue, SqlStorageValue } from "../../sqlite/statement.js";
import { isPunct, tokenize } from "../../sqlite/tokenizer.js";

const WRONG_BINDINGS = "Wrong number of parameter bindings for SQL query.";

/** workerd's SQLITE_LIMIT_SQL_LENGTH, in UTF-8 bytes. */
export const MAX_SQL_LENGTH = 100_000;

export interface SqlStorageHooks extends SqliteHooksMark {
  /** The database. */
  readonly backend: SqliteBackend;
  /** The database, once the instance may still reach it: after a reset it throws the runtime's error. */
  reachableBackend(): SqliteBackend;
  /** Called before any statement runs, so the storage layer can open its implicit batch. */
  beforeStatement(): void;
  /** Counts statements and the rows they read and write. */
  readonly meter: StorageMeter;
  /** Throws the runtime's refusal when code of another I/O context uses what it holds (see WriteOwner). */
  assertOwnContext(ioType: StorageIoType): void;
  /** Throws the runtime's error once the object was reset or evicted (its storage closed). */
  assertUsable(): void;
}

const SQL = "SqlStorage";
const EXEC = site(SQL, "exec");

/**
 * `ctx.storage.sql`: workerd's SqlStorage over a SqliteBackend's database. Without a backend
 * (a KV-backed object) it converts its arguments, then refuses.
 */
export class SqlStorage {
  /**
   * The hooks, or on a KV-backed object its instance, which refuses another I/O context's code
   * before the API refuses the object (one field: every object has a `storage.sql`; see SQLITE_HOOKS).
   */
  readonly #hooks: SqlStorageHooks | ContextOwner;

  /** Texts of several statements run so far, as workerd's statement cache holds them (made at the first). */
  #chains: StatementChains | undefined;

  constructor(hooks: SqlStorageHooks | ContextOwner) {
    this.#hooks = hooks;
  }

  /**
   * Runs every `;`-separated statement of `query`; all but the last run at once (only the last
   * may take parameters) and the cursor is the last one's, already stepped to its first row.
   */
  exec<T extends Record<string, SqlStorageValue> = Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T>;
  // One rest array for the query and its bindings: `arguments` or a second parameter would
  // make another array per call, and this runs per statement.
  exec(...args: unknown[]): SqlStorageCursor {
    try {
      return SqlStorage.#exec(this, args);
    } catch (error) {
      // What the code catches is of its realm (`error instanceof Error`, see util/code-realm.ts).
      throw inCodeRealm(error);
    }
  }

  static #exec(self: SqlStorage, args: unknown[]): SqlStorageCursor {
    requireArgument(EXEC, args.length, 1, "String");
    // Lone surrogates stay: SQLite gets them as WTF-8 bytes, as workerd's statements do.
    let remaining = toIdlString(args[0]);
    // The bindings are converted in place, after the query (the array is this call's own).
    for (let i = 1; i < args.length; i++) args[i] = toBoundValue(args[i]);
    const connection = sqliteHooksOf<SqlStorageHooks>(self.#hooks, "sql").reachableBackend().connection;
    const text = remaining;
    let run = self.#chains?.ran(connection, text);
    try {
      for (let index = 0; ; index++) {
        // workerd holds a cached text's statements prepared: one left busy is refused before
        // SQLite would recompile it for a changed schema.
        run?.arrive(index);
        const statement = prepareFirst(connection, remaining, args.length - 1, index === 0);
        const analysis = statement.entry!.analysis;
        const { rest } = analysis;
        if (rest === "") {
          if (run === undefined) self.#chains?.found(connection);
          else run.ended(statement);
          return SqlStorage.#runLast(self, connection, statement, analysis, args as [unknown, ...BoundValue[]]);
        }
        let kept = false;
        try {
          run ??= (self.#chains ??= new StatementChains()).first(connection, text);
          kept = run.keeps(index, statement, SqlStorage.#runIntermediate(self, connection, statement, analysis), analysis.opensTransaction);
        } finally {
          if (!kept) connection.release(statement);
        }
        remaining = rest;
      }
    } catch (error) {
      run?.failed();
      throw error;
    }
  }

  /** `(page_count - freelist_count) * page_size`. */
  get databaseSize(): number {
    return sqliteHooksOf<SqlStorageHooks>(this.#hooks, "sql").reachableBackend().databaseSize();
  }

  static {
    defineInterface(this, SQL, (value) => typeof value === "object" && value !== null && #hooks in value);
    // The runtime exposes its SQL classes' constructors here (uncallable, but usable with instanceof).
    for (const [name, constructor] of [["Cursor", CURSOR_CONSTRUCTOR], ["Statement", illegalConstructor("Statement")]] as const) {
      Object.defineProperty(this.prototype, name, { value: constructor, enumerable: true, writable: true, configurable: true });
    }
    arrangeMembers(this.prototype, ["exec", "databaseSize", "Cursor", "Statement"]);
  }

  /** Runs a statement before the last one: one step. Whether it returned a row. */
  static #runIntermediate(self: SqlStorage, connection: SqliteConnection, statement: LentStatement, analysis: StatementAnalysis): boolean {
    if (analysis.parameters > 0) {
      throw new Error(
        "When executing multiple SQL statements in a single call, only the last statement can have parameters.",
      );
    }
    SqlStorage.#beforeStatement(self, connection, statement, analysis);
    statement.beginCountedRun(analysis.shape.kind);
    // workerd steps an intermediate statement once and discards any row it returns.
    const returned = statement.step() ? 1 : 0;
    SqlStorage.#afterFirstStep(self, connection, analysis);
    statement.countRows(analysis.shape.kind, returned);
    const written = statement.rowsWritten;
    (self.#hooks as SqlStorageHooks).meter.rows(statement.rowsRead, written, written > 0 || analysis.shape.changesSchema);
    return returned === 1;
  }

  static #runLast<T extends Record<string, SqlStorageValue>>(
    self: SqlStorage,
    connection: SqliteConnection,
    statement: LentStatement,
    analysis: StatementAnalysis,
    args: [unknown, ...BoundValue[]],
  ): SqlStorageCursor<T> {
    try {
      if (analysis.parameters !== args.length - 1) throw new Error(WRONG_BINDINGS);
      for (let i = 1; i < args.length; i++) checkBoundLength(args[i] as BoundValue);
      statement.bind(args, 1);
      SqlStorage.#beforeStatement(self, connection, statement, analysis);
      statement.beginCountedRun(analysis.shape.kind);
      // As its first step would fail in workerd, the PRAGMA it runs refused.
      authorizePragmaArguments(analysis.pragmaArguments, args.slice(1));
      const hasRow = statement.step();
      SqlStorage.#afterFirstStep(self, connection, analysis);
      return new SqlStorageCursor<T>(connection, statement, analysis.shape, hasRow, self.#hooks as SqlStorageHooks);
    } catch (error) {
      connection.release(statement);
      throw error;
    }
  }

  /** Opens the implicit transaction for a statement that needs it (see needsImplicitTransaction). */
  static #beforeStatement(self: SqlStorage, connection: SqliteConnection, statement: LentStatement, analysis: StatementAnalysis): void {
    const hooks = self.#hooks as SqlStorageHooks;
    let opens = analysis.opensTransaction;
    if (statement.heldWrites !== undefined) opens = connection.recompile(statement);
    // The statement's fact first: both are read on every call then, and V8's optimised code has
    // seen both (the batch is closed only at a request's first statement).
    if (opens || hooks.backend.inBatch) hooks.beforeStatement();
    hooks.meter.statement();
  }

  static #afterFirstStep(self: SqlStorage, connection: SqliteConnection, analysis: StatementAnalysis): void {
    if (analysis.shape.changesSchema) connection.schema.afterDdl();
    if (!analysis.isPragma) return;
    const setting = connectionSetting(analysis.tokens, (self.#hooks as SqlStorageHooks).backend.inBatch);
    if (setting !== undefined) connection.rememberSetting(setting, analysis.text);
  }
}

/**
 * Prepares the first statement of `sql` and checks it, failing as workerd would; a statement
 * already checked under the current schema comes from the connection's statement cache.
 * `bound`: how many values the call binds, checked first against a statement workerd holds.
 * `whole`: exec() was given `sql` (not the rest of a text of several statements).
 */
function prepareFirst(connection: SqliteConnection, sql: string, bound: number, whole: boolean): LentStatement {
  const cached = connection.reuse(sql, whole);
  if (cached !== undefined) return cached;
  try {
    return prepareAnew(connection, sql, bound, whole);
  } catch (error) {
    // workerd's cache holds a text that failed to prepare, as the most recently run.
    connection.failedToPrepare(sql, whole);
    throw error;
  }
}

function prepareAnew(connection: SqliteConnection, sql: string, bound: number, whole: boolean): LentStatement {
  if (utf8Length(sql) > MAX_SQL_LENGTH) throw sqliteError("statement too long", "SQLITE_TOOBIG");
  let statement: LentStatement;
  try {
    statement = connection.prepare(sql);
  } catch (error) {
    const extendedCode = connection.lastExtendedCode();
    const recordedOffset = connection.lastErrorOffset();
    // sql.js throws the string "Nothing to prepare" for SQL without a statement.
    if (typeof error === "string") throw new Error("SQL code did not contain a statement.");
    // workerd checks the bindings of the statement it still holds before SQLite recompiles it.
    const held = connection.heldParameters(sql);
    if (held !== undefined && held !== bound) throw new Error(WRONG_BINDINGS);
    const message = error instanceof Error ? error.message : String(error);
    const tokens = tokenize(sql);
    const attempt = (prefix: string) => connection.prepareError(prefix);
    const parsed = tokensActedOn(message, sql, tokens, attempt);
    if (parsed === undefined) {
      // workerd's authorizer sees a PRAGMA before SQLite checks its value ("Safety level may not
      // be changed inside a transaction" and the like), but only one that parsed.
      authorizePragmaName(tokens);
      authorizeDropTarget(tokens, connection.schema);
    }
    // So are the checks SQLite makes as it parses, on what it parsed: a CREATE TABLE's name and
    // columns, and a call with more arguments than workerd allows (reported
    // before the function is looked up: "no such function", "wrong number of arguments").
    const read = parsed ?? tokens;
    const end = read.findIndex((token) => isPunct(token, ";"));
    const first = end < 0 ? read : read.slice(0, end);
    authorizeTableStart(first);
    checkTableColumns(first);
    checkFunctionArguments(sql, first);
    // In an index or generated column sql.js refuses a call as non-deterministic where workerd's
    // resolver may have met a refused function last (sqlite_version() is both).
    const engineFunctions = getSqlEngine().functionNames;
    const reported = reportedCall(message, tokens, (i) => isRefusedCall(tokens, i, engineFunctions));
    if (reported !== undefined) authorizeCallAt(sql, tokens, reported, engineFunctions);
    // A refused read of _cf_KV (or a view's refused body) that workerd's resolver met before
    // SQLite's error is its error.
    const failedAt = resolutionFailureAt(message, sql, tokens, attempt);
    const refusal = failedAt === undefined ? undefined : refusalBeforeFailure(sql, tokens, failedAt, connection.schema, engineFunctions);
    if (refusal !== undefined) throw refusal;
    throw prepareFailure(message, extendedCode, recordedOffset, sql, tokens, attempt);
  }
  try {
    const writes = (explain: string): boolean => programWrites(connection.database(), explain);
    const analysis = analyzeStatement(sql, statement.sql, connection.schema, getSqlEngine().functionNames, statement.columnNames().length, writes);
    connection.remember(sql, statement, analysis, whole);
    return statement;
  } catch (error) {
    connection.release(statement);
    throw error;
  }
}
