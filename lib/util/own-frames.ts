import { fileURLToPath } from "node:url";
import { isErrorValue } from "./error-kinds.js";

/** durasim's own directory (its sources, or its build output), as a file URL and as a path
 * (frames name a module by either, depending on the loader that ran it). */
const OWN_URL = new URL("../", import.meta.url);
const OWN = [OWN_URL.href, fileURLToPath(OWN_URL)];

/** Whether a call site's file is durasim's own. */
export function isOwnFile(file: string): boolean {
  return OWN.some((own) => file.startsWith(own));
}

/** Whether a line of a formatted stack is one of durasim's own frames. */
export function isOwnFrame(line: string): boolean {
  return OWN.some((own) => line.includes(own));
}

const FRAME = /\n {4}at /;

/**
 * Re-takes the stack of an error that durasim's code made inside API member `api` (its first
 * frame is durasim's) from where that member was called. The runtime's APIs are native code, so
 * an error one of them throws shows the calling Worker code's frame first, and a copy sent over
 * RPC keeps that frame (stacks.ts keeps the frames above durasim's). An error the member only
 * let through (Worker code's, thrown by a callback it ran) keeps its stack.
 */
export function stackFromCaller(error: unknown, api: Function): void {
  if (typeof error !== "object" || error === null || !isErrorValue(error) || !Object.isExtensible(error)) return;
  const stack = error.stack;
  if (typeof stack !== "string") return;
  const first = stack.search(FRAME);
  if (first < 0) return;
  const end = stack.indexOf("\n", first + 1);
  if (!isOwnFrame(stack.slice(first + 1, end < 0 ? undefined : end))) return;
  Error.captureStackTrace(error, api);
  // Formatted now: until then V8 holds the frames' receivers and functions (an object's instance
  // among them), which an error its callers keep would keep alive.
  void error.stack;
}
