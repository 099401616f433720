// The runtime's `performance` in Worker code: its clock is the Date clock (timeOrigin 0, now()
// equal to Date.now()), toJSON() holds timeOrigin alone, eventCounts is an empty EventCounts,
// and its members check their receiver, where Node's counts from the process's start.
// Neither runtime freezes that clock while code runs (workerd's advances within a synchronous
// loop; only a due timer pins it), so performance.now() and a Date.now() read next to it
// differ whenever a millisecond ends between the two reads, which a loaded machine makes
// common: now() is read between two Date.now() reads and must lie within them, which (with
// whole milliseconds) is equality whenever the Date clock did not tick across the read.
import { inside } from "../scenario.mjs";

export default [
  inside("worker scope: performance has the Date clock (timeOrigin 0, now() is Date.now()), toJSON() of timeOrigin alone, an empty eventCounts, the runtime's members and receiver checks", "sqlite", `
    const t = (f) => outcomeSync(f);
    const dateBefore = Date.now();
    const before = performance.now();
    const dateAfter = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const after = performance.now();
    const proto = Object.getPrototypeOf(performance);
    const counts = performance.eventCounts;
    return {
      clock: [dateBefore <= before && before <= dateAfter, after > before, Number.isInteger(before)],
      timeOrigin: performance.timeOrigin,
      toJSON: t(() => performance.toJSON()),
      stringified: JSON.stringify(performance),
      own: Object.keys(performance),
      members: Object.getOwnPropertyNames(proto).sort(),
      shapes: ["now", "timeOrigin", "toJSON", "mark", "eventCounts"].map((k) => { const d = Object.getOwnPropertyDescriptor(proto, k); return [typeof d.get, typeof d.value, d.enumerable, d.configurable]; }),
      nowOtherReceiver: t(() => performance.now.call({})),
      timeOriginOtherReceiver: t(() => Object.getOwnPropertyDescriptor(proto, "timeOrigin").get.call({})),
      construct: t(() => new Performance()),
      kinds: [String(performance), performance instanceof Performance, performance instanceof EventTarget],
      eventCounts: [Object.prototype.toString.call(counts), counts.size, [...counts.keys()], counts.get("click"), counts.has("click"), counts === performance.eventCounts, Object.getOwnPropertyNames(Object.getPrototypeOf(counts)).sort()],
      mark: t(() => { const m = performance.mark("m1"); return [Object.prototype.toString.call(m), m.name, m.entryType, performance.getEntriesByName("m1").length, typeof performance.measure("x", "m1").duration]; }),
    };`),
];
