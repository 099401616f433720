import { answerDataUrl, isDataUrl } from "../data-url.js";
import { toRequest } from "../http-request.js";
import type { FetchTarget } from "../rpc/stub.js";
import { callerError } from "../rpc/tunnel.js";
import { withCallerFrames } from "../stacks.js";
import { codeFeatures } from "../code-context.js";
import type { CodeFeatures } from "../code-features.js";

/**
 * A service binding to a function (Miniflare's `serviceBindings: { NAME: (request) => response }`):
 * `fetch()` calls it with the request; it has no RPC methods. The function is test code: what
 * it throws is written as the main Worker's code writes it (`senderFeatures`).
 */
export class FunctionServiceTarget implements FetchTarget {
  constructor(
    private readonly binding: string,
    private readonly handler: (request: Request) => Response | Promise<Response>,
    private readonly senderFeatures: CodeFeatures,
  ) {}

  async fetch(input: unknown, init?: RequestInit): Promise<unknown> {
    const receiverFeatures = codeFeatures();
    const request = toRequest(input, init);
    if (isDataUrl(request.url)) return answerDataUrl(request.url, request.method);
    try {
      const response = await this.handler(request);
      if (!(response instanceof Response)) throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
      return response;
    } catch (error) {
      throw withCallerFrames(callerError(error, { kind: "fetch", senderFeatures: this.senderFeatures, receiverFeatures }), error);
    }
  }

  call(path: readonly string[]): Promise<unknown> {
    return Promise.reject(
      new TypeError(`durasim: service binding "${this.binding}" is a function, which answers fetch() only; "${path.join(".")}" is RPC. Bind a Worker to call its methods.`),
    );
  }
}
