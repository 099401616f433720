/**
 * `URLPattern` (the URL Pattern Standard), which the Workers runtime has and Node has only from
 * 23.8: a pattern of eight URL components, each compiled to a regular expression, that `test()`
 * and `exec()` match a URL (a string, with an optional base, or a dictionary of components)
 * against. The test runners and durasim/register add it where Node lacks it (Node 20 and 22).
 */
import { defineMissing, type Realm } from "../define.js";
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

const INIT_MEMBERS = ["baseURL", ...COMPONENTS] as const;

/** WebIDL's USVString: lone surrogates become U+FFFD. */
function usv(value: unknown): string {
  if (typeof value === "symbol") throw new TypeError("Cannot convert a Symbol value to a string");
  return String(value).toWellFormed();
}

/** WebIDL's URLPatternInit dictionary from an object (its members read in dictionary order). */
function toInit(value: object): Init {
  const init: Init = {};
  for (const key of [...INIT_MEMBERS].sort()) {
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

export function makeURLPattern(realm: Realm): new (input?: unknown, baseURL?: unknown, options?: unknown) => URLPatternLike {
  const TypeErrorOfRealm = realm.TypeError;
  const rethrowInRealm = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (error instanceof TypeError && TypeErrorOfRealm !== TypeError) throw new TypeErrorOfRealm(error.message);
      throw error;
    }
  };

  class URLPattern {
    readonly #components: Record<ComponentName, Component>;

    constructor(input?: unknown, baseURL?: unknown, options?: unknown) {
      this.#components = rethrowInRealm(() => {
        let base: string | undefined;
        let optionsValue = options;
        if (isDictionary(baseURL)) optionsValue = baseURL;
        else base = usv(baseURL);
        const ignoreCase = isDictionary(optionsValue) && optionsValue !== null && optionsValue !== undefined
          ? Boolean((optionsValue as { ignoreCase?: unknown }).ignoreCase)
          : false;
        const given = toInput(input);
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

    test(input: unknown = {}, baseURL?: unknown): boolean {
      return this.#match(input, baseURL, arguments.length >= 2) !== null;
    }

    exec(input: unknown = {}, baseURL?: unknown): Result | null {
      return this.#match(input, baseURL, arguments.length >= 2);
    }

    get protocol() { return this.#components.protocol.patternString; }
    get username() { return this.#components.username.patternString; }
    get password() { return this.#components.password.patternString; }
    get hostname() { return this.#components.hostname.patternString; }
    get port() { return this.#components.port.patternString; }
    get pathname() { return this.#components.pathname.patternString; }
    get search() { return this.#components.search.patternString; }
    get hash() { return this.#components.hash.patternString; }
    get hasRegExpGroups() { return COMPONENTS.some((name) => this.#components[name].hasRegExpGroups); }

    #match(inputValue: unknown, baseValue: unknown, baseGiven: boolean): Result | null {
      return rethrowInRealm(() => {
        const input = toInput(inputValue);
        const base = baseGiven && baseValue !== undefined ? usv(baseValue) : undefined;
        const inputs: Input[] = [input];
        let values: Components;
        if (typeof input !== "string") {
          if (base !== undefined) throw new TypeError("A baseURL is not allowed with a URLPatternInit");
          const empty = Object.fromEntries(COMPONENTS.map((name) => [name, ""])) as Components;
          try {
            values = processInit(input, "url", empty) as Components;
          } catch {
            return null;
          }
        } else {
          let url: URL;
          try {
            if (base !== undefined) inputs.push(base);
            url = base === undefined ? new URL(input) : new URL(input, new URL(base));
          } catch {
            return null;
          }
          values = {
            protocol: url.protocol.slice(0, -1), username: url.username, password: url.password, hostname: url.hostname,
            port: url.port, pathname: url.pathname, search: url.search.slice(1), hash: url.hash.slice(1),
          };
        }
        const result = { inputs } as Result;
        for (const name of COMPONENTS) {
          const component = this.#components[name];
          const match = RegExp.prototype.exec.call(component.regexp, values[name]);
          if (match === null) return null;
          const groups: Record<string, string | undefined> = {};
          component.names.forEach((groupName, index) => { groups[groupName] = match[index + 1]; });
          result[name] = { input: values[name], groups };
        }
        return result;
      });
    }
  }
  Object.defineProperty(URLPattern.prototype, Symbol.toStringTag, { value: "URLPattern", configurable: true });
  return URLPattern;
}

/** Adds `URLPattern` to a realm that lacks it: the process's own where Node has one, else durasim's. */
export function installURLPattern(realm: Realm): void {
  const own = (globalThis as { URLPattern?: Function }).URLPattern;
  defineMissing(realm, { URLPattern: own ?? makeURLPattern(realm) });
}
