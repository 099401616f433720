import { utf8Length } from "../../util/utf8.js";
import type { SqliteBackend } from "../backends/sqlite.js";
import { authorizePragmaName, authorizeStatement } from "../../sqlite/authorizer.js";
import { checkBoundLength, toBoundValue } from "../../sqlite/bound-values.js";
import type { SqliteConnection } from "../../sqlite/connection.js";
import { connectionSetting, needsImplicitTransaction } from "../../sqlite/connection-settings.js";
import { CURSOR_CONSTRUCTOR, SqlStorageCursor } from "./sql-cursor.js";
import { requireSqlite } from "./sqlite-only.js";
import { defineInterface, illegalConstructor, requireArgument, site, toIdlString } from "../../util/webidl.js";
import { getSqlEngine } from "../../sqlite/engine.js";
import { countParameters } from "../../sqlite/parameters.js";
import { checkParseLimits } from "../../sqlite/parse-limits.js";
import { prepareFailure } from "../../sqlite/prepare-failure.js";
import { statementShape } from "../../sqlite/row-counters.js";
import { sqliteError } from "../../sqlite/sqlite-error.js";
import type { BoundValue, PreparedStatement, SqlStorageValue } from "../../sqlite/statement.js";
import { isWhitespace, tokenize, type Token } from "../../sqlite/tokenizer.js";

/** workerd's SQLITE_LIMIT_SQL_LENGTH, in UTF-8 bytes. */
export const MAX_SQL_LENGTH = 100_000;

export interface SqlStorageHooks {
  /** Called before any statement runs, so the storage layer can open its implicit batch. */
  beforeStatement(): void;
}

const SQL = "SqlStorage";
const EXEC = site(SQL, "exec");

/**
 * `ctx.storage.sql`: workerd's SqlStorage over a SqliteBackend's database. Without a backend
 * (a KV-backed object) it converts its arguments, then refuses.
 */
export class SqlStorage {
  readonly #backend: SqliteBackend | undefined;
  readonly #hooks: SqlStorageHooks | undefined;

  constructor(backend: SqliteBackend | undefined, hooks: SqlStorageHooks | undefined) {
    this.#backend = backend;
    this.#hooks = hooks;
  }

  /**
   * Runs every `;`-separated statement of `query`; all but the last run at once (only the last
   * may take parameters) and the cursor is the last one's, already stepped to its first row.
   */
  exec<T extends Record<string, SqlStorageValue> = Record<string, SqlStorageValue>>(
    query: string,
    ...bindings: unknown[]
  ): SqlStorageCursor<T> {
    requireArgument(EXEC, arguments.length, 1, "String");
    let remaining = toIdlString(query).toWellFormed();
    const values = bindings.map(toBoundValue);
    const connection = requireSqlite(this.#backend, "sql").connection;
    for (;;) {
      const statement = prepareFirst(connection, remaining);
      const text = statement.sql;
      const rest = trimStart(remaining.slice(text.length));
      try {
        if (rest === "") return this.#runLast(connection, statement, text, values);
        this.#runIntermediate(connection, statement, text);
      } finally {
        if (rest !== "") connection.release(statement);
      }
      remaining = rest;
    }
  }

  /** `(page_count - freelist_count) * page_size`. */
  get databaseSize(): number {
    return requireSqlite(this.#backend, "sql").databaseSize();
  }

  static {
    defineInterface(this, SQL, (value) => typeof value === "object" && value !== null && #backend in value);
    // The runtime exposes its SQL classes' constructors here (uncallable, but usable with instanceof).
    for (const [name, constructor] of [["Cursor", CURSOR_CONSTRUCTOR], ["Statement", illegalConstructor("Statement")]] as const) {
      Object.defineProperty(this.prototype, name, { value: constructor, enumerable: true, writable: true, configurable: true });
    }
  }

  #runIntermediate(connection: SqliteConnection, statement: PreparedStatement, text: string): void {
    const { tokens, parameters } = checkStatement(connection, text);
    if (parameters > 0) {
      throw new Error(
        "When executing multiple SQL statements in a single call, only the last statement can have parameters.",
      );
    }
    this.#beforeStatement(tokens);
    // workerd steps an intermediate statement once and discards any row it returns.
    statement.step();
    this.#afterFirstStep(connection, text, tokens);
  }

  #runLast<T extends Record<string, SqlStorageValue>>(
    connection: SqliteConnection,
    statement: PreparedStatement,
    text: string,
    values: BoundValue[],
  ): SqlStorageCursor<T> {
    try {
      const { tokens, parameters } = checkStatement(connection, text);
      if (parameters !== values.length) throw new Error("Wrong number of parameter bindings for SQL query.");
      values.forEach(checkBoundLength);
      statement.bind(values);
      this.#beforeStatement(tokens);
      const hasRow = statement.step();
      this.#afterFirstStep(connection, text, tokens);
      return new SqlStorageCursor<T>(connection, statement, statementShape(tokens), hasRow);
    } catch (error) {
      connection.release(statement);
      throw error;
    }
  }

  /** Opens the implicit transaction for a statement that needs it (see needsImplicitTransaction). */
  #beforeStatement(tokens: readonly Token[]): void {
    if (this.#backend!.inBatch || needsImplicitTransaction(tokens)) this.#hooks!.beforeStatement();
  }

  #afterFirstStep(connection: SqliteConnection, text: string, tokens: readonly Token[]): void {
    if (statementShape(tokens).changesSchema) connection.schema.invalidate();
    const setting = connectionSetting(tokens, this.#backend!.inBatch);
    if (setting !== undefined) connection.rememberSetting(setting, text);
  }
}

/** Prepares the first statement of `sql`, failing as workerd would. */
function prepareFirst(connection: SqliteConnection, sql: string): PreparedStatement {
  if (utf8Length(sql) > MAX_SQL_LENGTH) throw sqliteError("statement too long", "SQLITE_TOOBIG");
  try {
    return connection.prepare(sql);
  } catch (error) {
    // sql.js throws the string "Nothing to prepare" for SQL without a statement.
    if (typeof error === "string") throw new Error("SQL code did not contain a statement.");
    const message = error instanceof Error ? error.message : String(error);
    const tokens = tokenize(sql);
    // workerd's authorizer sees a PRAGMA before SQLite checks its value ("Safety level may not
    // be changed inside a transaction" and the like).
    authorizePragmaName(tokens);
    throw prepareFailure(message, sql, tokens, (prefix) => connection.prepareError(prefix));
  }
}

/**
 * What a statement sql.js prepared must still pass before it runs: workerd's parse-time limits
 * and its authorizer. Returns the tokens and the number of parameters it takes.
 */
function checkStatement(connection: SqliteConnection, text: string): { tokens: Token[]; parameters: number } {
  const tokens = tokenize(text);
  const parameters = countParameters(text, tokens);
  checkParseLimits(tokens);
  authorizeStatement(text, tokens, connection.schema, getSqlEngine().functionNames);
  return { tokens, parameters };
}

function trimStart(sql: string): string {
  let i = 0;
  while (isWhitespace(sql[i])) i++;
  return sql.slice(i);
}
