import { Buffer } from "node:buffer";
import { toInt32 } from "../../util/webidl.js";
import { runtimeDomException } from "../../util/dom-exception.js";
import { compatibilityFlagOff } from "../code-context.js";

/**
 * The rules `WebSocket.close(code, reason)` checks before it sends a Close frame, with the
 * runtime's exact errors. The code is converted as a WebIDL `long` (ToNumber, non-finite
 * becomes 0, truncated, out-of-range is a TypeError) and must be 1000-4999 except the codes
 * reserved for the protocol itself (1004, 1005, 1006, 1015); a reason needs a code and at most
 * 123 UTF-8 bytes (any length before compatibility flag websocket_close_reason_byte_limit). Without a code the frame carries 1005 ("no status"), which the peer sees.
 */

/** What a Close frame carries. */
export interface CloseFrameFields {
  code: number;
  reason: string;
}

/** The code a Close frame without a status shows to the other end. */
export const NO_STATUS_CODE = 1005;

/** What the other end of an abrupt disconnect (no Close frame) sees. */
export const ABRUPT_CLOSE_CODE = 1006;
export const ABRUPT_CLOSE_REASON = "WebSocket disconnected without sending Close frame.";

const MAX_REASON_BYTES = 123;
const RESERVED_CODES = new Set([1004, 1005, 1006, 1015]);

/**
 * The code argument as the runtime's binding converts it (a Web IDL `long`), before anything
 * else close() checks; undefined when it was not passed.
 */
export function closeCodeArgument(code: unknown): number | undefined {
  return code === undefined ? undefined : toInt32(code);
}

/** The Close frame close(code, reason) sends, or the runtime's error for arguments it refuses. */
export function closeFrameFields(code: number | undefined, reason: string | undefined): CloseFrameFields {
  if (code !== undefined && (code < 1000 || code >= 5000 || RESERVED_CODES.has(code))) {
    throw runtimeDomException(`Invalid WebSocket close code: ${code}.`, "InvalidAccessError");
  }
  if (reason !== undefined && code === undefined) {
    throw runtimeDomException("If you specify a WebSocket close reason, you must also specify a code.", "InvalidAccessError");
  }
  // Before websocket_close_reason_byte_limit the runtime sends a reason of any length.
  if (reason !== undefined && Buffer.byteLength(reason, "utf8") > MAX_REASON_BYTES && !compatibilityFlagOff("websocket_close_reason_byte_limit")) {
    throw runtimeDomException(
      `WebSocket close reason must not be longer than ${MAX_REASON_BYTES} bytes when UTF-8 encoded.`,
      "SyntaxError",
    );
  }
  // The reason is a USVString: a lone surrogate is sent as U+FFFD.
  return { code: code ?? NO_STATUS_CODE, reason: reason?.toWellFormed() ?? "" };
}
