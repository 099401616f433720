/**
 * The per-test usage table the test-runner reporters print (Vitest's `reportUsage`, Jest's
 * `durasim/jest/usage-reporter`): each test's row is taken where the test ran, from its usage,
 * and crosses to the reporter as plain data; the reporter prints the rows when the run ends.
 */
import { MEASURES } from "../runtime/usage/budget.js";
import type { Usage } from "../runtime/usage/usage.js";

const COLUMNS = ["requests", "rowsRead", "rowsWritten", "readUnits", "writeUnits", "commits"] as const;

/** One test's row of the table. */
export type UsageRow = Record<(typeof COLUMNS)[number], number>;

/** The measures the table shows, from a test's usage. */
export function usageRow(usage: Usage): UsageRow {
  const row = {} as UsageRow;
  for (const column of COLUMNS) row[column] = MEASURES[column](usage);
  return row;
}

/** The table: a header, then one row per test (named "file > test"), numbers right-aligned. */
export function formatUsageTable(rows: ReadonlyArray<[string, UsageRow]>): string {
  const header = ["test", ...COLUMNS];
  const cells = rows.map(([name, row]) => [name, ...COLUMNS.map((column) => String(row[column]))]);
  const widths = header.map((title, index) => Math.max(title.length, ...cells.map((line) => line[index]!.length)));
  const line = (values: string[]) => values.map((value, index) => (index === 0 ? value.padEnd(widths[0]!) : value.padStart(widths[index]!))).join("  ");
  return `\ndurasim usage per test\n${line(header)}\n${cells.map(line).join("\n")}\n`;
}
