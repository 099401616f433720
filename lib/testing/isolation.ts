/**
 * The emulator of one test file and how its state is isolated. Every file gets a fresh
 * emulator (nothing carries over between files), disposed when the file ends. With isolation
 * "test", state is also restored around suites and tests, as a stack of snapshots: taken before
 * a suite's beforeAll hooks and before a test attempt's beforeEach hooks, restored after the
 * suite's afterAll hooks and after the attempt's afterEach hooks. So what a beforeAll writes is
 * seen by every test of its suite and gone after it; what a test or its beforeEach writes is
 * gone after the test. Storage, alarms, instances, KV and R2 are all covered (emu.snapshot()).
 * Usage counters are not state: they are zeroed as each test attempt starts, in every mode.
 *
 * Work a Worker left running after answering (its `ctx.waitUntil()` promises, say an analytics
 * write after `SELF.fetch()` returned) belongs to the test that started it: with isolation
 * "test", it is waited for before each snapshot and restore, so it lands in its own test's state
 * and is undone with it, never in the next test's; in every mode it is waited for before the
 * file's emulator is disposed. Cloudflare's integration waits for it at the same points. As in
 * production, where waitUntil work gets 30 seconds, the wait ends after 30 seconds with a warning
 * (a promise that never settles, or a timer the test's fake timers hold), and the work given up
 * on is not waited for again.
 */
import type { Emulator } from "../emulator.js";
import type { EmulatorSnapshot } from "../util/snapshots.js";
import { ConfigError } from "../util/config-error.js";
import type { Isolation } from "./options.js";

export class FileIsolation {
  readonly #snapshots: EmulatorSnapshot[] = [];

  constructor(
    readonly emulator: Emulator,
    readonly mode: Isolation,
    /** Each test's usage is reported (the Vitest plugin's `reportUsage`). */
    readonly reportUsage = false,
  ) {}

  async enterSuite(): Promise<void> {
    if (this.mode !== "test") return;
    await this.#waitUntilSettled();
    this.#snapshots.push(await this.emulator.snapshot());
  }

  async leaveSuite(): Promise<void> {
    await this.#restore();
  }

  /**
   * A test attempt starts (retries start afresh): usage counts from here, whatever the mode.
   * With isolation "test", concurrent tests share one emulator's state: refused.
   */
  async enterTest(name: string, concurrent: boolean): Promise<void> {
    this.emulator.resetUsage();
    if (this.mode !== "test") return;
    if (concurrent) {
      throw new ConfigError(
        `durasim: test "${name}" runs concurrently, but isolation "test" restores one emulator's state after each test; ` +
          'run it sequentially, or set isolation: "file" (the tests of a file then share its storage).',
      );
    }
    await this.#waitUntilSettled();
    this.#snapshots.push(await this.emulator.snapshot());
  }

  async leaveTest(): Promise<void> {
    await this.#restore();
  }

  async #restore(): Promise<void> {
    const snapshot = this.#snapshots.pop();
    if (snapshot === undefined) return;
    await this.#waitUntilSettled();
    await this.emulator.restore(snapshot);
  }

  async dispose(): Promise<void> {
    // A test may have disposed the file's emulator itself: then nothing of it runs any more.
    await this.#waitUntilSettled().catch(() => {});
    await this.emulator.dispose();
  }

  /** Waits for the Workers' waitUntil work (30 seconds at most: wait-until-work.ts). */
  async #waitUntilSettled(): Promise<void> {
    if (!(await this.emulator.waitUntilSettled())) {
      console.warn(
        "durasim: promises Worker code gave waitUntil() did not settle within 30 s; the test runner goes on without them " +
          "(a promise that never settles, or one waiting on a timer the test's fake timers hold?).",
      );
    }
  }
}
