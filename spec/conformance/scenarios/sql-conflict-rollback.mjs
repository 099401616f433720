// A statement whose ON CONFLICT ROLLBACK fires inside an object's implicit transaction rolls that
// transaction back under the runtime's feet: the event's commit then fails, and its caller and the
// next two calls get "internal error; reference = ...". ABORT and FAIL only fail the statement.
// Found by fuzz-sql.mjs (seed 2).
import { cls } from "../scenario.mjs";

const show = (e) => ({ name: e?.name, message: e?.message, remote: e?.remote, retryable: e?.retryable, reset: e?.durableObjectReset });

export default [
  {
    name: "sql conflict rollback: INSERT OR ROLLBACK that conflicts inside an object's implicit transaction",
    backend: "sqlite",
    source: cls(`
  go(mode) {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS t (a INTEGER PRIMARY KEY)");
    sql.exec("INSERT OR IGNORE INTO t VALUES (1)");
    let caught;
    try { sql.exec("INSERT OR " + mode + " INTO t VALUES (1)"); } catch (e) { caught = { name: e.name, message: e.message }; }
    let after;
    try { after = sql.exec("SELECT count(*) AS n FROM t").one().n; } catch (e) { after = { name: e.name, message: e.message }; }
    return { caught, after };
  }
  count() { return this.ctx.storage.sql.exec("SELECT count(*) AS n FROM t").one().n; }`),
    drive: async (env) => {
      const out = {};
      for (const mode of ["ROLLBACK", "ABORT", "FAIL"]) {
        const stub = env.DO.getByName("c-" + mode);
        const r = {};
        try { r.call = await stub.go(mode); } catch (e) { r.callError = show(e); }
        try { r.count = await stub.count(); } catch (e) { r.countError = show(e); }
        try { r.count2 = await stub.count(); } catch (e) { r.count2Error = show(e); }
        out[mode] = r;
      }
      return out;
    },
  },
];
