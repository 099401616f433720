import { LRUCache } from "lru-cache";
import { atTurnEnd } from "../../util/turn.js";
import type { Clock, Timer } from "./clock.js";

/** An object whose live instance can be dropped (its storage stays). */
export interface Evictable {
  /** No event in flight, nothing pending: idle eviction may drop it (after the idle timeout). */
  readonly idle: boolean;
  /**
   * No event in flight, though timers may be pending: the cap may drop it. The cap bounds memory,
   * as production's evictions under memory pressure do, and those do not wait for timers.
   */
  readonly quiet: boolean;
  /** Its namespace is declared with `preventEviction`. */
  readonly preventEviction: boolean;
  evict(): void;
  /**
   * Its place in the policy's list of idle objects, kept by the policy alone (see
   * EvictionPolicy): the objects that became idle before and after it, and when it did
   * (undefined: not in the list).
   */
  idleOlder: Evictable | undefined;
  idleNewer: Evictable | undefined;
  idleSince: IdleStamp | undefined;
}

/**
 * A moment objects became idle, shared by every object stamped at it (all those that went idle
 * in one turn): a field pointing to it costs each object no box for the number, which a time
 * since 1970 would need (V8 boxes a number that is not a small integer).
 */
interface IdleStamp {
  readonly time: number;
}

export interface EvictionOptions {
  /** How long an instance may stay idle before it is evicted, in clock milliseconds; Infinity: never. */
  idleTimeout: number;
  /** The most live instances the emulator keeps; undefined: no cap. */
  maxLiveObjects: number | undefined;
}

/** The runtime's idle delay before it evicts an object (workerd: 10 s). */
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

/**
 * When live instances are dropped: after `idleTimeout` of the clock's time with no event in
 * flight, and, with `maxLiveObjects`, whenever the cap is exceeded, least recently used first.
 * An object pushed out of the cap while it has events in flight goes as soon as they finish;
 * pending timers do not hold it (see Evictable.quiet).
 *
 * Idle objects wait in one list, in the order they last became idle (each idle() moves its object
 * to the end), with the time it happened; one timer, for the oldest, serves them all. A timer
 * per object cost more memory than the rest of an idle object, and more time than creating it.
 * The list is linked through the objects themselves (see Evictable): a Map's entry and its
 * share of the table cost about twice the three fields.
 *
 * The machine's clock costs a system call to read (more than the rest of an RPC call's
 * bookkeeping), so with it an object that goes idle is stamped at the end of the turn, with one
 * reading for every object that went idle in that turn. Its timeout then counts from a moment
 * no earlier than the true one: an object is never evicted early, and the sweep, a timer, cannot
 * run before the turn ends anyway. Virtual time (the manual clock, fake timers) is read at once: it is free and
 * may jump before the turn ends.
 */
export class EvictionPolicy {
  readonly #clock: Clock;
  readonly #idleTimeout: number;
  /** The ends of the list of idle objects (oldest first; see Evictable). */
  #oldest: Evictable | undefined;
  #newest: Evictable | undefined;
  /** The latest stamp made, reused while the time is the same (objects idle at one moment share one). */
  #lastStamp: IdleStamp | undefined;
  #timer: Timer | undefined;
  readonly #recent: LRUCache<Evictable, true> | undefined;
  readonly #overCap = new Set<Evictable>();
  /**
   * Objects that went idle this turn, to be stamped at its end (real clock only): the first in
   * #idleThisTurn, any other in #moreIdleThisTurn, a Set made only in a turn where a second one
   * goes idle. Nearly every turn has one: an object serving one call after another, each call a
   * turn of its own when its handler waits for I/O (a fetch() handler reading its body), made
   * and dropped a Set on every call for it (about 150 bytes). A new Set each such turn rather than
   * one kept and cleared: V8's clear() allocates the emptied Set's new table where the Set lives,
   * in the old generation for a long-lived one, which made old-generation garbage and fresh
   * pages on every turn; a new Set is a young object.
   */
  #idleThisTurn: Evictable | undefined;
  #moreIdleThisTurn: Set<Evictable> | undefined;
  /** The end of this turn will stamp the objects above (kept apart: dropped() may take them all out). */
  #stampDue = false;
  /**
   * Made once: idle() runs whenever an object's last event finishes (every call, for an object
   * called in sequence), and an arrow function in it would make its context on every run.
   */
  readonly #stampAtTurnEnd = () => this.#stampTurn();

