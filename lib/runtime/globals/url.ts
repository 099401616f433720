import { constructOnly } from "../../util/construct-only.js";
import { acceptedBy, arrangeMembers, checkReceivers, notOfType, site, tagInterface, toIdlString } from "../../util/webidl.js";
import { readsNativeMembers } from "../../util/native-names.js";

/**
 * The `URL` Worker code finds: Node's URL parser and objects, with the runtime's conversions and
 * words. A string that is no URL is "Invalid URL string." (Node: "Invalid URL", with a `code`),
 * a missing argument the runtime's TypeError, a call without `new` its "Please use the 'new'
 * operator" message; `href` refuses with the runtime's setter message; `URL.parse` exists on
 * Node 20 too; there are no blob URLs (`createObjectURL` refuses). The prototype lists Node's
 * members in the runtime's order, behind the runtime's receiver check. Instances are Node URLs
 * (a subclass), and a URL made by Node or a package is an `instanceof` this one too (not of a
 * subclass of it).
 */

const NodeURL = globalThis.URL;

const INVALID_URL = "Invalid URL string.";
const INVALID_HREF = "Failed to set the 'href' property on 'URL': the provided value is not of type 'valid URL string'.";

/** The runtime's member order of URL.prototype (its IDL declaration order). */
const MEMBER_ORDER = [
  "origin", "href", "protocol", "username", "password", "host", "hostname", "port", "pathname",
  "search", "hash", "searchParams", "toJSON", "toString",
] as const;

/** The URL string and base of a constructor or static call, as the runtime converts them. */
function urlArguments(args: readonly unknown[], missing: () => TypeError): [string, string | undefined] {
  if (args.length === 0) throw missing();
  return [toIdlString(args[0]), args[1] === undefined ? undefined : toIdlString(args[1])];
}

class URL extends NodeURL {
  constructor(...args: unknown[]) {
    const [url, base] = urlArguments(args, () => new TypeError("Failed to construct 'URL': constructor parameter 1 is not of type 'USVString'."));
    try {
      super(url, base);
    } catch {
      throw new TypeError(INVALID_URL);
    }
  }

  static override canParse(...args: unknown[]): boolean {
    const [url, base] = urlArguments(args, () => notOfType(site("URL", "canParse"), 1, "USVString"));
    return NodeURL.canParse(url, base);
  }

  static override parse(...args: unknown[]): URL | null {
    const [url, base] = urlArguments(args, () => notOfType(site("URL", "parse"), 1, "USVString"));
    return NodeURL.canParse(url, base) ? new URL(url, base) : null;
  }

  /** The runtime has no blob URLs: it checks the argument, then refuses. */
  static override createObjectURL(...args: unknown[]): string {
    if (!(args[0] instanceof Blob)) throw notOfType(site("URL", "createObjectURL"), 1, "File or Blob");
    throw new Error("URL.createObjectURL() is not implemented");
  }

  static override revokeObjectURL(...args: unknown[]): void {
    if (args.length === 0) throw notOfType(site("URL", "revokeObjectURL"), 1, "USVString");
    toIdlString(args[0]);
    throw new Error("URL.revokeObjectURL() is not implemented");
  }

  /** Node's URLs, whoever made them, are URLs to Worker code too; a subclass is itself. */
  static override [Symbol.hasInstance](this: unknown, value: unknown): boolean {
    if (this !== URL && this !== WorkerURL) return Function.prototype[Symbol.hasInstance].call(this, value);
    return value instanceof NodeURL;
  }
}

const proto = URL.prototype as unknown as Record<string, unknown>;
for (const key of MEMBER_ORDER) Object.defineProperty(proto, key, Object.getOwnPropertyDescriptor(NodeURL.prototype, key)!);
const hrefGetter = Object.getOwnPropertyDescriptor(NodeURL.prototype, "href")!.get!;
const hrefSetter = Object.getOwnPropertyDescriptor(NodeURL.prototype, "href")!.set!;
Object.defineProperty(proto, "href", {
  get: hrefGetter,
  set(this: URL, value: unknown) {
    const href = toIdlString(value);
    if (!NodeURL.canParse(href)) throw new TypeError(INVALID_HREF);
    Reflect.apply(hrefSetter, this, [href]);
  },
  enumerable: true,
  configurable: true,
});
// Node's members refuse another receiver in Node's words ("Receiver must be an instance of
// class URL", "Cannot read private member #context ..."): the runtime's say "Illegal invocation",
// and are unnamed accessors and methods of length 0 that read as native code.
checkReceivers(proto, acceptedBy(hrefGetter));
tagInterface(proto, "URL");
arrangeMembers(proto, MEMBER_ORDER);
readsNativeMembers(URL);

const WorkerURL = constructOnly(URL, "URL");
export { WorkerURL as URL };
