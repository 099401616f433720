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
 * Concurrent tests (and suites) cannot each have their own state in one emulator: those running
 * at the same time form a group that shares one snapshot, taken as the first of them starts and
 * restored as the last of them ends. Everything that starts while a group runs (a sequential
 * test inside a concurrent describe, say) joins it, so the stack never pops a snapshot a running
 * test still stands on. Cloudflare's current plugin runs concurrent tests on one storage per file;
 * here they share it with each other, and what they write is still gone for the tests after them.
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
import type { Isolation } from "./options.js";

export class FileIsolation {
  readonly #snapshots: EmulatorSnapshot[] = [];
  /** The concurrent tests and suites running now, and their shared snapshot being taken. */
  #group: { members: number; taken: Promise<void> } | undefined;
  /** The tests and suites that entered a group (they leave it, not the stack). */
  readonly #grouped = new WeakSet<object>();
  /** The last group's restore: a group starting right after it snapshots what it restored. */
  #groupRestored: Promise<void> = Promise.resolve();

  constructor(
    readonly emulator: Emulator,
    readonly mode: Isolation,
    /** Each test's usage is reported (the Vitest plugin's `reportUsage`). */
    readonly reportUsage = false,
  ) {}

  /** `suite` identifies it until leaveSuite; `concurrent` when it runs beside its siblings. */
  async enterSuite(suite: object, concurrent = false): Promise<void> {
    await this.#enter(suite, concurrent);
  }

  async leaveSuite(suite: object): Promise<void> {
    await this.#leave(suite);
  }

  /** A test attempt starts (retries start afresh): usage counts from here, whatever the mode. */
  async enterTest(test: object, concurrent: boolean): Promise<void> {
    if (this.#group === undefined) this.emulator.resetUsage();
    await this.#enter(test, concurrent);
  }

  async leaveTest(test: object): Promise<void> {
    await this.#leave(test);
  }

  async #enter(task: object, concurrent: boolean): Promise<void> {
    if (this.mode !== "test") return;
    if (!concurrent && this.#group === undefined) return this.#snapshot();
    this.#group ??= { members: 0, taken: this.#groupRestored.catch(() => {}).then(() => this.#snapshot()) };
    this.#group.members++;
    this.#grouped.add(task);
    await this.#group.taken;
  }

  async #leave(task: object): Promise<void> {
    if (!this.#grouped.delete(task)) return this.#restore();
    const group = this.#group!;
    if (--group.members > 0) return;
    this.#group = undefined;
    // A snapshot that failed pushed nothing: there is nothing of the group's to pop.
    this.#groupRestored = group.taken.then(() => this.#restore(), () => {});
    await this.#groupRestored;
  }

  async #snapshot(): Promise<void> {
    await this.#waitUntilSettled();
    this.#snapshots.push(await this.emulator.snapshot());
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
