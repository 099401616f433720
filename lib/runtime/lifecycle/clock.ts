import { decrement } from "../../util/counter.js";
import { nextTurn } from "../../util/turn.js";
import { unfaked } from "../../util/unfaked.js";
import { onDateReplaced, watchDateOf } from "./date-replacements.js";
import { type FakeClock, fakeClockOf, hearFakeClock, onFakeClockReset, onFakeClockUninstalled, onSystemTimeSet } from "./fake-clock-events.js";
import { installedTimer, onTimersReplaced } from "./timers.js";

/**
 * The emulator's one clock. Alarms, alarm retries, idle eviction and the
 * blockConcurrencyWhile timeout all schedule on it.
 *
 * - "real": the machine's time. Timers go through the global `setTimeout` as it is at the moment
 *   a timer is set, so test-runner fake timers installed by then (`vi.useFakeTimers()`) drive
 *   them (fakes of `Date` alone, through their clock's own timers), and `Date.now()` (faked or
 *   not) is the clock's time. Fake timers that leave `Date` alone (Jest's legacy timers, a
 *   `toFake` list without Date) cannot move that time: the clock keeps the machine's timers
 *   under them (see clockTimers).
 * - "manual": virtual time, frozen except while `advance(ms)` moves it.
 *
 * The input gate never uses this clock: it schedules on lib/util/turn.ts, which fake timers
 * cannot replace, so installing them never hangs a request.
 */
export interface Clock {
  /** The clock's current time, in epoch milliseconds. */
  now(): number;
  /**
   * Calls `fire` once the clock reaches `time`. The manual clock waits for the promise `fire`
   * returns before it moves on, so `advance()` resolves only once the handlers have settled.
   */
  at(time: number, fire: () => void | Promise<void>): Timer;
  /** Cancels every pending timer (the emulator was disposed). */
  stop(): void;
  /**
   * Whether now() reads virtual time: the manual clock, or the real clock while fake timers
   * replace `Date`. Virtual time costs nothing to read and may jump; the machine's clock is
   * read through a system call (about 100 ns on a small VM), so hot paths read it sparingly.
   */
  readonly virtual: boolean;
}

export interface Timer {
  cancel(): void;
  /**
   * False once the timer functions it was set with are no longer the global ones (fake timers
   * were installed or removed since): a timer shared by later work must then be set again.
   */
  readonly current: boolean;
}

/**
 * The global object whose `Date` and timers are the clock's: the process's, or the one object
 * code runs against when a test runner gives each test file its own (Jest's environment loads
 * durasim outside that file's realm, and `jest.useFakeTimers()` replaces only that file's).
 */
let timeGlobal: typeof globalThis = globalThis;

// The machine's, though fake timers were installed before durasim was loaded (util/unfaked.ts).
const processDateNow = unfaked(Date, "Date").now;
/** The machine's `Date.now` on `timeGlobal`, to tell when fake timers replaced it. */
let nativeDateNow = processDateNow;

/**
 * Reads time and sets timers through `global` from now on (before fake timers are installed on
 * it); `undefined` goes back to the process's global object.
 */
export function setTimeGlobal(global: typeof globalThis | undefined): void {
  timeGlobal = global ?? globalThis;
  nativeDateNow = global === undefined ? processDateNow : global.Date.now;
}

/**
 * The time object code sees: `Date.now()`, read when called, so a faked `Date` applies. Alarm
 * times are written in this frame (`setAlarm(Date.now() + 60_000)`), whatever the clock.
 */
export function wallTime(): number {
  return timeGlobal.Date.now();
}

export function createClock(kind: "real" | "manual"): Clock {
  return kind === "manual" ? new ManualClock(wallTime()) : new RealClock();
}

interface ClockTimers {
  set: typeof setTimeout;
  clear: typeof clearTimeout;
  /** The fake clock they are, if any (see fake-clock-events.ts). */
  fake?: FakeClock;
}

/** The machine's timers, captured at import (seen through fake timers installed before it, see util/unfaked.ts). */
const machineTimers: ClockTimers = {
  set: unfaked(installedTimer(globalThis, "setTimeout"), "setTimeout") as typeof setTimeout,
  clear: unfaked(installedTimer(globalThis, "clearTimeout"), "clearTimeout") as typeof clearTimeout,
};

