// Which refusal a call meets first when several apply: a finished transaction checks a call's
// own arguments before its state, a transaction counts only the keys it reads from the store
// against get()'s limit, and a statement SQLite cannot parse fails with its syntax error before
// the authorizer or the argument limit sees it. Each case ends in a different error (or none)
// when the order is wrong.
import { insideWith, CALL_HELPERS } from "./webidl-helpers.mjs";

/** One-argument statements: a 128-argument call placed before, across and after a syntax error. */
const ARGS = Array.from({ length: 128 }, (_, i) => i).join(",");
const UNPARSED = {
  pragmaEmptyParens: "PRAGMA collation_list()",
  pragmaUnknownTrailing: "PRAGMA nope garbage",
  pragmaSetTrailing: "PRAGMA user_version = 5 garbage",
  pragmaIncomplete: "PRAGMA user_version =",
  pragmaOpenParen: "PRAGMA compile_options(",
  pragmaTempTrailing: "PRAGMA temp.table_info('t') x",
  pragmaAfterSemicolon: "PRAGMA user_version = 5; garbage",
  dropTrailing: "DROP TABLE _cf_KV x",
  dropViewParen: "DROP VIEW _cf_KV(",
  callThenTwoNames: `SELECT abs(${ARGS}) garbage garbage`,
  callThenParen: `SELECT abs(${ARGS}) )`,
  callThenBadToken: `SELECT abs(${ARGS}) 'x`,
  callThenOperator: `SELECT abs(${ARGS}) +`,
  callUnclosed: `SELECT abs(${ARGS}`,
  callInUnclosedParen: `SELECT (abs(${ARGS})`,
  errorBeforeCall: `SELECT 1 x y, abs(${ARGS})`,
  callInPragmaValue: `PRAGMA table_info(abs(${ARGS}))`,
  innerCallThenOperator: `SELECT abs(1, abs(${ARGS}) +`,
};

export default [
  insideWith(CALL_HELPERS, "check order: a statement SQLite cannot parse fails with its syntax error before the authorizer and the argument limit", "sqlite", `
    s.sql.exec("CREATE TABLE t(a)");
    await s.put("k", 1);
    const out = {};
    for (const [label, text] of Object.entries(${JSON.stringify(UNPARSED)})) out[label] = await how(() => s.sql.exec(text).toArray());
    return out;`),
];
