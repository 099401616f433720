/**
 * Interop with the real runtime, file level: workerd (as wrangler dev runs it) writes a state
 * directory and durasim's persistence modules read it, and the reverse. The fixtures are made
 * here, by the workerd binary from the npm package, never committed.
 */
import { readFileSync, statSync } from "node:fs";
import type { SqlJsStatic } from "sql.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileWriteTap } from "../../../lib/sqlite/file-writes.js";
import { IdFactory } from "../../../lib/runtime/ids.js";
import { decodeValue, encodeValue } from "../../../lib/storage/codec.js";
import { compareKeys } from "../../../lib/storage/keys.js";
import { DatabaseFile } from "../../../lib/storage/persist/database-file.js";
import { DURABLE } from "../../../lib/storage/persist/durability.js";
import { PersistLayout } from "../../../lib/storage/persist/layout.js";
import { namespaceKey } from "../../../lib/config/migrations.js";
import { tappedSqlJs, watchedDatabase } from "./tapped-engine.js";
import {
  DESCRIBE_SOURCE,
  KV_CLASS,
  SCRIPT,
  SQL_CLASS,
  VALUES_SOURCE,
  readStateWithWorkerd,
  writeStateWithWorkerd,
} from "./workerd-state.mjs";
import { ScratchDirectories } from "../../scratch-directories.js";

const values = () => new Function(`return ${VALUES_SOURCE}`)() as Record<string, unknown>;
const describeValue = new Function(`return ${DESCRIBE_SOURCE}`)() as (value: unknown) => string;
const FAR_FUTURE = 4102444800000;

let sqlJs: SqlJsStatic;
let tap: FileWriteTap;
const directories = new ScratchDirectories("durasim-interop-");

beforeAll(async () => {
  ({ sqlJs, tap } = await tappedSqlJs());
});

afterAll(() => {
  directories.removeAll();
});

function query(image: Uint8Array | undefined, sql: string): unknown[][] {
  const database = new sqlJs.Database(image ?? null);
  try {
    return database.exec(sql)[0]?.values ?? [];
  } finally {
    database.close();
  }
}

describe("a state directory written by workerd (wrangler dev), read by durasim", () => {
  let layout: PersistLayout;
  let ids: Record<string, string>;

  beforeAll(async () => {
    const state = directories.make();
    ids = await writeStateWithWorkerd(state, [
      { kind: "kv", name: "alice", alarm: FAR_FUTURE },
      { kind: "sql", name: "bob", alarm: FAR_FUTURE + 1 },
    ]);
    layout = PersistLayout.inStateDirectory(state);
  }, 60_000);

  const kvKey = namespaceKey(SCRIPT, KV_CLASS);
  const sqlKey = namespaceKey(SCRIPT, SQL_CLASS);

  it("is where the layout says, with ids durasim derives, and its data only in the -wal files", () => {
    expect(ids["kv:alice"]).toBe(new IdFactory(kvKey).fromName("alice"));
    expect(layout.objectIds(kvKey)).toEqual([ids["kv:alice"]]);
    expect(layout.objectIds(sqlKey)).toEqual([ids["sql:bob"]]);
    const path = layout.objectPath(kvKey, ids["kv:alice"]!);
    expect(query(new Uint8Array(readFileSync(path)), "SELECT name FROM sqlite_master")).toEqual([]);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(statSync(path).size);
  });

  it("decodes every value to what workerd stored, and durasim encodes each to the same bytes", () => {
    const image = new DatabaseFile(layout.objectPath(kvKey, ids["kv:alice"]!), DURABLE).load();
    const rows = query(image, "SELECT key, value FROM _cf_KV") as [string, Uint8Array][];
    const expected = values();
    expect(rows.map(([key]) => key).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, bytes] of rows) {
      expect(describeValue(decodeValue(bytes)), key).toBe(describeValue(expected[key]));
      expect(Buffer.from(encodeValue(expected[key])).toString("hex"), key).toBe(Buffer.from(bytes).toString("hex"));
    }
  });

  it("keeps keys in UTF-8 byte order, the order durasim's key comparison gives", () => {
    const image = new DatabaseFile(layout.objectPath(kvKey, ids["kv:alice"]!), DURABLE).load();
    const keys = query(image, "SELECT key FROM _cf_KV ORDER BY key").map(([key]) => key as string);
    expect(keys).toEqual([...keys].sort(compareKeys));
    expect(keys.indexOf("\uFFFF")).toBeLessThan(keys.indexOf("\u{1F600}"));
  });

  it("has the SQL-backed object's tables and rows", () => {
    const image = new DatabaseFile(layout.objectPath(sqlKey, ids["sql:bob"]!), DURABLE).load();
    expect(query(image, "SELECT count(*), sum(weight), max(label) FROM items")).toEqual([[50, (50 * 51) / 2 / 4, "item 9"]]);
    expect(query(image, "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'items_by_label'")).toEqual([["items_by_label"]]);
  });

  it("records alarms in nanoseconds in the object and, with the name, in the namespace's metadata.sqlite", () => {
    const object = new DatabaseFile(layout.objectPath(kvKey, ids["kv:alice"]!), DURABLE).load();
    expect(query(object, "SELECT CAST(value AS TEXT) FROM _cf_METADATA WHERE key = 1")).toEqual([[`${FAR_FUTURE}000000`]]);
    const index = new DatabaseFile(layout.alarmIndexPath(kvKey), DURABLE).load();
    expect(query(index, "SELECT actor_id, CAST(scheduled_time AS TEXT), actor_name FROM _cf_ALARM")).toEqual([
      [ids["kv:alice"], `${FAR_FUTURE}000000`, "alice"],
    ]);
  });
});

