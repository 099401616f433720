/**
 * `URLPattern` (the URL Pattern Standard), which the Workers runtime has and Node has only from
 * 23.8: a pattern of eight URL components, each compiled to a regular expression, that `test()`
 * and `exec()` match a URL (a string, with an optional base, or a dictionary of components)
 * against. The test runners and durasim/register add it where Node lacks it (Node 20 and 22).
 */
import { arrangeMembers, illegalInvocation, notSerializable, refuseInStorage, toIdlString } from "../../../util/webidl.js";
import { defineMissing, type Realm } from "../define.js";
import { constructOnly } from "../../../util/construct-only.js";
import {
  canonicalizeHash, canonicalizeHostname, canonicalizeIPv6Hostname, canonicalizeOpaquePathname, canonicalizePassword,
  canonicalizePathname, canonicalizePort, canonicalizeProtocol, canonicalizeSearch, canonicalizeUsername, SPECIAL_SCHEMES,
} from "./canonicalize.js";
import { compileComponent, DEFAULT_OPTIONS, HOSTNAME_OPTIONS, matchesSpecialScheme, PATHNAME_OPTIONS, type Component } from "./component.js";
import { parseConstructorString, type Init } from "./constructor-string.js";
import { COMPONENTS, processInit, type Components } from "./init.js";

type ComponentName = (typeof COMPONENTS)[number];
type Input = string | Init;
interface ComponentResult { input: string; groups: Record<string, string | undefined> }
type Result = { inputs: Input[] } & Record<ComponentName, ComponentResult>;

/** URLPatternInit's members in the order the runtime reads them: as it declares them (WebIDL would sort them). */
const INIT_ORDER = [...COMPONENTS, "baseURL"] as const;

/** What a URL given as a dictionary has where it names no component (processInit copies it). */
const NO_COMPONENTS: Readonly<Components> = Object.freeze(Object.fromEntries(COMPONENTS.map((name) => [name, ""])) as Components);

/** A base with a non-special scheme and no host or path, for a relative input (its scheme is reported as none). */
const NO_SCHEME_BASE = "durasim-no-scheme://";

/** `input` parsed as an absolute URL, or undefined where it is none. */
function parsedOrUndefined(input: string): URL | undefined {
  return URL.canParse(input) ? new URL(input) : undefined;
}

/** WebIDL's USVString: DOMString's conversion, then lone surrogates become U+FFFD. */
const usv = (value: unknown): string => toIdlString(value).toWellFormed();

/** The URLPatternInit dictionary from an object (its members read in INIT_ORDER). */
function toInit(value: object): Init {
  const init: Init = {};
  for (const key of INIT_ORDER) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) init[key] = usv(member);
  }
  return init;
}

function isDictionary(value: unknown): value is object | null | undefined {
  return value === undefined || value === null || typeof value === "object" || typeof value === "function";
}

function toInput(value: unknown): Input {
  return isDictionary(value) ? toInit(value ?? {}) : usv(value);
}

/** The standard's "hostname pattern is an IPv6 address": at least two code points, opening with a bracket. */
function isIPv6Pattern(hostname: string): boolean {
  return hostname.length >= 2 && (hostname.startsWith("[") || hostname.startsWith("{[") || hostname.startsWith("\\["));
}

function compileAll(init: Components, ignoreCase: boolean): Record<ComponentName, Component> {
  const withCase = { ...DEFAULT_OPTIONS, ignoreCase };
  const protocol = compileComponent(init.protocol, canonicalizeProtocol, DEFAULT_OPTIONS);
  const special = matchesSpecialScheme(protocol);
  return {
    protocol,
    username: compileComponent(init.username, canonicalizeUsername, DEFAULT_OPTIONS),
    password: compileComponent(init.password, canonicalizePassword, DEFAULT_OPTIONS),
    hostname: compileComponent(
      init.hostname,
      isIPv6Pattern(init.hostname) ? canonicalizeIPv6Hostname : canonicalizeHostname,
      HOSTNAME_OPTIONS,
    ),
    port: compileComponent(init.port, (value) => canonicalizePort(value), DEFAULT_OPTIONS),
    pathname: special
      ? compileComponent(init.pathname, canonicalizePathname, { ...PATHNAME_OPTIONS, ignoreCase })
      : compileComponent(init.pathname, canonicalizeOpaquePathname, withCase),
    search: compileComponent(init.search, canonicalizeSearch, withCase),
    hash: compileComponent(init.hash, canonicalizeHash, withCase),
  };
}

