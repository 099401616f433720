import { types } from "node:util";
import { type HiddenField, hiddenField } from "../util/hidden-field.js";
import { processShared } from "../util/process-shared.js";

/**
 * Brands that mark the classes of `cloudflare:workers`. They are registered symbols, not class
 * identity, because a test setup can load the workers module twice (source under a test
 * runner's transform, built output through the package), and a class from either copy must
 * still be recognised.
 */
export const DURABLE_OBJECT_BRAND = Symbol.for("durasim.DurableObject");
export const WORKER_ENTRYPOINT_BRAND = Symbol.for("durasim.WorkerEntrypoint");
export const RPC_TARGET_BRAND = Symbol.for("durasim.RpcTarget");
export const RPC_STUB_BRAND = Symbol.for("durasim.RpcStub");
/** Asks a Durable Object stub for the service stub it becomes when sent over RPC. */
export const SERVICE_STUB = Symbol.for("durasim.serviceStub");

/**
 * Asks a stub (of any kind: a JsRpcStub, a Durable Object stub received over RPC) for the ref
 * that paths pipelined through it continue on; a Durable Object stub or a Fetcher answers with
 * the endpoint its `fetch` sends to.
 */
export const FORWARD = Symbol("rpc forward");

/**
 * The endpoint behind a Durable Object stub or a Fetcher (a service binding), or behind a
 * wrapper that forwards to one (the callable loopback Fetchers of `exports` are proxies in front
 * of a stub), if `value` is one: what it answers FORWARD with, when that can fetch. A stub's own
 * trap answers (no registry: a WeakMap entry per stub cost more than the rest of making one, and
 * weak entries slow every garbage collection). Here, below the stubs, so that a request init's
 * `fetcher` member can be told a Fetcher where the init is converted.
 */
export function forwardingEndpoint(value: unknown): { fetch: Function } | undefined {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
  const endpoint = (value as Record<symbol, unknown>)[FORWARD] as { fetch?: unknown } | undefined;
  return typeof endpoint?.fetch === "function" ? (endpoint as { fetch: Function }) : undefined;
}

/**
 * hasBrand as the runtime tells a Proxy's kind: by its prototype (what its getPrototypeOf trap
 * answers, which V8's instanceof follows), so a get trap that answers nothing for symbols (Cap'n
 * Web's stubs) does not hide that the proxy is an RpcTarget.
 */
export function hasBrandOrProxyOf(value: unknown, brand: symbol): boolean {
  return hasBrand(value, brand) || (types.isProxy(value) && hasBrand(Object.getPrototypeOf(value), brand));
}

export function hasBrand(value: unknown, brand: symbol): boolean {
  return (typeof value === "object" || typeof value === "function") && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/**
 * Whether a class (constructor) is or extends the branded base class. The runtime tells by the
 * chain of constructors (what `extends` sets), not by the prototype objects': a class whose
 * prototype is later pointed at the base's prototype does not count, one whose prototype is
 * pointed away from it still does.
 */
export function classHasBrand(cls: unknown, brand: symbol): boolean {
  for (let c = cls; typeof c === "function"; c = Object.getPrototypeOf(c)) {
    const proto = (c as { prototype?: unknown }).prototype;
    if (typeof proto === "object" && proto !== null && Object.hasOwn(proto, brand)) return true;
  }
  return false;
}

/** The kinds of object only the runtime makes that a base class of cloudflare:workers asks for. */
export type RuntimeKind = "DurableObjectState" | "ExecutionContext";

/**
 * Which objects are a Durable Object's `ctx` (DurableObjectState) or a Worker event's `ctx`
 * (ExecutionContext), and which of the two: a hidden field (util/hidden-field.ts) whose accessors
 * are kept in the global object under a registered symbol, like the brands, so a copy of the
 * workers module recognises what another copy of the runtime made. Not a WeakSet: every object
 * and every Worker event makes one, and a WeakSet entry cost an object about 50 bytes of heap,
 * besides V8's malloc'd record of each young key entered into an old table.
 */
const runtimeKinds = processShared<HiddenField<RuntimeKind>>("runtimeKindField", () => hiddenField<RuntimeKind>());

/** Records `value` as a runtime-made object of `kind`. */
export function markRuntimeInstance(kind: RuntimeKind, value: object): void {
  runtimeKinds.set(value, kind);
}

/**
 * Whether `value` is, or inherits from, a runtime-made object of `kind`: the runtime unwraps an
 * argument of one of its types by looking along the prototype chain, so an object made with
 * `Object.create(ctx)` passes where a plain object or the bare prototype does not.
 */
export function isRuntimeInstance(kind: RuntimeKind, value: unknown): boolean {
  for (let o = value; (typeof o === "object" || typeof o === "function") && o !== null; o = Object.getPrototypeOf(o)) {
    if (runtimeKinds.get(o) === kind) return true;
  }
  return false;
}
