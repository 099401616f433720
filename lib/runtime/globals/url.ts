import { constructOnly } from "../../util/construct-only.js";
import { arrangeMembers, notOfType, site, toIdlString } from "../../util/webidl.js";

/**
 * The `URL` Worker code finds: Node's URL parser and objects, with the runtime's conversions and
 * words. A string that is no URL is "Invalid URL string." (Node: "Invalid URL", with a `code`),
 * a missing argument the runtime's TypeError, a call without `new` its "Please use the 'new'
 * operator" message; `href` refuses with the runtime's setter message; `URL.parse` exists on
 * Node 20 too. The prototype lists Node's members in the runtime's order. Instances are Node
 * URLs (a subclass), and a URL made by Node or a package is an `instanceof` this one too (not of
 * a subclass of it).
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
arrangeMembers(proto, MEMBER_ORDER);
for (const key of ["createObjectURL", "revokeObjectURL"] as const) {
  Object.defineProperty(URL, key, Object.getOwnPropertyDescriptor(NodeURL, key)!);
}

const WorkerURL = constructOnly(URL, "URL");
export { WorkerURL as URL };
