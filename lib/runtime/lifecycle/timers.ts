import { currentCriticalSection, currentWorkerEvent, objectCodeOwner, runsEmulatedCode } from "../code-context.js";
import { callLeavingRejections } from "../uncaught.js";
import { codeGlobal } from "../../util/code-realm.js";
import { fireAfterReadyIo } from "../../util/ready-io.js";
import { unfaked } from "../../util/unfaked.js";
import { refuseInGlobalScope } from "../globals/global-scope-refusal.js";
import { fakeClockOf, hearFakeClock, onFakeClockReset } from "./fake-clock-events.js";
import { clearInterval as nodeClearInterval, clearTimeout as nodeClearTimeout, setInterval as nodeSetInterval, setTimeout as nodeSetTimeout } from "node:timers";
import { processShared } from "../../util/process-shared.js";

/**
 * Timers that Durable Object code sets keep the object from hibernating: production bills its
 * duration while one is pending. To see them, `setTimeout`, `setInterval` and their clear
 * functions on a global object become accessors whose value wraps whatever implementation is
 * installed there: Node's, or a test runner's fake timers. Fake timers install themselves by
 * assignment (Vitest's and Jest's do), so they land behind the wrapper: object code's timers
 * are seen whether they are real or fake, and uninstalling the fakes restores the real ones.
 * A Worker event's timers are kept the same way, so that they stop when it ends
 * (entrypoints/worker-event.ts). Code of neither (test code) is not counted; its real timers
 * only wait, as every real timer does, for in-memory I/O that is ready (see setter()).
 *
 * The registry lives on globalThis under a registered symbol, so every loaded copy of durasim
 * (the ES module and CommonJS builds, sources under a test runner) shares the one wrapper.
 */

/** An instance's pending timers: what it counts, and how the count reaches its activity. */
export interface TimerOwner {
  timerSet(): void;
  timerDone(): void;
}

type TimerFunction = (...args: unknown[]) => unknown;

const NAMES = ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] as const;
type TimerName = (typeof NAMES)[number];

interface Registry {
  /** Which instance set each pending timer, by its handle (an object, or a number for some fakes). */
  handles: Map<unknown, InstanceTimers>;
  /** The wrapper of each implementation, and back. */
  wrappers: WeakMap<TimerFunction, TimerFunction>;
  wrapped: WeakMap<TimerFunction, TimerFunction>;
  /** Each global object's installed implementations, behind the accessors. */
  installed: WeakMap<object, Record<TimerName, unknown>>;
  /** The implementations installed beside each setTimeout/setInterval: where its clear is. */
  siblings?: WeakMap<TimerFunction, Record<TimerName, unknown>>;
  /** Told which global's `setTimeout` was replaced (fake timers installed or removed). */
  replacedListeners?: Set<(global: object) => void>;
}

const registry = processShared<Registry>("timerTracking", () => ({
  handles: new Map(),
  wrappers: new WeakMap(),
  wrapped: new WeakMap(),
  installed: new WeakMap(),
}));
// (Added after the registry's first shape: a copy of durasim loaded earlier may have made it.)
const siblings = (registry.siblings ??= new WeakMap());
const replacedListeners = (registry.replacedListeners ??= new Set());

/**
 * Calls `listener` with the global object each time a `setTimeout` is assigned on a tracked one
 * (fake timers install and uninstall themselves so); the function returned unsubscribes.
 */
export function onTimersReplaced(listener: (global: object) => void): () => void {
  replacedListeners.add(listener);
  return () => replacedListeners.delete(listener);
}

/**
 * The timers one instance's code (or one Worker event's) set and that have not fired or been
 * cleared yet. One that is reset or evicted (or whose emulator is disposed) stops them, as
 * production's do not fire once their instance's I/O context ends; so does a Worker event that
 * ends. An instance evicted while an event of it still runs stops counting them first, and they
 * run on until its last event ends, or disposing the emulator ends the instance.
 */
