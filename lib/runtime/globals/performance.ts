import { defineInterface } from "../../util/webidl.js";
import { codeGlobal } from "../../util/code-realm.js";

/**
 * The runtime's `performance`, for the Worker's own modules (packages keep Node's): its clock is
 * the Date clock, so `timeOrigin` is 0 and `now()` is `Date.now()` (Node counts milliseconds,
 * with fractions, from the process's start), and `toJSON()` holds `timeOrigin` alone. `now()`
 * reads Worker code's Date at each call, so fake timers that replace Date move it too. Node's
 * other members (`mark()`, `measure()`, `getEntries()`, `timerify()`, ...) are there, working on
 * Node's own performance timeline; Node's `onresourcetimingbufferfull` is not, as the runtime
 * lacks it; `eventCounts` is the runtime's, an EventCounts that counts nothing (a Worker has no
 * input events). Members check their receiver and the constructor is illegal, as the runtime's.
 */

const nodePerformance = globalThis.performance;
const NODE_MEMBERS = Object.getPrototypeOf(nodePerformance) as object;

/** The runtime's EventCounts: a read-only map of event types to counts, always empty here. */
class EventCountsImpl {
  get size(): number {
    return 0;
  }

  entries(): IterableIterator<[string, number]> {
    return new Map<string, number>().entries();
  }

  forEach(): void {}

  get(): undefined {
    return undefined;
  }

  has(): boolean {
    return false;
  }

  keys(): IterableIterator<string> {
    return new Map<string, number>().keys();
  }

  values(): IterableIterator<number> {
    return new Map<string, number>().values();
  }
}

defineInterface(EventCountsImpl, "EventCounts", (value) => value instanceof EventCountsImpl);

class PerformanceImpl extends EventTarget {
  get eventCounts(): EventCountsImpl {
    return new EventCountsImpl();
  }

  get timeOrigin(): number {
    return 0;
  }

  now(): number {
    return codeGlobal().Date.now();
  }

  toJSON(): object {
    return Object.assign(Object.create(null) as object, { timeOrigin: 0 });
  }
}

/** Node's members the runtime's performance has, run on Node's own performance object. */
for (const key of Object.getOwnPropertyNames(NODE_MEMBERS)) {
  if (key === "constructor" || key === "onresourcetimingbufferfull" || Object.hasOwn(PerformanceImpl.prototype, key)) continue;
  const member = Object.getOwnPropertyDescriptor(NODE_MEMBERS, key)!;
  const forwarded: PropertyDescriptor = { enumerable: true, configurable: true };
  if (typeof member.value === "function") {
    const method = member.value as Function;
    forwarded.value = { [key]: (...args: unknown[]): unknown => Reflect.apply(method, nodePerformance, args) }[key];
    forwarded.writable = true;
  } else if (member.get !== undefined) {
    const getter = member.get;
    forwarded.get = () => Reflect.apply(getter, nodePerformance, []);
  } else {
    // A value of Node's (`nodeTiming`), read through a getter as the runtime's members are.
    forwarded.get = () => member.value as unknown;
  }
  Object.defineProperty(PerformanceImpl.prototype, key, forwarded);
}

export const Performance = defineInterface(PerformanceImpl, "Performance", (value) => value instanceof PerformanceImpl);

export const performance = new PerformanceImpl();
