/**
 * Usage budgets: `expect(usage).toStayWithin(budget)` (durasim/test's usageMatchers, which the
 * Vitest plugin and Jest preset install), and the per-test usage table the Vitest reporter prints.
 */
import { describe, expect, it, vi } from "vitest";
import { usageMatchers } from "../../../lib/modules/test/usage.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import { derive, emptyUsage } from "../../../lib/runtime/usage/usage.js";
import { formatUsageTable, usageRow } from "../../../lib/testing/usage-table.js";
import JestUsageReporter, { UsageRecorder } from "../../../lib/testing/jest/usage-reporter.js";
import { UsageReporter } from "../../../lib/testing/vitest/usage-reporter.js";
import { type AnyStub, emulator } from "../../helpers.js";

expect.extend(usageMatchers);
declare module "vitest" {
  interface Assertion {
    toStayWithin(budget: Record<string, number>): void;
  }
}

class Scanner extends DurableObject {
  declare ctx: AnyStub;
  scan() {
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY)");
    for (let id = 1; id <= 150; id++) sql.exec("INSERT OR IGNORE INTO t VALUES (?)", id);
    return sql.exec("SELECT * FROM t").toArray().length;
  }
}

describe("toStayWithin", () => {
  it("passes within every limit and fails naming each measure over it", async () => {
    const emu = emulator({ module: { Scanner }, durableObjects: { NS: { className: "Scanner", sqlite: true } } });
    const stub = (emu.env.NS as AnyStub).getByName("s");
    await stub.scan();
    emu.resetUsage();
    // 150 inserts that change nothing (each reads the key it finds taken, none writes, but the
    // first opens the implicit transaction: one commit), then a scan reading 150 rows.
    expect(await stub.scan()).toBe(150);
    const usage = emu.usage(stub);
    expect(usage).toStayWithin({ requests: 1, rowsWritten: 0, rowsRead: 300, commits: 1 });
    expect(() => expect(usage).toStayWithin({ rowsRead: 100, requests: 1, commits: 0 })).toThrow(
      'expected usage to stay within {"rowsRead":100,"requests":1,"commits":0}, but rowsRead 300 > 100, commits 1 > 0',
    );
    expect(usage).not.toStayWithin({ rowsRead: 299 });
    expect(() => expect(usage).not.toStayWithin({ rowsRead: 300 })).toThrow('expected usage to exceed {"rowsRead":300}, but it stayed within it');
  });

  it("refuses what is not usage, and measures it does not know", () => {
    expect(() => expect({}).toStayWithin({ rowsRead: 1 })).toThrow(
      "durasim: toStayWithin() checks usage: expect(usage()).toStayWithin(budget), or emu.usage(...).",
    );
    expect(() => expect(emptyUsage()).toStayWithin({ rows: 1 })).toThrow(/^durasim: toStayWithin\(\) has no measure "rows"\. Measures: requests, rpc, /);
  });
});

describe("the usage table", () => {
  it("prints one row per test that reported usage, after the run", () => {
    const usage = emptyUsage();
    usage.requests.rpc = 3;
    usage.sqlite.rowsRead = 1200;
    usage.commits.count = 2;
    const row = usageRow(derive(usage));
    expect(row).toEqual({ requests: 3, rowsRead: 1200, rowsWritten: 0, readUnits: 0, writeUnits: 0, commits: 2 });
    let printed = "";
    const reporter = new UsageReporter((text) => (printed += text));
    const test = (name: string, meta: object) => ({ fullName: name, module: { relativeModuleId: "test/a.test.ts", moduleId: "/p/test/a.test.ts" }, meta: () => meta });
    reporter.onTestCaseResult(test("counts > reads", { durasimUsage: row }));
    reporter.onTestCaseResult(test("no usage reported", {}));
    reporter.onTestRunEnd();
    expect(printed).toBe(formatUsageTable([["test/a.test.ts > counts > reads", row]]));
    expect(printed.split("\n")).toEqual([
      "",
      "durasim usage per test",
      "test                             requests  rowsRead  rowsWritten  readUnits  writeUnits  commits",
      "test/a.test.ts > counts > reads         3      1200            0          0           0        2",
      "",
    ]);
    reporter.onTestRunEnd(); // nothing new: prints nothing
    expect(printed.split("\n")).toHaveLength(5);
  });

  it("under Jest: the environment's recorders hand each file's rows to the reporter, which prints them by file", () => {
    expect(UsageRecorder.forFile("test/a.test.ts")).toBeUndefined(); // no reporter: nothing recorded
    const usage = (rpc: number) => {
      const counted = emptyUsage();
      counted.requests.rpc = rpc;
      return derive(counted);
    };
    const printed = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const reporter = new JestUsageReporter();
      const second = UsageRecorder.forFile("test/b.test.ts")!;
      second.record("b one", usage(5));
      second.flush();
      const first = UsageRecorder.forFile("test/a.test.ts")!;
      first.record("suite > retried", usage(1));
      first.record("suite > retried", usage(2)); // the last attempt's row
      first.record("a two", usage(3));
      first.flush();
      UsageRecorder.forFile("test/c.test.ts")!.flush(); // no test: no file, no row
      reporter.onRunComplete();
      expect(printed).toHaveBeenCalledTimes(1);
      expect(printed.mock.calls[0]![0]).toBe(
        formatUsageTable([
          ["test/a.test.ts > suite > retried", usageRow(usage(2))],
          ["test/a.test.ts > a two", usageRow(usage(3))],
          ["test/b.test.ts > b one", usageRow(usage(5))],
        ]),
      );
      reporter.onRunComplete(); // a watch-mode rerun with nothing recorded prints nothing
      expect(printed).toHaveBeenCalledTimes(1);
    } finally {
      printed.mockRestore();
      delete process.env.DURASIM_JEST_USAGE;
    }
  });
});
