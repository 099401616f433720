// PRAGMAs as workerd's authorizer sees them: the name against its allow-list, then the value as
// SQLite hands it over (`= +1` loses its sign; a keyword such as DELETE or DEFAULT is passed as
// written), a table or index name against the protected tables, `optimize`'s bit mask as an
// integer (a name, even an unprotected one, is refused). Each statement runs on its own, in
// order, against one object where `_cf_KV` and `_cf_METADATA` exist.
import { inside } from "../scenario.mjs";
import { withInternalTables } from "./sql-protected-tables.mjs";

const statements = withInternalTables("sql pragma arguments");

const SCHEMA = "CREATE TABLE t (a INTEGER PRIMARY KEY, b UNIQUE, c AS (a + 1), d AS (a * 2) STORED); CREATE INDEX t_c ON t (c); CREATE VIEW v AS SELECT a, b FROM t; CREATE TABLE w (k TEXT PRIMARY KEY, x) WITHOUT ROWID";

export default [
  statements("PRAGMAs off workerd's list", SCHEMA, [
    "PRAGMA writable_schema", "PRAGMA writable_schema = 1", "PRAGMA trusted_schema", "PRAGMA temp_store", "PRAGMA mmap_size", "PRAGMA locking_mode", "PRAGMA secure_delete",
    "PRAGMA application_id", "PRAGMA application_id = 5", "PRAGMA analysis_limit", "PRAGMA soft_heap_limit", "PRAGMA hard_heap_limit", "PRAGMA threads", "PRAGMA wal_checkpoint",
    "PRAGMA wal_autocheckpoint", "PRAGMA shrink_memory", "PRAGMA module_list", "PRAGMA pragma_list", "PRAGMA stats", "PRAGMA count_changes", "PRAGMA full_column_names",
    "PRAGMA short_column_names", "PRAGMA incremental_vacuum", "PRAGMA query_only", "PRAGMA query_only = 1", "PRAGMA automatic_index", "PRAGMA cell_size_check", "PRAGMA cache_spill",
    "PRAGMA read_uncommitted", "PRAGMA schema_version = 1", "PRAGMA data_version = 1", "PRAGMA page_size = 4096", "PRAGMA function_list", "PRAGMA collation_list",
  ]),
  statements("table and index names", SCHEMA, [
    "PRAGMA table_info = t", "PRAGMA table_info('t')", "PRAGMA table_info(\"t\")", "PRAGMA table_xinfo(t)", "PRAGMA table_info(v)", "PRAGMA table_info(w)", "PRAGMA index_list(w)",
    "PRAGMA index_info(t_c)", "PRAGMA index_xinfo(t_c)", "PRAGMA index_info(nope)", "PRAGMA index_list(t)", "PRAGMA index_info(sqlite_autoindex_t_1)", "PRAGMA index_xinfo(sqlite_autoindex_w_1)",
    "PRAGMA table_info(sqlite_master)", "PRAGMA table_info(sqlite_schema)", "PRAGMA index_list(sqlite_master)", "PRAGMA table_list(t)", "PRAGMA table_list(nope)",
    "PRAGMA main.quick_check", "PRAGMA quick_check(w)", "PRAGMA quick_check(v)", "PRAGMA integrity_check(t)", "PRAGMA foreign_key_check(v)", "PRAGMA case_sensitive_like", "PRAGMA legacy_alter_table", "PRAGMA temp.foreign_keys",
  ]),
  statements("the protected tables as arguments", SCHEMA, [
    "PRAGMA table_list", "PRAGMA table_list(_cf_KV)", "PRAGMA table_info(_cf_METADATA)", "PRAGMA table_xinfo(_cf_METADATA)", "PRAGMA index_list(_cf_METADATA)", "PRAGMA index_info(sqlite_autoindex__cf_KV_1)",
    "PRAGMA foreign_key_list(_cf_KV)", "PRAGMA quick_check(_cf_KV)", "PRAGMA foreign_key_check(_cf_KV)", "PRAGMA quick_check('_cf_METADATA')",
    "SELECT * FROM pragma_table_list('_cf_KV')", "SELECT name FROM pragma_table_list('_cf_METADATA')", "SELECT * FROM pragma_table_info('_cf_KV', 'main')",
    "SELECT * FROM pragma_foreign_key_check('_cf_KV')", "SELECT * FROM pragma_index_list('t')", "SELECT * FROM pragma_table_info('t', 'main')",
  ]),
  statements("boolean values: signs, keywords and odd spellings", "", [
    "PRAGMA foreign_keys = +1", "PRAGMA foreign_keys", "PRAGMA foreign_keys = +0", "PRAGMA foreign_keys", "PRAGMA foreign_keys(+1)", "PRAGMA foreign_keys = - 1", "PRAGMA recursive_triggers = +1",
    "PRAGMA foreign_keys = DELETE", "PRAGMA foreign_keys = DEFAULT", "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys = \"\"", "PRAGMA foreign_keys = 'of'", "PRAGMA foreign_keys = x",
    "PRAGMA foreign_keys = 0x1", "PRAGMA foreign_keys = 1.5", "PRAGMA case_sensitive_like = +0", "PRAGMA defer_foreign_keys = +2",
  ]),
  statements("optimize's argument is an integer", "CREATE TABLE t (x)", [
    "PRAGMA optimize", "PRAGMA optimize(_cf_KV)", "PRAGMA optimize('_cf_kv')", "PRAGMA optimize = _cf_METADATA", "PRAGMA optimize(t)", "PRAGMA optimize(0x10002)", "PRAGMA optimize = -1",
    "PRAGMA main.optimize(_cf_KV)", "PRAGMA optimize(\"_CF_x\")", "PRAGMA optimize('2')", "PRAGMA optimize(+2)", "PRAGMA optimize(1.5)", "PRAGMA optimize(abc)", "PRAGMA optimize = ON",
    "PRAGMA optimize(-0x10)", "PRAGMA optimize = - 3",
  ]),
  // The PRAGMA runs, and is authorized, as the statement is stepped: the first step fails.
  inside("sql pragma arguments: a table-valued PRAGMA's argument bound as a parameter", "sqlite", `
    const sql = s.sql;
    await s.put("k", 1);
    await s.setAlarm(Date.now() + 3600000);
    sql.exec("CREATE TABLE t (x)");
    const out = {};
    for (const [text, ...args] of [
      ["SELECT name FROM pragma_table_info(?)", "_cf_KV"], ["SELECT name FROM pragma_table_info(?)", "t"], ["SELECT name FROM pragma_table_info(?1)", "_cf_METADATA"],
      ["SELECT name FROM pragma_table_list(?)", "_cf_KV"], ["SELECT name FROM pragma_index_list(?)", "_cf_KV"], ["SELECT name FROM pragma_table_info(:n)", "_cf_KV"],
      ["SELECT name FROM pragma_table_xinfo(@n)", "_cf_KV"], ["SELECT name FROM pragma_table_info(?)", "nope"], ["SELECT name FROM pragma_table_info(?)", "_CF_kv"],
      ["SELECT name FROM pragma_table_info(?, 'main')", "_cf_KV"], ["SELECT name FROM pragma_table_info('t', ?)", "_cf_KV"], ["SELECT name FROM pragma_table_info(?)", 5],
      ["SELECT ?2 AS a, name FROM pragma_table_info(?1)", "_cf_KV", "t"], ["SELECT ?1 AS a, name FROM pragma_table_info(?2)", "_cf_KV", "t"],
      ["SELECT x FROM t; SELECT name FROM pragma_table_info(?)", "_cf_KV"], ["SELECT count(*) AS n FROM pragma_foreign_key_list(?)", "_cf_METADATA"],
    ]) {
      out[text + " " + JSON.stringify(args)] = outcomeSync(() => sql.exec(text, ...args).toArray());
    }
    out.after = outcomeSync(() => sql.exec("SELECT count(*) AS n FROM t").toArray());
    return out;`, { alarmHandler: true }),
];
