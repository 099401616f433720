import { readsNativeClass } from "../../util/native-names.js";

/**
 * The Web API classes Worker code finds as Node's (or as durasim's subclasses of Node's), which
 * the runtime implements natively: to Worker and object code, each of their functions reads as
 * native code, as the runtime's do (`String(Blob.prototype.text)` is "function text() { [native
 * code] }", not Node's source), through native-code.ts. Test code still reads Node's source.
 */
const HOST_CLASSES = [
  "AbortController", "AbortSignal", "Blob", "ByteLengthQueuingStrategy", "CompressionStream", "CountQueuingStrategy",
  "Crypto", "CryptoKey", "CustomEvent", "DecompressionStream", "DOMException", "Event", "EventTarget", "File", "FormData",
  "Headers", "MessageChannel", "MessagePort", "Performance", "ReadableByteStreamController", "ReadableStream",
  "ReadableStreamBYOBReader", "ReadableStreamBYOBRequest", "ReadableStreamDefaultController", "ReadableStreamDefaultReader",
  "Request", "Response", "SubtleCrypto", "TextDecoderStream", "TextEncoder", "TextEncoderStream", "TransformStream",
  "TransformStreamDefaultController", "URLSearchParams", "WritableStream", "WritableStreamDefaultController",
  "WritableStreamDefaultWriter",
] as const;

/** Registers the classes `global` has of HOST_CLASSES; after the methods durasim replaces, which keep their names. */
export function installNativeClassText(global: typeof globalThis): void {
  const record = global as unknown as Record<string, unknown>;
  for (const name of HOST_CLASSES) {
    const Class = record[name];
    if (typeof Class === "function") readsNativeClass(Class);
  }
}