describe("a state directory written by durasim, read by workerd", () => {
  it("gives workerd every value, table and row, including those only in durasim's WAL, and fires an overdue alarm", async () => {
    const state = directories.make();
    const layout = PersistLayout.inStateDirectory(state);
    const kvKey = namespaceKey(SCRIPT, KV_CLASS);
    const sqlKey = namespaceKey(SCRIPT, SQL_CLASS);
    const carol = new IdFactory(kvKey).fromName("carol");
    const dave = new IdFactory(sqlKey).fromName("dave");
    const overdue = Date.now() - 60_000;

    const writeObject = (path: string, statements: string[], rows: [string, Uint8Array][]) => {
      const file = new DatabaseFile(path, DURABLE);
      file.load();
      const db = watchedDatabase(sqlJs, tap);
      for (const sql of statements) {
        const { pages, pageCount } = db.transaction(sql);
        file.commit(pages, pageCount);
      }
      // One commit per value: later ones stay in the WAL, which workerd must read.
      for (const row of rows) {
        db.database.exec("BEGIN");
        db.database.run("INSERT INTO _cf_KV VALUES (?, ?)", row);
        db.database.exec("COMMIT");
        const { pages, pageCount } = db.committed();
        file.commit(pages, pageCount);
      }
      db.database.close();
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    };
    const kvRows = Object.entries(values()).map(([key, value]) => [key, encodeValue(value)] as [string, Uint8Array]);
    const schema = [
      "CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID",
      "CREATE TABLE _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB)",
    ];
    writeObject(layout.objectPath(kvKey, carol), [...schema, `INSERT INTO _cf_METADATA VALUES (1, ${overdue}000000)`], kvRows);
    writeObject(
      layout.objectPath(sqlKey, dave),
      [
        ...schema,
        "CREATE TABLE items(id INTEGER PRIMARY KEY, label TEXT NOT NULL, weight REAL, data BLOB)",
        "INSERT INTO items(label, weight, data) VALUES ('only', 0.5, x'0102')",
      ],
      kvRows.slice(0, 3),
    );
    writeObject(
      layout.alarmIndexPath(kvKey),
      [
        "CREATE TABLE _cf_ALARM (actor_id TEXT PRIMARY KEY, scheduled_time INTEGER, actor_name TEXT) WITHOUT ROWID",
        `INSERT INTO _cf_ALARM VALUES ('${carol}', ${overdue}000000, 'carol')`,
      ],
      [],
    );

    const seen = await readStateWithWorkerd(state, [
      { kind: "kv", name: "carol", waitForAlarm: true },
      { kind: "sql", name: "dave" },
    ]);
    const expected = values();
    const carolSeen = seen["kv:carol"];
    const fired = carolSeen.entries.find(([key]) => key === "alarm fired");
    expect(fired, "the overdue alarm fired in workerd").toBeDefined();
    expect(JSON.parse(fired![1])[1]).toContainEqual(["name", "carol"]);
    expect(carolSeen.alarm).toBeNull();
    const carolValues = carolSeen.entries.filter(([key]) => key !== "alarm fired");
    expect(carolValues).toEqual(
      Object.keys(expected)
        .sort(compareKeys)
        .map((key) => [key, describeValue(expected[key])]),
    );
    expect(seen["sql:dave"].items).toEqual([[1, "only", 0.5, "0102"]]);
    expect(seen["sql:dave"].entries).toHaveLength(3);
  }, 60_000);
});
