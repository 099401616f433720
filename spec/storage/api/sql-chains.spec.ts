import { describe, expect, it } from "vitest";
import { sqliteStorage, thrown } from "./sql-fixture.js";

const BUSY = "A SQL prepared statement can only be executed once at a time.";

describe("sql.exec: texts of several statements, as workerd's statement cache keeps them", () => {
  it("keeps a text cached across deleteAll(), with nothing busy: its later runs never refuse", () => {
    const { sql, backend } = sqliteStorage();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2)");
    const cached = "SELECT a FROM t; SELECT 1 AS y";
    const busyAtDelete = "SELECT a FROM t; SELECT 3 AS y";
    expect(sql.exec(cached).toArray()).toEqual([{ y: 1 }]);
    expect(thrown(() => sql.exec(cached)).message).toBe(BUSY);
    expect(sql.exec(busyAtDelete).toArray()).toEqual([{ y: 3 }]);
    backend.deleteAll();
    sql.exec("CREATE TABLE t(a); INSERT INTO t VALUES (5)");
    for (let run = 0; run < 3; run++) {
      expect(sql.exec(cached).toArray()).toEqual([{ y: 1 }]);
      expect(sql.exec(busyAtDelete).toArray()).toEqual([{ y: 3 }]);
    }
    // A text first run after it is a first run: it leaves its read busy.
    const fresh = "SELECT a FROM t; SELECT 2 AS y";
    expect(sql.exec(fresh).toArray()).toEqual([{ y: 2 }]);
    expect(thrown(() => sql.exec(fresh)).message).toBe(BUSY);
    expect(sql.exec(fresh).toArray()).toEqual([{ y: 2 }]);
  });

  it("judges whether the text's last cursor is open by that cursor, not by a single-statement cursor over the same SQL", () => {
    const { sql } = sqliteStorage();
    sql.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)");
    const text = "SELECT 1 AS a; SELECT x FROM t";
    const rows = [{ x: 1 }, { x: 2 }, { x: 3 }];
    expect(sql.exec(text).toArray()).toEqual(rows);
    // The last statement's cursor ended; this one may hold the very statement it used.
    const single = sql.exec("SELECT x FROM t");
    single.next();
    expect(thrown(() => sql.exec(text)).message).toBe(BUSY);
    expect(sql.exec(text).toArray()).toEqual(rows);
    expect(single.toArray()).toEqual([{ x: 2 }, { x: 3 }]);
    expect(sql.exec(text).toArray()).toEqual(rows);
  });
});
