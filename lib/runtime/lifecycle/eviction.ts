import { LRUCache } from "lru-cache";
import type { Clock, Timer } from "./clock.js";

/** An object whose live instance can be dropped (its storage stays). */
export interface Evictable {
  /** No event in flight: evicting now loses nothing but memory. */
  readonly idle: boolean;
  /** Its namespace is declared with `preventEviction`. */
  readonly preventEviction: boolean;
  evict(): void;
}

export interface EvictionOptions {
  /** How long an instance may stay idle before it is evicted, in clock milliseconds; Infinity: never. */
  idleTimeout: number;
  /** The most live instances the emulator keeps; undefined: no cap. */
  maxLiveObjects: number | undefined;
}

/** The runtime's idle delay before it evicts an object (workerd: 10 s). */
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

interface IdleWatch {
  /** When the instance last became idle. */
  since: number;
  timer: Timer;
}

/**
 * When live instances are dropped: after `idleTimeout` of the clock's time with no event in
 * flight, and, with `maxLiveObjects`, whenever the cap is exceeded, least recently used first.
 * An object pushed out of the cap while it has events in flight goes as soon as they finish.
 */
export class EvictionPolicy {
  readonly #clock: Clock;
  readonly #idleTimeout: number;
  readonly #idle = new Map<Evictable, IdleWatch>();
  readonly #recent: LRUCache<Evictable, true> | undefined;
  readonly #overCap = new Set<Evictable>();

  constructor(clock: Clock, options: EvictionOptions) {
    this.#clock = clock;
    this.#idleTimeout = options.idleTimeout;
    if (options.maxLiveObjects !== undefined) {
      this.#recent = new LRUCache<Evictable, true>({
        max: options.maxLiveObjects,
        disposeAfter: (_value, object, reason) => {
          if (reason !== "evict") return;
          if (object.idle) object.evict();
          else this.#overCap.add(object);
        },
      });
    }
  }

  /** An event was delivered to the object: it is now the most recently used. */
  used(object: Evictable): void {
    if (!object.preventEviction) this.#recent?.set(object, true);
  }

  /** The object's instance has no event in flight any more. */
  idle(object: Evictable): void {
    if (this.#overCap.delete(object)) {
      object.evict();
      return;
    }
    if (object.preventEviction || this.#idleTimeout === Infinity) return;
    const now = this.#clock.now();
    const watch = this.#idle.get(object);
    // One timer per object: a pending one re-checks when it fires, instead of being re-armed
    // after every event.
    if (watch !== undefined) watch.since = now;
    else this.#idle.set(object, { since: now, timer: this.#clock.at(now + this.#idleTimeout, () => this.#check(object)) });
  }

  /** The object's instance is gone (evicted or the emulator disposed). */
  dropped(object: Evictable): void {
    this.#recent?.delete(object);
    this.#overCap.delete(object);
    this.#idle.get(object)?.timer.cancel();
    this.#idle.delete(object);
  }

  #check(object: Evictable): void {
    const watch = this.#idle.get(object)!;
    const due = watch.since + this.#idleTimeout;
    if (due > this.#clock.now()) {
      watch.timer = this.#clock.at(due, () => this.#check(object));
      return;
    }
    this.#idle.delete(object);
    // Busy again: the end of its events starts a new watch.
    if (object.idle) object.evict();
  }
}
