/**
 * A fetch() of a `data:` URL, answered where it is made. The runtime's fetch looks at the
 * scheme before it looks at where a request would go, so a global fetch(), a Durable Object
 * stub's and a service binding's all answer one alike, without the network, the object or the
 * Worker: 200 "OK" with the URL's media type and, for a GET, its decoded data; any other method
 * gets the same headers and an empty body; the Response's `url` is empty; the request's signal
 * is not looked at, even aborted. A data URL that does not parse (no comma) is refused as the
 * runtime refuses a scheme it cannot load.
 */
import { Buffer } from "node:buffer";
import { upperAscii } from "../util/ascii-case.js";
import { normalizedMimeType } from "../util/mime-type.js";
import { bindBodyHere } from "./body-contexts.js";
import { readsOneAtATime } from "./single-reads.js";

export function isDataUrl(url: string): boolean {
  // Every fetch() asks: a URL that does not begin with a "d" in either case is answered
  // without the regular expression.
  return (url.charCodeAt(0) | 0x20) === 0x64 && /^data:/i.test(url);
}

/** The Response to a `method` request for the data URL `url` (serialised). */
export async function answerDataUrl(url: string, method: string): Promise<Response> {
  const processed = processDataUrl(url);
  if (processed === undefined) throw new TypeError(`Fetch API cannot load: ${url}`);
  // Made here, not by Node's fetch: the global may be a test's stub (installed before durasim
  // loaded, too), which must not see what the runtime answers itself. The runtime's Response is
  // of type "default" and has an empty `url`.
  const body = upperAscii(method) === "GET" ? processed.body : null;
  return receivedHere(new Response(body, { status: 200, statusText: "OK", headers: { "content-type": processed.type } }));
}

/**
 * The Fetch standard's data: URL processor, which the runtime follows (as Node's fetch does):
 * the URL's media type and its bytes; undefined where it has no comma before its fragment.
 * Base64 data that does not decode gives an empty body, as the runtime answers it (the
 * standard, and Node, refuse it).
 */
function processDataUrl(url: string): { type: string; body: Uint8Array } | undefined {
  const href = new URL(url).href;
  const hash = href.indexOf("#");
  const input = href.slice("data:".length, hash === -1 ? href.length : hash);
  const comma = input.indexOf(",");
  if (comma === -1) return undefined;
  let mimeType = input.slice(0, comma).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "");
  let body = percentDecoded(input.slice(comma + 1));
  const base64 = /;\x20*base64$/i.exec(mimeType);
  if (base64 !== null) {
    mimeType = mimeType.slice(0, base64.index);
    try {
      body = Buffer.from(atob(Buffer.from(body).toString("latin1")), "latin1");
    } catch {
      body = new Uint8Array(0);
    }
  }
  if (mimeType.startsWith(";")) mimeType = `text/plain${mimeType}`;
  return { type: normalizedMimeType(mimeType) ?? "text/plain;charset=US-ASCII", body };
}

/** The bytes of `text` (UTF-8) with each `%` and two hex digits decoded to the byte they name. */
function percentDecoded(text: string): Uint8Array {
  const bytes = Buffer.from(text, "utf8");
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes[i] === 0x25 && i + 2 < bytes.length ? bytes.toString("latin1", i + 1, i + 3) : "";
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out[length++] = parseInt(hex, 16);
      i += 2;
    } else out[length++] = bytes[i]!;
  }
  return out.subarray(0, length);
}

/** A Response as the code that fetched it receives it: its body is that code's context's (body-contexts.ts), read one read at a time. */
export function receivedHere(response: Response): Response {
  bindBodyHere(response);
  readsOneAtATime(response.body);
  return response;
}
