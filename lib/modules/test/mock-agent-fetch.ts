/**
 * fetch() answered through an undici MockAgent the way Cloudflare's integration answered it
 * (its `fetchMock`, before 0.13), not the way Node's fetch would with the agent as dispatcher:
 * - the request is offered to the agent as Cloudflare's fetch offered it: its body buffered and
 *   decoded as text (so a body given as bytes, a stream or a Request matches a string), its
 *   path without the query, which goes as `query`, and only its own headers, lowercased;
 * - a mocked reply is the response as it is: a 3xx is not followed, its body is not decoded,
 *   a `replyWithError(error)` rejects with that very error, and a reply the runtime's Response
 *   refuses (a 101, a 204 with a body) rejects in the runtime's words;
 * - a request no interceptor matches is refused with undici's MockNotMatchedError or, where
 *   net connect allows its host, sent on to the network by fetch() itself (redirects followed);
 * - a deactivated agent, or an upgrade request, leaves fetch() alone.
 * Node's fetch cannot do the first two: it adds its own headers and follows redirects.
 */
import { Buffer } from "node:buffer";
import { checkResponse } from "../../runtime/init-conversion.js";
import { runtimeMethod } from "../../runtime/method-stand-ins.js";
import { hasNullBody } from "../../runtime/websockets/response.js";

/** The members of undici's MockAgent used here. */
export interface MockAgent {
  readonly isMockActive: boolean;
  enableNetConnect(matcher?: unknown): void;
  disableNetConnect(): void;
  dispatch(options: object, handler: object): boolean;
}

type NetConnectMatcher = string | RegExp | ((host: string) => boolean);

/** What undici's `kNetConnect` holds: every host (true), none (false) or the matching ones. */
type NetConnect = boolean | NetConnectMatcher[];

const NOT_MATCHED = "UND_MOCK_ERR_MOCK_NOT_MATCHED";
const DECODER = new TextDecoder();

/**
 * An agent and its net connect setting. The agent keeps the setting in a private symbol, and
 * fetch() needs it: the agent is asked with net connect disabled (so that a request it does not
 * match fails at once instead of going out through undici's own client), and the setting decides
 * what happens to that request. So `enableNetConnect` and `disableNetConnect` go through here.
 */
export class MockedNetwork {
  #netConnect: NetConnect = true;

  constructor(readonly agent: MockAgent) {}

  enableNetConnect(matcher?: unknown): void {
    this.agent.enableNetConnect(matcher);
    if (matcher === undefined) this.#netConnect = true;
    else this.#netConnect = [...(Array.isArray(this.#netConnect) ? this.#netConnect : []), matcher as NetConnectMatcher];
  }

  disableNetConnect(): void {
    this.agent.disableNetConnect();
    this.#netConnect = false;
  }

  /** The response to `fetch(input, init)`, or undefined when the agent leaves it to fetch(). */
  answer(input: unknown, init: unknown, network: (input: unknown, init: unknown) => Promise<unknown>): Promise<unknown> | undefined {
    if (!this.agent.isMockActive) return undefined;
    let request: Request;
    try {
      request = new Request(input as Request | string, init as RequestInit | undefined);
    } catch {
      return undefined; // fetch() refuses it in its own words
    }
    // Upgrades are not mocked (a WebSocket cannot be a mocked reply): Cloudflare's fetch sent them on too.
    if (request.headers.get("Upgrade") !== null) return undefined;
    return this.#answer(request, network);
  }

  async #answer(request: Request, network: (input: unknown, init: unknown) => Promise<unknown>): Promise<unknown> {
    const url = new URL(request.url);
    const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
    const options = {
      origin: url.origin,
      path: url.pathname,
      method: runtimeMethod(request.method),
      body: body === null ? "" : DECODER.decode(body),
      headers: headersOf(request),
      query: Object.fromEntries(url.searchParams),
    };
    const { unmatched, response } = this.#dispatch(options);
    if (unmatched === undefined) return response;
    if (!this.#allows(url.host)) throw this.#refusal(unmatched);
    return network(request, { body });
  }

