/**
 * The URL Pattern Standard's "process a URLPatternInit": a dictionary of components (and a
 * baseURL to inherit the missing ones from) made into the components a pattern compiles
 * ("pattern": kept as pattern strings) or a URL is matched with ("url": canonicalized as the URL
 * parser would). A component given inherits none of the base's components after it.
 */
import {
  canonicalizeHash, canonicalizeHostname, canonicalizeOpaquePathname, canonicalizePassword, canonicalizePathname,
  canonicalizePort, canonicalizeProtocol, canonicalizeSearch, canonicalizeUsername, SPECIAL_SCHEMES,
} from "./canonicalize.js";
import type { Init } from "./constructor-string.js";
import { escapePattern } from "./parts.js";

export type InitType = "pattern" | "url";
export type Components = Required<Omit<Init, "baseURL">>;
export const COMPONENTS = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"] as const;

function isAbsolutePathname(input: string, type: InitType): boolean {
  if (input === "") return false;
  if (input[0] === "/") return true;
  if (type === "url" || input.length < 2) return false;
  return (input[0] === "\\" || input[0] === "{") && input[1] === "/";
}

export function processInit(init: Init, type: InitType, defaults: Partial<Components>): Partial<Components> {
  const result: Partial<Components> = { ...defaults };
  const fromBase = (value: string) => (type === "pattern" ? escapePattern(value) : value);
  const given = (...keys: (keyof Init)[]) => keys.some((key) => init[key] !== undefined);
  let base: URL | null = null;
  if (init.baseURL !== undefined) {
    try {
      base = new URL(init.baseURL);
    } catch {
      throw new TypeError(`Invalid baseURL "${init.baseURL}"`);
    }
    if (!given("protocol")) result.protocol = fromBase(base.protocol.slice(0, -1));
    if (type !== "pattern" && !given("protocol", "hostname", "port", "username")) result.username = fromBase(base.username);
    if (type !== "pattern" && !given("protocol", "hostname", "port", "username", "password")) result.password = fromBase(base.password);
    if (!given("protocol", "hostname")) result.hostname = fromBase(base.hostname);
    if (!given("protocol", "hostname", "port")) result.port = base.port;
    if (!given("protocol", "hostname", "port", "pathname")) result.pathname = fromBase(base.pathname);
    if (!given("protocol", "hostname", "port", "pathname", "search")) result.search = fromBase(base.search.slice(1));
    if (!given("protocol", "hostname", "port", "pathname", "search", "hash")) result.hash = fromBase(base.hash.slice(1));
  }
  const pattern = type === "pattern";
  if (init.protocol !== undefined) {
    const stripped = init.protocol.endsWith(":") ? init.protocol.slice(0, -1) : init.protocol;
    result.protocol = pattern ? stripped : canonicalizeProtocol(stripped);
  }
  if (init.username !== undefined) result.username = pattern ? init.username : canonicalizeUsername(init.username);
  if (init.password !== undefined) result.password = pattern ? init.password : canonicalizePassword(init.password);
  if (init.hostname !== undefined) result.hostname = pattern ? init.hostname : canonicalizeHostname(init.hostname);
  if (init.port !== undefined) result.port = pattern ? init.port : canonicalizePort(init.port, result.protocol || undefined);
  if (init.pathname !== undefined) {
    let pathname = init.pathname;
    if (base !== null && !hasOpaquePath(base) && !isAbsolutePathname(pathname, type)) {
      const basePath = fromBase(base.pathname);
      const slash = basePath.lastIndexOf("/");
      if (slash !== -1) pathname = basePath.slice(0, slash + 1) + pathname;
    }
    if (!pattern) {
      const protocol = result.protocol ?? "";
      pathname = protocol === "" || protocol in SPECIAL_SCHEMES ? canonicalizePathname(pathname) : canonicalizeOpaquePathname(pathname);
    }
    result.pathname = pathname;
  }
  if (init.search !== undefined) {
    const stripped = init.search.startsWith("?") ? init.search.slice(1) : init.search;
    result.search = pattern ? stripped : canonicalizeSearch(stripped);
  }
  if (init.hash !== undefined) {
    const stripped = init.hash.startsWith("#") ? init.hash.slice(1) : init.hash;
    result.hash = pattern ? stripped : canonicalizeHash(stripped);
  }
  return result;
}

/** A URL whose path is opaque (`data:text/plain,x`, `mailto:a@b`): no host and no leading slash. */
function hasOpaquePath(url: URL): boolean {
  return !url.pathname.startsWith("/") && !url.href.startsWith(`${url.protocol}//`);
}
