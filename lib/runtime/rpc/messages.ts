/**
 * A Request or Response sent over RPC arrives as a new message of the receiver's: the same
 * method, URL (a Response's none), status, statusText and headers, the headers mutable whatever
 * the sender's were, and the sender's body moved into it. The sender's message keeps its headers
 * and their guard, and reads as used (its body locked) from the call on, as the runtime's does.
 * A request body moved out of a fetch() handler's Request ends with the lost connection once
 * that handler has answered.
 */
import { answeredRead } from "../http-request.js";
import { receivedOverRpc as receivedRequest } from "../request.js";
import { receivedOverRpc as receivedResponse } from "../websockets/response.js";
import { readsOneAtATime } from "../single-reads.js";
import { moveBody } from "./streams.js";

/** The receiver's copy of `message` (checked already: its body unused and unlocked), sent by
 * `owner`'s code (an object, or undefined for code of no object). */
export function receivedMessage(message: Request | Response, owner: object | undefined): Request | Response {
  const source = message.body;
  const body = source === null ? null : readsOneAtATime(moveBody(source, () => answeredRead(message) !== undefined, owner));
  return message instanceof Request ? receivedRequest(message, body) : receivedResponse(message, body);
}
