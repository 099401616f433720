// The `length` and `name` of the functions Worker code finds in its scope, as the runtime's
// global scope declares them (Node's timers take more arguments, its fetch one).
import { inside } from "../scenario.mjs";

export default [
  inside("scope function shapes: length and name of the global functions Worker code calls", "sqlite", `
    const shape = (f) => typeof f === "function" ? f.length + " " + f.name : typeof f;
    const scope = { setTimeout, setInterval, clearTimeout, clearInterval, fetch, queueMicrotask, structuredClone, atob, btoa, reportError,
      addEventListener, removeEventListener, dispatchEvent, wait: scheduler.wait, getRandomValues: crypto.getRandomValues, randomUUID: crypto.randomUUID };
    return Object.fromEntries(Object.entries(scope).map(([key, f]) => [key, shape(f)]));`),
];
