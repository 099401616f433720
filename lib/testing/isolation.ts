/**
 * The emulator of one test file: every file gets a fresh emulator (nothing carries over
 * between files), disposed when the file ends.
 */
import type { Emulator } from "../emulator.js";

export class FileIsolation {
  constructor(readonly emulator: Emulator) {}

  async dispose(): Promise<void> {
    await this.emulator.dispose();
  }
}
