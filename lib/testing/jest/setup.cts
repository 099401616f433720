/**
 * Jest's setup file for CommonJS mode (preset "durasim/jest"): builds the file's emulator, with
 * Worker modules loaded by Jest's `require`, before the test file runs.
 */
import shared = require("./shims/host.cjs");

void shared.host.start((path) => require(path));
