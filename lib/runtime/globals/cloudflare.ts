import { defineInterface } from "../../util/webidl.js";
import { codeFeatures } from "../code-context.js";

/**
 * The runtime's global `Cloudflare`: the one object of the interface `Cloudflare` (no members, an
 * "Illegal constructor"), whose own property `compatibilityFlags` (read-only, enumerable) holds
 * every flag of workerd's table, true where the Worker's compatibility date and flags turn it on.
 * Each Worker of the runtime has its own. durasim's Worker modules share one module scope across
 * the Workers of a process, so the one object answers with the flags of the Worker whose code
 * reads it (codeFeatures()), for as long as the property is the one it was made with: code may
 * redefine or delete it (it is configurable), as in the runtime.
 */
class CloudflareImpl {}

// Its class has no global name in the runtime: code reaches it as `Cloudflare.constructor`.
defineInterface(CloudflareImpl, "Cloudflare", (value) => value instanceof CloudflareImpl);

/** The value the property holds until code replaces it: read as the current Worker's flags. */
const WORKERS_FLAGS = Symbol("the current Worker's compatibility flags");

const target = new CloudflareImpl();
Object.defineProperty(target, "compatibilityFlags", { value: WORKERS_FLAGS, writable: false, enumerable: true, configurable: true });

export const Cloudflare: { readonly compatibilityFlags: Readonly<Record<string, boolean>> } = new Proxy(target, {
  get(object, key, receiver) {
    const value: unknown = Reflect.get(object, key, receiver);
    return value === WORKERS_FLAGS ? codeFeatures().compatibilityFlags : value;
  },
  getOwnPropertyDescriptor(object, key) {
    const descriptor = Reflect.getOwnPropertyDescriptor(object, key);
    if (descriptor?.value === WORKERS_FLAGS) descriptor.value = codeFeatures().compatibilityFlags;
    return descriptor;
  },
}) as never;
