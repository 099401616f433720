/**
 * `cloudflare:test`'s Durable Object helpers, with the names, arguments, results and errors of
 * Cloudflare's module. The ones that take a stub or a namespace reach that object directly, in
 * whichever emulator and Worker it lives (through a view of it too: a stub or namespace the
 * Miniflare front door gave Node code); the others act on the current emulator (target.ts).
 */
import { objectCodeOwner } from "../../runtime/code-context.js";
import type { DurableObjectId } from "../../runtime/ids.js";
import type { Timer } from "../../runtime/lifecycle/clock.js";
import { firstRunAlarmInfo } from "../../runtime/lifecycle/alarms.js";
import { deleteAllObjects } from "../../runtime/namespace.js";
import { DurableObjectNamespaceBinding } from "../../runtime/namespace-binding.js";
import { evictedWebSockets, type ObjectRecord } from "../../runtime/object/record.js";
import type { DurableObjectState } from "../../runtime/object/state.js";
import { type ObjectLocator, stubLocator } from "../../runtime/rpc/stub.js";
import { seenThrough } from "../../util/views.js";
import { currentTarget } from "./target.js";

function locatorOf(stub: unknown, helper: string): ObjectLocator {
  const locator = stubLocator(seenThrough(stub));
  if (locator === undefined) {
    throw new TypeError(`Failed to execute '${helper}': parameter 1 is not of type 'DurableObjectStub'.`);
  }
  return locator;
}

/**
 * Runs `callback(instance, state)` inside the object behind `stub`: as one event through its
 * input gate, with its result held by the output gate until the writes before it are
 * committed. Resolves to what the callback returns (not copied: the instance is right here)
 * and rejects with what it throws.
 */
export async function runInDurableObject<O, R, State = DurableObjectState>(
  stub: unknown,
  callback: (instance: O, state: State) => R | Promise<R>,
): Promise<R> {
  const locator = locatorOf(stub, "runInDurableObject");
  if (typeof callback !== "function") {
    throw new TypeError("Failed to execute 'runInDurableObject': parameter 2 is not of type 'function'.");
  }
  // Submitted at once when nothing is loading, so the callback queues in call order with calls.
  const ready = locator.ready;
  if (ready !== undefined) await ready;
  const incarnation = locator.live();
  return new Promise<R>((resolve, reject) => {
    incarnation.submit({
      // (State: the type the caller gives the state, such as @cloudflare/workers-types' own.
      // run() is given an instance only while the incarnation still has its ctx.)
      run: (instance) => callback(instance as O, incarnation.ctx! as State),
      settle: (ok, value) => (ok ? resolve(value as R) : reject(value)),
    });
  });
}

/**
 * Runs the object's scheduled alarm now and removes it, as Cloudflare's helper does: the alarm
 * is deleted before `alarm()` runs, an error from `alarm()` rejects (no retry is scheduled).
 * `alarm()` gets a first run's AlarmInvocationInfo, as the runtime gives it.
 * Resolves to whether an alarm was scheduled.
 */
export async function runDurableObjectAlarm(stub: unknown): Promise<boolean> {
  locatorOf(stub, "runDurableObjectAlarm");
  return runInDurableObject(stub, async (instance: { alarm?: (info: object) => unknown }, state) => {
    const scheduledTime = await state.storage.getAlarm();
    if (scheduledTime === null) return false;
    await state.storage.deleteAlarm();
    await instance.alarm?.(firstRunAlarmInfo(scheduledTime));
    return true;
  });
}

/** The ids of every object started in `namespace`, ascending (ids made from strings: no name). */
export async function listDurableObjectIds(given: unknown): Promise<DurableObjectId[]> {
  const namespace = seenThrough(given);
  const runtime = DurableObjectNamespaceBinding.runtimeOf(namespace);
  if (runtime === undefined) {
    throw new TypeError("Failed to execute 'listDurableObjectIds': parameter 1 is not of type 'DurableObjectNamespace'.");
  }
  const binding = namespace as DurableObjectNamespaceBinding;
  return runtime.startedIds().map((hex) => binding.idFromString(hex));
}

