/**
 * The runtime reads a Worker's main module's exports as a map of handlers: each export must be a
 * function (a class, or a handler) or an object of handlers, so a module exporting anything else
 * (`export const VERSION = "1.0"`, `export default 5`, a null) fails to start with workerd's
 * TypeError, checked in a module namespace's order, the names sorted (verified with workerd
 * 1.20261117.1): the exports as durasim holds them may be a copy in the source's order.
 */
export function checkExportTypes(exports: Readonly<Record<string, unknown>>): void {
  for (const name of Object.keys(exports).sort()) {
    const value = exports[name];
    // A transpiler's interop marker (Jest's CommonJS mode), not an export the source wrote.
    if (name === "__esModule") continue;
    if (value === null || value === undefined) {
      throw new TypeError("Cannot initialize N7workerd3api15ExportedHandlerE with required members from an undefined or null value.");
    }
    if (typeof value !== "function" && typeof value !== "object") {
      throw new TypeError(`Incorrect type for map entry '${name}': the provided value is not of type 'function or ExportedHandler'.`);
    }
  }
}
