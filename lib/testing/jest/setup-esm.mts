/**
 * Jest's setup file in ESM mode (`--experimental-vm-modules`): Worker modules load through
 * Jest's `import()`, and the file waits for them here, so the test file links against modules
 * already in Jest's registry (importing them while it links races in Jest's ESM loader).
 */
import shared from "./shims/host.cjs";

await shared.host.start((path) => import(path));

// expect(usage).toStayWithin(budget) (durasim/test's usageMatchers), on this file's expect.
declare const expect: { extend(matchers: object): void };
expect.extend(shared.modules.test.usageMatchers as object);
