import { randomBytes } from "node:crypto";
import type { SqliteBackend } from "./backends/sqlite.js";

/** How far back production keeps history for point-in-time recovery. */
const HISTORY_MS = 30 * 24 * 60 * 60 * 1000;

interface Version {
  bookmark: string;
  time: number;
  /** Undefined while it names the state the open batch will end with (read when it ends). */
  bytes: Uint8Array | undefined;
}

/**
 * Point-in-time recovery for one SQLite-backed object. Bookmarks are lexically ordered strings
 * in production's shape (8, 8 and 8 hex digits, then 32, joined by dashes), ordered by commit
 * sequence.
 *
 * Recording starts the first time the object uses a PITR method: from then on each commit
 * keeps a snapshot of the database file (sql.js exports in about 2 ms per MiB), so objects that
 * never use PITR pay nothing. A time before recording started resolves to the oldest version
 * recorded. A restore is applied when the object next starts, as in production.
 *
 * A bookmark asked for while writes are pending names the state their batch ends with, without
 * committing them early: inside transactionSync() or transaction() they cannot commit yet (the
 * file cannot even be read while a batch is open), and outside they commit at the end of the
 * turn. That version's file is read when the batch commits or, dropped, at the next use.
 */
export class BookmarkLog {
  #versions: Version[] | undefined;
  #sequence = 0;
  #pendingRestore: Version | undefined;

  constructor(
    private readonly backend: SqliteBackend,
    /** Object code's time. */
    private readonly clock: { now(): number },
  ) {}

  /** The object used a PITR method: its history is recorded (a new log would know none of it). */
  get recording(): boolean {
    return this.#versions !== undefined;
  }

  /** The bookmark of the state as of the last commit, or of the one the open batch makes. */
  current(): string {
    const versions = this.#record();
    if (this.backend.inBatch && versions.at(-1)!.bytes !== undefined) this.#push();
    return versions.at(-1)!.bookmark;
  }

  forTime(timestamp: number): string {
    const versions = this.#record();
    if (timestamp < this.clock.now() - HISTORY_MS) {
      throw new Error("Cannot get a bookmark for a time more than 30 days in the past.");
    }
    let chosen = versions[0]!;
    for (const version of versions) if (version.time <= timestamp) chosen = version;
    return chosen.bookmark;
  }

  /** Restores `bookmark` when the object next starts; returns a bookmark that undoes that. */
  restoreOnNextSession(bookmark: string): string {
    const versions = this.#record();
    const target = versions.find((version) => version.bookmark === bookmark);
    if (target === undefined) throw new Error(`Invalid bookmark: ${bookmark}`);
    this.#pendingRestore = target;
    return this.current();
  }

  /** Called after each successful commit: the version naming it gets its file, or a new one is kept. */
  committed(): void {
    const last = this.#versions?.at(-1);
    if (last === undefined) return;
    if (last.bytes === undefined) last.bytes = this.backend.fileBytes();
    else this.#push();
  }

  /** Called when a new instance of the object starts; returns whether it restored a bookmark. */
  applyPendingRestore(): boolean {
    const target = this.#pendingRestore;
    if (target === undefined || this.backend.inBatch) return false;
    this.#settle();
    this.#pendingRestore = undefined;
    this.backend.replaceFile(target.bytes!);
    this.#push();
    return true;
  }

  #record(): Version[] {
    if (this.#versions === undefined) {
      this.#versions = [];
      this.#push();
    }
    this.#settle();
    return this.#versions;
  }

  /** A version left waiting by a batch that was dropped (the instance reset) names the file as it is. */
  #settle(): void {
    const last = this.#versions?.at(-1);
    if (last !== undefined && last.bytes === undefined && !this.backend.inBatch) last.bytes = this.backend.fileBytes();
  }

  #push(): void {
    const versions = this.#versions!;
    const time = this.clock.now();
    const sequence = ++this.#sequence;
    const hex = (n: number) => Math.floor(n).toString(16).padStart(8, "0").slice(-8);
    const bookmark = `${hex(sequence)}-${hex(time / 0x1_0000_0000)}-${hex(time % 0x1_0000_0000)}-${randomBytes(16).toString("hex")}`;
    versions.push({ bookmark, time, bytes: this.backend.inBatch ? undefined : this.backend.fileBytes() });
    while (versions.length > 1 && versions[0]!.time < time - HISTORY_MS) versions.shift();
  }
}
