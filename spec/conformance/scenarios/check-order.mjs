// Which refusal a call meets first when several apply: a finished transaction checks a call's
// own arguments before its state, a transaction counts only the keys it reads from the store
// against get()'s limit, and a statement SQLite cannot parse fails with its syntax error before
// the authorizer or a limit sees it, unless SQLite checked that while parsing what came
// before. Each case ends in a different error (or none) when the order is wrong.
import { insideWith, insideWithBoth, CALL_HELPERS } from "./webidl-helpers.mjs";

/** Calls on a rolled-back (`rb`) and a committed (`done`) transaction. */
const FINISHED = `
    const rb = (f) => how(() => s.transaction(async (t) => { t.rollback(); return f(t); }));
    const done = async (f) => { let kept; await s.transaction(async (t) => { kept = t; }); return how(() => f(kept)); };
    const out = {};
    const both = async (label, f) => { out[label] = { rb: await rb(f), done: await done(f) }; };`;

const ALARM_CASES = `
    await both("zero", (t) => t.setAlarm(0));
    await both("negative", (t) => t.setAlarm(new Date(-5)));
    await both("later", (t) => t.setAlarm(Date.now() + 1e6));
    await both("notADate", (t) => t.setAlarm("x"));
    return out;`;

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

/** Statements failing to parse after (or before) what SQLite checks as it parses them. */
const COLUMNS = Array.from({ length: 101 }, (_, i) => "c" + i).join(", ");
const PARAMETERS = Array.from({ length: 101 }, () => "?").join(", ");
const PARSED_FIRST = {
  tableColumnsThenOption: `CREATE TABLE t2(${COLUMNS}) garbage`,
  tableColumnsThenIncomplete: `CREATE TABLE t2(${COLUMNS}, x y z (`,
  tableColumnsUnclosed: `CREATE TABLE t2(${COLUMNS}`,
  tableLastColumnTyped: `CREATE TABLE t2(${COLUMNS} INTEGER`,
  tableLastColumnTypedThenComma: `CREATE TABLE t2(${COLUMNS} INTEGER, x`,
  tableLastColumnConstrained: `CREATE TABLE t2(${COLUMNS} PRIMARY KEY x`,
  tempTableAfterName: "CREATE TEMP TABLE x garbage",
  tempTableParen: "CREATE TEMP TABLE x(",
  tempTableAs: "CREATE TEMP TABLE x AS garbage garbage",
  tempTableQualifiedMain: "CREATE TEMP TABLE main.x(",
  tempTableQualifiedTemp: "CREATE TEMP TABLE temp.x(",
  tempTableNameCut: "CREATE TEMP TABLE main.x garbage",
  tempTableThenOption: "CREATE TEMP TABLE x(a) garbage",
  tempSchemaTable: "CREATE TABLE temp.x(a,,)",
  unknownSchemaTable: "CREATE TABLE nope.x(a) garbage",
  protectedTableParen: "CREATE TABLE _cf_x(a) garbage",
  protectedTableAfterName: "CREATE TABLE _cf_x garbage",
  virtualModuleThenWord: "CREATE VIRTUAL TABLE v USING nope garbage",
  virtualModuleParen: "CREATE VIRTUAL TABLE v USING nope(",
  virtualModuleArgsThenWord: "CREATE VIRTUAL TABLE v USING nope(a) x",
  virtualModuleCut: "CREATE VIRTUAL TABLE v USING",
  tempViewSyntax: "CREATE TEMP VIEW v AS SELECT 1 x y",
  tempIndexSyntax: "CREATE INDEX temp.i ON t(a) x",
  parameterNumberThenWords: "SELECT ?101 garbage garbage",
  parameterNumberThenParen: "SELECT ?101 )",
  parameterAfterNamed: "SELECT :a, ?101 garbage garbage",
  parametersThenWords: `SELECT ${PARAMETERS} garbage garbage`,
  parametersThenParen: `SELECT ${PARAMETERS} )`,
  parameterNumberUnknownTable: "SELECT ?101 FROM nope",
};

