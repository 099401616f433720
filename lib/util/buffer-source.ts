import { types } from "node:util";

/**
 * Whether `value` is bytes as the runtime's Web APIs take them (Web IDL's BufferSource): an
 * ArrayBuffer or a view of one, and with `shared` a SharedArrayBuffer too. Told by internal
 * type, not instanceof: a buffer of another realm (a Jest test file's) is bytes too.
 */
export function isBufferSource(value: unknown, { shared }: { shared: boolean }): value is ArrayBuffer | SharedArrayBuffer | ArrayBufferView {
  return ArrayBuffer.isView(value) || types.isArrayBuffer(value) || (shared && types.isSharedArrayBuffer(value));
}
