/**
 * Jest's setup file in ESM mode (`--experimental-vm-modules`): Worker modules load through
 * Jest's `import()` once the test file has been evaluated (it has linked by then: importing them
 * while it links races in Jest's ESM loader), with its `jest.unstable_mockModule`s.
 */
import shared from "./shims/host.cjs";

// A file whose docblock names another environment (`@jest-environment node`) gets no emulator.
if (shared.present) {
  const host = shared.needed();
  host.start(async (path) => commonJsExports(await import(path)));
  // expect(usage).toStayWithin(budget) (durasim/test's usageMatchers), on this file's expect.
  expect.extend(host.modules.test.usageMatchers as object);
}

/**
 * A Worker module the project's transform made CommonJS (babel's or ts-jest's module transform,
 * without extensionsToTreatAsEsm) is, through Jest's import(), a namespace whose default is its
 * whole `module.exports`; marked `__esModule`, those exports are the module as the test file's
 * own imports of it see them (its default export is `exports.default`), as in CommonJS mode.
 */
function commonJsExports(namespace: Record<string, unknown>): Record<string, unknown> {
  const exports = namespace.default as { __esModule?: unknown } | null | undefined;
  return typeof exports === "object" && exports !== null && exports.__esModule === true ? (exports as Record<string, unknown>) : namespace;
}

declare const expect: { extend(matchers: object): void };
