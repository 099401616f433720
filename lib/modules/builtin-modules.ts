/**
 * The runtime's built-in modules Worker code imports by a `cloudflare:` specifier, each served
 * by durasim's module of the same name beside this one (`cloudflare:email` is ./email.ts). Every
 * way Worker code is loaded resolves them from this one list: inline sources (loader.ts),
 * modules Node loads (workers-specifier-hooks.ts) and the test runners' aliases (Vitest's
 * plugin, Jest's preset). This file stays free of runtime imports: Node's module-hooks thread
 * and the Vitest plugin's config process load it.
 */

export const BUILTIN_MODULE_NAMES = ["workers", "email", "sockets", "workflows", "durable-objects"] as const;

/** The extension of this file (.js in the build, .ts when a test runner runs the sources). */
const EXTENSION = import.meta.url.slice(import.meta.url.lastIndexOf("."));

/** durasim's module for each specifier (`cloudflare:<name>`), by URL. */
export const BUILTIN_MODULE_URLS: ReadonlyMap<string, string> = new Map(
  BUILTIN_MODULE_NAMES.map((name) => [`cloudflare:${name}`, new URL(`./${name}${EXTENSION}`, import.meta.url).href]),
);

/** `from "cloudflare:x"`, `import "cloudflare:x"` or `import("cloudflare:x")`: groups are the prefix, the quote and the specifier. */
const IMPORT_OF_BUILTIN = `(\\bfrom\\s*|\\bimport\\s*\\(?\\s*)(["'])(cloudflare:(?:${BUILTIN_MODULE_NAMES.join("|")}))\\2`;

/** Whether `source` imports (or re-exports from) a built-in module: it is then Worker code. */
export const IMPORTS_BUILTIN = new RegExp(IMPORT_OF_BUILTIN);

/** `source` with every built-in specifier of its import and export statements and dynamic imports pointed at durasim's module. */
export function pointBuiltinSpecifiers(source: string): string {
  return source.replace(
    new RegExp(IMPORT_OF_BUILTIN, "g"),
    (_match, prefix: string, _quote: string, specifier: string) => `${prefix}${JSON.stringify(BUILTIN_MODULE_URLS.get(specifier))}`,
  );
}
