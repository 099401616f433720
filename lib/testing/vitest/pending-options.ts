/**
 * Options given as a function wait here, in Vitest's main process, until the plugin's
 * globalSetup resolves them. The registry is on globalThis because the config file and the
 * globalSetup file are loaded as separate module instances.
 */
import type { ResolvedTestOptions } from "../options.js";
import { processShared } from "../../util/process-shared.js";

type Resolver = (inject: (key: string) => unknown) => Promise<ResolvedTestOptions>;

const pending = processShared<Map<string, Resolver>>("vitestPendingOptions", () => new Map());

export function addPendingOptions(id: string, resolve: Resolver): void {
  pending.set(id, resolve);
}

export function takePendingOptions(id: string): Resolver {
  const resolve = pending.get(id);
  if (resolve === undefined) throw new Error(`durasim internal: no pending Vitest options ${id}`);
  return resolve;
}
