// The extended result codes workerd prints after a SQLite constraint failure
// ("... : SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_<KIND>)") are SQLite's own, not read
// from the message: a foreign key's ON DELETE RESTRICT and a trigger's RAISE() whose text looks
// like a constraint's are SQLITE_CONSTRAINT_TRIGGER, a rowid conflict on a table without an
// INTEGER PRIMARY KEY is SQLITE_CONSTRAINT_ROWID. Plus every kind of constraint failure and the
// ROLLBACK conflict resolution, which ends the turn's implicit transaction as RAISE(ROLLBACK) does.
import { cls, eachMethodThenRows, sqlStatements } from "../scenario.mjs";

const statements = sqlStatements("sql codes");

export default [
  statements("every kind of constraint failure", `PRAGMA foreign_keys = ON;
CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id) ON DELETE RESTRICT, x INTEGER NOT NULL DEFAULT 1);
CREATE TABLE c2 (pid INTEGER REFERENCES p(id) ON DELETE CASCADE, q TEXT);
CREATE TABLE c3 (pid INTEGER REFERENCES p(name) ON UPDATE SET NULL);
CREATE TABLE m (a, b, c, UNIQUE (a, b), PRIMARY KEY (c));
CREATE TABLE w (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE wc (a, b, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE ex (a, b);
CREATE UNIQUE INDEX ex_u ON ex (lower(a));
CREATE UNIQUE INDEX ex_p ON ex (b) WHERE b > 10;
CREATE TABLE rb (a UNIQUE ON CONFLICT IGNORE, b NOT NULL ON CONFLICT REPLACE DEFAULT 'd', c CHECK (c < 5));
CREATE TABLE st (i INTEGER NOT NULL, t TEXT) STRICT;
CREATE TABLE gen (a INTEGER, b INTEGER AS (a * 2) NOT NULL, c AS (a + 1) CHECK (c < 10));
CREATE TABLE tr (a);
CREATE TRIGGER tr_abort BEFORE INSERT ON tr WHEN NEW.a = 1 BEGIN SELECT RAISE(ABORT, 'abort one'); END;
CREATE TRIGGER tr_fail BEFORE INSERT ON tr WHEN NEW.a = 2 BEGIN SELECT RAISE(FAIL, 'fail two'); END;
CREATE TRIGGER tr_ign BEFORE INSERT ON tr WHEN NEW.a = 3 BEGIN SELECT RAISE(IGNORE); END;
INSERT INTO p VALUES (1, 'one'), (2, 'two');
INSERT INTO c VALUES (1, 1, 1);
INSERT INTO m VALUES (1, 1, 1);
INSERT INTO w VALUES ('a', 1);
INSERT INTO wc VALUES (1, 1);
INSERT INTO ex VALUES ('A', 11);`, [
    "INSERT INTO c (pid) VALUES (9)", "DELETE FROM p WHERE id = 1", "UPDATE p SET id = 5 WHERE id = 1", "INSERT INTO c (pid, x) VALUES (1, NULL)",
    "INSERT INTO p VALUES (1, 'x')", "INSERT INTO p VALUES (3, 'one')", "INSERT INTO m VALUES (1, 1, 2)", "INSERT INTO m VALUES (2, 2, 1)",
    "INSERT INTO w VALUES ('a', 2)", "INSERT INTO w VALUES (NULL, 2)", "INSERT INTO w VALUES ('b', NULL)", "INSERT INTO wc VALUES (1, 1)", "INSERT INTO wc VALUES (1, NULL)",
    "INSERT INTO ex VALUES ('a', 1)", "INSERT INTO ex VALUES ('b', 11)", "INSERT INTO ex VALUES ('c', 5), ('d', 5)",
    "INSERT INTO rb VALUES (1, NULL, 1), (1, NULL, 2) RETURNING *", "INSERT INTO rb VALUES (2, 'x', 9)",
    "INSERT INTO st VALUES (NULL, 'a')", "INSERT INTO st VALUES ('x', 'a')", "INSERT INTO st VALUES (1, x'00')", "UPDATE st SET i = 'q'",
    "INSERT INTO gen (a) VALUES (NULL)", "INSERT INTO gen (a) VALUES (20)", "INSERT INTO gen (a) VALUES (1) RETURNING *",
    "INSERT INTO tr VALUES (1)", "INSERT INTO tr VALUES (2)", "INSERT INTO tr VALUES (3)", "INSERT INTO tr VALUES (4), (2)", "SELECT * FROM tr",
    "INSERT OR FAIL INTO p VALUES (7, 'seven'), (1, 'x')", "SELECT id FROM p ORDER BY id", "INSERT OR ABORT INTO p VALUES (8, 'eight'), (1, 'x')", "SELECT id FROM p ORDER BY id",
    "INSERT INTO p (rowid) VALUES ('abc')", "INSERT INTO p (id) VALUES (1.5)", "UPDATE p SET id = 'z' WHERE id = 2", "SELECT RAISE(ABORT, 'outside')",
    "INSERT INTO c3 VALUES ('nope')", "PRAGMA foreign_key_check", "PRAGMA foreign_key_check(c3)", "PRAGMA foreign_key_list(c)",
    "DELETE FROM p WHERE id = 2", "SELECT count(*) AS n FROM c2",
  ]),
  statements("rowid conflicts and RAISE texts that look like constraints", "CREATE TABLE r (a); CREATE TABLE k (id INTEGER PRIMARY KEY, a); CREATE TABLE tx (a TEXT PRIMARY KEY, b); INSERT INTO r (rowid, a) VALUES (1, 'x'); INSERT INTO k VALUES (1, 'x'); INSERT INTO tx VALUES ('a', 1)", [
    "INSERT INTO r (rowid, a) VALUES (1, 'y')", "UPDATE r SET rowid = 1 WHERE 0", "INSERT INTO r (rowid, a) VALUES (2, 'y'); UPDATE r SET rowid = 1 WHERE rowid = 2", "INSERT INTO k VALUES (1, 'y')", "INSERT INTO k (rowid) VALUES (1)",
    "INSERT INTO tx VALUES ('a', 2)", "INSERT INTO tx (rowid, a) VALUES (1, 'b')", "CREATE TABLE rr (a); CREATE TRIGGER rrt BEFORE INSERT ON rr BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: rr.a'); END; INSERT INTO rr VALUES (1)",
    "CREATE TABLE rn (a); CREATE TRIGGER rnt BEFORE INSERT ON rn BEGIN SELECT RAISE(FAIL, 'NOT NULL constraint failed: rn.a'); END; INSERT INTO rn VALUES (1)",
    "CREATE TABLE rc (a); CREATE TRIGGER rct BEFORE INSERT ON rc BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: x'); END; INSERT INTO rc VALUES (1)",
    "CREATE TABLE rk (a); CREATE TRIGGER rkt BEFORE INSERT ON rk BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END; INSERT INTO rk VALUES (1)",
    "CREATE TABLE rd (a); CREATE TRIGGER rdt BEFORE INSERT ON rd BEGIN SELECT RAISE(ABORT, 'cannot store TEXT value in INTEGER column rd.a'); END; INSERT INTO rd VALUES (1)",
  ]),
  {
    // OR ROLLBACK (in the statement or the column's ON CONFLICT clause) rolls back the whole
    // implicit transaction: as with RAISE(ROLLBACK), the turn's commit then fails and resets the object.
    name: "sql codes: a ROLLBACK conflict resolution ends the implicit transaction",
    backend: "sqlite",
    source: cls(`  async setup() { this.ctx.storage.sql.exec("CREATE TABLE tr (x UNIQUE); CREATE TABLE cr (x UNIQUE ON CONFLICT ROLLBACK); INSERT INTO tr VALUES (0); INSERT INTO cr VALUES (0)"); }
  async orRollback() { const sql = this.ctx.storage.sql; sql.exec("INSERT INTO tr VALUES (1)"); const r = outcomeSync(() => sql.exec("INSERT OR ROLLBACK INTO tr VALUES (0)").toArray()); sql.exec("INSERT INTO tr VALUES (2)"); return r; }
  async columnRollback() { const sql = this.ctx.storage.sql; sql.exec("INSERT INTO tr VALUES (1)"); const r = outcomeSync(() => sql.exec("INSERT INTO cr VALUES (0)").toArray()); sql.exec("INSERT INTO tr VALUES (2)"); return r; }
  async updateRollback() { const sql = this.ctx.storage.sql; sql.exec("INSERT INTO tr VALUES (1)"); return outcomeSync(() => sql.exec("UPDATE OR ROLLBACK tr SET x = 0 WHERE x = 1").toArray()); }
  async inTransactionSync() { return this.ctx.storage.transactionSync(() => { this.ctx.storage.sql.exec("INSERT INTO tr VALUES (1)"); return outcomeSync(() => this.ctx.storage.sql.exec("INSERT OR ROLLBACK INTO tr VALUES (0)")); }); }
  async rows() { return this.ctx.storage.sql.exec("SELECT x FROM tr ORDER BY x").toArray().map((r) => r.x); }`),
    drive: eachMethodThenRows(["orRollback", "columnRollback", "updateRollback", "inTransactionSync"]),
  },
];
