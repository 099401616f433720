/**
 * applyD1Migrations of cloudflare:test: durasim does not emulate D1, so it applies migrations
 * to a D1 double a test gives and warns, without failing the setup file, for the runners'
 * stand-in of a D1 binding.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyD1Migrations } from "../../../lib/modules/test/index.js";
import { unemulatedBinding } from "../../../lib/testing/unemulated-binding.js";

/** A D1 double that records the queries it runs and which migrations were recorded as applied. */
function d1Double(appliedBefore: string[] = []) {
  const batches: string[][] = [];
  const applied = [...appliedBefore];
  const statement = (query: string, values: unknown[] = []) => ({
    query,
    values,
    bind: (...bound: unknown[]) => statement(query, bound),
    run: async () => ({ success: true }),
    all: async () => ({ results: query.startsWith("SELECT name") ? applied.map((name) => ({ name })) : [] }),
  });
  const prepared: string[] = [];
  const db = {
    prepare: (query: string) => {
      prepared.push(query.replace(/\s+/g, " "));
      return statement(query);
    },
    batch: async (statements: ReturnType<typeof statement>[]) => {
      batches.push(statements.map(({ query, values }) => (values.length ? `${query} ${values.join()}` : query)));
      for (const { query, values } of statements) if (query.startsWith("INSERT INTO ")) applied.push(values[0] as string);
      return [];
    },
  };
  return { db, batches, prepared };
}

const migrations = [
  { name: "0001_init.sql", queries: ["CREATE TABLE posts (id INTEGER)"] },
  { name: "0002_tags.sql", queries: ["CREATE TABLE tags (name TEXT)", "CREATE INDEX t ON tags (name)"] },
];

afterEach(() => vi.restoreAllMocks());

describe("applyD1Migrations", () => {
  it("applies to a D1 double the migrations not yet recorded, each in one batch with its record", async () => {
    const { db, batches } = d1Double(["0001_init.sql"]);
    await applyD1Migrations(db, migrations);
    expect(batches).toEqual([["CREATE TABLE tags (name TEXT)", "CREATE INDEX t ON tags (name)", 'INSERT INTO "d1_migrations" (name) VALUES (?); 0002_tags.sql']]);
    await applyD1Migrations(db, migrations);
    expect(batches).toHaveLength(1);
  });

  it("quotes the migrations table's name, as Cloudflare's helper does since 0.16.20, so any name works", async () => {
    const { db, prepared } = d1Double();
    await applyD1Migrations(db, [], 'my"migrations');
    expect(prepared.map((query) => query.split(" (")[0])).toEqual([
      'CREATE TABLE IF NOT EXISTS "my""migrations"',
      'SELECT name FROM "my""migrations";',
      'INSERT INTO "my""migrations"',
    ]);
  });

  it("refuses arguments of the wrong type with Cloudflare's errors", async () => {
    const { db } = d1Double();
    await expect(applyD1Migrations({}, migrations)).rejects.toThrow(new TypeError("Failed to execute 'applyD1Migrations': parameter 1 is not of type 'D1Database'."));
    await expect(applyD1Migrations(db, [{ name: "x" }])).rejects.toThrow(new TypeError("Failed to execute 'applyD1Migrations': parameter 2 is not of type 'D1Migration[]'."));
    await expect(applyD1Migrations(db, migrations, 1)).rejects.toThrow(new TypeError("Failed to execute 'applyD1Migrations': parameter 3 is not of type 'string'."));
  });

  it("applies nothing to the stand-in for a D1 binding and warns once, naming it, so the project's other tests run", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const db = unemulatedBinding({ name: "DB", key: "d1_databases" }, "/project/wrangler.jsonc") as any;
    await applyD1Migrations(db, migrations);
    await applyD1Migrations(unemulatedBinding({ name: "DB", key: "d1_databases" }, "/project/wrangler.jsonc"), migrations);
    expect(warn.mock.calls).toEqual([
      [
        'durasim: applyD1Migrations() applied nothing to env.DB: "d1_databases" in /project/wrangler.jsonc declares DB, a D1 database, which durasim does not emulate. ' +
          "Tests that do not use env.DB run; one that does fails at its first call. To run those, give DB a D1 double in the options' miniflare.bindings.",
      ],
    ]);
    expect(() => db.prepare("SELECT 1")).toThrow(/env\.DB\.prepare\(\) cannot run/);
  });

  it("uses the stand-in of another kind of binding as a database, which fails naming it", async () => {
    const queue = unemulatedBinding({ name: "QUEUE", key: "queues" }, "/project/wrangler.jsonc");
    await expect(applyD1Migrations(queue, migrations)).rejects.toThrow(/env\.QUEUE\.prepare\(\) cannot run: "queues" in \/project\/wrangler.jsonc declares QUEUE/);
  });
});
