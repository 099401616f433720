/**
 * Usage counters from within a test (durasim's addition to `cloudflare:test`): what the current
 * emulator's Durable Objects did, as `emu.usage()` reports it. The durasim Vitest plugin and Jest
 * preset zero the counters as each test attempt starts, so `usage()` in a test covers that test
 * (its beforeEach hooks included).
 */
import type { EmulatorUsage, NamespaceUsage, ObjectUsageReport } from "../../runtime/usage/usage.js";
import { currentTarget } from "./target.js";

/** Every namespace and object (no argument), one namespace's (a binding), or one object's (a stub). */
export function usage(): EmulatorUsage;
export function usage(stub: { readonly id: object }): ObjectUsageReport;
export function usage(namespace: object): NamespaceUsage;
export function usage(target?: object): EmulatorUsage | NamespaceUsage | ObjectUsageReport {
  return currentTarget("usage()").usage(target);
}

/** Zeroes every usage counter of the current emulator. */
export function resetUsage(): void {
  currentTarget("resetUsage()").resetUsage();
}
