/**
 * JavaScript built-ins the Workers runtime's V8 has and Node 20's lacks, for Worker code (and the
 * packages it imports) run by durasim's test runners, `durasim/register` and an Emulator loading
 * Worker code itself (loader.ts), whose processes
 * exist to run Worker code: Promise.withResolvers, Object.groupBy and Map.groupBy, Array.fromAsync,
 * Promise.try (which Node 22 before 22.10 lacks too),
 * the Set methods (union, ...) and the iterator helpers (Iterator, map, filter, ...); and
 * Error.isError and RegExp.escape, which Node 22 lacks too; DisposableStack, AsyncDisposableStack
 * and SuppressedError, which Node 22 lacks too; Uint8Array's base64 and hex methods, which Node 24
 * lacks too; and the web API URLPattern, which Node
 * has from 23.8 (Worker modules get durasim's on every Node: worker-scope.ts). Each is
 * added only where the realm lacks it, so Node 22 and newer keep their own; test code in the same
 * realm sees them too (they only add what a newer Node has, never change what exists).
 */
import { installArrayFromAsync } from "./array-from-async.js";
import { installDisposableStacks } from "./disposable-stack.js";
import type { Realm } from "./define.js";
import { installErrorIsErrorAndRegExpEscape } from "./error-regexp.js";
import { installGroupBy } from "./group-by.js";
import { installIteratorHelpers } from "./iterator-helpers.js";
import { installPromiseTry } from "./promise-try.js";
import { installPromiseWithResolvers } from "./promise-with-resolvers.js";
import { installSetMethods } from "./set-methods.js";
import { installUint8ArrayBase64 } from "./uint8array-base64.js";
import { installURLPattern } from "./url-pattern/url-pattern.js";

/** Adds the missing built-ins to `realm` (a global object: the process's, or a Jest test file's). */
export function installLanguageBuiltins(realm: object = globalThis): void {
  const global = realm as Realm;
  installPromiseWithResolvers(global);
  installPromiseTry(global);
  installGroupBy(global);
  installArrayFromAsync(global);
  installSetMethods(global);
  installIteratorHelpers(global);
  installErrorIsErrorAndRegExpEscape(global);
  installURLPattern(global);
  installDisposableStacks(global);
  installUint8ArrayBase64(global);
}
