/** The C entry points sql.js exports but does not wrap in a way we can use. */
export interface SqliteWasm {
  _sqlite3_step(stmt: number): number;
  _sqlite3_bind_double(stmt: number, index: number, value: number): number;
  _sqlite3_bind_text(stmt: number, index: number, text: number, bytes: number, destructor: number): number;
  _sqlite3_bind_blob(stmt: number, index: number, blob: number, bytes: number, destructor: number): number;
  _sqlite3_errmsg(db: number): number;
  _sqlite3_changes(db: number): number;
  _sqlite3_sql(stmt: number): number;
  _sqlite3_column_text(stmt: number, column: number): number;
  _sqlite3_column_name(stmt: number, column: number): number;
  _sqlite3_column_type(stmt: number, column: number): number;
  _sqlite3_column_blob(stmt: number, column: number): number;
  _sqlite3_column_bytes(stmt: number, column: number): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  UTF8ToString(pointer: number): string;
  stringToNewUTF8(text: string): number;
  writeArrayToMemory(bytes: ArrayLike<number>, pointer: number): void;
  _sqlite3_create_function_v2(
    db: number, name: number, arity: number, flags: number, data: number, call: number, step: number, final: number, destroy: number,
  ): number;
  _sqlite3_result_error(context: number, message: number, bytes: number): void;
  addFunction(call: (...args: number[]) => void, signature: string): number;
}
