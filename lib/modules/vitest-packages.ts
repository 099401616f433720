/**
 * Vitest's own packages (vitest, vite, @vitest/*), which test files import too: never Worker
 * code, they keep Node's globals wherever durasim gives a Worker's packages the Workers globals
 * (workers-specifier-hooks.ts for those Node loads, the Vitest plugin's transform for those Vite
 * runs). Free of imports: Node's module-hooks thread loads it.
 */
export const VITEST_OWN_PACKAGE = /\/node_modules\/(?:vitest|vite|@vitest\/[^/]+)\//;
