// Event.prototype as Worker code reads it: the phase constants on the prototype as well as on
// the constructor (read-only, enumerable), the constructor's length 0, and the legacy
// `srcElement`, `cancelBubble` and `returnValue` members: `srcElement` reads the event's one
// target (undefined before a dispatch, the target during and after it), `cancelBubble` can be
// set, `returnValue` is read-only and reads true until the event is cancelled.
import { inside } from "../scenario.mjs";

const events = (name, body) => inside(`event prototype: ${name}`, "sqlite", `
    const t = (f) => outcomeSync(f);
${body}`);

export default [
  events("the phase constants on the prototype and the constructor", `
    const constants = ["NONE", "CAPTURING_PHASE", "AT_TARGET", "BUBBLING_PHASE"];
    const flags = (o, k) => { const d = Object.getOwnPropertyDescriptor(o, k); return d === undefined ? "absent" : [d.value, d.writable, d.enumerable]; };
    const e = new Event("x");
    return {
      prototype: constants.map((k) => flags(Event.prototype, k)),
      constructor: constants.map((k) => flags(Event, k)),
      onInstances: constants.map((k) => [e[k], new CustomEvent("c")[k], k in e]),
      ownKeys: Object.keys(e),
      length: Event.length,
      assigned: t(() => { Event.prototype.AT_TARGET = 5; }),
      after: Event.prototype.AT_TARGET,
    };`),
  events("srcElement, cancelBubble and returnValue before, during and after a dispatch", `
    const shape = (k) => { const d = Object.getOwnPropertyDescriptor(Event.prototype, k); return [typeof d.get, d.enumerable, d.configurable]; };
    const target = new EventTarget();
    const e = new Event("x", { cancelable: true });
    const before = [show(e.srcElement), e.cancelBubble, e.returnValue, e.composedPath().length];
    let during;
    target.addEventListener("x", (x) => {
      during = [x.srcElement === target, x.composedPath().length, x.composedPath()[0] === target, x.eventPhase, x.NONE, x.AT_TARGET];
      x.preventDefault();
    });
    target.dispatchEvent(e);
    const stopped = new Event("y");
    const cancelBubble = [t(() => { stopped.cancelBubble = true; }), stopped.cancelBubble, t(() => { stopped.cancelBubble = false; }), stopped.cancelBubble];
    return {
      shapes: ["srcElement", "cancelBubble", "returnValue"].map(shape),
      before,
      during,
      after: [e.srcElement === target, e.returnValue, e.defaultPrevented, e.composedPath().length],
      cancelBubble,
      returnValueAssigned: t(() => { e.returnValue = true; }),
      names: ["srcElement", "cancelBubble", "returnValue", "composedPath", "NONE"].map((k) => k in e),
    };`),
];
