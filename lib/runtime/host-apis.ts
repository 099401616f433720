import { callsAreIo, ioCompleted, isObjectCode, objectCodeOwner } from "./code-context.js";
import { untilOutputGateOpens } from "./gates/output-gate.js";
import { trackTimers } from "./lifecycle/timers.js";

/**
 * Host APIs whose completion the runtime delivers differently from Node, patched once per
 * process so that object code sees the runtime's input-gate behaviour, and object and Worker
 * code its I/O timing (test code, outside any Worker event, is untouched):
 * - `crypto.subtle` completes at once in the runtime, so awaiting it lets no queued event in;
 *   Node completes it in a later turn, so the object's gate is held until it settles.
 * - Reading a Request's or Response's body is I/O in the runtime: it settles once the
 *   microtask queue has drained (and queued events may run); Node reads an in-memory body
 *   within the microtask queue, so for object and Worker code the read completes a turn later.
 * - A global `fetch()` is a message leaving the object: it is sent once the writes before it
 *   are confirmed, never if their commit fails (the reset instance's code then never resumes
 *   with its response, as in the runtime), and its response is I/O (gates/input-gate.ts).
 * - `scheduler.wait(ms)`, the runtime's promise-returning timer, is a global.
 * - Timers object code sets are counted (they keep the object from hibernating: see
 *   lifecycle/timers.ts).
 */

const INSTALLED = Symbol.for("durasim.hostApis");

const SUBTLE_METHODS = [
  "encrypt", "decrypt", "sign", "verify", "digest", "generateKey", "deriveKey", "deriveBits",
  "importKey", "exportKey", "wrapKey", "unwrapKey",
] as const;

const BODY_METHODS = ["text", "json", "arrayBuffer", "blob", "formData", "bytes"] as const;

export function installHostApis(): void {
  const global = globalThis as Record<symbol | string, unknown>;
  if (global[INSTALLED]) return;
  global[INSTALLED] = true;
  const subtle = Object.getPrototypeOf(crypto.subtle) as Record<string, unknown>;
  for (const name of SUBTLE_METHODS) wrap(subtle, name, isObjectCode, holdingTheGate);
  for (const type of [Request, Response]) for (const name of BODY_METHODS) wrap(type.prototype as unknown as Record<string, unknown>, name, callsAreIo, asIo);
  gateFetch(global);
  global.scheduler ??= { wait };
  trackTimers(globalThis);
}

/** Replaces `target[name]` with a function that passes its promise through `adjust` when `applies()`. */
function wrap(
  target: Record<string, unknown>,
  name: string,
  applies: () => boolean,
  adjust: (pending: Promise<unknown>) => Promise<unknown>,
): void {
  const original = target[name];
  if (typeof original !== "function") return;
  const replacement = {
    [name](this: unknown, ...args: unknown[]) {
      const pending = Reflect.apply(original, this, args) as Promise<unknown>;
      return applies() ? adjust(pending) : pending;
    },
  }[name]!;
  Object.defineProperty(target, name, { ...Object.getOwnPropertyDescriptor(target, name), value: replacement });
}

/** `fetch` on `global`, behind the object's output gate when object code calls it. */
function gateFetch(global: Record<string, unknown>): void {
  const original = global.fetch;
  if (typeof original !== "function") return;
  const send = (args: unknown[]) => Reflect.apply(original, globalThis, args) as Promise<unknown>;
  const fetch = {
    fetch(...args: unknown[]): Promise<unknown> {
      if (!isObjectCode()) return send(args);
      const held = untilOutputGateOpens();
      const pending = held === undefined ? send(args) : held.then(() => send(args), () => new Promise<never>(() => undefined));
      return asIo(pending);
    },
  }.fetch;
  Object.defineProperty(fetch, "length", { value: (original as Function).length });
  Object.defineProperty(global, "fetch", { ...Object.getOwnPropertyDescriptor(global, "fetch"), value: fetch });
}

function holdingTheGate(pending: Promise<unknown>): Promise<unknown> {
  const gate = objectCodeOwner()?.gate;
  if (gate === undefined) return pending;
  gate.lock();
  const release = () => gate.unlock();
  pending.then(release, release);
  return pending;
}

function asIo(pending: Promise<unknown>): Promise<unknown> {
  const completed = ioCompleted();
  return pending.then(
    async (value) => {
      await completed();
      return value;
    },
    async (error: unknown) => {
      await completed();
      throw error;
    },
  );
}

/** The runtime's `scheduler.wait(ms, { signal })`: a timer (fake timers drive it too). */
function wait(ms?: number, options?: { signal?: AbortSignal }): Promise<void> {
  const signal = options?.signal;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, Number(ms) || 0);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });
}
