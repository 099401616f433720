/**
 * Usage counters from within a test (durasim's addition to `cloudflare:test`): what the current
 * emulator's Durable Objects did, as `emu.usage()` reports it. The durasim Vitest plugin and Jest
 * preset zero the counters as each test attempt starts, so `usage()` in a test covers that test
 * (its beforeEach hooks included). `usageMatchers` adds `expect(usage).toStayWithin(budget)` to
 * an `expect` that takes matchers in Jest's protocol (Vitest's and Jest's); the durasim Vitest
 * plugin and Jest preset add it for you.
 */
import { isUsage, overBudget, type UsageBudget } from "../../runtime/usage/budget.js";
import type { EmulatorUsage, NamespaceUsage, ObjectUsageReport } from "../../runtime/usage/usage.js";
import { seenThrough } from "../../util/views.js";
import { currentTarget } from "./target.js";

/** Every namespace and object (no argument), one namespace's (a binding), or one object's (a stub). */
export function usage(): EmulatorUsage;
export function usage(stub: { readonly id: object }): ObjectUsageReport;
export function usage(namespace: object): NamespaceUsage;
export function usage(target?: object): EmulatorUsage | NamespaceUsage | ObjectUsageReport {
  // A view (a stub the Miniflare front door gave Node code) counts as the object it stands for.
  return currentTarget("usage()").usage(seenThrough(target));
}

/** Zeroes every usage counter of the current emulator. */
export function resetUsage(): void {
  currentTarget("resetUsage()").resetUsage();
}

/** `expect(usage).toStayWithin({ rowsRead: 100, requests: 2 })`: every measure at most its limit. */
function toStayWithin(received: unknown, budget: UsageBudget): { pass: boolean; message: () => string } {
  if (!isUsage(received)) {
    throw new TypeError("durasim: toStayWithin() checks usage: expect(usage()).toStayWithin(budget), or emu.usage(...).");
  }
  const over = overBudget(received, budget, "toStayWithin()");
  const limits = JSON.stringify(budget);
  return {
    pass: over.length === 0,
    message: () => (over.length === 0 ? `expected usage to exceed ${limits}, but it stayed within it` : `expected usage to stay within ${limits}, but ${over.join(", ")}`),
  };
}

/** Matchers for `expect.extend(usageMatchers)`. */
export const usageMatchers = { toStayWithin };
