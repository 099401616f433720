/**
 * Jest's setup file in ESM mode (`--experimental-vm-modules`): Worker modules load through
 * Jest's `import()` once the test file has been evaluated (it has linked by then: importing them
 * while it links races in Jest's ESM loader), with its `jest.unstable_mockModule`s.
 */
import shared from "./shims/host.cjs";

shared.host.start((path) => import(path));

// expect(usage).toStayWithin(budget) (durasim/test's usageMatchers), on this file's expect.
declare const expect: { extend(matchers: object): void };
expect.extend(shared.modules.test.usageMatchers as object);
