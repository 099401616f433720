import { runsEmulatedCode } from "./code-context.js";
import { replaceMethod } from "./replace-method.js";
import { headerText, rawEntries, rawSetCookies } from "../util/header-bytes.js";
import { illegalInvocation, notOfType, site, toIdlString } from "../util/webidl.js";
import { lowerAscii } from "../util/ascii-case.js";
import { runtimeValue } from "../util/header-values.js";
import { readsNative } from "../util/native-names.js";
import { installPairIterator, pairIterators, type Entry, type Walk } from "./host-iterators.js";

/**
 * Reading Headers as the runtime's do, for Worker and object code (test code keeps Node's):
 * - `entries()`, `keys()`, `values()` and iterating work on a snapshot taken when the iterator
 *   is made (Node's iterators are live: a header set during the walk shows up in it), and the
 *   iterators are the runtime's: an EntryIterator, a KeyIterator or a ValueIterator, each with
 *   its own `next()` that answers `{ done, value }`.
 * - `forEach(callback, thisArg)` walks such a snapshot, calls the callback with `thisArg` as
 *   given, none for null (Node's defaults it to the global object), and refuses a callback that is no function
 *   in the runtime's words;
 * - `getSetCookie()` and every value read back is the stored bytes decoded (util/header-bytes.ts);
 * - `getAll("set-cookie")`, the runtime's older getSetCookie(), exists for them alone.
 * Invariant: the methods stay Node's own on Node's prototype (getAll, which Node's lacks, is
 * shown just above it: installGetAll), so every Headers object (a Request's, a Response's, a
 * fetch()'s) answers alike.
 */

/**
 * The entries `headers` holds now, values decoded and as get() reads them (util/header-values.ts:
 * with the empty values Node lost): Node checks `headers` is a Headers.
 */
function snapshot(headers: unknown): Entry[] {
  const entries: Entry[] = [];
  try {
    // Node 24's iterator checks its receiver at the first next(), Node 20's when made.
    for (const [name, value] of rawEntries(headers as Headers)) entries.push([name, headerText(runtimeValue(headers as Headers, name, value)!)]);
  } catch {
    throw illegalInvocation();
  }
  return entries;
}

const ITERATORS = pairIterators();

/** Headers' iterators walk the snapshot their method took. */
function walkOf(entries: Entry[]): Walk {
  let next = 0;
  return () => (next < entries.length ? entries[next++] : undefined);
}

/** Installs the runtime's reading on Node's Headers prototype (once per process: host-apis.ts). */
export function installHeaderReading(): void {
  const prototype = Headers.prototype as unknown as Record<string | symbol, unknown>;
  const makeEntries = ITERATORS[0]![1];
  for (const [name, make] of ITERATORS) {
    replaceMethod(prototype, name, (original, self, args) => (runsEmulatedCode() ? make(walkOf(snapshot(self))) : Reflect.apply(original, self, args)));
  }
  // Node's @@iterator is its entries(); the runtime's is a function of its own making an EntryIterator.
  installPairIterator(prototype, (self) => makeEntries(walkOf(snapshot(self))), runsEmulatedCode);
  const forEachSite = site("Headers", "forEach");
  replaceMethod(prototype, "forEach", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    const [callback, thisArg] = args;
    const entries = snapshot(self);
    if (typeof callback !== "function") throw notOfType(forEachSite, 1, "function");
    // The runtime calls back with no `this` for a null thisArg as for none.
    const receiver = thisArg === null ? undefined : thisArg;
    for (const [name, value] of entries) Reflect.apply(callback, receiver, [value, name, self]);
    return undefined;
  });
  replaceMethod(prototype, "getSetCookie", (original, self, args) => {
    if (!runsEmulatedCode()) return Reflect.apply(original, self, args);
    let cookies: string[];
    try {
      cookies = rawSetCookies(self as Headers);
    } catch {
      throw illegalInvocation();
    }
    return cookies.map(headerText);
  });
  installGetAll(prototype);
}

const GET_ALL_SITE = site("Headers", "getAll");

/**
 * The runtime's `getAll(name)`, which Worker code written before getSetCookie() calls for
 * Set-Cookie: each value apart, decoded; any other name is refused in the runtime's words.
 */
const getAll = readsNative({
  getAll(this: unknown, ...args: unknown[]): string[] {
    let cookies: string[];
    try {
      cookies = rawSetCookies(this as Headers);
    } catch {
      throw illegalInvocation();
    }
    if (args.length === 0) throw notOfType(GET_ALL_SITE, 1, "string");
    if (lowerAscii(toIdlString(args[0])) !== "set-cookie") throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
    return cookies.map(headerText);
  },
}.getAll, "getAll");

/**
 * Node's Headers have no getAll, and their prototype is the host's too. So getAll is no property
 * of that prototype: it is shown by a Proxy put between the prototype and Object.prototype, to
 * Worker and object code alone, as the runtime's own method (enumerable, writable, configurable:
 * `in`, for-in, typeof and the descriptor the layer gives it). Test code's Headers stay Node's:
 * no getAll by any of those. Emulated code assigning `Headers.prototype.getAll` replaces it for
 * emulated code alone; assigning it on one Headers gives that one an own property, as ever.
 */
function installGetAll(prototype: object): void {
  let method: unknown = getAll;
  const emulated = (key: string | symbol) => key === "getAll" && runsEmulatedCode();
  const layer = new Proxy(Object.create(Object.getPrototypeOf(prototype) as object | null) as object, {
    get: (target, key, receiver) => (emulated(key) ? method : Reflect.get(target, key, receiver)),
    has: (target, key) => emulated(key) || Reflect.has(target, key),
    ownKeys: (target) => (runsEmulatedCode() ? [...Reflect.ownKeys(target), "getAll"] : Reflect.ownKeys(target)),
    getOwnPropertyDescriptor: (target, key) =>
      emulated(key) ? { value: method, writable: true, enumerable: true, configurable: true } : Reflect.getOwnPropertyDescriptor(target, key),
    set(target, key, value, receiver) {
      if (!emulated(key) || receiver !== prototype) return Reflect.set(target, key, value, receiver);
      method = value;
      return true;
    },
  });
  Object.setPrototypeOf(prototype, layer);
}
