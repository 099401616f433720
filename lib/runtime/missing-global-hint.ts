import { types } from "node:util";
import { WORKER_GLOBAL_NAMES } from "../util/worker-global-names.js";

/**
 * Worker code that names a Workers global it did not get fails with Node's bare
 * "ReferenceError: WebSocketPair is not defined", which workerd never throws: the code ran in
 * Node's global scope (a package's CommonJS code, a Worker given as `module`, exports made by the
 * caller), which durasim leaves as Node's unless asked. The error stays as it is (code may catch
 * it by class or words); the process is told once per name what gives the global.
 */

/** The globals durasim/register and the test runners add: those whose absence has a remedy. */
const REMEDIED: ReadonlySet<string> = new Set([...WORKER_GLOBAL_NAMES, "caches"]);

const NOT_DEFINED = /^([\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*) is not defined$/u;

const hinted = new Set<string>();

/**
 * Warns once per name when `thrown` (of any realm) is V8's ReferenceError for a remedied global
 * the process lacks. Reads only data properties, so no code of the thrown value runs.
 */
export function hintMissingWorkersGlobal(thrown: unknown): void {
  if (!types.isNativeError(thrown)) return;
  const prototype: unknown = Object.getPrototypeOf(thrown);
  if (prototype === null || Object.getOwnPropertyDescriptor(prototype, "name")?.value !== "ReferenceError") return;
  const message: unknown = Object.getOwnPropertyDescriptor(thrown, "message")?.value;
  const name = typeof message === "string" ? NOT_DEFINED.exec(message)?.[1] : undefined;
  if (name === undefined || !REMEDIED.has(name) || hinted.has(name) || name in globalThis) return;
  hinted.add(name);
  console.warn(
    `durasim: Worker code failed with "ReferenceError: ${message}": the Workers runtime has that global, and durasim gives it to ` +
      `a Worker's ES modules and the ES module packages they import, but this code runs in Node's global scope ` +
      `(a package's CommonJS code, or a Worker given as "module"). Run Node with --import durasim/register, or test under ` +
      `durasim's Vitest plugin or Jest preset, which make the Workers globals global.`,
  );
}
