import { deserializeValue, encodeValue } from "../../storage/codec.js";
import { codeFeatures } from "../code-context.js";

/**
 * `ws.serializeAttachment(value)` / `deserializeAttachment()`: a structured-clone snapshot
 * (V8 serializer format 15, header included, as the runtime writes it) of at most 16,384
 * bytes, which outlives hibernation; errors in it are written as storage writes them at the
 * Worker's date, and refused in the words of the runtime's structuredClone() (codec.ts:
 * refuseApiObject). Every read is a fresh copy; a socket without one reads `null`; one that cannot
 * be read back fails with the deserializer's own words (not storage's "internal error").
 */
const MAX_ATTACHMENT_BYTES = 16_384;

export function serializeAttachment(value: unknown): Uint8Array {
  const bytes = encodeValue(value, codeFeatures().enhancedErrorSerialization, true);
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) {
    // The runtime's message has no space after the first sentence.
    throw new Error(
      `A WebSocket 'attachment' cannot be larger than ${MAX_ATTACHMENT_BYTES} bytes.'attachment' was ${bytes.byteLength} bytes.`,
    );
  }
  return bytes;
}

export function deserializeAttachment(bytes: Uint8Array | undefined): unknown {
  return bytes === undefined ? null : deserializeValue(bytes);
}