export class InstanceTimers {
  /** Made with the first timer (most instances never set one): each handle's clear function, and the fake clock it was set on. */
  #handles: Map<unknown, { clear: TimerFunction | undefined; clock: object | undefined }> | undefined;
  #closed = false;
  #cancelled = false;

  constructor(private readonly owner: TimerOwner) {}

  /** Whether a timer of the live instance has neither fired nor been cleared (one keeps it from eviction). */
  get pending(): boolean {
    return !this.#closed && (this.#handles?.size ?? 0) > 0;
  }

  /** Whether the timer `handle` was set and has neither fired (once) nor been cleared. */
  isSet(handle: unknown): boolean {
    return this.#handles?.has(handle) === true;
  }

  /** Whether the instance was reset: its timers must not fire (nor new ones be set going). */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** `clock`: the fake clock whose reset() drops the timer, when it is not `clear`'s (a long timer's clear wraps the fake's). */
  add(handle: unknown, clear: TimerFunction | undefined, clock: object | undefined = fakeClockOf(clear)): void {
    if (this.#cancelled) {
      clear?.(handle);
      return;
    }
    const handles = (this.#handles ??= new Map());
    if (handles.has(handle)) return;
    handles.set(handle, { clear, clock });
    registry.handles.set(handle, this);
    if (!this.#closed) this.owner.timerSet();
  }

  done(handle: unknown): void {
    if (this.#handles?.delete(handle) !== true) return;
    registry.handles.delete(handle);
    if (!this.#closed) this.owner.timerDone();
  }

  /** A fake clock's reset() (vi.clearAllTimers()) dropped the timers set through it: they stop counting, as if cleared. */
  droppedBy(clock: object): void {
    if (this.#handles === undefined) return;
    for (const [handle, set] of [...this.#handles]) {
      if (set.clock !== clock) continue;
      // A long timer's next step went with the rest; it is forgotten, as cleared.
      longTimers.delete(handle);
      this.done(handle);
    }
  }

  /**
   * The instance was evicted while an event of it runs: its timers no longer count (that code
   * may use them); they run on until the instance's last event ends or it is reset.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const pending = this.#handles?.size ?? 0;
    for (let i = 0; i < pending; i++) this.owner.timerDone();
  }

  /** The instance was reset: its timers stop, so nothing of it runs on (or keeps Node alive). */
  cancel(): void {
    this.#cancelled = true;
    this.close();
    if (this.#handles !== undefined) {
      for (const [handle, { clear }] of [...this.#handles]) {
        clear?.(handle);
        this.done(handle);
      }
    }
  }
}

onFakeClockReset((clock) => {
  for (const timers of new Set(registry.handles.values())) timers.droppedBy(clock);
});

/**
 * Where the owner of running object code (see objectCodeScope), or a Worker event, keeps its
 * InstanceTimers: a registered symbol, so every loaded copy of durasim finds them (a WeakMap entry per instance
 * cost more than the rest of starting one, and weak entries slow every garbage collection).
 */
export const INSTANCE_TIMERS = Symbol.for("durasim.instanceTimers");

function timersOf(owner: object | undefined): InstanceTimers | undefined {
  return (owner as { [INSTANCE_TIMERS]?: InstanceTimers } | undefined)?.[INSTANCE_TIMERS];
}

/** Puts the accessors on `target` (globalThis, or a test runner's global); once per global. */
export function trackTimers(target: object = globalThis): void {
  if (registry.installed.has(target)) return;
  const current = {} as Record<TimerName, unknown>;
  // What each accessor returns, found when an implementation is installed rather than on
  // every read (code reads setTimeout far more often than anything assigns it).
  const shown = {} as Record<TimerName, unknown>;
  registry.installed.set(target, current);
  for (const name of NAMES) {
    const descriptor = Object.getOwnPropertyDescriptor(target, name);
    if (descriptor === undefined || !("value" in descriptor) || !descriptor.configurable) continue;
    // A wrapper (read from this or another tracked global) installs what it wraps: assigned, or
    // already there when a test runner's global for a file copied the process's tracked timers.
    const install = (value: unknown) => {
      const implementation = (typeof value === "function" && registry.wrapped.get(value as TimerFunction)) || value;
      current[name] = implementation;
      shown[name] = wrapperOf(implementation, name, current);
    };
    install(descriptor.value);
    Object.defineProperty(target, name, {
      configurable: true,
      enumerable: descriptor.enumerable,
      get: () => shown[name],
      set: (value: unknown) => {
        install(value);
        if (name === "setTimeout") for (const listener of [...replacedListeners]) listener(target);
      },
    });
  }
}

/** The implementation installed on `global` now, bypassing the wrapper (durasim's own clock uses it). */
export function installedTimer(global: object, name: "setTimeout" | "clearTimeout"): TimerFunction {
  const current = registry.installed.get(global);
  return (current?.[name] ?? (global as Record<string, unknown>)[name]) as TimerFunction;
}

/**
 * The wrapper of an implementation: a Proxy, so the implementation's own properties show
 * through (fake timers mark theirs, `setTimeout.clock`, and read the marks back to uninstall).
 */
function wrapperOf(implementation: unknown, name: TimerName, installed: Record<TimerName, unknown>): unknown {
  if (typeof implementation !== "function") return implementation;
  const underlying = implementation as TimerFunction;
  if (!siblings.has(underlying)) siblings.set(underlying, installed);
  let wrapper = registry.wrappers.get(underlying);
  if (wrapper === undefined) {
    wrapper = new Proxy(underlying, name.startsWith("set") ? (name === "setInterval" ? SET_INTERVAL : SET_TIMEOUT) : CLEAR);
    registry.wrappers.set(underlying, wrapper);
    registry.wrapped.set(wrapper, underlying);
  }
  return wrapper;
}

/**
 * setTimeout / setInterval: object code's timers are counted until they fire or are cleared;
 * a Worker event's are kept until it ends. Any real timer (test code's, a listener's of an end
 * outside every object) that falls due waits for the in-memory I/O that is ready, as in workerd
 * (util/ready-io.ts).
 */
function setter(repeats: boolean): ProxyHandler<TimerFunction> {
  return {
    ...readsRuntimeLength(2),
    apply(underlying, thisArg, args: unknown[]): unknown {
      const owner = objectCodeOwner();
      const timers = timersOf(owner ?? currentWorkerEvent());
      const callback = args[0];
      if (typeof callback !== "function") return Reflect.apply(underlying, thisArg, args);
      refuseInGlobalScope();
      let long: LongTimer | undefined;
      if (runsEmulatedCode() && args.length > 1) {
        const delay = runtimeDelay(args[1]);
        if (typeof delay === "number" && delay > LONGEST_DELAY) long = new LongTimer(underlying, repeats, delay);
        args = [callback, long === undefined ? delay : LONGEST_DELAY, ...args.slice(2)];
      }
      if (timers === undefined) {
        if (!REAL_SETTERS.has(underlying) && long === undefined) return Reflect.apply(underlying, thisArg, args);
        // Node calls it with the Timeout as `this`, which it keeps.
        const due = function (this: unknown, ...callbackArgs: unknown[]): void {
          if (long?.waitsOn() === true) return;
          if (REAL_SETTERS.has(underlying)) fireAfterReadyIo(() => Reflect.apply(callback, this, callbackArgs));
          else Reflect.apply(callback, this, callbackArgs);
        };
        const made = Reflect.apply(underlying, thisArg, [due, ...args.slice(1)]);
        return long === undefined ? made : long.starts(made, due);
      }
      // Firing, an object's callback passes its input gate, which a critical section the
      // timer was not set in holds closed (gates/input-gate.ts). It fires in its own turn.
      const section = owner === undefined ? undefined : currentCriticalSection();
      let handle: unknown;
      const fire = function (...callbackArgs: unknown[]): void {
        // A long timer's step before its whole delay has passed sets the next one, no more.
        if (long?.waitsOn() === true) return;
        if (!repeats) timers.done(handle);
        // (A fake timer whose clear was not found is only kept from running its callback.)
        if (timers.cancelled) return;
        // The callback's `this` is the global scope, as the runtime's (Node's would be the Timeout).
        if (owner === undefined) callLeavingRejections(callback, codeGlobal(), callbackArgs);
        else owner.gate.resume(() => callLeavingRejections(callback, codeGlobal(), callbackArgs), section);
      };
      // A real timer that falls due waits for the in-memory I/O that is ready, as in workerd
      // (util/ready-io.ts), and does not fire if what ran meanwhile cleared it; a fake one fires
      // when the test advances it.
      const due = REAL_SETTERS.has(underlying)
        ? (...callbackArgs: unknown[]) =>
            fireAfterReadyIo(() => {
              if (timers.isSet(handle)) fire(...callbackArgs);
            })
        : fire;
      handle = Reflect.apply(underlying, thisArg, [due, ...args.slice(1)]);
      // Heard, a fake clock's reset() lets the timers it drops stop counting (see droppedBy).
      if (due === fire) hearFakeClock(fakeClockOf(underlying));
      const clear = clearOf(underlying, repeats);
      if (long === undefined) timers.add(handle, clear);
      else timers.add(long.starts(handle, due), (...clearArgs: unknown[]) => (long.clear(), clear?.(...clearArgs)), fakeClockOf(clear));
      return handle;
    },
  };
}

/** The longest delay a Node timer can be given: a signed 32-bit count of milliseconds (about 24.8 days). */
const LONGEST_DELAY = 2 ** 31 - 1;

/** The longest delay the runtime waits (IoContext::setTimeoutImpl's cap): 100 years. */
const RUNTIME_LONGEST_DELAY = 3_153_600_000_000;

/**
 * A Worker's timer delay as the runtime waits it: a delay beyond LONGEST_DELAY (Infinity too)
 * waits, up to 100 years, where Node (and fake timers copying it) takes it for 1 ms and fires at
 * once, with a TimeoutOverflowWarning (LongTimer waits it in steps). The delay is converted
 * once, as Node would convert it; a symbol or a BigInt is left for Node to refuse.
 */
function runtimeDelay(delay: unknown): unknown {
  if (typeof delay === "symbol" || typeof delay === "bigint") return delay;
  return Math.min(Number(delay), RUNTIME_LONGEST_DELAY);
}

/** The long timers pending, by the handle the code holds (clearing it clears their next step). */
const longTimers = new Map<unknown, LongTimer>();

/**
 * A timer whose delay is beyond what a Node timer waits, waited in steps of at most
 * LONGEST_DELAY: the first is the timer the code's handle names; each that falls due before the
 * whole delay has passed sets the next (a timeout of the implementation installed beside it,
 * fake or real, so fake timers advance it too) and its callback runs when the last falls due.
 * An interval's first timer stops at its first step, and after each run it waits its delay anew.
 */
class LongTimer {
  #handle: unknown;
  #due: TimerFunction | undefined;
  /** The step pending after the first, if any. */
  #next: unknown;
  #left: number;

  constructor(
    private readonly underlying: TimerFunction,
    private readonly repeats: boolean,
    private readonly delay: number,
  ) {
    this.#left = delay - LONGEST_DELAY;
  }

  /** Its first step is `handle`, which falls due by calling `due`; returns the handle. */
  starts(handle: unknown, due: TimerFunction): unknown {
    this.#handle = handle;
    this.#due = due;
    longTimers.set(handle, this);
    return handle;
  }

  /** At a step falling due: whether it only waits on (the next step set), or the callback runs. */
  waitsOn(): boolean {
    // An interval's first timer would fall due again in LONGEST_DELAY: the steps take over.
    if (this.repeats && this.#next === undefined) clearOf(this.underlying, true)?.(this.#handle);
    const waits = this.#left > 0;
    if (!waits && this.repeats) this.#left = this.delay;
    if (waits || this.repeats) {
      const step = Math.min(this.#left, LONGEST_DELAY);
      this.#left -= step;
      const setStep = siblings.get(this.underlying)?.setTimeout as TimerFunction;
      this.#next = setStep(this.#due, step);
    } else {
      longTimers.delete(this.#handle);
    }
    return waits;
  }

  /** The timer is cleared: so is its pending step. */
  clear(): void {
    longTimers.delete(this.#handle);
    if (this.#next !== undefined) (siblings.get(this.underlying)?.clearTimeout as TimerFunction | undefined)?.(this.#next);
  }
}

/** The clear function installed beside the set function that made a timer (Node's, or the fakes'). */
function clearOf(underlying: TimerFunction, repeats: boolean): TimerFunction | undefined {
  const clear = siblings.get(underlying)?.[repeats ? "clearInterval" : "clearTimeout"];
  return typeof clear === "function" ? (clear as TimerFunction) : undefined;
}

/** Node's own timers (the functions behind a fake installed before durasim was imported). */
const NODE_TIMERS: Record<TimerName, TimerFunction> = {
  setTimeout: unfaked(nodeSetTimeout, "setTimeout") as TimerFunction,
  setInterval: unfaked(nodeSetInterval, "setInterval") as TimerFunction,
  clearTimeout: unfaked(nodeClearTimeout, "clearTimeout") as TimerFunction,
  clearInterval: unfaked(nodeClearInterval, "clearInterval") as TimerFunction,
};

/** Node's own setTimeout and setInterval. */
const REAL_SETTERS = new Set<TimerFunction>([NODE_TIMERS.setTimeout, NODE_TIMERS.setInterval]);

/**
 * Node's own setTimeout and clearTimeout behind the wrappers (an object's timers counted, and
 * fired through its input gate, as the globals' are), whatever a test has installed on the
 * globals: the timers of the runtime's own timed APIs (scheduler.wait), which in workerd are
 * the runtime's, out of reach of fake-timer libraries that replace the globals.
 */
export function nodeTimers(): Pick<typeof globalThis, "setTimeout" | "clearTimeout"> {
  return {
    setTimeout: wrapperOf(NODE_TIMERS.setTimeout, "setTimeout", NODE_TIMERS),
    clearTimeout: wrapperOf(NODE_TIMERS.clearTimeout, "clearTimeout", NODE_TIMERS),
  } as Pick<typeof globalThis, "setTimeout" | "clearTimeout">;
}

const SET_TIMEOUT = setter(false);
const SET_INTERVAL = setter(true);

/**
 * The `length` Worker and object code read, the runtime's: it declares its setters with two
 * parameters (callback, delay) and its clears with one, where Node's setters take five. Test
 * code reads Node's.
 */
function readsRuntimeLength(length: number): Pick<ProxyHandler<TimerFunction>, "get"> {
  return {
    get(underlying, key, receiver) {
      return key === "length" && runsEmulatedCode() ? length : Reflect.get(underlying, key, receiver);
    },
  };
}

/** clearTimeout / clearInterval: a counted timer stops counting. */
const CLEAR: ProxyHandler<TimerFunction> = {
  ...readsRuntimeLength(1),
  apply(underlying, thisArg, args: unknown[]): unknown {
    const handle = args[0];
    if (handle !== undefined && handle !== null) {
      registry.handles.get(handle)?.done(handle);
      longTimers.get(handle)?.clear();
    }
    return Reflect.apply(underlying, thisArg, args);
  },
};
