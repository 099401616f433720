// Passive listeners (`{ passive: true }`) on an EventTarget of Worker code: whether their
// preventDefault(), `returnValue = false` (the runtime has no setter) or a `true` return cancels
// a cancelable event, and how addEventListener and removeEventListener read their options.
import { inside } from "../scenario.mjs";

export default [
  inside("events: passive listeners cannot cancel an event; how addEventListener reads its options", "sqlite", `
    const out = {};
    const cancels = {
      preventDefault: (e) => { e.preventDefault(); },
      returnValue: (e) => { e.returnValue = false; },
      returnsTrue: () => true,
    };
    const kinds = { passive: { passive: true }, notPassive: { passive: false }, truthyPassive: { passive: 1 }, none: undefined };
    for (const [how, listener] of Object.entries(cancels)) {
      for (const [kind, options] of Object.entries(kinds)) {
        const target = new EventTarget();
        const seen = [];
        target.addEventListener("x", (e) => { const r = listener(e); seen.push(e.defaultPrevented, e.returnValue); return r; }, options);
        const event = new Event("x", { cancelable: true });
        const returned = target.dispatchEvent(event);
        out[how + " " + kind] = { returned, defaultPrevented: event.defaultPrevented, seen };
      }
    }
    {
      const target = new EventTarget();
      target.addEventListener("x", { handleEvent(e) { e.preventDefault(); } }, { passive: true });
      const event = new Event("x", { cancelable: true });
      out.handlerObject = [target.dispatchEvent(event), event.defaultPrevented];
    }
    {
      // A passive listener, then one that is not: the second still cancels.
      const target = new EventTarget();
      const seen = [];
      target.addEventListener("x", (e) => { e.preventDefault(); seen.push(e.defaultPrevented); }, { passive: true });
      target.addEventListener("x", (e) => { seen.push(e.defaultPrevented); e.preventDefault(); seen.push(e.defaultPrevented); });
      const event = new Event("x", { cancelable: true });
      out.passiveThenNot = [target.dispatchEvent(event), event.defaultPrevented, seen];
    }
    {
      // The same listener added again as passive is the same listener (one call, its first options).
      const target = new EventTarget();
      let calls = 0;
      const listener = (e) => { calls++; e.preventDefault(); };
      target.addEventListener("x", listener);
      target.addEventListener("x", listener, { passive: true });
      const event = new Event("x", { cancelable: true });
      out.addedAgainPassive = [target.dispatchEvent(event), event.defaultPrevented, calls];
    }
    {
      const read = [];
      const options = new Proxy({}, { get(t, key) { if (typeof key === "string") read.push(key); return undefined; }, has(t, key) { read.push("has " + String(key)); return false; } });
      new EventTarget().addEventListener("x", () => {}, options);
      out.optionsRead = read;
      const removeRead = [];
      const removeOptions = new Proxy({}, { get(t, key) { if (typeof key === "string") removeRead.push(key); return undefined; } });
      new EventTarget().removeEventListener("x", () => {}, removeOptions);
      out.removeOptionsRead = removeRead;
    }
    out.returnValueSet = [new Event("x", { cancelable: true }), new CustomEvent("x", { cancelable: true })].map((event) => [outcomeSync(() => { event.returnValue = false; }), event.defaultPrevented, event.returnValue]);
    {
      const controller = new AbortController();
      controller.signal.addEventListener("abort", (e) => { e.preventDefault(); }, { passive: true });
      controller.abort();
      out.abortSignal = controller.signal.aborted;
    }
    return out;`),
];
