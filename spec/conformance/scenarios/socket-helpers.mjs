// Source text the socket scenarios embed in their Workers: what a Worker with a connect handler
// imports, and the steps their drivers and objects take on a socket.

/** The import of a Worker whose entry is a class-based entrypoint (with a connect handler). */
export const ENTRYPOINT = `import { WorkerEntrypoint } from "cloudflare:workers";`;

/** A step that cannot hang the record: its promise's outcome, or "still pending" after a second. */
export const WITHIN = `const within = (promise) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve("still pending"), 1000))]);`;

/** A socket's text to its end (readAll), and how it ends: opened, closed and its text, each within a second (ends). */
export const SOCKET_ENDS = `const readAll = async (socket) => { const out = []; const reader = socket.readable.getReader(); for (;;) { const { done, value } = await reader.read(); if (done) return out.join(""); out.push(new TextDecoder().decode(value)); } };
${WITHIN}
const ends = (socket) => Promise.all([within(outcome(() => socket.opened)), within(outcome(() => socket.closed)), within(outcome(() => readAll(socket)))]);`;
