import { lowerAscii } from "./ascii-case.js";

/**
 * A MIME type as the WHATWG MIME Sniffing standard parses and serializes it (what the Fetch
 * standard's data: URL processor, and so the runtime's and Node's fetch, give as a data URL's
 * Content-Type): type and subtype lower-cased, the first of each parameter kept, a parameter
 * that is no token or whose value holds what a quoted string cannot dropped, and values quoted
 * only where they must be. Undefined where `text` is not a MIME type.
 */
export function normalizedMimeType(text: string): string | undefined {
  const parsed = parseMimeType(text);
  if (parsed === undefined) return undefined;
  let serialized = parsed.essence;
  for (const [name, value] of parsed.parameters) {
    serialized += `;${name}=${value !== "" && TOKEN.test(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`}`;
  }
  return serialized;
}

/** A parsed MIME type: `type/subtype` lower-cased, and its parameters (names lower-cased). */
export interface MimeType {
  essence: string;
  parameters: Map<string, string>;
}

/** `text` parsed as the MIME Sniffing standard parses a MIME type (see normalizedMimeType), or undefined. */
export function parseMimeType(text: string): MimeType | undefined {
  const input = text.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  const slash = input.indexOf("/");
  if (slash === -1) return undefined;
  const type = input.slice(0, slash);
  let at = input.indexOf(";", slash);
  if (at === -1) at = input.length;
  const subtype = input.slice(slash + 1, at).replace(/[\t\n\r ]+$/, "");
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  const parameters = new Map<string, string>();
  while (at < input.length) {
    at++; // the ";"
    while (at < input.length && WHITESPACE.test(input[at]!)) at++;
    const nameEnd = endOf(input, at, /[;=]/);
    const name = lowerAscii(input.slice(at, nameEnd));
    at = nameEnd;
    if (at >= input.length) break;
    if (input[at] === ";") continue;
    at++; // the "="
    if (at >= input.length) break;
    let value: string;
    if (input[at] === '"') {
      [value, at] = quotedString(input, at);
      at = endOf(input, at, /;/);
    } else {
      const valueEnd = endOf(input, at, /;/);
      value = input.slice(at, valueEnd).replace(/[\t\n\r ]+$/, "");
      at = valueEnd;
      if (value === "") continue;
    }
    if (name !== "" && TOKEN.test(name) && QUOTABLE.test(value) && !parameters.has(name)) parameters.set(name, value);
  }
  return { essence: `${lowerAscii(type)}/${lowerAscii(subtype)}`, parameters };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const QUOTABLE = /^[\t\x20-\x7e\x80-\xff]*$/;
const WHITESPACE = /[\t\n\r ]/;

/** Where the first character matching `stop` at or after `from` is (the end if none). */
function endOf(input: string, from: number, stop: RegExp): number {
  let at = from;
  while (at < input.length && !stop.test(input[at]!)) at++;
  return at;
}

/** The HTTP quoted string starting at `from` (a `"`): its value, and where it ends. */
function quotedString(input: string, from: number): [string, number] {
  let value = "";
  let at = from + 1;
  while (at < input.length) {
    const char = input[at++]!;
    if (char === '"') break;
    if (char !== "\\") value += char;
    else if (at < input.length) value += input[at++];
    else value += "\\";
  }
  return [value, at];
}