/** How long workerd's test eviction waits for an object's events in flight, on the emulator's clock. */
const EVICTION_WAIT_MS = 30_000;
const STILL_REFERENCED = "Timed out waiting to evict Durable Object: it still has active references.";

/**
 * Waits, as workerd's test eviction does, until the object has no event in flight: calls made
 * meanwhile reach the same instance and are waited for too. After 30 s of the emulator's clock
 * it gives up, as workerd does, rejecting with its message and leaving the object running. Code
 * of the object itself (a runInDurableObject callback, a method) is refused at once: its own
 * event waits on the eviction, so it can never end first, and workerd refuses it only after
 * the 30 s, which would leave a test hanging past its timeout.
 */
async function untilEvictable(record: ObjectRecord): Promise<void> {
  const live = record.current;
  if (live === undefined || !live.busy) return;
  if (objectCodeOwner() === live) throw new Error(STILL_REFERENCED);
  const clock = record.namespace.clock;
  let timer: Timer | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = clock.at(clock.now() + EVICTION_WAIT_MS, () => reject(new Error(STILL_REFERENCED)));
  });
  try {
    await Promise.race([record.drain(), timedOut]);
  } finally {
    timer!.cancel();
  }
}

export interface DurableObjectEvictionOptions {
  /** What happens to hibernatable WebSockets: "hibernate" (the default) or "close". */
  webSockets?: "close" | "hibernate";
}

/**
 * Evicts the object behind `stub` as the runtime evicts an idle object: its instance goes,
 * its storage stays. As workerd's, it first waits for the events in flight to end (calls made
 * meanwhile reach the old instance), so no later call meets a second instance beside a running
 * one. Rejects, with the runtime's messages, when the object is not running, its namespace
 * prevents eviction, or it cannot become idle (see untilEvictable).
 */
export async function evictDurableObject(stub: unknown, options?: DurableObjectEvictionOptions): Promise<void> {
  const webSockets = evictedWebSockets(options);
  const record = locatorOf(stub, "evictDurableObject").record();
  if (record.preventEviction) throw new Error("Cannot evict Durable Object: its namespace has preventEviction set.");
  const live = record.current;
  if (live === undefined || live.broken !== undefined || live.evicted) {
    throw new Error("Cannot evict Durable Object: it is not currently running.");
  }
  await untilEvictable(record);
  record.evict(webSockets);
}

/**
 * The current emulator's namespaces that workerd's abortAll and deleteAll reach: those that may
 * be evicted (workerd passes over namespaces with preventEviction, as it does when evicting).
 */
function evictableNamespaces(helper: string) {
  return [...currentTarget(helper).namespaces()].filter((namespace) => !namespace.preventEviction);
}

/**
 * Evicts every running object of the current emulator, except in namespaces that prevent
 * eviction; each once its events in flight have ended, as evictDurableObject().
 */
export async function evictAllDurableObjects(options?: DurableObjectEvictionOptions): Promise<void> {
  const webSockets = evictedWebSockets(options);
  const evictions: Promise<void>[] = [];
  for (const namespace of evictableNamespaces("evictAllDurableObjects()")) {
    for (const record of [...namespace.records()]) {
      const live = record.current;
      if (live !== undefined && live.broken === undefined && !live.evicted) evictions.push(untilEvictable(record).then(() => record.evict(webSockets)));
    }
  }
  // As workerd's: the others are evicted though one could not be, and then the call rejects.
  const refused = (await Promise.allSettled(evictions)).find((outcome) => outcome.status === "rejected");
  if (refused !== undefined) throw refused.reason;
}

/** Resets every running object (in-flight calls fail); committed storage stays. */
export async function abortAllDurableObjects(): Promise<void> {
  const error = new Error("Application called abortAllDurableObjects().");
  for (const namespace of evictableNamespaces("abortAllDurableObjects()")) namespace.abortAll(error);
}

/**
 * Deletes all data of the current emulator: every Durable Object of a namespace that may be
 * evicted (instances reset, storage and alarms gone, no longer listed) and the data of its KV
 * namespaces and R2 buckets.
 */
export async function reset(): Promise<void> {
  const error = new Error("Application called deleteAllDurableObjects().");
  deleteAllObjects(evictableNamespaces("reset()"), error);
  await currentTarget("reset()").clearBindings();
}
