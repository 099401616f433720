// `node bench/sqlite-start.js [objects]`: the cost of a fresh SQLite-backed object's first
// statements. Each object runs, once, a start-up batch shaped like a framework's (the agents
// SDK creates its tables with `CREATE TABLE IF NOT EXISTS` and reads its state back at every
// start: about 40 statements, most of them schema statements on an empty database). The
// baseline, measured in the same run, is raw sql.js running the same statements on a fresh
// database of its own (prepare, bind, step, free, as exec() without a cache would). Needs
// `npm run build` first.
import initSqlJs from "sql.js";
import { Emulator } from "durasim";
import { DurableObject } from "durasim/workers";
import { formatRate, printTable, rateAndCpu } from "./harness.js";

/** The start-up batch: [sql, ...bindings]. */
const START = [
  ["CREATE TABLE IF NOT EXISTS app_state (id TEXT PRIMARY KEY NOT NULL, state TEXT)"],
  ["CREATE TABLE IF NOT EXISTS app_queue (id TEXT PRIMARY KEY NOT NULL, payload TEXT, callback TEXT, created_at INTEGER DEFAULT (unixepoch()))"],
  ["CREATE TABLE IF NOT EXISTS app_schedule (id TEXT PRIMARY KEY NOT NULL DEFAULT (randomblob(9)), callback TEXT, payload TEXT, type TEXT NOT NULL CHECK(type IN ('scheduled', 'delayed', 'cron')), time INTEGER, delay INTEGER, cron TEXT, created_at INTEGER DEFAULT (unixepoch()))"],
  ["CREATE TABLE IF NOT EXISTS app_servers (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, server_url TEXT NOT NULL, callback_url TEXT NOT NULL, client_id TEXT, auth_url TEXT, server_options TEXT)"],
  ["CREATE TABLE IF NOT EXISTS app_messages (id TEXT PRIMARY KEY, message TEXT NOT NULL, created_at DATETIME DEFAULT CURRENT_TIMESTAMP)"],
  ["CREATE TABLE IF NOT EXISTS app_streams (id TEXT PRIMARY KEY, request_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'streaming', created_at INTEGER NOT NULL, completed_at INTEGER)"],
  ["CREATE TABLE IF NOT EXISTS app_chunks (id TEXT PRIMARY KEY, stream_id TEXT NOT NULL, body TEXT NOT NULL, chunk_index INTEGER NOT NULL, created_at INTEGER NOT NULL)"],
  ["CREATE INDEX IF NOT EXISTS idx_chunks_stream ON app_chunks(stream_id, chunk_index)"],
  ["CREATE INDEX IF NOT EXISTS idx_schedule_time ON app_schedule(time)"],
  ["CREATE TABLE IF NOT EXISTS app_workflows (id TEXT PRIMARY KEY NOT NULL, workflow_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, status TEXT NOT NULL, metadata TEXT, error TEXT, created_at INTEGER NOT NULL DEFAULT (unixepoch()), updated_at INTEGER NOT NULL DEFAULT (unixepoch()))"],
  ["CREATE INDEX IF NOT EXISTS idx_workflows_status ON app_workflows(status)"],
  ["SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", "app_state"],
  ["SELECT state FROM app_state WHERE id = ?", "state"],
  ["SELECT state FROM app_state WHERE id = ?", "initialized"],
  ["INSERT OR REPLACE INTO app_state (id, state) VALUES (?, ?)", "state", "{}"],
  ["INSERT OR REPLACE INTO app_state (id, state) VALUES (?, ?)", "initialized", "true"],
  ["SELECT * FROM app_servers"],
  ["SELECT * FROM app_queue ORDER BY created_at ASC"],
  ["SELECT * FROM app_schedule WHERE time <= ? ORDER BY time ASC LIMIT 1", 0],
  ["SELECT id, status FROM app_streams WHERE status = 'streaming' ORDER BY created_at DESC LIMIT 1"],
  ["SELECT count(*) AS n FROM app_messages"],
  ["SELECT * FROM app_messages ORDER BY created_at"],
  ["DELETE FROM app_chunks WHERE stream_id IN (SELECT id FROM app_streams WHERE status != 'streaming' AND completed_at < ?)", 0],
  ["DELETE FROM app_streams WHERE status != 'streaming' AND completed_at < ?", 0],
  ["SELECT * FROM app_workflows WHERE status IN ('queued', 'running') ORDER BY created_at"],
];
// The framework's mixins each make sure of their tables again, as they start.
const BATCH = [...START, ...START.slice(0, 11), ...START.slice(11, 14)];

class Fresh extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    for (const [text, ...bindings] of BATCH) sql.exec(text, ...bindings).toArray();
  }
  touch() {
    return 1;
  }
}

class Empty extends DurableObject {
  touch() {
    this.ctx.storage.sql;
    return 1;
  }
}

const objects = Number(process.argv[2] ?? 1_000);
const emu = new Emulator({
  module: { Fresh, Empty },
  durableObjects: { FRESH: { className: "Fresh", sqlite: true }, EMPTY: { className: "Empty", sqlite: true } },
  maxLiveObjects: 1_000,
});
let round = 0;
// The empty objects first: evicting the others' databases (exporting each) would be counted in theirs.
const empty = await rateAndCpu(async (n) => {
  round++;
  for (let i = 0; i < n; i++) await emu.env.EMPTY.getByName(`empty-${round}-${i}`).touch();
}, objects);
const opened = await rateAndCpu(async (n) => {
  round++;
  for (let i = 0; i < n; i++) await emu.env.FRESH.getByName(`fresh-${round}-${i}`).touch();
}, objects);
await emu.dispose();

const SQL = await initSqlJs();
const raw = await rateAndCpu((n) => {
  for (let i = 0; i < n; i++) {
    const database = new SQL.Database();
    for (const [text, ...bindings] of BATCH) {
      const statement = database.prepare(text);
      if (bindings.length > 0) statement.bind(bindings);
      while (statement.step()) statement.get();
      statement.free();
    }
    database.close();
  }
}, objects);

const perObject = (cpu) => `${(cpu / 1e6).toFixed(2)} ms CPU`;
printTable(`A fresh SQLite-backed object's start-up batch (${BATCH.length} statements)`, [
  {
    workload: `fresh object running ${BATCH.length} start-up statements`,
    durasim: `${formatRate(opened.rate)} objects (${perObject(opened.cpu)} each)`,
    baseline: `${formatRate(raw.rate)} raw sql.js databases (${perObject(raw.cpu)} each)`,
    ratio: `${(opened.cpu / raw.cpu).toFixed(2)}x CPU`,
    target: "—",
  },
  {
    workload: "fresh SQLite-backed object, no statement",
    durasim: `${formatRate(empty.rate)} objects (${perObject(empty.cpu)} each)`,
    baseline: "—",
    ratio: "—",
    target: "—",
  },
]);