  /** Offers the request to the agent with net connect disabled; a request it matches nothing for comes back as `unmatched`. */
  #dispatch(options: object): { unmatched?: Error; response: Promise<Response> } {
    const reply = new MockedReply();
    let unmatched: Error | undefined;
    let dispatching = true;
    const handler = reply.handler((error) => {
      if (!dispatching || (error as { code?: unknown }).code !== NOT_MATCHED) return false;
      unmatched = error;
      return true;
    });
    this.agent.disableNetConnect();
    try {
      this.agent.dispatch(options, handler);
    } catch (error) {
      // (undici hands a refusal to onError; a version that throws it instead meets the same end.)
      handler.onError(error as Error);
    } finally {
      dispatching = false;
      this.#restoreNetConnect();
    }
    // (An unmatched request's reply never settles: its refusal was claimed, for the caller to decide.)
    return { unmatched, response: reply.response };
  }

  #restoreNetConnect(): void {
    const netConnect = this.#netConnect;
    if (netConnect === true) this.agent.enableNetConnect();
    else for (const matcher of netConnect || []) this.agent.enableNetConnect(matcher);
  }

  /** Whether the setting lets a request to `host` (name and port) go to the network, as undici's checkNetConnect decides. */
  #allows(host: string): boolean {
    const netConnect = this.#netConnect;
    if (typeof netConnect === "boolean") return netConnect;
    return netConnect.some((matcher) =>
      typeof matcher === "string" ? matcher === host : matcher instanceof RegExp ? matcher.test(host) : matcher(host) === true,
    );
  }

  /** undici's refusal in the words it uses for the current setting (the dispatch saw net connect disabled). */
  #refusal(unmatched: Error): Error {
    if (this.#netConnect === false) return unmatched;
    const message = unmatched.message.replace("(net.connect disabled)", "(net.connect is not enabled for this origin)");
    return new (unmatched.constructor as new (message: string) => Error)(message);
  }
}

/** The request's headers as Cloudflare's fetch gave them to the agent: names lowercased, `set-cookie` as a list. */
function headersOf(request: Request): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of request.headers) {
    if (name === "set-cookie") ((headers[name] ??= []) as string[]).push(value);
    else headers[name] = value;
  }
  return headers;
}

/** The response a mocked reply makes, built from undici's handler calls. */
class MockedReply {
  readonly response: Promise<Response>;
  #resolve!: (response: Response) => void;
  #reject!: (error: unknown) => void;

  constructor() {
    this.response = new Promise<Response>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** undici's (legacy) dispatch handler; `claim` takes errors the caller handles itself (true: taken). */
  handler(claim: (error: Error) => boolean) {
    let status = 200;
    let statusText = "";
    let headers: [string, string][] = [];
    const chunks: Uint8Array[] = [];
    return {
      onConnect: () => undefined,
      onBodySent: () => undefined,
      onUpgrade: () => undefined,
      onError: (error: Error): boolean => {
        if (claim(error)) return true;
        this.#reject(error);
        return true;
      },
      onHeaders: (statusCode: number, raw: unknown[] | null, _resume: unknown, text: string) => {
        status = statusCode;
        statusText = text;
        headers = [];
        for (let i = 0; raw !== null && i + 1 < raw.length; i += 2) headers.push([String(raw[i]), String(raw[i + 1])]);
        return true;
      },
      onData: (chunk: Uint8Array) => {
        chunks.push(chunk);
        return true;
      },
      onComplete: () => {
        try {
          const body = Buffer.concat(chunks);
          // Cloudflare's integration built the reply with the runtime's Response, which refuses
          // a status outside 200 to 599 (a mocked 101 too) and a body with a null-body status,
          // but takes an empty body there as none (Node's refuses even that).
          checkResponse({ status, statusText }, body.length > 0, hasNullBody);
          this.#resolve(new Response(hasNullBody(status) ? null : body, { status, statusText, headers }));
        } catch (error) {
          this.#reject(error);
        }
      },
    };
  }
}
