import { toIdlString } from "../../util/webidl.js";
import { bufferSourceLength, isBufferSource } from "../shared/bytes.js";

/**
 * SSE-C keys are checked for form but not emulated: 32 bytes, or their 64 lowercase hex digits.
 * Anything that is not bytes is converted to a string (a symbol refused), whose form (hex
 * digits) is checked before its length.
 */
export function checkSsecKey(value: unknown): void {
  if (value === undefined) return;
  if (isBufferSource(value)) {
    if (bufferSourceLength(value) !== SSEC_KEY_BYTES) throw new Error(SSEC_KEY_LENGTH);
    return;
  }
  const text = toIdlString(value);
  if (!/^[0-9a-f]+$/.test(text)) throw new Error("SSE-C Key has invalid format");
  if (text.length !== SSEC_KEY_BYTES * 2) throw new Error(SSEC_KEY_LENGTH);
}

const SSEC_KEY_BYTES = 32;
const SSEC_KEY_LENGTH = `SSE-C Key must be ${SSEC_KEY_BYTES} bytes in length`;
