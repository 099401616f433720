/**
 * A fetch() of a `data:` URL, answered where it is made. The runtime's fetch looks at the
 * scheme before it looks at where a request would go, so a global fetch(), a Durable Object
 * stub's and a service binding's all answer one alike, without the network, the object or the
 * Worker: 200 "OK" with the URL's media type and, for a GET, its decoded data; any other method
 * gets the same headers and an empty body; the Response's `url` is empty; the request's signal
 * is not looked at, even aborted. A data URL that does not parse (no comma) is refused as the
 * runtime refuses a scheme it cannot load.
 */
import { upperAscii } from "../util/ascii-case.js";
import { bindBodyHere } from "./body-contexts.js";
import { readsOneAtATime } from "./single-reads.js";

/**
 * Node's fetch, which decodes data URLs as the Fetch standard says (the runtime follows it too),
 * taken as durasim loads: the global is later the gated one of host-apis.ts, or a test's mock.
 */
const nodeFetch = globalThis.fetch;

export function isDataUrl(url: string): boolean {
  return /^data:/i.test(url);
}

/** The Response to a `method` request for the data URL `url` (serialised). */
export async function answerDataUrl(url: string, method: string): Promise<Response> {
  const decoded = (await decode(url)) ?? (await decode(withoutData(url)));
  if (decoded === undefined) throw new TypeError(`Fetch API cannot load: ${url}`);
  // Made anew, not Node's own: the runtime's is of type "default" (Node's is "basic") and has
  // an empty `url`.
  const body = upperAscii(method) === "GET" ? decoded.body : null;
  if (body === null) await decoded.body?.cancel();
  return receivedHere(new Response(body, { status: 200, statusText: "OK", headers: decoded.headers }));
}

/** Node's Response for a data URL, or undefined where Node refuses it. */
async function decode(url: string): Promise<Response | undefined> {
  try {
    return await nodeFetch(url);
  } catch {
    return undefined;
  }
}

/**
 * The data URL `url` with no data: where its base64 data does not decode, the runtime still
 * answers, with its media type and an empty body, while Node refuses it. One with no comma
 * (before its fragment) stays refused.
 */
function withoutData(url: string): string {
  const hash = url.indexOf("#");
  const comma = url.indexOf(",");
  return comma === -1 || (hash !== -1 && hash < comma) ? url : url.slice(0, comma + 1);
}

/** A Response as the code that fetched it receives it: its body is that code's context's (body-contexts.ts), read one read at a time. */
export function receivedHere(response: Response): Response {
  bindBodyHere(response);
  readsOneAtATime(response.body);
  return response;
}
