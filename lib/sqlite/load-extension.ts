import type { SqliteWasm } from "./wasm-exports.js";

/**
 * workerd's SQLite has `load_extension()` built in, with extension loading off: a call is
 * resolved like any other and refuses only as it runs ("not authorized"), so one that never
 * runs (`WHERE 0 AND load_extension('x')`, a table without rows) does nothing, and one with the
 * wrong number of arguments is SQLite's arity error. Schema code (a view, trigger, CHECK or
 * index) may not call it at all: it is SQLITE_DIRECTONLY ("unsafe use of load_extension()").
 * sql.js is built without it, so each database gets a stand-in with the same name, arities
 * (one or two arguments) and flags, registered through SQLite's C API, as sql.js's own
 * create_function() cannot give a function SQLITE_DIRECTONLY.
 */

const SQLITE_UTF8 = 1;
const SQLITE_DIRECTONLY = 0x80000;
const ARITIES = [1, 2];

/** A function that gives a database the stand-in, made once per engine (its C strings and callback live as long as the module). */
export function loadExtensionStandIn(wasm: SqliteWasm): (databasePointer: number) => void {
  const name = wasm.stringToNewUTF8("load_extension");
  const refusal = wasm.stringToNewUTF8("not authorized");
  // void xFunc(sqlite3_context*, int argc, sqlite3_value** argv)
  const refuse = wasm.addFunction((context: number) => wasm._sqlite3_result_error(context, refusal, -1), "viii");
  return (databasePointer) => {
    for (const arity of ARITIES) {
      const code = wasm._sqlite3_create_function_v2(databasePointer, name, arity, SQLITE_UTF8 | SQLITE_DIRECTONLY, 0, refuse, 0, 0, 0);
      if (code !== 0) throw new Error(`durasim internal: cannot register load_extension() (SQLite code ${code})`);
    }
  };
}
