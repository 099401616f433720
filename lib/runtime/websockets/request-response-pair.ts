import { arrangeMembers, checkReceivers, notSerializable, refuseInStorage, tagInterface, toIdlString } from "../../util/webidl.js";
import { constructOnly } from "../../util/construct-only.js";
import { asDecodedFromWtf8 } from "../../util/utf8.js";

/**
 * `new WebSocketRequestResponsePair(request, response)`: the auto-response rule of
 * `ctx.setWebSocketAutoResponse()`. Both arguments are required (an explicit undefined is
 * "undefined") and converted to strings;
 * the two values are read-only. The runtime keeps them as bytes (a lone surrogate as its WTF-8
 * bytes), which a message must equal to be answered, and reads them back as text (three U+FFFD
 * for such a surrogate): the strings are kept as given and read back decoded.
 */
/** The request and response as given (what a message is compared with, what is sent). */
let readGiven: (pair: WebSocketRequestResponsePairClass) => { request: string; response: string };
/** Whether `value` is a pair: its members refuse anything else ("Illegal invocation"). */
let isPair: (value: unknown) => boolean;

class WebSocketRequestResponsePairClass {
  readonly #request: string;
  readonly #response: string;

  constructor(...args: unknown[]) {
    this.#request = stringParameter(args, 1);
    this.#response = stringParameter(args, 2);
  }

  // A static block, not a static method: the public constructor has the class's statics, and
  // the runtime's has none.
  static {
    readGiven = (pair) => ({ request: pair.#request, response: pair.#response });
    isPair = (value) => typeof value === "object" && value !== null && #request in value;
  }

  get request(): string {
    return asDecodedFromWtf8(this.#request);
  }

  set request(_value: unknown) {
    throw readOnly("request");
  }

  get response(): string {
    return asDecodedFromWtf8(this.#response);
  }

  set response(_value: unknown) {
    throw readOnly("response");
  }
}
tagInterface(WebSocketRequestResponsePairClass.prototype, "WebSocketRequestResponsePair");
Object.defineProperty(WebSocketRequestResponsePairClass, "name", { value: "WebSocketRequestResponsePair" });
// An API object like any other: storage (and an attachment) refuses it, where its getters would leave a plain object.
refuseInStorage(WebSocketRequestResponsePairClass.prototype, notSerializable("WebSocketRequestResponsePair"));
Object.defineProperty(WebSocketRequestResponsePairClass, "length", { value: 0 });
// The runtime's are enumerable getters; the setters here only give its strict-mode message for
// an assignment (a getter alone would give V8's "which has only a getter").
checkReceivers(WebSocketRequestResponsePairClass.prototype, isPair, { enumerable: true });
arrangeMembers(WebSocketRequestResponsePairClass.prototype);

/** The argument at `position` (from 1) as a string: one left out is refused, an undefined one given is "undefined", as the runtime converts them. */
function stringParameter(args: readonly unknown[], position: number): string {
  if (args.length < position) {
    throw new TypeError(`Failed to construct 'WebSocketRequestResponsePair': constructor parameter ${position} is not of type 'string'.`);
  }
  return toIdlString(args[position - 1]);
}

function readOnly(property: string): TypeError {
  return new TypeError(`Cannot assign to read only property '${property}' of object '#<WebSocketRequestResponsePair>'`);
}

export const WebSocketRequestResponsePair = constructOnly(WebSocketRequestResponsePairClass, "WebSocketRequestResponsePair");
/** A pair's request and response as given to its constructor. */
export const givenPair = (pair: WebSocketRequestResponsePairClass): { request: string; response: string } => readGiven(pair);
export type WebSocketRequestResponsePair = WebSocketRequestResponsePairClass;
