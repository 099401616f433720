import type { StoragePolicy } from "../policy.js";
import type { Settlement, SettlementDetail, StorageOperation } from "./operations.js";

/**
 * When `ctx.storage`'s promises settle, as workerd settles them (conformance: microtasks). An
 * operation served without I/O settles two microtask hops after its call (`getAlarm()` of a
 * SQLite-backed object: one). KV-backed objects read through the runtime's cache, one per
 * instance: reading a key, a range or the alarm the instance has not seen is I/O, which
 * settles once the microtasks already queued have run, with the input gate held. A write, a
 * full `list()` and `deleteAll()` make what they touch known.
 */

const WITHOUT_IO = 2;

export class SettlementModel {
  readonly #known = new Set<string>();
  /** Every key is known: a full list() or a deleteAll() showed them all. */
  #everything = false;
  #alarmKnown = false;

  constructor(private readonly policy: StoragePolicy) {}

  settlement(op: StorageOperation, detail: SettlementDetail): Settlement {
    if (detail.allowConcurrency && this.policy.concurrentReadsYield) return "concurrent-io";
    if (!this.policy.readsThroughCache) return op === "getAlarm" ? 1 : WITHOUT_IO;
    switch (op) {
      case "get": {
        const keys = detail.keys ?? [];
        const cached = this.#everything || keys.every((key) => this.#known.has(key));
        for (const key of keys) this.#known.add(key);
        return cached ? WITHOUT_IO : "io";
      }
      case "list": {
        const cached = this.#everything;
        if (detail.wholeRange) this.#everything = true;
        return cached ? WITHOUT_IO : "io";
      }
      case "getAlarm": {
        const cached = this.#alarmKnown;
        this.#alarmKnown = true;
        return cached ? WITHOUT_IO : "io";
      }
      case "setAlarm":
      case "deleteAlarm":
        this.#alarmKnown = true;
        return WITHOUT_IO;
      case "deleteAll":
        this.#everything = this.#alarmKnown = true;
        return WITHOUT_IO;
      default:
        for (const key of detail.keys ?? []) this.#known.add(key);
        return WITHOUT_IO;
    }
  }
}
