// EventTarget and Event as Worker code sees them where Node's differ from the runtime's: an
// event keeps its target as `currentTarget` once dispatched (and reads undefined for both before
// it), a listener given as explicit `undefined` is none (a missing one is refused), and
// removeEventListener checks its arguments as the runtime's does; AbortSignal.timeout()'s reason
// is the runtime's DOMException, retryable.
import { inside } from "../scenario.mjs";

const edges = (name, body) => inside(`event target edges: ${name}`, "sqlite", `
    const tryAll = (f, inputs) => inputs.map((x) => { try { return show(f(x)); } catch (e) { return err(e); } });
${body}`);

export default [
  edges("an event's targets before, during and after its dispatch", `
    const t = new EventTarget();
    const e = new Event("x");
    const before = [show(e.target), show(e.currentTarget)];
    const during = [];
    t.addEventListener("x", (x) => during.push(x.target === t, x.currentTarget === t));
    t.addEventListener("x", (x) => { t.dispatchEvent(new Event("inner")); during.push(x.currentTarget === t); });
    t.dispatchEvent(e);
    const unheard = new Event("unheard");
    t.dispatchEvent(unheard);
    class Sub extends EventTarget {}
    const sub = new Sub();
    const bySub = new Event("y");
    sub.dispatchEvent(bySub);
    const c = new AbortController();
    let abort;
    c.signal.addEventListener("abort", (x) => { abort = x; });
    c.abort();
    return {
      before,
      during,
      after: [e.target === t, e.currentTarget === t, e.eventPhase, unheard.currentTarget === t, bySub.currentTarget === sub],
      abort: [abort.target === c.signal, abort.currentTarget === c.signal, abort.eventPhase],
      getter: (() => { const d = Object.getOwnPropertyDescriptor(Event.prototype, "currentTarget"); return [typeof d.get, d.set, d.enumerable, d.configurable]; })(),
    };`),
  edges("a listener given as undefined or null, and one missing", `
    const t = new EventTarget();
    return {
      add: tryAll((listener) => t.addEventListener("q", listener), [null, undefined]),
      addCapture: tryAll((listener) => t.addEventListener("q", listener, true), [null, undefined]),
      addCaptureOption: tryAll((listener) => t.addEventListener("q", listener, { capture: true }), [null, undefined]),
      addMissing: outcomeSync(() => t.addEventListener("q")),
      addNone: outcomeSync(() => t.addEventListener()),
      remove: tryAll((listener) => t.removeEventListener("q", listener), [null, undefined, 1, "x", true, Symbol("s")]),
      removeCapture: tryAll((listener) => t.removeEventListener("q", listener, true), [null, undefined]),
      removeCaptureOption: tryAll((listener) => t.removeEventListener("q", listener, { capture: true }), [null, undefined]),
      removeMissing: outcomeSync(() => t.removeEventListener("q")),
      removeNone: outcomeSync(() => t.removeEventListener()),
      stillDispatches: t.dispatchEvent(new Event("q")),
    };`),
  edges("AbortSignal.timeout()'s reason has the runtime's shape and is retryable", `
    const signal = AbortSignal.timeout(1);
    const follower = AbortSignal.any([signal]);
    const seen = [];
    signal.addEventListener("abort", () => seen.push(["signal", Object.keys(signal.reason), signal.reason.retryable]));
    follower.addEventListener("abort", () => seen.push(["follower", follower.reason === signal.reason, Object.keys(follower.reason)]));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const reason = signal.reason;
    const property = (k) => { const d = Object.getOwnPropertyDescriptor(reason, k); return [d.enumerable, d.writable, d.configurable, typeof d.value]; };
    const later = AbortSignal.timeout(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    return {
      seen,
      own: Object.getOwnPropertyNames(reason),
      properties: ["retryable", "code", "name", "message"].map(property),
      values: [reason.name, reason.message, reason.code, reason.retryable, reason instanceof DOMException, reason === signal.reason],
      thrown: (() => { try { signal.throwIfAborted(); } catch (e) { return [e === reason, e.retryable]; } })(),
      unheard: [later.reason.name, later.reason.retryable, Object.keys(later.reason)],
    };`),
  edges("the global scope's listener methods check their arguments as an EventTarget's", `
    return {
      add: tryAll((listener) => addEventListener("edges", listener), [null, undefined, 1]),
      addMissing: outcomeSync(() => addEventListener("edges")),
      remove: tryAll((listener) => removeEventListener("edges", listener), [null, undefined, 1]),
      removeMissing: outcomeSync(() => removeEventListener("edges")),
      removeNone: outcomeSync(() => removeEventListener()),
      removeCapture: outcomeSync(() => removeEventListener("edges", null, true)),
      dispatch: [outcomeSync(() => dispatchEvent()), outcomeSync(() => dispatchEvent({})), outcomeSync(() => dispatchEvent(new Event("edges")))],
      lengths: [addEventListener.length, removeEventListener.length, dispatchEvent.length],
    };`),
];
