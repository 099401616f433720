/**
 * The emulator of one test file and how its state is isolated. Every file gets a fresh
 * emulator (nothing carries over between files), disposed when the file ends. The runner
 * integrations call the suite and test hooks at the points where per-test isolation takes
 * and restores its snapshots: before a suite's beforeAll hooks, after its afterAll hooks,
 * before a test attempt's beforeEach hooks and after its afterEach hooks.
 */
import type { Emulator } from "../emulator.js";
import type { Isolation } from "./options.js";

export class FileIsolation {
  constructor(
    readonly emulator: Emulator,
    readonly mode: Isolation,
  ) {}

  async enterSuite(_name: string): Promise<void> {}

  async leaveSuite(): Promise<void> {}

  async enterTest(_name: string, _concurrent: boolean): Promise<void> {}

  async leaveTest(): Promise<void> {}

  async dispose(): Promise<void> {
    await this.emulator.dispose();
  }
}