export default [
  insideWithBoth(CALL_HELPERS, "check order: a finished transaction checks put() values, list() options and delete() before its state", `${FINISHED}
    await both("putUndefined", (t) => t.put("a", undefined));
    await both("putFunction", (t) => t.put("a", () => 1));
    await both("putEntriesSymbol", (t) => t.put({ a: 1, b: Symbol("x") }));
    await both("putEntriesBadOptions", (t) => t.put({ a: 1 }, "x"));
    await both("putEntriesEmpty", (t) => t.put({}));
    await both("putHugeKey", (t) => t.put("k".repeat(3000), 1));
    await both("listLimitZero", (t) => t.list({ limit: 0 }));
    await both("listLimitNaN", (t) => t.list({ limit: NaN }));
    await both("listStartAndStartAfter", (t) => t.list({ start: "a", startAfter: "b" }));
    await both("getMany", (t) => t.get(Array.from({ length: 200 }, (_, i) => "k" + i)));
    await both("getEmpty", (t) => t.get([]));
    await both("getAlarmBadOptions", (t) => t.getAlarm(5));
    for (const [label, f] of Object.entries({ deleteOne: (t) => t.delete("a"), deleteEmpty: (t) => t.delete([]) })) {
      await both(label, (t) => { try { const p = f(t); return p.then(() => "resolved", (e) => "rejected: " + e.message); } catch (e) { return "threw: " + e.message; } });
    }
    return out;`),
  insideWithBoth(CALL_HELPERS, "check order: a finished transaction lists an empty range without complaint", `${FINISHED}
    await s.put({ a: 1, b: 2 });
    const ranges = { equal: { start: "b", end: "b" }, inverted: { start: "c", end: "a" }, endEmpty: { end: "" },
      endEmptyReversed: { end: "", reverse: true, limit: 3 }, startAfterToEnd: { startAfter: "a", end: "a\\0" },
      prefixPastEnd: { prefix: "a", end: "a" }, prefixBeforeStart: { prefix: "b", start: "c" },
      startAfterInPrefix: { prefix: "b", startAfter: "b\\uffff" }, wholePrefix: { prefix: "zz" }, bounded: { start: "a", end: "b" } };
    for (const [label, o] of Object.entries(ranges)) await both(label, (t) => t.list(o));
    out.storage = await how(async () => [...(await s.list({ end: "" })).keys()]);
    return out;`),
  insideWithBoth(CALL_HELPERS, "check order: a finished transaction checks setAlarm() times before its state, without alarm()", FINISHED + ALARM_CASES),
  insideWithBoth(CALL_HELPERS, "check order: a finished transaction checks setAlarm() times before its state, with alarm()", FINISHED + ALARM_CASES, { alarmHandler: true }),
  insideWithBoth(CALL_HELPERS, "check order: txn.get() counts against 128 keys only those the transaction did not write", `
    const keys = (n) => Array.from({ length: n }, (_, i) => "k" + i);
    const inTxn = (f) => how(() => s.transaction(f));
    await s.put("k5", 5);
    return {
      fresh129: await inTxn(async (t) => (await t.get(keys(129))).size),
      readFirst129: await inTxn(async (t) => { await t.get("k5"); return (await t.get(keys(129))).size; }),
      putOne129: await inTxn(async (t) => { await t.put("k0", 0); return (await t.get(keys(129))).size; }),
      putOne130: await inTxn(async (t) => { await t.put("k0", 0); return (await t.get(keys(130))).size; }),
      deleteOne129: await inTxn(async (t) => { await t.delete("k1"); return (await t.get(keys(129))).size; }),
      putTwo130: await inTxn(async (t) => { await t.put({ k0: 0, k1: 1 }); return (await t.get(keys(130))).size; }),
      writtenTwice: await inTxn(async (t) => { await t.put("k0", 0); return (await t.get([...keys(128), "k0"])).size; }),
      duplicate: await inTxn(async (t) => (await t.get([...keys(128), "k0"])).size),
      outsideAfterPut: await how(async () => { await s.put("k0", 0); return (await s.get(keys(129))).size; }),
    };`),
  insideWith(CALL_HELPERS, "check order: a statement SQLite cannot parse fails with its syntax error before the authorizer and the argument limit", "sqlite", `
    s.sql.exec("CREATE TABLE t(a)");
    await s.put("k", 1);
    const out = {};
    for (const [label, text] of Object.entries(${JSON.stringify(UNPARSED)})) out[label] = await how(() => s.sql.exec(text).toArray());
    return out;`),
  insideWith(CALL_HELPERS, "check order: what SQLite checks as it parses (a CREATE TABLE's name and columns, parameter numbers) before a later syntax error", "sqlite", `
    s.sql.exec("CREATE TABLE t(a)");
    const out = {};
    for (const [label, text] of Object.entries(${JSON.stringify(PARSED_FIRST)})) out[label] = await how(() => s.sql.exec(text).toArray());
    return out;`),
];
