/**
 * The runtime's words for a body stream chunk that is no bytes. They live apart from the body
 * code that reads chunks (http-request.ts) so that the modules building bodies (iterable-bodies.ts,
 * below init-conversion.ts) can fail in the same words without importing the reader back.
 */

/** Where the body is read in its own context (text(), json(), ...): a string, a SharedArrayBuffer. */
export const NOT_BYTES = "This ReadableStream did not return bytes.";

/** Where the body is pumped to another context (sent with stub.fetch(), a handler's Response, a
 * KV or R2 value's stream): a number, an object, a SharedArrayBuffer (a string is sent as UTF-8). */
export const NOT_CONVERTIBLE = "Draining read encountered a value that cannot be converted to bytes";
