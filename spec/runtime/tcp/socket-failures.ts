/**
 * How a socket's operations fail in the runtime's words, as [error class name, message]: the
 * shape the socket specs record an outcome in. Written out here rather than imported from lib/,
 * so that a wrong message in lib/ fails them.
 */
export const SOCKET_CLOSED = ["TypeError", "This socket has been closed."];
export const READ_CLOSING = ["TypeError", "This ReadableStream belongs to an object that is closing."];
export const WRITE_CLOSING = ["TypeError", "This WritableStream belongs to an object that is closing."];
export const WRITABLE_CLOSED = ["TypeError", "This WritableStream has been closed."];