/**
 * The timer functions the real clock arms with now: while `Date` is faked, the installed ones
 * (fake timers', when they replaced them), or, when `setTimeout` is still the machine's, those
 * of the clock of fakes that faked Date alone (`toFake: ["Date"]`), which advancing that clock
 * fires just the same; else the machine's. A fake timer that fires while `Date.now()` stays
 * behind its time could only be re-armed, again and again (Jest's `runAllTimers()` gives up
 * after 100,000), and would never see its time come; a machine timer would wait out its delay
 * in real time, though advancing the faked time had reached it.
 */
function clockTimers(virtual: boolean): ClockTimers {
  if (!virtual) return machineTimers;
  const set = installedTimer(timeGlobal, "setTimeout") as typeof setTimeout;
  const clear = installedTimer(timeGlobal, "clearTimeout") as typeof clearTimeout;
  if (set !== machineTimers.set) return { set, clear, fake: fakeClockOf(set) };
  const dated = fakeClockOf(timeGlobal.Date);
  if (typeof dated?.setTimeout === "function" && typeof dated.clearTimeout === "function") {
    return { set: dated.setTimeout as typeof setTimeout, clear: dated.clearTimeout as typeof clearTimeout, fake: dated };
  }
  return { set, clear };
}

/**
 * Whether `timers` are the clock of fakes of Date alone. Nothing but advancing that clock runs
 * them, while every timer around them is real: one due already (set for a time passed, or
 * passed by a jump of the faked time, `setSystemTime()`) is set on the machine's timers, so it
 * runs at once, as a real timer due now would.
 */
function dateAlone(timers: ClockTimers): boolean {
  return timers.fake !== undefined && timers.set === timers.fake.setTimeout;
}

/**
 * Hears what moves the virtual time `timers` are armed for: their fake clock, or, with none (a
 * Date mocked alone, the machine's timers under it), each assignment of `Date`.
 */
function hearVirtualTime(timers: ClockTimers): void {
  if (timers.fake !== undefined) hearFakeClock(timers.fake);
  else if (timers.set === machineTimers.set) watchDateOf(timeGlobal);
}

/**
 * How often a time mocked with no fake clock behind it is read again while a timer waits on it.
 * `vi.spyOn(Date, "now").mockReturnValue(t)` (Jest's `jest.spyOn`, sinon's `stub(Date, "now")`)
 * moves the time with no call or assignment anyone can hear, and the machine's timer an alarm
 * is armed on would wait out the delay it had when set (or, the mock restored to a machine's
 * time far ahead, a delay from the mocked past): reading it again every few milliseconds runs
 * an alarm the mocked time has reached, as a real one runs when its time comes.
 */
const MOCK_POLL_MS = 10;

/**
 * Whether nothing tells when the virtual time `timers` are armed for moves: there is no fake
 * clock (a Date mocked alone), or `Date.now` is mocked over the fake clock's own
 * (`vi.spyOn(Date, "now")` with fake timers installed), so it reads other than that clock's time.
 */
function unheard(timers: ClockTimers): boolean {
  return timers.fake === undefined || (typeof timers.fake.now === "number" && wallTime() !== timers.fake.now);
}

/** What a stopped clock hands out: work scheduled after dispose() never runs. */
const INERT: Timer = { cancel: () => undefined, current: true };

/** setTimeout's longest delay (about 24.8 days); longer timers are re-armed in steps. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/** What arms a timer armed on virtual time again, when what that time follows changes. */
interface Rearming {
  /** Arms it on the timers installed now; whether it is still armed for virtual time. */
  again(): boolean;
  /** Whether it is armed for a time mocked with no fake clock whose moves can be heard. */
  unheard(): boolean;
  /** Whether so, and the mocked time `now` (undefined: the mock is gone) has reached it: it must be armed again. */
  stale(now: number | undefined): boolean;
}

class RealClock implements Clock {
  readonly #pending = new Set<Timer>();
  /**
   * The pending timers armed through fake timers, each with what arms it again. Uninstalling
   * fake timers (`vi.useRealTimers()`) drops every timer they hold, where production's alarm
   * stays scheduled and fires when its time comes (at once, when the faked time was behind):
   * these are armed again on the timers installed then. (Timers armed for a Date mocked alone
   * are kept here too: a jump of its time must arm them again.)
   */
  readonly #armedOnFakes = new Map<Timer, Rearming>();
  #stopWatching: (() => void) | undefined;
  /** Whether the time is read again soon for timers armed on a time mocked with no fake clock (MOCK_POLL_MS). */
  #polling = false;
  #stopped = false;

  now(): number {
    return wallTime();
  }

  get virtual(): boolean {
    return timeGlobal.Date.now !== nativeDateNow;
  }

