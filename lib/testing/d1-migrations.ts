/**
 * `readD1Migrations(dir)` of Cloudflare's Vitest integration: a project's vitest.config reads
 * its D1 migrations with it and hands them to the tests as a binding (`TEST_MIGRATIONS`), which
 * a setup file passes to `applyD1Migrations`. Runs in Node, where the config loads.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { splitSqlStatements } from "../sqlite/statement-split.js";

/** One migration file: its name and its statements, in order. */
export interface D1Migration {
  name: string;
  queries: string[];
}

/**
 * The directory's `*.sql` files ordered by the number before the first `_` of their names
 * (`0001_init.sql`), as wrangler numbers migrations, each split into its statements.
 */
export async function readD1Migrations(migrationsPath: string): Promise<D1Migration[]> {
  // Checked, not left to readdir(), which would take a URL or a Buffer.
  if (typeof migrationsPath !== "string") throw new TypeError("Failed to execute 'readD1Migrations': parameter 1 is not of type 'string'.");
  const names = (await readdir(migrationsPath)).filter((name) => name.endsWith(".sql"));
  names.sort((a, b) => migrationNumber(a) - migrationNumber(b));
  return Promise.all(names.map(async (name) => ({ name, queries: splitSqlStatements(await readFile(join(migrationsPath, name), "utf8")) })));
}

function migrationNumber(name: string): number {
  return Number.parseInt(name.split("_")[0]!, 10);
}
