/**
 * The per-test usage table under Jest: `reporters: ["default", "durasim/jest/usage-reporter"]`.
 * Jest runs test files in worker processes and hands reporters only its own fields of each
 * test's result, so the two sides meet on disk. The reporter, made in Jest's main process
 * before any worker starts, makes a directory and names it in DURASIM_JEST_USAGE, which the
 * workers inherit; the preset's environment, seeing it, records each test's row
 * (usage-table.ts) and writes its file's rows there when the file ends; the reporter prints
 * every row when the run completes. Without the reporter the environment records nothing.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Usage } from "../../runtime/usage/usage.js";
import { formatUsageTable, type UsageRow, usageRow } from "../usage-table.js";

const DIRECTORY_VARIABLE = "DURASIM_JEST_USAGE";

/** One test file's rows, as the environment writes them. */
interface FileRows {
  file: string;
  rows: Array<[string, UsageRow]>;
}

/** The environment's side: one test file's rows, kept while it runs. */
export class UsageRecorder {
  /** By test name: a retried test keeps its last attempt's row. */
  readonly #rows = new Map<string, UsageRow>();

  private constructor(
    private readonly directory: string,
    private readonly file: string,
  ) {}

  /** A recorder for the test file `file` (as the table names it) if the reporter is on. */
  static forFile(file: string): UsageRecorder | undefined {
    const directory = process.env[DIRECTORY_VARIABLE];
    return directory ? new UsageRecorder(directory, file) : undefined;
  }

  /** A test attempt (its hooks included) ended with `usage`. */
  record(testName: string, usage: Usage): void {
    this.#rows.set(`${this.file} > ${testName}`, usageRow(usage));
  }

  /** The file is over: its rows go to the reporter. */
  flush(): void {
    if (this.#rows.size === 0) return;
    const rows: FileRows = { file: this.file, rows: [...this.#rows] };
    writeFileSync(join(this.directory, `${randomUUID()}.json`), JSON.stringify(rows));
  }
}

/** A Jest reporter printing each test's usage in a table when the run completes. */
export default class UsageReporter {
  readonly #directory = mkdtempSync(join(tmpdir(), "durasim-jest-usage-"));

  constructor() {
    process.env[DIRECTORY_VARIABLE] = this.#directory;
    process.once("exit", () => rmSync(this.#directory, { recursive: true, force: true }));
  }

  /** Prints the rows the run's test files wrote, file by file, and forgets them (watch mode runs again). */
  onRunComplete(): void {
    const files: FileRows[] = [];
    for (const name of readdirSync(this.#directory)) {
      const path = join(this.#directory, name);
      files.push(JSON.parse(readFileSync(path, "utf8")) as FileRows);
      rmSync(path);
    }
    files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const rows = files.flatMap(({ rows }) => rows);
    if (rows.length > 0) process.stdout.write(formatUsageTable(rows));
  }
}
