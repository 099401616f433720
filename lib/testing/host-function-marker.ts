/**
 * A function that stays in the test runner's main process travels to its workers as a marker
 * object, `{ [HOST_FUNCTION]: id }`, in the function's place in the options (the Vitest plugin:
 * vitest/host-functions.ts keeps the function, vitest/host-call.ts calls it).
 */

export const HOST_FUNCTION = "durasim:host-function";

/** The id a marker carries, or undefined for any other value. */
export function hostFunctionId(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const id = (value as Record<string, unknown>)[HOST_FUNCTION];
  return Object.keys(value).length === 1 && typeof id === "string" ? id : undefined;
}
