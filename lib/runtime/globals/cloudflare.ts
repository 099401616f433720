import { defineInterface } from "../../util/webidl.js";
import { codeFeatures } from "../code-context.js";

/**
 * The runtime's global `Cloudflare`: the one object of the interface `Cloudflare` (no members, an
 * "Illegal constructor"), whose own property `compatibilityFlags` (read-only, enumerable) holds
 * every flag of workerd's table, true where the Worker's compatibility date and flags turn it on.
 * Each Worker of the runtime has its own. durasim's Worker modules share one module scope across
 * the Workers of a process, so the one object answers with the flags of the Worker whose code
 * reads it (codeFeatures()), for as long as the property is the one it was made with: code may
 * redefine or delete it (it is configurable), as in the runtime. Code that makes it
 * non-configurable (Object.freeze(Cloudflare), as workerd lets it) fixes the flags of its own
 * Worker as its value: a Proxy must then answer the value it holds. The object being one per
 * process, other Workers of the process see that Worker's flags, and a frozen object, from then on.
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
  defineProperty(object, key, descriptor) {
    const fixes = descriptor.configurable === false && !("value" in descriptor) && descriptor.get === undefined && descriptor.set === undefined;
    const value = fixes && Reflect.getOwnPropertyDescriptor(object, key)?.value === WORKERS_FLAGS ? { value: codeFeatures().compatibilityFlags } : {};
    // Defined as on the object itself, so a refusal is V8's own ("Cannot redefine property: ..."),
    // not a Proxy's "trap returned falsish" (Reflect.defineProperty then throws it too).
    Object.defineProperty(object, key, { ...descriptor, ...value });
    return true;
  },
}) as never;
