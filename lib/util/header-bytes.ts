import { Buffer } from "node:buffer";
import { TextDecoder } from "node:util";
import { lowerAscii } from "./ascii-case.js";
import { wtf8 } from "./utf8.js";

/**
 * Header values as the runtime keeps them. Its Headers take any text and hold a value as its
 * UTF-8 bytes (a lone surrogate as its three WTF-8 bytes); those bytes are what a fetch(), RPC
 * and storage carry, and code reads a value back as them decoded as UTF-8, a byte that fits no
 * sequence read as U+FFFD. Node's Headers hold byte strings instead (one character per byte, none
 * past U+00FF, refusing anything else). So for Worker and object code a value goes into Node's
 * Headers as its bytes (headerBytes) and comes out decoded (headerText).
 *
 * Invariant: what Node's Headers hold is always the bytes the runtime would hold; only the
 * reading differs by who reads (test code keeps Node's Latin-1 reading of the same bytes). Code
 * of durasim's own that copies headers uses the raw accessors here, which read and write those
 * bytes whoever runs.
 */

/** Text that is all ASCII: its bytes are its characters (the common case, kept cheap). */
const ASCII = /^[\x00-\x7f]*$/;

// A leading BOM is part of the value: the runtime keeps it (and TextDecoder would drop it).
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** `text` as the runtime stores it: its UTF-8 (WTF-8) bytes, one character per byte. */
export function headerBytes(text: string): string {
  return ASCII.test(text) ? text : wtf8(text).toString("latin1");
}

/** Stored bytes (one character per byte) as the runtime reads them back: decoded as UTF-8. */
export function headerText(bytes: string): string {
  return ASCII.test(bytes) ? bytes : UTF8.decode(Buffer.from(bytes, "latin1"));
}

/** Node's own Headers methods, before durasim words them (shared by every copy of durasim
 * loaded in the process: the first to load sees them unwrapped). */
interface RawHeaders {
  entries: (this: Headers) => IterableIterator<[string, string]>;
  getSetCookie: (this: Headers) => string[];
  append: (this: Headers, name: string, value: string) => void;
  set: (this: Headers, name: string, value: string) => void;
  get: (this: Headers, name: string) => string | null;
  delete: (this: Headers, name: string) => void;
}

const RAW_KEY = Symbol.for("durasim.rawHeaders");
const global = globalThis as unknown as Record<symbol, RawHeaders | undefined>;
const RAW: RawHeaders = (global[RAW_KEY] ??= {
  entries: Headers.prototype.entries,
  getSetCookie: Headers.prototype.getSetCookie,
  append: Headers.prototype.append,
  set: Headers.prototype.set,
  get: Headers.prototype.get,
  delete: Headers.prototype.delete,
});

/** `headers`' entries as Node holds them (bytes), in Node's order (set-cookie each apart). */
export function rawEntries(headers: Headers): IterableIterator<[string, string]> {
  return Reflect.apply(RAW.entries, headers, []);
}

/** `headers`' Set-Cookie values as Node holds them (bytes). */
export function rawSetCookies(headers: Headers): string[] {
  return Reflect.apply(RAW.getSetCookie, headers, []);
}

/** Appends a value already in bytes, past durasim's words and guard (for copies it makes). */
export function rawAppend(headers: Headers, name: string, bytes: string): void {
  Reflect.apply(RAW.append, headers, [name, bytes]);
}

/** Sets a value already in bytes, past durasim's words and guard (its callers check the guard). */
export function rawSet(headers: Headers, name: string, bytes: string): void {
  Reflect.apply(RAW.set, headers, [name, bytes]);
}

/** Deletes a header, past durasim's words and guard (its callers check the guard). */
export function rawDelete(headers: Headers, name: string): void {
  Reflect.apply(RAW.delete, headers, [name]);
}

/** Headers holding `pairs` as they are: bytes (from the wire, another process), not text to encode again. */
export function headersOfBytes(pairs: Iterable<[string, string]>): Headers {
  const headers = new Headers();
  for (const [name, bytes] of pairs) rawAppend(headers, name, bytes);
  return headers;
}

/** `headers`' value for `name` as Node holds it (bytes), or null. */
export function rawGet(headers: Headers, name: string): string | null {
  return Reflect.apply(RAW.get, headers, [name]);
}

/**
 * Whether `headers`' value for `name` is `word` (given in lower case) in any ASCII case, as the
 * runtime compares one (an Upgrade's "websocket"): its bytes, so no other letter folds into an
 * ASCII one (the Kelvin sign is no "k"), and no space but what Headers trim is ignored.
 */
export function headerValueIs(headers: Headers, name: string, word: string): boolean {
  const value = rawGet(headers, name);
  return value !== null && lowerAscii(value) === word;
}
