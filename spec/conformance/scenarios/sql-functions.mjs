// SQL built-in functions and value conversions as SQLite versions differ on them: number
// formatting and overflow, printf, strings, JSON (JSON5 input, JSONB, paths), date modifiers,
// and the constraint and STRICT errors' texts. Each statement runs on its own.
import { sqlStatements } from "../scenario.mjs";

const statements = sqlStatements("sql functions");

export default [
  statements("numbers", "", [
    "SELECT -0.0 AS v, typeof(-0.0) AS t", "SELECT 0.0 * -1 AS v", "SELECT 1e308 * 10 AS v", "SELECT -1e308 * 10 AS v", "SELECT CAST(1e308*10 AS TEXT) AS v",
    "SELECT 9223372036854775807 + 1 AS v", "SELECT abs(-9223372036854775808) AS v", "SELECT -9223372036854775808 / -1 AS v",
    "SELECT 1/0 AS v", "SELECT 5 % 0 AS v", "SELECT 10/3 AS v", "SELECT 10/3.0 AS v", "SELECT 5.5 % 2 AS v",
    "SELECT CAST(0.1 + 0.2 AS TEXT) AS v", "SELECT (0.1 + 0.2) || '' AS v", "SELECT 1e15 + 0.3 || '' AS v", "SELECT 123456789012345678.0 || '' AS v",
    "SELECT 1e100 || '' AS v", "SELECT 1.0 || '' AS v", "SELECT 2.0 * 3 AS v, typeof(2.0 * 3) AS t", "SELECT 100000000000000000000 AS v",
    "SELECT CAST('12abc' AS INTEGER) AS v", "SELECT CAST('1e3' AS INTEGER) AS v", "SELECT CAST('0x10' AS INTEGER) AS v", "SELECT 0x10 AS v", "SELECT 0xFFFFFFFFFFFFFFFF AS v",
    "SELECT CAST(' 12 ' AS REAL) AS v", "SELECT '1e3' + 0 AS v", "SELECT round(2.5) AS v, round(-2.5) AS w, round(1.005, 2) AS x", "SELECT round(1e300, 2) AS v",
    "SELECT printf('%.3f', 1.0005) AS v", "SELECT printf('%e', 12345.678) AS v", "SELECT printf('%g', 1e-5) AS v", "SELECT printf('%!.20g', 0.1) AS v",
    "SELECT printf('%d', 3.9) AS v", "SELECT printf('%5.2s|', 'abc') AS v", "SELECT printf('%,d', 1234567) AS v", "SELECT printf('%x %X %o', 255, 255, 8) AS v",
    "SELECT format('%q|%Q|%w', 'it''s', NULL, 'a\"b') AS v", "SELECT printf('%c', 'xyz') AS v", "SELECT printf('%.0f', 0.5) AS v", "SELECT printf('%10.4e', -0.0) AS v",
    "SELECT sum(x) AS v FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)", "SELECT total(x) AS v FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)",
    "SELECT avg(x) AS v FROM (SELECT 1 AS x UNION ALL SELECT 2)", "SELECT sign(-3) AS a, sign('x') AS b, sign(0.0) AS c", "SELECT trunc(-2.7) AS v, mod(7, -3) AS w",
    "SELECT log(8) AS a, log(2, 8) AS b, ln(0) AS c, sqrt(-1) AS d, pow(0, -1) AS e", "SELECT 1 = 1.0 AS a, '1' = 1 AS b, 1 < 'a' AS c, x'00' > 'z' AS d",
    "SELECT max(1, '2', x'00') AS v", "SELECT min(NULL, 1) AS v", "SELECT random() BETWEEN -9223372036854775808 AND 9223372036854775807 AS v",
  ]),
  statements("strings and JSON", "", [
    "SELECT substr('abc', 0) AS a, substr('abc', -1) AS b, substr('abc', 2, -1) AS c, substr(x'010203', 2) AS d", "SELECT instr('héllo', 'l') AS v", "SELECT unicode('') AS v, char() AS w, char(128512) AS x",
    "SELECT upper('ßé') AS a, lower('Éİ') AS b", "SELECT 'a' LIKE 'A' AS a, 'é' LIKE 'É' AS b, 'a_c' LIKE 'a\\_c' ESCAPE '\\' AS c", "SELECT 'abc' GLOB 'a*' AS a, 'ABC' GLOB 'a*' AS b",
    "SELECT length('😀') AS a, length(x'00ff') AS b, octet_length('😀') AS c", "SELECT hex('é') AS a, unhex('zz') AS b, unhex('6 1', ' ') AS c", "SELECT quote(1.5) AS a, quote('x''y') AS b, quote(x'ab') AS c, quote(NULL) AS d, quote(1e300) AS e",
    "SELECT replace('aaa', 'a', '') AS a, replace('abc', '', 'x') AS b", "SELECT trim('xxhixx', 'x') AS a, ltrim('  a') AS b", "SELECT concat('a', NULL, 1, 2.5) AS a, concat_ws(',', 'a', NULL, 'b') AS b",
    "SELECT group_concat(x, '-') AS v FROM (SELECT 'b' AS x UNION ALL SELECT 'a')", "SELECT group_concat(x, '-' ORDER BY x) AS v FROM (SELECT 'b' AS x UNION ALL SELECT 'a')",
    "SELECT string_agg(x, ';') AS v FROM (SELECT 'b' AS x UNION ALL SELECT 'a')",
    "SELECT json('{\"a\":1e999}') AS v", "SELECT json(' [1, 2 ] ') AS v", "SELECT json('{a:1, b:[0x10,],}') AS v", "SELECT json_valid('{a:1}') AS a, json_valid('{a:1}', 6) AS b, json_valid('{\"a\":1}', 1) AS c",
    "SELECT json_extract('[1,2,3]', '$[#-1]') AS v", "SELECT json_extract('{\"a\":0.1}', '$.a') AS v", "SELECT json_extract('{\"a\":[1,2]}', '$.a') AS v", "SELECT json_extract('{\"a\":1}', '$.a', '$.b') AS v",
    "SELECT json_object('a', 1.0, 'b', 0.1 + 0.2, 'c', x'00') AS v", "SELECT json_object('a', 1.0, 'b', 0.1 + 0.2) AS v", "SELECT json_quote(0.1) AS a, json_quote('x\"') AS b, json_quote(1e300 * 10) AS c",
    "SELECT json_array(1, 'a', NULL, json('[2]')) AS v", "SELECT '[1,{\"b\":2}]' -> '$[1]' AS a, '[1,{\"b\":2}]' ->> '$[1].b' AS b, '{\"a\":\"x\"}' -> 'a' AS c, '[5]' -> 0 AS d",
    "SELECT typeof(jsonb('{\"a\":1}')) AS a, json(jsonb('{\"a\":1}')) AS b, hex(jsonb('[1]')) AS c", "SELECT json_type('{\"a\":1.5}', '$.a') AS v", "SELECT json_patch('{\"a\":1,\"b\":2}', '{\"a\":null}') AS v",
    "SELECT json_set('{}', '$.a[0]', 1) AS a, json_insert('[1]', '$[#]', 2) AS b, json_remove('[1,2,3]', '$[0]', '$[0]') AS c", "SELECT json_group_array(x) AS v FROM (SELECT 1 AS x UNION ALL SELECT 'a')",
    "SELECT key, value, type, atom, id, parent, fullkey, path FROM json_each('{\"a\":[1,2],\"b\":null}')", "SELECT fullkey, type FROM json_tree('{\"a\":{\"b\":1}}')",
    "SELECT json('\"\\ud83d\"') AS v", "SELECT json_array_length('[1,[2,3]]', '$[1]') AS v", "SELECT json('{\"a\":1,\"a\":2}') AS v", "SELECT json('1') AS a, json('-0') AS b, json('1.50') AS c, json('1E2') AS d",
    "SELECT json('bad') AS v", "SELECT json_extract('bad', '$') AS v", "SELECT json_extract('{}', 'bad') AS v",
  ]),
  statements("dates", "", [
    "SELECT datetime(0, 'unixepoch') AS v", "SELECT date('2024-02-30') AS v", "SELECT date('2024-02-29', '+1 year') AS v", "SELECT julianday('2000-01-01') AS v",
    "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000.123, 'unixepoch') AS v", "SELECT strftime('%G %V %u %e %k %l %p %P %I %j %w %U %W', '2024-01-01 13:05:00') AS v",
    "SELECT unixepoch('2020-01-01 00:00:00.5', 'subsec') AS v", "SELECT datetime('2024-01-31', '+1 month') AS a, datetime('2024-01-31', '+1 month', 'floor') AS b, datetime('2024-01-31', '+1 month', 'ceiling') AS c",
    "SELECT timediff('2024-03-01', '2024-02-01') AS v", "SELECT date('2024-01-01', 'weekday 0') AS v", "SELECT datetime('2024-01-01 10:00', '+01:30') AS v", "SELECT datetime('2024-01-01T10:00:00Z') AS v",
    "SELECT datetime('2024-01-01 10:00:00+02:00') AS v", "SELECT time('12:34:56.789') AS a, time(0.5) AS b", "SELECT datetime(2460000.5) AS v",
    "SELECT date('2024-06-15', 'start of month', '+1 month', '-1 day') AS v", "SELECT datetime('2024-01-01', 'auto') AS a, datetime(1700000000, 'auto') AS b", "SELECT datetime(1700000000000, 'unixepoch') AS v",
    "SELECT date('garbage') AS v", "SELECT strftime('%s', '2024-01-01') AS v, typeof(strftime('%s', '2024-01-01')) AS t",
    "SELECT datetime('2024-01-01 12:00', '+1.5 hours') AS v", "SELECT datetime('2024-01-01', '+1 years', '-2 months', '+3 days') AS v", "SELECT strftime('%J', '2024-01-01') AS v",
  ]),
  statements("tables and constraints", "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL, c INTEGER CHECK (c > 0), d INTEGER CONSTRAINT positive_d CHECK (d > 0), e UNIQUE, g GENERATED ALWAYS AS (a * 2) STORED, h AS (b || '!')); CREATE TABLE st (i INTEGER, r REAL, t TEXT, b BLOB, x ANY) STRICT;", [
    "INSERT INTO t (a, b) VALUES (1, NULL)", "INSERT INTO t (a, b, c) VALUES (1, 'x', 0)", "INSERT INTO t (a, b, d) VALUES (1, 'x', 0)", "INSERT INTO t (a, b, e) VALUES (1, 'x', 1), (2, 'y', 1)",
    "INSERT INTO t (a, b, g) VALUES (5, 'x', 1)", "INSERT INTO t (a, b) VALUES (3, 'z') RETURNING *", "SELECT a, b, g, h FROM t", "INSERT INTO t (a, b) VALUES (3, 'dup')", "INSERT INTO t (a, b) VALUES ('abc', 'x')",
    "INSERT INTO st (i) VALUES ('abc')", "INSERT INTO st (i) VALUES ('12')", "INSERT INTO st (r) VALUES (1)", "INSERT INTO st (t) VALUES (1)", "INSERT INTO st (b) VALUES ('x')", "INSERT INTO st (i) VALUES (1.5)",
    "SELECT i, typeof(i) AS ti, r, typeof(r) AS tr, t, typeof(t) AS tt FROM st", "CREATE TABLE bad (x FOO) STRICT", "CREATE TABLE w (a PRIMARY KEY, b) WITHOUT ROWID", "INSERT INTO w VALUES (NULL, 1)",
    "CREATE TABLE nopk (a) WITHOUT ROWID", "UPDATE t SET g = 1", "INSERT INTO t (b) VALUES ('auto') RETURNING a", "INSERT OR REPLACE INTO t (a, b) VALUES (3, 'rep') RETURNING a, b",
    "INSERT INTO t (a, b) VALUES (3, 'up') ON CONFLICT (a) DO UPDATE SET b = excluded.b || '+' RETURNING b", "INSERT INTO t (a, b) VALUES (4, 'n') ON CONFLICT DO NOTHING RETURNING a",
    "CREATE TABLE fk (x REFERENCES t(a) ON DELETE CASCADE); INSERT INTO fk VALUES (99)", "SELECT * FROM pragma_foreign_key_check", "ALTER TABLE t ADD COLUMN z DEFAULT (1 + 1)", "ALTER TABLE t ADD COLUMN z2 NOT NULL",
    "ALTER TABLE t DROP COLUMN e", "ALTER TABLE t RENAME COLUMN b TO bb", "SELECT * FROM t ORDER BY a", "CREATE INDEX ix ON t (lower(bb)) WHERE a > 0", "CREATE UNIQUE INDEX ux ON t (a, bb)", "REINDEX", "ANALYZE", "VACUUM",
  ]),
];
