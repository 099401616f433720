/**
 * Jest's setup file for CommonJS mode (preset "durasim/jest"): builds the file's emulator, with
 * Worker modules loaded by Jest's `require`, before the test file runs.
 */
import shared = require("./shims/host.cjs");

void shared.host.start((path) => require(path));

// expect(usage).toStayWithin(budget) (durasim/test's usageMatchers), on this file's expect.
declare const expect: { extend(matchers: object): void };
expect.extend(shared.modules.test.usageMatchers as object);
