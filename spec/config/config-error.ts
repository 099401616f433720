import { expect } from "vitest";
import { ConfigError } from "../../lib/util/config-error.js";

/** The message of the ConfigError `run` throws (fails the test if it throws nothing, or something else). */
export function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}
