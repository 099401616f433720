/**
 * The per-test usage table (`reportUsage: true`): the runner, in the test's worker, hands each
 * test's usage to the main process as task meta; this reporter, in the main process, prints
 * one row per test when the run ends. Both sides share the row's shape from here.
 */
import { MEASURES } from "../../runtime/usage/budget.js";
import type { Usage } from "../../runtime/usage/usage.js";

/** The task meta key the runner sets. */
export const USAGE_META = "durasimUsage";

const COLUMNS = ["requests", "rowsRead", "rowsWritten", "readUnits", "writeUnits", "commits"] as const;

/** One test's row of the table. */
export type UsageRow = Record<(typeof COLUMNS)[number], number>;

/** The measures the table shows, from a test's usage. */
export function usageRow(usage: Usage): UsageRow {
  const row = {} as UsageRow;
  for (const column of COLUMNS) row[column] = MEASURES[column](usage);
  return row;
}

/** What the reporter reads of a finished test (Vitest's TestCase). */
interface FinishedTest {
  readonly fullName: string;
  readonly module: { readonly relativeModuleId?: string; readonly moduleId: string };
  meta(): object;
}

/** A Vitest reporter printing the usage table; the plugin adds it when `reportUsage` is on. */
export class UsageReporter {
  #rows: Array<[string, UsageRow]> = [];

  constructor(private readonly write: (text: string) => void = (text) => void process.stdout.write(text)) {}

  onTestCaseResult(test: FinishedTest): void {
    const row = (test.meta() as Record<string, unknown>)[USAGE_META] as UsageRow | undefined;
    if (row !== undefined) this.#rows.push([`${test.module.relativeModuleId ?? test.module.moduleId} > ${test.fullName}`, row]);
  }

  onTestRunEnd(): void {
    const rows = this.#rows;
    this.#rows = [];
    if (rows.length > 0) this.write(formatUsageTable(rows));
  }
}

/** The table: a header, then one row per test, numbers right-aligned. */
export function formatUsageTable(rows: ReadonlyArray<[string, UsageRow]>): string {
  const header = ["test", ...COLUMNS];
  const cells = rows.map(([name, row]) => [name, ...COLUMNS.map((column) => String(row[column]))]);
  const widths = header.map((title, index) => Math.max(title.length, ...cells.map((line) => line[index]!.length)));
  const line = (values: string[]) => values.map((value, index) => (index === 0 ? value.padEnd(widths[0]!) : value.padStart(widths[index]!))).join("  ");
  return `\ndurasim usage per test\n${line(header)}\n${cells.map(line).join("\n")}\n`;
}
