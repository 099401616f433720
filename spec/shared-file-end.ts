// Setup of vitest.config.ts's "shared" project, whose files run one after another in one
// process: a spy a file put on a global (console's methods) or fake timers it installed, left
// in place because a test failed before putting them back, would still answer for the files
// after it. So each file's spies and fake timers end with the file.
import { afterAll, vi } from "vitest";

afterAll(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});
