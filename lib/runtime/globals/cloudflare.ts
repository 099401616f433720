import { defineInterface } from "../../util/webidl.js";
import { codeFeatures } from "../code-context.js";

/**
 * The runtime's global `Cloudflare`: the one object of the interface `Cloudflare` (no members, an
 * "Illegal constructor"), whose own property `compatibilityFlags` (read-only, enumerable) holds
 * every flag of workerd's table, true where the Worker's compatibility date and flags turn it on.
 * Each Worker of the runtime has its own. durasim's Worker modules share one module scope across
 * the Workers of a process, so the one object answers with the flags of the Worker whose code
 * reads it (codeFeatures()), for as long as the property is the one it was made with: code may
 * redefine or delete it (it is configurable), as in the runtime. The property holds a Worker's
 * real flags object, put there afresh (while it is still durasim's) before each read, each
 * definition and before the object is made non-extensible (Object.freeze(Cloudflare), as
 * workerd lets it), which then fixes the flags of the freezing Worker as its value. The Proxy
 * has no defineProperty trap (only the lookup of one puts the flags in): a
 * trap cannot both return false to Reflect.defineProperty() and Reflect.set() and throw V8's own
 * errors from Object.defineProperty() and an assignment, as the runtime's plain object does. The
 * object being one per process, other Workers of the process see that Worker's flags, and a
 * frozen object, from then on.
 */
class CloudflareImpl {}

// Its class has no global name in the runtime: code reaches it as `Cloudflare.constructor`.
defineInterface(CloudflareImpl, "Cloudflare", (value) => value instanceof CloudflareImpl);

const target = new CloudflareImpl();

/** The flags objects durasim has put in the property: while it holds one, it is durasim's to update. */
const putFlags = new WeakSet<object>();

/** Gives the property the current Worker's flags, if it is still the one durasim made. */
function holdCurrentFlags(): void {
  const descriptor = Reflect.getOwnPropertyDescriptor(target, "compatibilityFlags");
  if (descriptor?.configurable !== true || !putFlags.has(descriptor.value as object)) return;
  const value = codeFeatures().compatibilityFlags;
  if (value === descriptor.value) return;
  putFlags.add(value);
  Reflect.defineProperty(target, "compatibilityFlags", { value });
}

// Replaced by the reading Worker's flags before any read (its code's, not known at load).
const initialFlags = Object.freeze(Object.create(null) as object);
putFlags.add(initialFlags);
Object.defineProperty(target, "compatibilityFlags", { value: initialFlags, writable: false, enumerable: true, configurable: true });

export const Cloudflare: { readonly compatibilityFlags: Readonly<Record<string, boolean>> } = new Proxy(target, {
  get(object, key, receiver) {
    if (key === "compatibilityFlags") holdCurrentFlags();
    return Reflect.get(object, key, receiver);
  },
  getOwnPropertyDescriptor(object, key) {
    if (key === "compatibilityFlags") holdCurrentFlags();
    return Reflect.getOwnPropertyDescriptor(object, key);
  },
  preventExtensions(object) {
    holdCurrentFlags();
    return Reflect.preventExtensions(object);
  },
  // No trap, but its lookup (which every definition on the Proxy makes) first puts the current
  // flags in, so a definition that fixes the property without a read before fixes them.
  get defineProperty() {
    holdCurrentFlags();
    return undefined;
  },
}) as never;
