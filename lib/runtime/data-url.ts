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
  let decoded: Response;
  try {
    decoded = await nodeFetch(url);
  } catch {
    throw new TypeError(`Fetch API cannot load: ${url}`);
  }
  let response: Response;
  if (upperAscii(method) === "GET") {
    response = decoded;
    Object.defineProperty(response, "url", { value: "", configurable: true });
  } else {
    await decoded.body?.cancel();
    response = new Response(null, { status: 200, statusText: "OK", headers: decoded.headers });
  }
  return receivedHere(response);
}

/** A Response as the code that fetched it receives it: its body is that code's context's (body-contexts.ts), read one read at a time. */
export function receivedHere(response: Response): Response {
  bindBodyHere(response);
  readsOneAtATime(response.body);
  return response;
}
