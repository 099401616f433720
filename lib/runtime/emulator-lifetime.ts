import { endOfEmulatorError } from "./errors.js";
import type { Readiness } from "./readiness.js";

export const DISPOSED_MESSAGE = "durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code.";

/**
 * All that what an Emulator hands out (its Workers' env and bindings, stubs, service bindings,
 * `ctx.exports`, a `getWorker()`) may ask of the emulator: is it still alive, and what do calls
 * wait for while modules load. Never the Emulator itself: user code keeps such handles past
 * dispose() (a suite's module-level variables, across tests that each build an emulator), and a
 * closure over the Emulator in any of them keeps the whole disposed emulator reachable. So the
 * Emulator passes these two (closures over this small object only) instead of its own methods.
 */
export class EmulatorLifetime {
  #ended = false;
  #readiness: Readiness | undefined;

  /** Throws the disposed error once the emulator has ended. */
  readonly assertUsable = (): void => {
    if (this.#ended) throw new Error(DISPOSED_MESSAGE);
  };

  /** What calls wait for while modules load (Readiness.pending); undefined before loading is set up. */
  readonly pendingLoads = (): Promise<void> | undefined => this.#readiness?.pending;

  get ended(): boolean {
    return this.#ended;
  }

  /** The emulator's loads, once the constructor has started them. */
  loading(readiness: Readiness): void {
    this.#readiness = readiness;
  }

  end(): void {
    this.#ended = true;
  }
}

/**
 * The error what was still running fails with as its emulator is disposed. Its stack is
 * formatted now: until then V8 keeps each frame's receiver, the Emulator among them, and
 * ended Workers and objects keep this error for every later call to fail with.
 */
export function disposedError(): Error {
  const error = endOfEmulatorError(new Error(DISPOSED_MESSAGE));
  void error.stack;
  return error;
}
