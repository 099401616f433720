import { lowerAscii } from "../util/ascii-case.js";
/**
 * What workerd's SQLite authorizer lets user SQL use. The function list was settled by calling
 * every function sql.js implements inside workerd 1.20261117 (`pragma function_list` of sql.js,
 * one `SELECT f(...)` each): these succeeded; `power`, `log10`, `ceiling`, `if`, `unistr`,
 * `unistr_quote`, `subtype`, `json_pretty`, `json_error_position`, `json(b)_array_insert` and
 * every `sqlite_*()` were refused with "not authorized to use function".
 */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // core scalar
  "abs", "changes", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull",
  "iif", "instr", "last_insert_rowid", "length", "like", "likelihood", "likely", "lower", "ltrim",
  "nullif", "octet_length", "printf", "quote", "random", "randomblob", "replace", "round", "rtrim",
  "sign", "substr", "substring", "total_changes", "trim", "typeof", "unhex", "unicode", "unlikely",
  "upper", "zeroblob",
  // date and time
  "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "current_date",
  "current_time", "current_timestamp",
  // aggregate and window
  "avg", "count", "group_concat", "string_agg", "max", "min", "sum", "total", "row_number", "rank",
  "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value",
  "nth_value",
  // math
  "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "cos", "cosh", "degrees",
  "exp", "floor", "ln", "log", "log2", "mod", "pi", "pow", "radians", "sin", "sinh", "sqrt", "tan",
  "tanh", "trunc",
  // JSON
  "json", "json_array", "json_array_length", "json_extract", "->", "->>", "json_insert",
  "json_object", "json_patch", "json_remove", "json_replace", "json_set", "json_type", "json_valid",
  "json_quote", "json_group_array", "json_group_object", "json_each", "json_tree", "jsonb",
  "jsonb_array", "jsonb_extract", "jsonb_insert", "jsonb_object", "jsonb_patch", "jsonb_remove",
  "jsonb_replace", "jsonb_set", "jsonb_group_array", "jsonb_group_object",
  // full-text search and R*Tree helpers
  "match", "highlight", "bm25", "snippet", "rtreecheck",
]);

/**
 * sql.js compiles FTS3, whose helper functions workerd's SQLite lacks entirely: workerd reports
 * them as unknown functions rather than unauthorized ones.
 */
export const FUNCTIONS_ABSENT_FROM_WORKERD: ReadonlySet<string> = new Set([
  "fts3_tokenizer", "matchinfo", "offsets", "optimize",
]);

/**
 * Functions of workerd's FTS5 and R*Tree that sql.js lacks and workerd's authorizer refuses,
 * with their number of arguments: SQL calling one fails there with "not authorized to use
 * function" (or, called with another number of arguments, "wrong number of arguments"), not
 * "no such function".
 */
export const REFUSED_FUNCTIONS_ABSENT_HERE: ReadonlyMap<string, number> = new Map([
  ["fts5", 1], ["fts5_source_id", 0], ["fts5_locale", 2], ["fts5_insttoken", 1], ["fts5_get_locale", 2], ["rtreenode", 2], ["rtreedepth", 1],
]);

/** How a PRAGMA's argument is checked. */
export type PragmaRule =
  | "read-only" // no argument allowed
  | "boolean" // no argument, or a boolean spelling
  | "object" // a table or index name is required, and it must not be protected
  | "optional-object" // like "object", but the argument may be left out
  | "integer" // no argument, or an integer (decimal or hex, signed, quoted or not)
  | "any"; // anything

/** workerd's PRAGMA allow-list (`ALLOWED_PRAGMAS` and the special cases before it). */
export const ALLOWED_PRAGMAS: ReadonlyMap<string, PragmaRule> = new Map<string, PragmaRule>([
  ["data_version", "read-only"],
  ["page_size", "read-only"],
  ["table_list", "any"],
  ["table_info", "object"],
  ["table_xinfo", "object"],
  ["case_sensitive_like", "boolean"],
  ["foreign_keys", "boolean"],
  ["defer_foreign_keys", "boolean"],
  ["ignore_check_constraints", "boolean"],
  ["legacy_alter_table", "boolean"],
  ["recursive_triggers", "boolean"],
  ["reverse_unordered_selects", "boolean"],
  ["foreign_key_check", "optional-object"],
  ["foreign_key_list", "object"],
  ["index_info", "object"],
  ["index_list", "object"],
  ["index_xinfo", "object"],
  ["quick_check", "optional-object"],
  ["optimize", "integer"], // its bit mask: `optimize(t)` and `optimize(1.5)` are refused
]);

/**
 * workerd accepts a boolean PRAGMA value when, after removing one pair of quotes, it *starts
 * with* one of these spellings, case-insensitively (it compares with strncasecmp): so `10`,
 * `truex` and `nope` pass while `2` and `-1` are refused. Reproduced as observed.
 */
const BOOLEAN_PREFIXES = ["true", "false", "yes", "no", "on", "off", "1", "0"];

export function isBooleanPragmaValue(raw: string): boolean {
  let value = raw;
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.at(-1) === value[0]) {
    value = value.slice(1, -1);
  }
  const lower = lowerAscii(value);
  return BOOLEAN_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** Virtual-table modules workerd allows; `fts5` and `rtree` are not compiled into sql.js. */
export const ALLOWED_VIRTUAL_TABLE_MODULES: ReadonlySet<string> = new Set(["fts5", "fts5vocab", "rtree", "rtree_i32"]);
