/**
 * What connect() makes of its arguments, for `cloudflare:sockets`' connect() and a Fetcher's (a
 * service binding's, a Durable Object stub's) alike: workerd reads both through one SocketAddress
 * and one SocketOptions, so the same mistake gets the same TypeError from either (conformance
 * scenarios "sockets-arguments: ..."). Invariant: what connectArguments() returns is an address
 * the runtime accepts; a refusal is the runtime's, in the runtime's order:
 *   1. the address converts: null or undefined is refused; an object (a function too) is read as
 *      a SocketAddress, `hostname` as a string then `port` as a 16-bit unsigned integer;
 *      anything else becomes a string;
 *   2. the options convert: undefined is none, null is refused, another primitive is not a
 *      SocketOptions; `secureTransport` is read as a string, then `allowHalfOpen` as a boolean,
 *      then `highWaterMark` as an unsigned 64-bit integer;
 *   3. a string address is parsed as the host and port of a URL whose scheme the parser does not
 *      know (so "[::1]:443" works and no port is implied): one that does not parse, or has no
 *      host, or no port, is refused with words of its own;
 *   4. the address as text (the string as given, or "hostname:port") must be 1 to 255 letters,
 *      digits and "-._[]:";
 *   5. `secureTransport` must be "off", "on" or "starttls".
 */
import { missingDictionary, notOfType, type Site, toIdlString, toUnsigned64, toUnsignedInteger } from "../../util/webidl.js";
import type { SecureTransport } from "./socket.js";

export interface ConnectRequest {
  /** The address as the runtime reports it (a Socket's remoteAddress): the string given, or "hostname:port". */
  readonly address: string;
  /** The host to reach, an IPv6 literal without its brackets. */
  readonly hostname: string;
  readonly port: number;
  readonly secureTransport: SecureTransport;
  readonly allowHalfOpen: boolean;
}

/** `address` and `options` of a connect() call made on `at`, checked and converted as the runtime does. */
export function connectArguments(at: Site, address: unknown, options: unknown): ConnectRequest {
  const target = addressOf(address);
  const { secureTransport, allowHalfOpen } = optionsOf(at, options);
  // The runtime connects to the address text either way, so an object's "[::1]" reaches ::1 as
  // the string "[::1]:443" does.
  const { text, hostname, port } =
    typeof target === "string" ? parsed(target) : { text: `${target.hostname}:${target.port}`, hostname: unbracketed(target.hostname), port: target.port };
  if (!/^[A-Za-z0-9\-._[\]:]{1,255}$/.test(text)) {
    throw new TypeError("Specified address is empty string, contains unsupported characters or is too long.");
  }
  return { address: text, hostname, port, secureTransport: secureTransportOf(secureTransport), allowHalfOpen };
}

function addressOf(address: unknown): string | { hostname: string; port: number } {
  if (address === undefined || address === null) throw missingDictionary("SocketAddress");
  if (typeof address !== "object" && typeof address !== "function") return toIdlString(address);
  const hostname = toIdlString((address as { hostname?: unknown }).hostname);
  return { hostname, port: toUnsignedInteger((address as { port?: unknown }).port, 65535) };
}

function optionsOf(at: Site, options: unknown): { secureTransport: string | undefined; allowHalfOpen: boolean } {
  if (options === undefined) return { secureTransport: undefined, allowHalfOpen: false };
  if (options === null) throw missingDictionary("SocketOptions");
  if (typeof options !== "object" && typeof options !== "function") throw notOfType(at, 2, "SocketOptions");
  const { secureTransport, allowHalfOpen } = options as { secureTransport?: unknown; allowHalfOpen?: unknown };
  const converted = { secureTransport: secureTransport === undefined ? undefined : toIdlString(secureTransport), allowHalfOpen: Boolean(allowHalfOpen) };
  // Converted only to be refused as the runtime refuses it: no carrier here buffers writes.
  const highWaterMark = (options as { highWaterMark?: unknown }).highWaterMark;
  if (highWaterMark !== undefined) toUnsigned64(highWaterMark);
  return converted;
}

/** A string address read as a URL's host and port, as the runtime reads it. */
function parsed(text: string): { text: string; hostname: string; port: number } {
  let url: URL;
  try {
    url = new URL(`fake://${text}`);
  } catch {
    throw new TypeError("Specified address could not be parsed.");
  }
  if (url.hostname === "") throw new TypeError("Specified address is missing hostname.");
  if (url.port === "") throw new TypeError("Specified address is missing port.");
  return { text, hostname: unbracketed(url.hostname), port: Number(url.port) };
}

/** The host to reach: an IPv6 literal without the brackets that set it apart from the port. */
function unbracketed(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

function secureTransportOf(value: string | undefined): SecureTransport {
  if (value === undefined || value === "off" || value === "on" || value === "starttls") return value ?? "off";
  throw new TypeError(`Unsupported value in secureTransport socket option: ${value}`);
}
