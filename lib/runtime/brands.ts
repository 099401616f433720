import { types } from "node:util";

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

/** Whether a class (constructor) extends the branded base class. */
export function classHasBrand(cls: unknown, brand: symbol): boolean {
  return typeof cls === "function" && hasBrand((cls as { prototype?: unknown }).prototype, brand);
}
