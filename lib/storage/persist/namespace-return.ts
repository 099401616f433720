import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseFile } from "./database-file.js";
import { type Durability, syncDirectory } from "./durability.js";
import type { PersistLayout } from "./layout.js";

/**
 * Puts a namespace's directory back from an uncommitted trash (`from`) into its place (`to`)
 * when the place holds newer data: objects written there since, by the run whose open could
 * not put the namespace back, or by wrangler dev. It merges database by database. One the
 * place holds (its `<id>.sqlite` is there) was written anew and wins: the trash's copy is
 * removed. One it lacks moves back whole, which an empty place lacks for every object. The
 * namespace's alarm index, when the place has its own, moves in under another name (see
 * PersistLayout.returnedAlarmIndexPath), for Persistence to add its rows to the place's index
 * once the SQLite engine is loaded: an object put back keeps its alarm.
 *
 * Invariant, what makes it safe against a crash at any step: a database's own file is the
 * last of its files to move, after the others' moves are synced, so a database whose file is
 * in the place is wholly there and the trash holds nothing more of it. Run again on what a
 * crash left, the merge takes the same decisions and finishes. `from` goes once empty.
 */
export function returnNamespace(layout: PersistLayout, from: string, to: string, durability: Durability): void {
  const databases = new Map<string, string[]>();
  for (const name of readdirSync(from)) {
    const database = layout.databaseOf(name);
    const files = databases.get(database);
    if (files === undefined) databases.set(database, [name]);
    else files.push(name);
  }
  for (const [database, files] of databases) {
    const placeHolds = existsSync(join(to, database));
    if (placeHolds && layout.isAlarmIndex(database)) addAlarmIndex(layout, from, to, database, files, durability);
    else if (placeHolds) for (const file of files) rmSync(join(from, file), { recursive: true, force: true });
    else moveDatabase(from, to, database, files, durability);
  }
  syncDirectory(to, durability);
  rmdirSync(from);
}

/** Moves one database's files from `from` to `to`, its own file last (see the invariant). */
function moveDatabase(from: string, to: string, database: string, files: string[], durability: Durability): void {
  const others = files.filter((file) => file !== database);
  for (const file of others) renameSync(join(from, file), join(to, file));
  if (others.length === files.length) return;
  if (others.length > 0) {
    syncDirectory(to, durability);
    syncDirectory(from, durability);
  }
  renameSync(join(from, database), join(to, database));
}

/**
 * Moves the trash's alarm index in beside the place's, as one file: its WAL is folded into it
 * first (which needs no SQLite engine), and its other files are then the WAL emptied, the
 * index's `-shm` cache and writes a crash cut short, none of which holds a row.
 */
function addAlarmIndex(layout: PersistLayout, from: string, to: string, database: string, files: string[], durability: Durability): void {
  if (files.includes(database)) {
    new DatabaseFile(join(from, database), durability).load();
    renameSync(join(from, database), layout.returnedAlarmIndexPath(to, randomUUID()));
  }
  for (const file of files) rmSync(join(from, file), { force: true });
}
