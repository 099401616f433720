import { defineMissing, describeValue, type Realm } from "./define.js";

/**
 * Uint8Array's base64 and hex methods (ES2026: `Uint8Array.fromBase64`, `fromHex`, and
 * `toBase64`, `toHex`, `setFromBase64`, `setFromHex` on its prototype), which the runtime's V8 has
 * and Node 24 lacks. Libraries take them when they are there (jose decodes keys and tokens with
 * `Uint8Array.fromBase64`), so their refusals read as V8's: its words below, which differ from
 * the specification's bare SyntaxError by the kind of fault (checked against workerd by
 * conformance "uint8array base64: ...").
 */

const INVALID = "Found a character that cannot be part of a valid base64 string.";
const PARTIAL = "The base64 input terminates with a single character, excluding padding (=).";
const EXTRA_BITS = "The base64 input terminates with non-zero padding bits.";
const ODD_HEX = "Input string must contain hex characters in even length";
const NOT_STRING = "input argument must be a string";

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ASCII_WHITESPACE = new Set(["\t", "\n", "\f", "\r", " "]);

type Alphabet = "base64" | "base64url";
type LastChunkHandling = "loose" | "strict" | "stop-before-partial";

/** What decoding got to: the input read, the bytes decoded, and V8's words for a fault, if any. */
interface Decoded {
  read: number;
  bytes: number[];
  fault?: string;
}

export function installUint8ArrayBase64(realm: Realm): void {
  const Uint8 = realm.Uint8Array;
  const refuse = (message: string) => new realm.TypeError(message);
  const syntax = (message: string) => new realm.SyntaxError(message);

  /** `this` as a Uint8Array whose bytes can be read, refused in V8's words for `method`. */
  const receiver = (value: unknown, method: string, kind: "read" | "write"): Uint8Array => {
    const tag = typedArrayTag(value);
    if (tag === undefined && kind === "write") throw refuse("this is not a typed array.");
    if (tag !== "Uint8Array") throw refuse(`Method Uint8Array.prototype.${method} called on incompatible receiver ${describeReceiver(value)}`);
    return value as Uint8Array;
  };
  const usable = (array: Uint8Array, method: string): Uint8Array => {
    if (isDetached(array.buffer)) throw refuse(`Cannot perform Uint8Array.prototype.${method} on a detached or out-of-bounds ArrayBuffer`);
    return array;
  };
  const text = (value: unknown): string => {
    if (typeof value !== "string") throw refuse(NOT_STRING);
    return value;
  };
  const optionsObject = (options: unknown): object => {
    if (options === undefined) return Object.create(null) as object;
    if ((typeof options !== "object" || options === null) && typeof options !== "function") throw refuse("invalid_argument");
    return options as object;
  };
  const choice = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T => {
    if (value === undefined) return fallback;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    throw refuse(`invalid option ${(typeof value === "object" && value !== null) || typeof value === "function" ? Object.prototype.toString.call(value) : String(value)}`);
  };
  /** The decoding options, read in the specification's order. */
  const decodeOptions = (options: unknown): [Alphabet, LastChunkHandling] => {
    const opts = optionsObject(options) as { alphabet?: unknown; lastChunkHandling?: unknown };
    const alphabet = choice<Alphabet>(opts.alphabet, ["base64", "base64url"], "base64");
    return [alphabet, choice<LastChunkHandling>(opts.lastChunkHandling, ["loose", "strict", "stop-before-partial"], "loose")];
  };

  defineMissing(Uint8, {
    fromBase64(string: unknown, options: unknown = undefined) {
      const input = text(string);
      const decoded = fromBase64(input, ...decodeOptions(options), Infinity);
      if (decoded.fault !== undefined) throw syntax(decoded.fault);
      return new Uint8(decoded.bytes);
    },
    fromHex(string: unknown) {
      const decoded = fromHex(text(string), Infinity);
      if (decoded.fault !== undefined) throw syntax(decoded.fault);
      return new Uint8(decoded.bytes);
    },
  });
  defineMissing(Uint8.prototype, {
    toBase64(this: unknown, options: unknown = undefined) {
      const array = receiver(this, "toBase64", "read");
      const opts = optionsObject(options) as { alphabet?: unknown; omitPadding?: unknown };
      const alphabet = choice<Alphabet>(opts.alphabet, ["base64", "base64url"], "base64");
      const omitPadding = Boolean(opts.omitPadding);
      return toBase64(usable(array, "toBase64"), alphabet === "base64" ? BASE64 : BASE64URL, omitPadding);
    },
    toHex(this: unknown) {
      const array = usable(receiver(this, "toHex", "read"), "toHex");
      let out = "";
      for (let i = 0; i < array.length; i++) out += array[i]!.toString(16).padStart(2, "0");
      return out;
    },
    setFromBase64(this: unknown, string: unknown, options: unknown = undefined) {
      const into = receiver(this, "setFromBase64", "write");
      const input = text(string);
      const [alphabet, lastChunkHandling] = decodeOptions(options);
      return written(usable(into, "setFromBase64"), fromBase64(input, alphabet, lastChunkHandling, into.length));
    },
    setFromHex(this: unknown, string: unknown) {
      const into = receiver(this, "setFromHex", "write");
      const input = text(string);
      return written(usable(into, "setFromHex"), fromHex(input, into.length));
    },
  });

  /** The decoded bytes written into `into`, then the fault thrown (the bytes before it stay written), else `{ read, written }`. */
  function written(into: Uint8Array, decoded: Decoded): { read: number; written: number } {
    into.set(decoded.bytes);
    if (decoded.fault !== undefined) throw syntax(decoded.fault);
    // An object of the method's realm (a Jest test file's, say), as the language makes it.
    return Object.assign(new realm.Object(), { read: decoded.read, written: decoded.bytes.length }) as { read: number; written: number };
  }
}

