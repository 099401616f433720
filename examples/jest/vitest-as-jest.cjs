// What the example's tests import from "vitest", answered by Jest's own globals.
const globals = require("@jest/globals");
const { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test } = globals;

// `vi`'s fake-timer calls have the same names on `jest`.
module.exports = { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test, vi: globals.jest };
