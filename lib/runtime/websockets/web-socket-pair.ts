import { arrangeMembers, checkReceivers, defineReadOnlyFields, notSerializable, refuseInStorage, tagInterface } from "../../util/webidl.js";
import { constructOnly } from "../../util/construct-only.js";
import { refuseInGlobalScope } from "../globals/global-scope-refusal.js";
import { currentSocketHost } from "./host.js";
import { socketInternals, type WebSocket } from "./web-socket.js";

/**
 * `new WebSocketPair()`: two connected, pending WebSocket ends as own properties `0` and `1`
 * (also iterable in that order). Both live where the code that made them runs (host.ts).
 */
class WebSocketPairClass {
  // Its iterator refuses any other receiver ("Illegal invocation"), as the runtime's does. A
  // private brand, not a static: constructOnly copies the class's statics to WebSocketPair.
  #pair = true;
  static {
    checkReceivers(this.prototype, (value) => typeof value === "object" && value !== null && #pair in value);
  }

  declare 0: WebSocket;
  declare 1: WebSocket;

  constructor() {
    refuseInGlobalScope();
    const [first, second] = socketInternals().pair(currentSocketHost());
    // Read-only, as the runtime's (assigning to them fails).
    defineReadOnlyFields(this, { 0: first, 1: second });
  }

  *[Symbol.iterator](): IterableIterator<WebSocket> {
    yield this[0];
    yield this[1];
  }
}
tagInterface(WebSocketPairClass.prototype, "WebSocketPair");
// Storage refuses the pair itself, by its own name, before it would reach the ends it holds.
refuseInStorage(WebSocketPairClass.prototype, notSerializable("WebSocketPair"));
arrangeMembers(WebSocketPairClass.prototype);
Object.defineProperty(WebSocketPairClass, "name", { value: "WebSocketPair" });

export const WebSocketPair = constructOnly(WebSocketPairClass, "WebSocketPair");
export type WebSocketPair = WebSocketPairClass;
