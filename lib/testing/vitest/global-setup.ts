/**
 * The plugin's globalSetup, in Vitest's main process. It resolves `cloudflareTest(ctx => options)`:
 * the plugin adds this file after the project's own globalSetup files, so the function can read
 * what they provide (`ctx.inject(key)`), as with Cloudflare's integration; the result goes to
 * the workers like static options. And when the options hold functions (service bindings), it
 * starts the server the workers call them through, until the run ends.
 */
import type { TestProject } from "vitest/node";
import { hasHostFunctions, releaseHost, startHost } from "./host-functions.js";
import { HOST_KEY, OPTIONS_KEY, PENDING_OPTIONS_KEY } from "./keys.js";
import { takePendingOptions } from "./pending-options.js";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const provide = project.provide as (key: string, value: unknown) => void;
  const provided = () => project.getProvidedContext() as Record<string, unknown>;
  const id = provided()[PENDING_OPTIONS_KEY];
  if (typeof id === "string") {
    const resolve = takePendingOptions(id);
    provide(OPTIONS_KEY, await resolve((key: string) => provided()[key]));
  }
  if (!hasHostFunctions()) return undefined;
  provide(HOST_KEY, await startHost());
  return releaseHost;
}
