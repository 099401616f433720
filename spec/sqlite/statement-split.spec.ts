/** A migration file split into the statements wrangler sends D1 one by one. */
import { describe, expect, it } from "vitest";
import { splitSqlStatements } from "../../lib/sqlite/statement-split.js";

describe("splitSqlStatements", () => {
  it("splits at each semicolon outside literals, quoted names and comments, keeping each statement's text", () => {
    const sql = `-- the schema\nCREATE TABLE "a;b" (x TEXT DEFAULT 'c;d'); /* one; two */ INSERT INTO \`a;b\` VALUES ('e'';f');\nSELECT [g;h] FROM t;\n`;
    expect(splitSqlStatements(sql)).toEqual([`-- the schema\nCREATE TABLE "a;b" (x TEXT DEFAULT 'c;d')`, `/* one; two */ INSERT INTO \`a;b\` VALUES ('e'';f')`, "SELECT [g;h] FROM t"]);
  });

  it("leaves a file of one statement as written, its semicolon and white space too", () => {
    expect(splitSqlStatements("CREATE TABLE t (x);\n\n")).toEqual(["CREATE TABLE t (x);\n\n"]);
    expect(splitSqlStatements("SELECT 1")).toEqual(["SELECT 1"]);
  });

  it("keeps a trigger's body, whose statements end in semicolons too, in the trigger, up to END;", () => {
    const trigger = "create temp trigger log after insert on t begin\n  insert into log values (new.x);\n  update n set c = c + 1;\nend";
    expect(splitSqlStatements(`CREATE TABLE t (x);\n${trigger};\nINSERT INTO t VALUES (1);`)).toEqual(["CREATE TABLE t (x)", trigger, "INSERT INTO t VALUES (1)"]);
  });

  it("ends a trigger only at an END right after a statement of its body, not at a CASE expression's END", () => {
    const trigger = "CREATE TRIGGER sign AFTER INSERT ON t BEGIN\n  UPDATE n SET c = CASE WHEN new.x > 0 THEN 1 ELSE 0 END;\n  UPDATE n SET d = d + 1;\nEND";
    expect(splitSqlStatements(`${trigger};\nINSERT INTO t VALUES (1);`)).toEqual([trigger, "INSERT INTO t VALUES (1)"]);
  });

  it("does not take BEGIN outside a trigger for a compound statement", () => {
    expect(splitSqlStatements("BEGIN TRANSACTION;\nCREATE TABLE t (x);\nCOMMIT;")).toEqual(["BEGIN TRANSACTION", "CREATE TABLE t (x)", "COMMIT"]);
  });

  it("drops empty statements between semicolons", () => {
    expect(splitSqlStatements("SELECT 1;;\n;SELECT 2;")).toEqual(["SELECT 1", "SELECT 2"]);
  });
});