  constructor(clock: Clock, options: EvictionOptions) {
    this.#clock = clock;
    this.#idleTimeout = options.idleTimeout;
    if (options.maxLiveObjects !== undefined) {
      this.#recent = new LRUCache<Evictable, true>({
        max: options.maxLiveObjects,
        disposeAfter: (_value, object, reason) => {
          if (reason !== "evict") return;
          if (object.quiet) object.evict();
          else this.#overCap.add(object);
        },
      });
    }
  }

  /** An event was delivered to the object: it is now the most recently used. */
  used(object: Evictable): void {
    // Every call passes here: without a cap there is nothing to record, not even a getter to read.
    const recent = this.#recent;
    if (recent !== undefined && !object.preventEviction) recent.set(object, true);
  }

  /** The object's instance has no event in flight any more. */
  idle(object: Evictable): void {
    // The common case first, an object serving one call after another (see #wentIdle); the rest
    // apart, as V8 inlines a function into its callers by its whole size, rare paths included.
    if (this.#overCap.size === 0 && this.#goneIdleThisTurn(object)) return;
    this.#wentIdle(object);
  }

  /** `object` went idle before in this turn: the end of the turn stamps it already, no earlier than now. */
  #goneIdleThisTurn(object: Evictable): boolean {
    return object === this.#idleThisTurn || this.#moreIdleThisTurn?.has(object) === true;
  }

  #wentIdle(object: Evictable): void {
    if (this.#overCap.size > 0 && this.#overCap.delete(object)) {
      object.evict();
      return;
    }
    if (this.#goneIdleThisTurn(object)) return;
    if (this.#idleTimeout === Infinity || object.preventEviction) return;
    if (this.#clock.virtual) {
      this.#stamp(object, this.#clock.now());
      this.#arm();
      return;
    }
    if (!this.#stampDue) {
      this.#stampDue = true;
      atTurnEnd(this.#stampAtTurnEnd);
    }
    if (this.#idleThisTurn === undefined) this.#idleThisTurn = object;
    else (this.#moreIdleThisTurn ??= new Set()).add(object);
  }

  /** The object's instance is gone (evicted or the emulator disposed). */
  dropped(object: Evictable): void {
    this.#recent?.delete(object);
    this.#overCap.delete(object);
    if (this.#idleThisTurn === object) this.#idleThisTurn = undefined;
    this.#moreIdleThisTurn?.delete(object);
    this.#forget(object);
  }

  /** The end of a turn: the objects that went idle in it are idle from now (the sweep skips busy ones). */
  #stampTurn(): void {
    const now = this.#clock.now();
    const first = this.#idleThisTurn;
    const more = this.#moreIdleThisTurn;
    this.#idleThisTurn = this.#moreIdleThisTurn = undefined;
    this.#stampDue = false;
    // The first, then the rest: the order they went idle in, but for one that took the place of a
    // first dropped meanwhile (they share the stamp, so no eviction comes earlier for it).
    if (first !== undefined) this.#stamp(first, now);
    if (more !== undefined) for (const object of more) this.#stamp(object, now);
    this.#arm();
  }

  /** Moves `object` to the end of the idle list, idle since `now`. */
  #stamp(object: Evictable, now: number): void {
    let stamp = this.#lastStamp;
    if (stamp?.time !== now) stamp = this.#lastStamp = { time: now };
    if (this.#newest !== object) {
      this.#forget(object);
      const newest = this.#newest;
      object.idleOlder = newest;
      if (newest === undefined) this.#oldest = object;
      else newest.idleNewer = object;
      this.#newest = object;
    }
    object.idleSince = stamp;
  }

  /** Takes `object` out of the idle list, if it is in it. */
  #forget(object: Evictable): void {
    if (object.idleSince === undefined) return;
    const { idleOlder: older, idleNewer: newer } = object;
    if (older === undefined) this.#oldest = newer;
    else older.idleNewer = newer;
    if (newer === undefined) this.#newest = older;
    else newer.idleOlder = older;
    object.idleOlder = object.idleNewer = object.idleSince = undefined;
  }

  /** Sets the timer for the oldest idle object, unless one is set that will fire. */
  #arm(): void {
    if (this.#timer !== undefined) {
      if (this.#timer.current) return;
      this.#timer.cancel();
      this.#timer = undefined;
    }
    const since = this.#oldest?.idleSince;
    if (since === undefined) return;
    this.#timer = this.#clock.at(since.time + this.#idleTimeout, () => {
      this.#timer = undefined;
      this.#sweep();
    });
  }

  /** Evicts every object idle for the whole timeout (one busy again is merely forgotten). */
  #sweep(): void {
    const now = this.#clock.now();
    // The oldest is read anew each time: evicting an object may change the list.
    for (let object = this.#oldest; object !== undefined; object = this.#oldest) {
      if (object.idleSince!.time + this.#idleTimeout > now) break;
      this.#forget(object);
      // Busy again: the end of its events makes it idle anew.
      if (object.idle) object.evict();
    }
    this.#arm();
  }
}
