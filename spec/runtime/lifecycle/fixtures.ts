import type { Emulator, EmulatorOptions } from "../../../lib/index.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

/** The parts of `ctx` these tests use. */
export interface Ctx {
  id: { toString(): string; name?: string };
  storage: {
    get(key: string): Promise<unknown>;
    put(key: string, value: unknown, options?: { allowUnconfirmed?: boolean }): Promise<void>;
    list(): Promise<Map<string, unknown>>;
    deleteAll(): Promise<void>;
    sync(): Promise<void>;
    getAlarm(): Promise<number | null>;
    setAlarm(time: number | Date): Promise<void>;
    deleteAlarm(): Promise<void>;
    transaction<T>(closure: (txn: { setAlarm(time: number): Promise<void>; deleteAlarm(): Promise<void>; rollback(): void }) => Promise<T>): Promise<T>;
  };
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
  abort(reason?: string, options?: { retryAlarm?: boolean }): never;
}

export interface AlarmRun {
  name: string | undefined;
  info: { retryCount: number; isRetry: boolean; scheduledTime: number };
  /** getAlarm() as the handler saw it on entry. */
  alarmInside: number | null;
}

/** What the Alarmed class saw; reset before each test by `alarmWorld()`. */
export const world = { constructed: 0, runs: [] as AlarmRun[] };

/**
 * A class with an alarm handler whose behaviour is set through storage ("mode"), so it survives
 * resets and evictions: "ok", "throw", "rearm" (sets the next alarm 1 s later, once),
 * "throwAfterRearm", "abort", "abortNoRetry", "deleteThenThrow", "deleteAllThenThrow",
 * "rolledBackDeleteThenThrow".
 */
export class Alarmed extends DurableObject {
  memory = 0;

  constructor(ctx: unknown, env: unknown) {
    super(ctx, env);
    world.constructed++;
  }

  get #ctx(): Ctx {
    return this.ctx as Ctx;
  }

  async alarm(info: AlarmRun["info"]) {
    const storage = this.#ctx.storage;
    // A plain copy: the runtime's alarmInfo is an AlarmInvocationInfo (see the conformance scenarios).
    world.runs.push({ name: this.#ctx.id.name, info: { ...info }, alarmInside: await storage.getAlarm() });
    await storage.put(`run${world.runs.length}`, info.retryCount);
    const mode = (await storage.get("mode")) ?? "ok";
    if (mode === "rearm" && world.runs.length === 1) await storage.setAlarm(Date.now() + 1_000);
    if (mode === "throwAfterRearm") {
      await storage.setAlarm(Date.now() + 1_000);
      await storage.put("mode", "ok");
      throw new Error("alarm failed after setting the next one");
    }
    if (mode === "deleteThenThrow") {
      await storage.deleteAlarm();
      throw new Error("alarm failed after deleteAlarm()");
    }
    if (mode === "deleteAllThenThrow" && info.retryCount === 0) {
      await storage.deleteAll();
      throw new Error("alarm failed after deleteAll()");
    }
    if (mode === "rolledBackDeleteThenThrow" && info.retryCount === 0) {
      await storage.transaction(async (txn) => {
        await txn.deleteAlarm();
        txn.rollback();
      });
      throw new Error("alarm failed after a rolled-back deleteAlarm()");
    }
    if (mode === "abort") this.#ctx.abort("abort in alarm");
    if (mode === "abortNoRetry") this.#ctx.abort("abort in alarm", { retryAlarm: false });
    if (mode === "syncThenAbortNoRetry") {
      await storage.sync();
      this.#ctx.abort("abort in alarm", { retryAlarm: false });
    }
    if (mode === "throw") throw new Error("alarm failed");
  }

  async arm(ms: number, mode = "ok") {
    await this.#ctx.storage.put("mode", mode);
    await this.#ctx.storage.setAlarm(Date.now() + ms);
  }

  setAlarm(time: number | Date) {
    return this.#ctx.storage.setAlarm(time);
  }

  getAlarm() {
    return this.#ctx.storage.getAlarm();
  }

  deleteAlarm() {
    return this.#ctx.storage.deleteAlarm();
  }

  get(key: string) {
    return this.#ctx.storage.get(key);
  }

  async keys() {
    return [...(await this.#ctx.storage.list()).keys()];
  }

  bump() {
    return ++this.memory;
  }
}

/** A manual-clock emulator with the Alarmed class bound as NS (fresh `world`). */
export function alarmWorld(extra: Partial<EmulatorOptions> = {}): { emu: Emulator; ns: AnyStub } {
  world.constructed = 0;
  world.runs = [];
  const emu = emulator({ module: { Alarmed }, durableObjects: { NS: "Alarmed" }, clock: "manual", ...extra });
  return { emu, ns: emu.env.NS as AnyStub };
}

/**
 * Advances the manual clock in `step` ms steps until `done()` holds; returns the time that took.
 * Fails after `limit` ms.
 */
export async function advanceUntil(emu: Emulator, done: () => boolean, step = 100, limit = 600_000): Promise<number> {
  let elapsed = 0;
  while (!done()) {
    if (elapsed >= limit) throw new Error(`condition not met within ${limit} ms of virtual time`);
    await emu.advanceTime(step);
    elapsed += step;
  }
  return elapsed;
}