  at(time: number, fire: () => void | Promise<void>): Timer {
    if (this.#stopped) return INERT;
    // Set and cleared by the same functions: a timer set while fake timers were installed must
    // be cleared by them. (Past the wrapper that counts object code's timers: the clock's own are durasim's.)
    const clock = this;
    let timers = clockTimers(clock.virtual);
    let handle: ReturnType<typeof setTimeout>;
    /** What clears `handle`: the machine's clearTimeout when a timer due already was set on the machine's timers. */
    let clearHandle = timers.clear;
    const timer: Timer = {
      cancel: () => {
        clearHandle(handle);
        this.#forget(timer);
      },
      get current() {
        return clockTimers(clock.virtual).set === timers.set;
      },
    };
    const arm = () => {
      const delay = time - this.now();
      const on = delay <= 0 && dateAlone(timers) ? machineTimers : timers;
      clearHandle = on.clear;
      handle = on.set(() => {
        if (time > this.now()) return arm();
        this.#forget(timer);
        void Promise.resolve(fire()).catch(() => undefined);
      }, Math.min(Math.max(delay, 0), MAX_TIMEOUT));
      // An alarm an hour away must not keep the process (or a test worker) alive.
      (handle as { unref?: () => void }).unref?.();
    };
    this.#pending.add(timer);
    arm();
    if (clock.virtual) {
      hearVirtualTime(timers);
      this.#watchFakes(timer, {
        again: () => {
          clearHandle(handle);
          timers = clockTimers(clock.virtual);
          arm();
          // Fakes installed anew (useFakeTimers() again) have a clock of their own to hear.
          if (clock.virtual) hearVirtualTime(timers);
          return clock.virtual;
        },
        unheard: () => unheard(timers),
        stale: (now) => unheard(timers) && (now === undefined || time <= now),
      });
    }
    return timer;
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of [...this.#pending]) timer.cancel();
  }

