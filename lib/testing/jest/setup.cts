/**
 * Jest's setup file for CommonJS mode (preset "durasim/jest"): builds the file's emulator before
 * the test file runs; Worker modules load by Jest's `require` after it, with its `jest.mock`s.
 */
import shared = require("./shims/host.cjs");

// A file whose docblock names another environment (`@jest-environment node`) gets no emulator.
if (shared.present) {
  const host = shared.needed();
  host.start((path) => require(path));
  // expect(usage).toStayWithin(budget) (durasim/test's usageMatchers), on this file's expect.
  expect.extend(host.modules.test.usageMatchers as object);
}

declare const expect: { extend(matchers: object): void };
