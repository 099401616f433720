/**
 * Resolves `cloudflareTest(ctx => options)`: the plugin adds this file after the project's own
 * globalSetup files, so the function can read what they provide (`ctx.inject(key)`), as with
 * Cloudflare's integration. The result goes to the workers like static options.
 */
import type { TestProject } from "vitest/node";
import { OPTIONS_KEY, PENDING_OPTIONS_KEY } from "./keys.js";
import { takePendingOptions } from "./pending-options.js";

export default async function resolvePendingOptions(project: TestProject): Promise<void> {
  const provided = project.getProvidedContext() as Record<string, unknown>;
  const id = provided[PENDING_OPTIONS_KEY];
  if (typeof id !== "string") return;
  const resolve = takePendingOptions(id);
  const options = await resolve((key: string) => (project.getProvidedContext() as Record<string, unknown>)[key]);
  (project.provide as (key: string, value: unknown) => void)(OPTIONS_KEY, options);
}
