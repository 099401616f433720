// Miniflare 4 (workerd, native SQLite) as a peer measured in the same run: the SQL workload
// inside one object. Miniflare needs Node 22 or later (`npm run bench` uses the Node 24 of the
// `node` dev dependency); elsewhere, or if workerd cannot start, the row says why it is missing.
import { duration } from "./harness.js";

const WORKER = `import { DurableObject } from "cloudflare:workers";
export class SqlBench extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)");
  }
  sqlLoop(n) {
    const sql = this.ctx.storage.sql;
    let found = 0;
    for (let i = 0; i < n; i++) {
      sql.exec("INSERT OR REPLACE INTO t VALUES (?, ?)", i % 1000, "value");
      found += sql.exec("SELECT v FROM t WHERE k = ?", i % 1000).one().v.length;
    }
    return found;
  }
  noop() {
    return 0;
  }
}
export default { fetch() { return new Response("ok"); } };
`;

/**
 * INSERT+SELECT pairs per second inside one SQLite-backed object of Miniflare 4, or the reason
 * it was not measured. workerd's clock stands still while code runs, so the request is timed
 * from Node, less the round trip of a no-op call (measured alike).
 */
export async function miniflareSqlRate(pairs) {
  if (Number(process.versions.node.split(".")[0]) < 22) return { missing: "Miniflare 4 needs Node ≥ 22" };
  let Miniflare;
  try {
    ({ Miniflare } = await import("miniflare"));
  } catch {
    return { missing: "miniflare is not installed" };
  }
  const mf = new Miniflare({
    modules: true,
    script: WORKER,
    compatibilityDate: "2025-04-01",
    durableObjects: { SQL: { className: "SqlBench", useSQLite: true } },
  });
  try {
    const ns = await mf.getDurableObjectNamespace("SQL");
    const stub = ns.get(ns.idFromName("hot"));
    const roundTrip = await duration(() => stub.noop());
    const loop = await duration(() => stub.sqlLoop(pairs));
    return { rate: pairs / ((loop - roundTrip) / 1000) };
  } catch (error) {
    return { missing: `Miniflare 4 failed: ${error.message}` };
  } finally {
    await mf.dispose();
  }
}
