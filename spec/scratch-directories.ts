import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Empty directories under the system's temporary directory for a spec file's tests, removed
 * together when the file says (its afterEach or afterAll calls removeAll()).
 */
export class ScratchDirectories {
  readonly #made: string[] = [];

  /** `prefix` starts each directory's name, so that a leftover one tells which spec made it. */
  constructor(readonly prefix: string) {}

  /** A new empty directory, named after `prefix` (the spec's own unless it names another). */
  make(prefix = this.prefix): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.#made.push(dir);
    return dir;
  }

  /** Removes every directory made since the last call, and answers their paths. */
  removeAll(): string[] {
    const made = this.#made.splice(0);
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
    return made;
  }
}