/** The specification's FromBase64, at most `maxLength` bytes, its faults in V8's words. */
function fromBase64(input: string, alphabet: Alphabet, lastChunkHandling: LastChunkHandling, maxLength: number): Decoded {
  const bytes: number[] = [];
  if (maxLength === 0) return { read: 0, bytes };
  let read = 0;
  let chunk = "";
  let index = 0;
  for (;;) {
    index = skipWhitespace(input, index);
    if (index === input.length) {
      if (chunk.length > 0) {
        if (lastChunkHandling === "stop-before-partial") return { read, bytes };
        if (lastChunkHandling === "strict" || chunk.length === 1) return { read, bytes, fault: PARTIAL };
        bytes.push(...decodeChunk(chunk, false)!);
      }
      return { read: input.length, bytes };
    }
    let char = input[index]!;
    index++;
    if (char === "=") {
      if (chunk.length < 2) return { read, bytes, fault: INVALID };
      index = skipWhitespace(input, index);
      if (chunk.length === 2) {
        if (index === input.length) {
          if (lastChunkHandling === "stop-before-partial") return { read, bytes };
          return { read, bytes, fault: lastChunkHandling === "strict" ? PARTIAL : INVALID };
        }
        if (input[index] === "=") index = skipWhitespace(input, index + 1);
      }
      if (index < input.length) return { read, bytes, fault: INVALID };
      const last = decodeChunk(chunk, lastChunkHandling === "strict");
      if (last === undefined) return { read, bytes, fault: EXTRA_BITS };
      bytes.push(...last);
      return { read: input.length, bytes };
    }
    if (alphabet === "base64url") {
      if (char === "+" || char === "/") return { read, bytes, fault: INVALID };
      if (char === "-") char = "+";
      else if (char === "_") char = "/";
    }
    if (!BASE64.includes(char)) return { read, bytes, fault: INVALID };
    const remaining = maxLength - bytes.length;
    if ((remaining === 1 && chunk.length === 2) || (remaining === 2 && chunk.length === 3)) return { read, bytes };
    chunk += char;
    if (chunk.length === 4) {
      bytes.push(...decodeChunk(chunk, false)!);
      chunk = "";
      read = index;
      if (bytes.length === maxLength) return { read, bytes };
    }
  }
}

/** A chunk of two to four characters as its bytes; undefined where `strict` finds bits set past the last byte. */
function decodeChunk(chunk: string, strict: boolean): number[] | undefined {
  const padded = chunk.padEnd(4, "A");
  let bits = 0;
  for (const char of padded) bits = (bits << 6) | BASE64.indexOf(char);
  const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff];
  const kept = chunk.length - 1;
  if (strict && bytes[kept] !== 0) return undefined;
  return bytes.slice(0, kept);
}

function skipWhitespace(input: string, index: number): number {
  while (index < input.length && ASCII_WHITESPACE.has(input[index]!)) index++;
  return index;
}

/** The specification's FromHex, at most `maxLength` bytes; V8 words every fault alike. */
function fromHex(input: string, maxLength: number): Decoded {
  const bytes: number[] = [];
  if (input.length % 2 !== 0) return { read: 0, bytes, fault: ODD_HEX };
  let read = 0;
  while (read < input.length && bytes.length < maxLength) {
    const pair = input.slice(read, read + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) return { read, bytes, fault: ODD_HEX };
    read += 2;
    bytes.push(parseInt(pair, 16));
  }
  return { read, bytes };
}

function toBase64(array: Uint8Array, alphabet: string, omitPadding: boolean): string {
  let out = "";
  for (let i = 0; i < array.length; i += 3) {
    const count = Math.min(3, array.length - i);
    const bits = (array[i]! << 16) | ((array[i + 1] ?? 0) << 8) | (array[i + 2] ?? 0);
    for (let j = 0; j < 4; j++) {
      if (j <= count) out += alphabet[(bits >> (18 - 6 * j)) & 63];
      else if (!omitPadding) out += "=";
    }
  }
  return out;
}

/** A typed array's kind ("Uint8Array") by the %TypedArray% tag getter, of any realm; undefined for anything else. */
const typedArrayTagGetter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)!.get!;
function typedArrayTag(value: unknown): string | undefined {
  return Reflect.apply(typedArrayTagGetter, value, []) as string | undefined;
}

/** Whether the buffer is detached: a view of it can no longer be made. */
function isDetached(buffer: ArrayBufferLike): boolean {
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/** A receiver as V8 names it in "called on incompatible receiver ...": arrays and typed arrays by their tag, functions by their text. */
function describeReceiver(value: unknown): string {
  if (typeof value === "function") return Function.prototype.toString.call(value);
  if (typeof value !== "object" || value === null) return String(value);
  if (Array.isArray(value) || typedArrayTag(value) !== undefined || Object.getPrototypeOf(value) === null) return Object.prototype.toString.call(value);
  return describeValue(value);
}
