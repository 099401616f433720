/**
 * `applyD1Migrations(db, migrations, table?)` of `cloudflare:test`. durasim does not emulate
 * D1, so what `db` is decides:
 * - the runners' stand-in for a D1 binding of the wrangler file: nothing to apply to. A setup
 *   file calls this before every test file, so throwing would fail every test of the project,
 *   the Durable Object tests too; it warns once per binding instead, and a test that uses the
 *   database fails at its first call with the stand-in's error, naming the binding.
 * - a D1 double the test gave (miniflare.bindings): the migrations not yet recorded in `table`
 *   are applied to it through D1's API, each in one batch with its record, as Cloudflare's
 *   helper does.
 */
import { type StandInOrigin, standInOrigin } from "./stand-ins.js";

interface D1Migration {
  name: string;
  queries: string[];
}

/** The part of D1's API applying migrations uses. */
interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  run(): Promise<unknown>;
  all(): Promise<{ results: Array<Record<string, unknown>> }>;
}
interface D1Database {
  prepare(query: string): D1Statement;
  batch(statements: D1Statement[]): Promise<unknown>;
}

/** Stand-ins already warned about, by binding and file: one warning per binding, not per test file. */
const warned = new Set<string>();

export async function applyD1Migrations(db: unknown, migrations: unknown, migrationsTableName: unknown = "d1_migrations"): Promise<void> {
  const standIn = d1StandIn(db);
  if (standIn === undefined && !isD1Database(db)) throw parameterError(1, "D1Database");
  if (!isD1Migrations(migrations)) throw parameterError(2, "D1Migration[]");
  if (typeof migrationsTableName !== "string") throw parameterError(3, "string");
  if (standIn !== undefined) {
    const { name, key, file } = standIn;
    if (warned.has(`${file}\0${name}`)) return;
    warned.add(`${file}\0${name}`);
    console.warn(
      `durasim: applyD1Migrations() applied nothing to env.${name}: "${key}" in ${file} declares ${name}, a D1 database, which durasim does not emulate. ` +
        `Tests that do not use env.${name} run; one that does fails at its first call. To run those, give ${name} a D1 double in the options' miniflare.bindings.`,
    );
    return;
  }
  await applyTo(db as D1Database, migrations, migrationsTableName);
}

async function applyTo(db: D1Database, migrations: D1Migration[], tableName: string): Promise<void> {
  // A quoted identifier, as Cloudflare's helper writes it since 0.16.20: any name works (`my"table`).
  const table = `"${tableName.replaceAll('"', '""')}"`;
  await db.prepare(`CREATE TABLE IF NOT EXISTS ${table} (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
  );`).run();
  const applied = new Set((await db.prepare(`SELECT name FROM ${table};`).all()).results.map((row) => row.name));
  const record = db.prepare(`INSERT INTO ${table} (name) VALUES (?);`);
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    await db.batch([...migration.queries.map((query) => db.prepare(query)), record.bind(migration.name)]);
  }
}

/** The binding `value` stands in for, when it is the stand-in of a D1 database (not of a queue, say). */
function d1StandIn(value: unknown): StandInOrigin | undefined {
  const origin = standInOrigin(value);
  return origin?.key === "d1_databases" ? origin : undefined;
}

function parameterError(position: number, type: string): TypeError {
  return new TypeError(`Failed to execute 'applyD1Migrations': parameter ${position} is not of type '${type}'.`);
}

function isD1Database(value: unknown): value is D1Database {
  const db = value as Partial<D1Database> | null;
  return typeof db === "object" && db !== null && typeof db.prepare === "function" && typeof db.batch === "function";
}

function isD1Migrations(value: unknown): value is D1Migration[] {
  return Array.isArray(value) && value.every((migration: Partial<D1Migration> | null) =>
    typeof migration === "object" && migration !== null && typeof migration.name === "string" && Array.isArray(migration.queries) && migration.queries.every((query) => typeof query === "string"),
  );
}