  #forget(timer: Timer): void {
    this.#pending.delete(timer);
    this.#unwatch(timer);
  }

  #unwatch(timer: Timer): void {
    if (this.#armedOnFakes.delete(timer) && this.#armedOnFakes.size === 0) {
      this.#stopWatching?.();
      this.#stopWatching = undefined;
    }
  }

  /**
   * Watches for the fake timers `timer` is armed on going, and for their faked time jumping
   * (a mocked Date's too), only while some timer is (a clock nobody disposes must not stay
   * listed). `rearm` says whether it armed for virtual time again; one armed on the machine's
   * timers for the machine's time is left there, as one set before fake timers were installed is.
   */
  #watchFakes(timer: Timer, rearm: Rearming): void {
    this.#armedOnFakes.set(timer, rearm);
    if (rearm.unheard()) this.#pollMockedTime();
    if (this.#stopWatching !== undefined) return;
    // Fake timers put back every function they replaced (Date among them), and may install new
    // ones (useFakeTimers() again), before this turn ends: re-arm once they have, on time as it
    // then reads.
    const rearmReplaced = () => void Promise.resolve().then(() => this.#rearm((pending) => !pending.current));
    const stopReplaced = onTimersReplaced((global) => {
      if (global === timeGlobal) rearmReplaced();
    });
    // Fakes of Date alone replace no timer: their uninstall tells that their timers went with them.
    const stopUninstalled = onFakeClockUninstalled(rearmReplaced);
    // setSystemTime() kept the fakes' timers their delays: an alarm's is now its time less the new
    // time. reset() (clearAllTimers()) dropped them: alarms are still due, at their times.
    const rearmCurrent = () => this.#rearm((pending) => pending.current);
    const stopJumps = onSystemTimeSet(rearmCurrent);
    const stopResets = onFakeClockReset(rearmCurrent);
    // A Date mocked alone (no fake clock) is assigned anew at each jump of its time, before the
    // mock takes the new time: re-arm once it has.
    const stopMocks = onDateReplaced((global) => {
      if (global === timeGlobal) void Promise.resolve().then(rearmCurrent);
    });
    this.#stopWatching = () => {
      stopReplaced();
      stopUninstalled();
      stopJumps();
      stopResets();
      stopMocks();
    };
  }

  /** Arms again the timers armed on fakes that `which` picks. */
  #rearm(which: (pending: Timer, rearming: Rearming) => boolean): void {
    for (const [pending, rearming] of [...this.#armedOnFakes]) if (which(pending, rearming) && !rearming.again()) this.#unwatch(pending);
  }

  /**
   * Reads the mocked time again in MOCK_POLL_MS, and arms again the timers it (or the mock's
   * removal) made due; goes on while a timer waits on a time mocked with no fake clock.
   */
  #pollMockedTime(): void {
    if (this.#polling || this.#stopped) return;
    this.#polling = true;
    const poll = machineTimers.set(() => {
      this.#polling = false;
      if (this.#stopped) return;
      // Read once (a spy records each call), undefined once the mock is gone.
      const now = this.virtual ? this.now() : undefined;
      this.#rearm((_, rearming) => rearming.stale(now));
      if ([...this.#armedOnFakes.values()].some((rearming) => rearming.unheard())) this.#pollMockedTime();
    }, MOCK_POLL_MS);
    // As the clock's own timers: waiting for a mocked time must not keep the process alive.
    (poll as { unref?: () => void }).unref?.();
  }
}

interface Scheduled {
  time: number;
  /** Insertion order: timers due at the same time fire in the order they were set. */
  seq: number;
  fire: () => void | Promise<void>;
  cancelled: boolean;
}

/** Virtual time: timers fire only when `advance()` moves the clock past them. */
export class ManualClock implements Clock {
  #now: number;
  readonly #heap = new TimerHeap();
  #seq = 0;
  #stopped = false;
  /** advance() calls run one after another. */
  #advancing: Promise<void> = Promise.resolve();

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  get virtual(): boolean {
    return true;
  }

  at(time: number, fire: () => void | Promise<void>): Timer {
    if (this.#stopped) return INERT;
    const entry: Scheduled = { time, seq: this.#seq++, fire, cancelled: false };
    this.#heap.push(entry);
    return { cancel: () => this.#heap.cancel(entry), current: true };
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due, in time order, each at its
   * own time, and waiting for each one's work (and the turn after it, where commits land)
   * before the next. Timers set by that work fire too if they fall due within the window.
   */
  advance(ms: number): Promise<void> {
    const run = this.#advancing.then(() => this.#advanceNow(ms));
    this.#advancing = run.catch(() => undefined);
    return run;
  }

  async #advanceNow(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (let next = this.#heap.popDue(target); next !== undefined; next = this.#heap.popDue(target)) {
      this.#now = Math.max(this.#now, next.time);
      try {
        await next.fire();
      } catch {
        // A timer's failure belongs to its owner (an alarm schedules its own retry).
      }
      await new Promise<void>((resolve) => nextTurn(resolve));
    }
    this.#now = target;
  }

  stop(): void {
    this.#stopped = true;
    this.#heap.clear();
  }
}

/** A binary min-heap of timers by (time, seq). Cancelled entries are dropped lazily. */
class TimerHeap {
  #items: Scheduled[] = [];
  #cancelled = 0;

  push(entry: Scheduled): void {
    this.#items.push(entry);
    this.#up(this.#items.length - 1);
  }

  cancel(entry: Scheduled): void {
    if (entry.cancelled) return;
    entry.cancelled = true;
    // Objects that come and go leave many cancelled idle timers: compact before they dominate.
    if (++this.#cancelled > 64 && this.#cancelled * 2 > this.#items.length) this.#compact();
  }

  /** The earliest live timer due at or before `limit`, removed from the heap. */
  popDue(limit: number): Scheduled | undefined {
    while (this.#items.length > 0) {
      const top = this.#items[0]!;
      if (!top.cancelled && top.time > limit) return undefined;
      this.#removeTop();
      if (top.cancelled) {
        this.#cancelled = decrement(this.#cancelled, "cancelled timers");
        continue;
      }
      // Firing a timer makes it inert: a late cancel() must not count it as a cancelled entry.
      top.cancelled = true;
      return top;
    }
    return undefined;
  }

  clear(): void {
    for (const entry of this.#items) entry.cancelled = true;
    this.#items = [];
    this.#cancelled = 0;
  }

  #compact(): void {
    this.#items = this.#items.filter((entry) => !entry.cancelled);
    this.#cancelled = 0;
    for (let i = (this.#items.length >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  #removeTop(): void {
    const last = this.#items.pop()!;
    if (this.#items.length > 0) {
      this.#items[0] = last;
      this.#down(0);
    }
  }

  #up(index: number): void {
    const items = this.#items;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(items[index]!, items[parent]!)) break;
      [items[index], items[parent]] = [items[parent]!, items[index]!];
      index = parent;
    }
  }

  #down(index: number): void {
    const items = this.#items;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < items.length && before(items[left]!, items[smallest]!)) smallest = left;
      if (right < items.length && before(items[right]!, items[smallest]!)) smallest = right;
      if (smallest === index) return;
      [items[index], items[smallest]] = [items[smallest]!, items[index]!];
      index = smallest;
    }
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
