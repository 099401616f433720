/**
 * The URL Pattern Standard's canonicalization of each URL component, done with the WHATWG URL
 * parser Node has: a fixed part of a pattern, and each component of a URL tested against one,
 * become what the URL parser would make of them (percent-encoding, lowercase schemes, default
 * ports, dot segments). A value the parser refuses is refused with a TypeError. URL's setters
 * ignore a value they cannot parse, so a setter fails when it leaves two URLs that differ in
 * that component both as they were.
 */

export const SPECIAL_SCHEMES: Readonly<Record<string, string | null>> = {
  ftp: "21", file: null, http: "80", https: "443", ws: "80", wss: "443",
};

function refuse(what: string, value: string): never {
  throw new TypeError(`Invalid ${what} "${value}"`);
}

function throughSetter(what: string, value: string, hrefs: readonly [string, string], key: "hostname" | "port"): string {
  const urls = hrefs.map((href) => new URL(href));
  const before = urls.map((url) => url[key]);
  for (const url of urls) url[key] = value;
  if (urls.every((url, i) => url[key] === before[i])) refuse(what, value);
  return urls[0]![key];
}

export function canonicalizeProtocol(value: string): string {
  if (value === "") return value;
  let url: URL;
  try {
    url = new URL(`${value}://dummy.test`);
  } catch {
    refuse("protocol", value);
  }
  return url.protocol.slice(0, -1);
}

export function canonicalizeUsername(value: string): string {
  if (value === "") return value;
  const url = new URL("fake://dummy.test");
  url.username = value;
  return url.username;
}

export function canonicalizePassword(value: string): string {
  if (value === "") return value;
  const url = new URL("fake://dummy.test");
  url.password = value;
  return url.password;
}

/** A hostname, as a special scheme's URL has it (lowercase, IDNA), whatever the pattern's protocol (as V8's). */
export function canonicalizeHostname(value: string): string {
  if (value === "") return value;
  return throughSetter("hostname", value, ["https://a.invalid", "https://b.invalid"], "hostname");
}

export function canonicalizeIPv6Hostname(value: string): string {
  let result = "";
  for (const codePoint of value) {
    if (!/^[0-9A-Fa-f[\]:]$/.test(codePoint)) refuse("IPv6 hostname", value);
    result += codePoint.toLowerCase();
  }
  return result;
}

export function canonicalizePort(value: string, protocol = "fake"): string {
  if (value === "") return value;
  return throughSetter("port", value, [`${protocol}://dummy.test:1`, `${protocol}://dummy.test:2`], "port");
}

export function canonicalizePathname(value: string): string {
  if (value === "") return value;
  const leadingSlash = value.startsWith("/");
  const url = new URL("fake://fake-url");
  url.pathname = leadingSlash ? value : `/-${value}`;
  return leadingSlash ? url.pathname : url.pathname.slice(2);
}

/** An opaque path (a non-special scheme's, `data:text/plain,...`), as the URL parser reads one after "scheme:". */
export function canonicalizeOpaquePathname(value: string): string {
  if (value === "") return value;
  try {
    return new URL(`fake:${value}`).pathname;
  } catch {
    refuse("pathname", value);
  }
}

export function canonicalizeSearch(value: string): string {
  if (value === "") return value;
  const url = new URL("fake://dummy.test");
  url.search = `?${value}`;
  return url.search.slice(1);
}

export function canonicalizeHash(value: string): string {
  if (value === "") return value;
  const url = new URL("fake://dummy.test");
  url.hash = `#${value}`;
  return url.hash.slice(1);
}