/** What a URLPattern shows its user (the class's own fields are private). */
export interface URLPatternLike extends Readonly<Record<ComponentName, string>> {
  readonly hasRegExpGroups: boolean;
  test(input?: unknown, baseURL?: unknown): boolean;
  exec(input?: unknown, baseURL?: unknown): Result | null;
}

/** An options dictionary's ignoreCase (a value that is no object: none). */
function ignoreCaseOf(options: unknown): boolean {
  return typeof options === "object" || typeof options === "function" ? Boolean((options as { ignoreCase?: unknown } | null)?.ignoreCase) : false;
}

export function makeURLPattern(realm: Realm): new (input?: unknown, baseURL?: unknown, options?: unknown) => URLPatternLike {
  const TypeErrorOfRealm = realm.TypeError;
  /** Converts the arguments: what throws is V8's own (a Symbol given as a string) or the caller's code, as it is. */
  const converting = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (error instanceof TypeError && TypeErrorOfRealm !== TypeError) throw new TypeErrorOfRealm(error.message);
      throw error;
    }
  };
  /** After the conversions every refusal of an operation is the runtime's one TypeError for it (`text`). */
  const refusing = <T>(text: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (error instanceof TypeError) throw new TypeErrorOfRealm(text);
      throw error;
    }
  };

  /** A plain object of the realm (results cross RPC and storage, which take only plain objects). */
  const plain = <T extends object>(members: T): T => Object.assign(new realm.Object(), members);

  /** A URL matched with `components` (null: not matched, or not a URL); `refusal` is the operation's one TypeError. */
  function matchWith(components: Record<ComponentName, Component>, refusal: string, inputValue: unknown, baseValue: unknown): Result | null {
    const [input, base] = converting(() => [toInput(inputValue), baseValue === undefined ? undefined : usv(baseValue)] as const);
    if (typeof input !== "string" && base !== undefined) throw new TypeErrorOfRealm(refusal);
    // The runtime's result lists a dictionary input with all its members, undefined where not given.
    const inputs: Input[] = realm.Array.of(typeof input === "string" ? input : plain(Object.fromEntries(INIT_ORDER.map((key) => [key, input[key]]))));
    let values: Components;
    if (typeof input !== "string") {
      try {
        values = processInit(input, "url", NO_COMPONENTS) as Components;
      } catch {
        return null;
      }
    } else {
      let url: URL | undefined;
      let relative = false;
      try {
        if (base !== undefined) inputs.push(base);
        url = base === undefined ? parsedOrUndefined(input) : new URL(input, new URL(base));
        // The runtime's (and Node 24's) matcher takes a string that is no absolute URL, given no
        // base, as a reference relative to a URL with no scheme, host or path.
        if (url === undefined) [url, relative] = [new URL(input, NO_SCHEME_BASE), true];
      } catch {
        return null;
      }
      values = {
        protocol: relative ? "" : url.protocol.slice(0, -1), username: url.username, password: url.password, hostname: url.hostname,
        port: url.port, pathname: url.pathname, search: url.search.slice(1), hash: url.hash.slice(1),
      };
    }
    const result = plain({ inputs }) as Result;
    for (const name of COMPONENTS) {
      const component = components[name];
      const match = RegExp.prototype.exec.call(component.regexp, values[name]);
      if (match === null) return null;
      const groups = plain(Object.fromEntries(component.names.map((groupName, index) => [groupName, match[index + 1]])));
      result[name] = plain({ input: values[name], groups });
    }
    return result;
  }

  class URLPattern {
    readonly #components: Record<ComponentName, Component>;

    constructor(input?: unknown, baseURL?: unknown, options?: unknown) {
      // The runtime's order: the input, then the base (a dictionary, or undefined, in its place is the options).
      const [given, base, ignoreCase] = converting(() => {
        const given = toInput(input);
        if (!isDictionary(baseURL)) return [given, usv(baseURL), ignoreCaseOf(options)] as const;
        return [given, undefined, ignoreCaseOf(baseURL === undefined ? options : baseURL)] as const;
      });
      this.#components = refusing("Failed to construct URLPattern", () => {
        let init: Init;
        if (typeof given === "string") {
          init = parseConstructorString(given);
          if (base === undefined && init.protocol === undefined) {
            throw new TypeError(`Invalid URLPattern "${given}": a relative pattern needs a baseURL`);
          }
          if (base !== undefined) init.baseURL = base;
        } else {
          if (base !== undefined) throw new TypeError("A baseURL is not allowed with a URLPatternInit");
          init = given;
        }
        const processed = processInit(init, "pattern", {});
        for (const name of COMPONENTS) processed[name] ??= "*";
        const defaultPort = SPECIAL_SCHEMES[processed.protocol!];
        if (defaultPort !== undefined && processed.port === defaultPort) processed.port = "";
        return compileAll(processed as Components, ignoreCase);
      });
    }

    /** `pattern`'s components; anything else is refused as the runtime refuses a wrong receiver. */
    static #of(pattern: unknown): Record<ComponentName, Component> {
      if (typeof pattern !== "object" || pattern === null || !(#components in pattern)) throw new TypeErrorOfRealm(illegalInvocation().message);
      return (pattern as URLPattern).#components;
    }

    get protocol() { return URLPattern.#of(this).protocol.patternString; }
    get username() { return URLPattern.#of(this).username.patternString; }
    get password() { return URLPattern.#of(this).password.patternString; }
    get hostname() { return URLPattern.#of(this).hostname.patternString; }
    get port() { return URLPattern.#of(this).port.patternString; }
    get pathname() { return URLPattern.#of(this).pathname.patternString; }
    get search() { return URLPattern.#of(this).search.patternString; }
    get hash() { return URLPattern.#of(this).hash.patternString; }
    get hasRegExpGroups() {
      const components = URLPattern.#of(this);
      return COMPONENTS.some((name) => components[name].hasRegExpGroups);
    }

    test(input: unknown = {}, baseURL?: unknown): boolean {
      return matchWith(URLPattern.#of(this), "Failed to test URLPattern", input, baseURL) !== null;
    }

    exec(input: unknown = {}, baseURL?: unknown): Result | null {
      return matchWith(URLPattern.#of(this), "Failed to exec URLPattern", input, baseURL);
    }
  }

  // The runtime's shape: every member enumerable, in its order, and a constructor of length 0.
  const proto = URLPattern.prototype;
  for (const key of Object.getOwnPropertyNames(proto)) if (key !== "constructor") Object.defineProperty(proto, key, { enumerable: true });
  Object.defineProperty(proto, Symbol.toStringTag, { value: "URLPattern", configurable: true });
  arrangeMembers(proto, [...COMPONENTS, "hasRegExpGroups", "test", "exec"]);
  // Storage knows Node's own URLPattern by its global; this class is one per realm, so it says so itself.
  refuseInStorage(proto, notSerializable("URLPattern"));
  // A call without `new` is refused in the runtime's words (constructOnly also keeps length 0).
  return constructOnly(URLPattern, "URLPattern");
}

/** durasim's URLPattern of each realm, made once: the global the runners add and Worker modules' binding are one class. */
const classOfRealm = new WeakMap<Realm, ReturnType<typeof makeURLPattern>>();

/** durasim's URLPattern for `realm`, whose `exec()` results are that realm's plain objects. */
export function urlPatternOf(realm: Realm): ReturnType<typeof makeURLPattern> {
  let URLPattern = classOfRealm.get(realm);
  if (URLPattern === undefined) classOfRealm.set(realm, (URLPattern = makeURLPattern(realm)));
  return URLPattern;
}

/** Adds `URLPattern` to a realm that lacks it: the process's own where Node has one, else durasim's. */
export function installURLPattern(realm: Realm): void {
  const own = (globalThis as { URLPattern?: Function }).URLPattern;
  defineMissing(realm, { URLPattern: own ?? urlPatternOf(realm) });
}
