import { arrangeMembers } from "../../util/webidl.js";
import { constructOnly } from "../../util/construct-only.js";

/**
 * `new WebSocketRequestResponsePair(request, response)`: the auto-response rule of
 * `ctx.setWebSocketAutoResponse()`. Both arguments are required and converted to strings;
 * the two values are read-only.
 */
class WebSocketRequestResponsePairClass {
  readonly #request: string;
  readonly #response: string;

  constructor(request: unknown, response: unknown) {
    this.#request = stringParameter(request, 1);
    this.#response = stringParameter(response, 2);
  }

  get request(): string {
    return this.#request;
  }

  set request(_value: unknown) {
    throw readOnly("request");
  }

  get response(): string {
    return this.#response;
  }

  set response(_value: unknown) {
    throw readOnly("response");
  }
}
Object.defineProperty(WebSocketRequestResponsePairClass.prototype, Symbol.toStringTag, {
  value: "WebSocketRequestResponsePair",
  writable: true,
  configurable: true,
});
Object.defineProperty(WebSocketRequestResponsePairClass, "name", { value: "WebSocketRequestResponsePair" });
Object.defineProperty(WebSocketRequestResponsePairClass, "length", { value: 0 });
// The runtime's are enumerable getters; the setters here only give its strict-mode message for
// an assignment (a getter alone would give V8's "which has only a getter").
for (const name of ["request", "response"]) Object.defineProperty(WebSocketRequestResponsePairClass.prototype, name, { enumerable: true });
arrangeMembers(WebSocketRequestResponsePairClass.prototype);

function stringParameter(value: unknown, position: number): string {
  if (value === undefined) {
    throw new TypeError(`Failed to construct 'WebSocketRequestResponsePair': constructor parameter ${position} is not of type 'string'.`);
  }
  return String(value);
}

function readOnly(property: string): TypeError {
  return new TypeError(`Cannot assign to read only property '${property}' of object '#<WebSocketRequestResponsePair>'`);
}

export const WebSocketRequestResponsePair = constructOnly(WebSocketRequestResponsePairClass, "WebSocketRequestResponsePair");
export type WebSocketRequestResponsePair = WebSocketRequestResponsePairClass;
