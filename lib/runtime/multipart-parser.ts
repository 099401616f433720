/**
 * A multipart/form-data body read as the runtime's `formData()` reads it, for Worker and object
 * code: what it takes, what it makes of it, and its refusals in its words, where Node's parser
 * refuses everything with "Failed to parse body as FormData." and reads some bodies otherwise.
 * The runtime's parser is lenient in its own ways, which this follows:
 * - parts are delimited by "--boundary" at the start and "\n--boundary" after (a CR before it is
 *   dropped from the part), anything before the first boundary is skipped, and a boundary is
 *   followed by a line break (LF or CRLF) or "--", which ends the body;
 * - a part's headers end at the first blank line (LF or CRLF line breaks); its Content-Disposition
 *   must be `form-data` (exactly) followed by `; key="value"` parameters; parameters are read up
 *   to the first that is not quoted or is empty, so `name=a` (unquoted) names nothing and
 *   `filename=""` gives no file name (the part is a string);
 * - names and escapes are kept as written (`%22` stays `%22`; `\x` reads `x`);
 * - a part with a file name is a File of the part's bytes and Content-Type, any other a string.
 */

import { Buffer } from "node:buffer";

/** The entries of a multipart body whose Content-Type has `boundary`, or the runtime's TypeError. */
export function parseMultipart(body: Uint8Array, boundary: string | undefined): FormData {
  if (boundary === undefined) throw new TypeError(NO_BOUNDARY);
  // A byte per character, so that offsets are byte offsets and file bytes come back as they were.
  let rest = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("latin1");
  const delimiter = `\n--${latin1(boundary)}`;
  // The first boundary needs no line break before it.
  [, rest] = splitAt(rest, delimiter.slice(1));
  if (rest === "") throw new TypeError("No initial boundary string (or you have a truncated message).");
  const form = new FormData();
  for (;;) {
    if (rest.startsWith("\n")) rest = rest.slice(1);
    else if (rest.startsWith("\r\n")) rest = rest.slice(2);
    else if (rest.startsWith("--")) return form;
    else throw new TypeError("Boundary string was not succeeded by CRLF, LF, or '--'.");
    const end = HEADERS_END.exec(rest);
    if (end === null) throw new TypeError("No multipart message header termination found.");
    const headers = partHeaders(rest.slice(0, end.index));
    rest = rest.slice(end.index + end[0].length);
    const { name, filename } = disposition(headers.get("content-disposition"));
    let message: string;
    [message, rest] = splitAt(rest, delimiter);
    if (rest === "") throw new TypeError("No subsequent boundary string after multipart message.");
    if (message.endsWith("\r")) message = message.slice(0, -1);
    if (filename === undefined) form.append(name, utf8(message));
    else form.append(name, new File([Buffer.from(message, "latin1")], filename, { type: utf8(headers.get("content-type") ?? "") }));
  }
}

const NO_BOUNDARY =
  "No boundary string in Content-Type header. The multipart/form-data MIME type requires a boundary parameter, e.g. 'Content-Type: multipart/form-data; boundary=\"abcd\"'. See RFC 7578, section 4.";

/** Where a part's headers end: the first blank line. */
const HEADERS_END = /\r?\n\r?\n/;

/** A header line: a token, a colon, the value (its edge whitespace not part of it). */
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;

/** A part's headers by lower-cased name (the first of each), or the runtime's refusal. */
function partHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = HEADER_LINE.exec(line);
    if (match === null) throw new TypeError("FormData part had invalid headers.");
    const name = match[1]!.toLowerCase();
    if (!headers.has(name)) headers.set(name, match[2]!);
  }
  return headers;
}

/** The runtime's Content-Disposition grammar: an identifier, then `; key="value"` parameters. */
const IDENTIFIER = /^[ \t]*([A-Za-z0-9_-]+)[ \t]*/;
const PARAMETER = /^;[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*"((?:[^"\n\\]|\\[^\n])+)"[ \t]*/;

/** The part's name and file name, or the runtime's refusal. */
function disposition(value: string | undefined): { name: string; filename: string | undefined } {
  if (value === undefined) throw new TypeError("No valid Content-Disposition header found in FormData part.");
  const identifier = IDENTIFIER.exec(value);
  if (identifier === null) throw new TypeError("Invalid Content-Disposition header found in FormData part.");
  if (identifier[1] !== "form-data") {
    throw new TypeError(`Content-Disposition header for FormData part must have the value "form-data", possibly followed by parameters. Got: "${identifier[1]}"`);
  }
  let name: string | undefined;
  let filename: string | undefined;
  let rest = value.slice(identifier[0].length);
  // Parameters are read while they parse; the first that does not ends them, unread.
  for (let parameter = PARAMETER.exec(rest); parameter !== null; parameter = PARAMETER.exec(rest)) {
    const text = utf8(parameter[2]!.replace(/\\(.)/g, "$1"));
    if (parameter[1] === "name") name = text;
    else if (parameter[1] === "filename") filename = text;
    rest = rest.slice(parameter[0].length);
  }
  if (name === undefined) throw new TypeError("Content-Disposition header in FormData part is missing a name.");
  return { name, filename };
}

/** `text`'s part before `separator` and the part after it ("" where it does not occur). */
function splitAt(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ""] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** Bytes held a byte per character, decoded as UTF-8. */
function utf8(bytes: string): string {
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** A string's UTF-8 bytes, a byte per character (to search the body for it). */
function latin1(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}
