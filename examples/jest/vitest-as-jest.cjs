// What the example's tests import from "vitest", answered by Jest's own globals.
const { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test } = require("@jest/globals");

module.exports = { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test };
