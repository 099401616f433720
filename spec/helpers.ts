import { onTestFinished } from "vitest";
import { Emulator, type EmulatorOptions } from "../lib/index.js";

/** The loose stub type tests use: every property is an RPC method. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStub = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNamespace = any;

/** An emulator disposed automatically after the current test. */
export function emulator(options: EmulatorOptions): Emulator {
  const emu = new Emulator(options);
  // On the test itself, not an afterEach at this module's top level: spec files sharing a worker
  // (isolate: false) evaluate this module once, so such a hook belonged to the first file alone
  // and later files' emulators lived on, one bound by useEmulator() taking over cloudflare:test's
  // helpers in the files after it.
  onTestFinished(() => emu.dispose());
  return emu;
}

/** A namespace of a single class exported under its own name. */
export function namespaceOf(cls: Function, extra: Partial<EmulatorOptions> = {}): AnyNamespace {
  const emu = emulator({ module: { [cls.name]: cls }, durableObjects: { NS: cls.name }, ...extra });
  return emu.env.NS;
}

/** What a rejected promise rejected with (fails the test if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/** What `run` threw (fails the test if it returned). */
export function thrown(run: () => unknown): Error & Record<string, unknown> {
  try {
    run();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a throw, but it returned");
}

/** The observable shape of an error: type name, message and the runtime's flags. */
export function errorShape(error: Error & Record<string, unknown>) {
  return {
    name: error.name,
    message: error.message,
    remote: error.remote,
    durableObjectReset: error.durableObjectReset,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves in the next turn of the event loop: after the current turn's commits, before any timer due later. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Waits, a turn at a time, until `condition()` holds: for a test to await the event it means
 * (a call has started, a write has landed) instead of guessing how long it takes under load.
 * Fails after `limit` turns. Only for what this thread does in a bounded number of turns: an
 * object's first call (its Worker loaded through Node's module hooks thread, sql.js compiled
 * off the main thread) takes as many turns as the machine's load makes it, so a test awaits a
 * signal from the object's code there instead.
 */
export async function until(condition: () => boolean, limit = 10_000): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    if (turn >= limit) throw new Error(`condition not met within ${limit} turns`);
    await nextTurn();
  }
}

/**
 * Where an awaited call (or other I/O) settles among microtasks queued around it: a chain of
 * 40 microtasks started first, then the call. The entries the chain logged before it settled.
 */
export async function ticksBeforeSettling(call: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const chain = (n: number) => {
    if (n <= 40) void Promise.resolve().then(() => ((ticks = n), chain(n + 1)));
  };
  chain(1);
  await call();
  return ticks;
}
