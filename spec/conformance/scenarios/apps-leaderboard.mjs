// Realistic apps, part 7: a game leaderboard on SQLite. Scores are upserted (ON CONFLICT ...
// DO UPDATE with a RETURNING clause), ranked with window functions, summarised with JSON
// functions, and a season reset runs in transactionSync, which a constraint violation rolls
// back. Players call it concurrently over RPC; records hold rows, ranks, cursor counters and
// errors as SQLite words them.
import { cls } from "../scenario.mjs";

const BOARD = cls(`  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(\`CREATE TABLE IF NOT EXISTS scores (
      player TEXT PRIMARY KEY,
      best INTEGER NOT NULL CHECK (best >= 0),
      games INTEGER NOT NULL DEFAULT 1,
      meta TEXT NOT NULL DEFAULT '{}'
    ) STRICT\`);
  }
  get sql() { return this.ctx.storage.sql; }
  async submit(player, score, meta = {}) {
    await this.ctx.storage.put("last", player);
    const cursor = this.sql.exec(
      "INSERT INTO scores (player, best, meta) VALUES (?, ?, ?) ON CONFLICT (player) DO UPDATE SET best = max(best, excluded.best), games = games + 1, meta = json_patch(meta, excluded.meta) RETURNING best, games",
      player, score, JSON.stringify(meta));
    const row = cursor.one();
    return { ...row, rowsWritten: cursor.rowsWritten };
  }
  async top(n) {
    const cursor = this.sql.exec("SELECT player, best, rank() OVER (ORDER BY best DESC) AS rank, dense_rank() OVER (ORDER BY best DESC) AS dense, round(percent_rank() OVER (ORDER BY best DESC), 2) AS pct FROM scores ORDER BY best DESC, player LIMIT ?", n);
    const rows = cursor.raw().toArray();
    return { columns: cursor.columnNames, rows, rowsRead: cursor.rowsRead };
  }
  async summary() {
    return this.sql.exec("SELECT json_group_object(player, best) AS bests, json_group_array(json_object('p', player, 'g', games)) AS games, sum(best) AS total, avg(best) AS mean, (SELECT json_extract(meta, '$.team') FROM scores WHERE player = 'ann') AS annTeam FROM (SELECT * FROM scores ORDER BY player)").one();
  }
  async reset(seed) {
    return outcomeSync(() => this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM scores");
      for (const [p, s] of seed) this.sql.exec("INSERT INTO scores (player, best) VALUES (?, ?)", p, s);
      return this.sql.exec("SELECT count(*) AS n FROM scores").one().n;
    }));
  }
  async errors() {
    const run = (q, ...b) => outcomeSync(() => this.sql.exec(q, ...b).toArray());
    return {
      negative: run("INSERT INTO scores (player, best) VALUES ('neg', -1)"),
      strictType: run("INSERT INTO scores (player, best) VALUES ('typed', 'lots')"),
      nullPlayerBest: run("INSERT INTO scores (player, best) VALUES ('nul', NULL)"),
      badJson: run("SELECT json_extract('{not json', '$.a')"),
      tooFewBindings: run("SELECT ?1 + ?2", 1),
      one: outcomeSync(() => this.sql.exec("SELECT * FROM scores WHERE best > 1000").one()),
    };
  }
  async count() { return this.sql.exec("SELECT count(*) AS n FROM scores").one().n; }`);

export default [
  {
    name: "apps: leaderboard on SQLite, concurrent upserts, window-function ranks, JSON summaries, a season reset rolled back by a CHECK",
    backend: "sqlite",
    source: BOARD,
    drive: async (env) => {
      const board = env.DO.getByName("season-1");
      const out = {};
      out.submits = await Promise.all([
        board.submit("ann", 50, { team: "red" }),
        board.submit("bob", 70),
        board.submit("ann", 40, { level: 3 }),
        board.submit("cid", 70, { team: "blue" }),
        board.submit("dee", 10),
        board.submit("ann", 90),
      ]);
      out.top = await board.top(3);
      out.summary = await board.summary();
      out.errors = await board.errors();
      out.failedReset = await board.reset([["x", 1], ["y", -5]]);
      out.afterFailedReset = { count: await board.count(), top: await board.top(10) };
      out.reset = await board.reset([["x", 1], ["y", 5]]);
      out.afterReset = await board.top(10);
      out.fresh = await env.DO.getByName("season-1").summary();
      return out;
    },
  },
];
