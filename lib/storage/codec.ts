import { Deserializer, Serializer } from "node:v8";

/**
 * Values are stored as V8 ValueSerializer output with its header (format 15), byte-for-byte what
 * workerd writes. `v8.serialize()` must not be used: Node's default serializer encodes typed
 * arrays as Node host objects, which workerd cannot read.
 */
class StorageSerializer extends Serializer {
  /** Clone failures surface as the DOMException the runtime throws, not Node's plain Error. */
  _getDataCloneError(message: string): Error {
    return new DOMException(message, "DataCloneError");
  }
}

export function encodeValue(value: unknown): Uint8Array {
  rejectHostObject(value);
  const serializer = new StorageSerializer();
  serializer.writeHeader();
  serializer.writeValue(unpooled(value));
  return serializer.releaseBuffer();
}

/** A fresh deserialized copy on every call, so callers never share objects with storage. */
export function decodeValue(bytes: Uint8Array): unknown {
  const deserializer = new Deserializer(bytes);
  deserializer.readHeader();
  return deserializer.readValue();
}

/**
 * Small Node Buffers live in a shared 8 KiB pool; serialising one as-is would store the whole
 * pool slab. Copy such a top-level Buffer so only its own bytes are stored (as a Uint8Array,
 * which is what the runtime returns for a Buffer).
 */
function unpooled(value: unknown): unknown {
  if (Buffer.isBuffer(value) && value.byteLength !== value.buffer.byteLength) {
    return new Uint8Array(value);
  }
  return value;
}

/**
 * In the runtime, Request, Response, Headers and streams are host objects that cannot be
 * stored. In Node they are ordinary JS objects that V8 would silently store as `{}`, so the
 * common ones are rejected explicitly (top level only: a deep walk would cost every write).
 */
const HOST_TYPES: ReadonlyArray<[Function, string]> = [
  [Request, "Request"],
  [Response, "Response"],
  [Headers, "Headers"],
  [ReadableStream, "ReadableStream"],
  [WritableStream, "WritableStream"],
  [URL, "URL"],
];

function rejectHostObject(value: unknown): void {
  if (typeof value !== "object" || value === null) return;
  for (const [type, name] of HOST_TYPES) {
    if (value instanceof type) {
      throw new DOMException(
        `Could not serialize object of type "${name}". This type does not support serialization.`,
        "DataCloneError",
      );
    }
  }
}
