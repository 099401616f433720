import { isMap } from "node:util/types";
import { replaceMethod } from "./replace-method.js";

/**
 * A passive listener (`addEventListener(type, fn, { passive: true })`) cannot cancel its event:
 * its preventDefault() (and a `true` return, which the runtime takes as one) leaves
 * `defaultPrevented` false and dispatchEvent() returning true, as in the runtime and the DOM
 * standard. Node 24 honours that itself; Node 20 lets a passive listener cancel. There, while a
 * guarded listener (websockets/listeners.ts) runs for a passive registration, its event is marked,
 * and preventDefault() of a marked event does nothing. Whether the registration is passive is
 * read from Node's own list of the target's listeners (Node decides which registration a
 * listener added twice keeps, so the guard cannot know by itself).
 */

/** Whether Node's own preventDefault() ignores a passive listener's call (asked once, of Node itself). */
const NODE_HONOURS_PASSIVE = ((): boolean => {
  const target = new EventTarget();
  target.addEventListener("probe", (event) => event.preventDefault(), { passive: true });
  const event = new Event("probe", { cancelable: true });
  target.dispatchEvent(event);
  return !event.defaultPrevented;
})();

/** Node's map of a target's listeners by type: each list a chain of records from `next`, naming the `listener` added and whether it is `passive`. */
const EVENTS = Object.getOwnPropertySymbols(new EventTarget()).find((symbol) => symbol.description === "kEvents");

interface NodeListenerRecord {
  next?: NodeListenerRecord;
  listener?: unknown;
  passive?: boolean;
}

/** Events whose passive listener is running now. */
const inPassiveListener = new WeakSet<Event>();

export function installPassiveListeners(): void {
  if (NODE_HONOURS_PASSIVE || EVENTS === undefined) return;
  replaceMethod(Event.prototype as unknown as Record<string, unknown>, "preventDefault", (original, self, args) =>
    inPassiveListener.has(self as Event) ? undefined : Reflect.apply(original, self, args),
  );
}

/** Runs `call`, the guard `guard` called for `event` on `target`, as a passive listener if Node registered it as one. */
export function asRegistered<T>(target: unknown, event: Event, guard: Function, call: () => T): T {
  if (NODE_HONOURS_PASSIVE || inPassiveListener.has(event) || !isPassive(target, event.type, guard)) return call();
  inPassiveListener.add(event);
  try {
    return call();
  } finally {
    inPassiveListener.delete(event);
  }
}

function isPassive(target: unknown, type: string, guard: Function): boolean {
  if (EVENTS === undefined || typeof target !== "object" || target === null) return false;
  const lists = (target as Record<symbol, unknown>)[EVENTS];
  // Node's map is its own Map subclass with no Map.prototype above it.
  if (!isMap(lists)) return false;
  for (let record = (Map.prototype.get.call(lists, type) as NodeListenerRecord | undefined)?.next; record !== undefined; record = record.next) {
    if (record.listener === guard) return record.passive === true;
  }
  return false;
}
