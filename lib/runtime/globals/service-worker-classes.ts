/**
 * The classes of the runtime's service-worker model that its Worker scope names beside the
 * module syntax: `ExtendableEvent`, `FetchEvent`, `WorkerGlobalScope` and
 * `ServiceWorkerGlobalScope`. durasim runs module Workers only, so it dispatches no such event
 * and makes no such scope: the classes are there for code that names them (`instanceof` checks,
 * a library's feature test), shaped as the runtime's interfaces, and none of their members has
 * an instance to act on (each call is the runtime's "Illegal invocation").
 */
import { codeGlobal } from "../../util/code-realm.js";
import { defineInterface } from "../../util/webidl.js";

const NO_INSTANCE = (): boolean => false;

/** The interface `name` over `parent`, with `members` on its prototype in the runtime's order. */
function instancelessInterface(name: string, parent: Function, members: readonly string[]): Function {
  const cls = class extends (parent as new () => object) {};
  // Bodies never run: the receiver check refuses every receiver first.
  for (const member of members) Object.defineProperty(cls.prototype, member, { value: () => undefined, writable: true, configurable: true });
  return defineInterface(cls, name, NO_INSTANCE, { order: members });
}

export const ExtendableEvent = instancelessInterface("ExtendableEvent", Event, ["waitUntil"]);
export const FetchEvent = instancelessInterface("FetchEvent", ExtendableEvent, ["respondWith", "passThroughOnException"]);
export const WorkerGlobalScope = instancelessInterface("WorkerGlobalScope", EventTarget, []);
export const ServiceWorkerGlobalScope = instancelessInterface("ServiceWorkerGlobalScope", WorkerGlobalScope, []);

// The runtime's global object is its one ServiceWorkerGlobalScope (and, as V8 checks it there, no
// WorkerGlobalScope): Worker code's is Node's (under Jest, the test file's), whose prototype chain
// durasim leaves alone, so the check answers for it by identity.
Object.defineProperty(ServiceWorkerGlobalScope, Symbol.hasInstance, { value: (value: unknown) => value === codeGlobal() });
