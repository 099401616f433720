// sql.databaseSize through a database's life: tables, indexes and rows added, rows deleted
// (freed pages stay in the file), a table dropped, KV writes beside SQL, deleteAll().
import { inside } from "../scenario.mjs";

export default [
  inside("sql database size: through tables, indexes, rows, deletes, drops, KV writes and deleteAll()", "sqlite", `
    const sql = s.sql;
    const size = () => sql.databaseSize;
    const out = { empty: size() };
    sql.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    out.table = size();
    sql.exec("CREATE INDEX t_v ON t (v)");
    out.index = size();
    for (let i = 0; i < 200; i++) sql.exec("INSERT INTO t (v) VALUES (?)", "value-" + i + "-" + "x".repeat(100));
    out.rows = size();
    sql.exec("INSERT INTO t (v) VALUES (?)", "y".repeat(20000));
    out.overflow = size();
    sql.exec("DELETE FROM t WHERE id % 2 = 0");
    out.deletedHalf = size();
    sql.exec("DROP INDEX t_v");
    out.droppedIndex = size();
    await s.put("kv", "z".repeat(5000));
    out.kvWrite = size();
    s.kv.put("kv2", new Uint8Array(10000));
    out.syncKvWrite = size();
    sql.exec("DROP TABLE t");
    out.droppedTable = size();
    out.vacuum = outcomeSync(() => sql.exec("VACUUM").toArray());
    await s.deleteAll();
    out.afterDeleteAll = size();
    out.pageSize = outcomeSync(() => sql.exec("PRAGMA page_size").toArray());
    out.pageCount = outcomeSync(() => sql.exec("PRAGMA page_count").toArray());
    out.freelist = outcomeSync(() => sql.exec("PRAGMA freelist_count").toArray());
    return out;`),
];
