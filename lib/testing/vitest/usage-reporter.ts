/**
 * The per-test usage table under Vitest (`reportUsage: true`): the runner, in the test's
 * worker, hands each test's row (usage-table.ts) to the main process as task meta; this
 * reporter, in the main process, prints one row per test when the run ends.
 */
import { formatUsageTable, type UsageRow } from "../usage-table.js";

/** The task meta key the runner sets. */
export const USAGE_META = "durasimUsage";

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
