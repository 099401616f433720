/**
 * One writer per persistence directory: a second emulator in this process, another live
 * durasim process, or a running workerd / wrangler dev is refused with a clear error; the lock
 * of a process that is gone is taken over.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DirectoryInUseError, DirectoryLock } from "../../../lib/storage/persist/lock.js";
import { PersistLayout } from "../../../lib/storage/persist/layout.js";
import { startWorkerd } from "./workerd-state.mjs";
import { thrown } from "../../helpers.js";
import { ScratchDirectories } from "../../scratch-directories.js";

const directories = new ScratchDirectories("durasim-lock-");
const locks: DirectoryLock[] = [];

afterEach(() => {
  for (const lock of locks.splice(0)) lock.release();
  directories.removeAll();
});

function layout(): PersistLayout {
  const dir = directories.make();
  return PersistLayout.inStateDirectory(dir);
}

function acquire(l: PersistLayout): DirectoryLock {
  const lock = DirectoryLock.acquire(l.durableObjectsDirectory, l.durasimDirectory);
  locks.push(lock);
  return lock;
}

/** A lock file as another durasim process leaves it. */
function lockFileOf(l: PersistLayout, pid: number): void {
  mkdirSync(l.durasimDirectory, { recursive: true });
  writeFileSync(join(l.durasimDirectory, "lock"), JSON.stringify({ pid, token: "other" }));
}

describe("DirectoryLock", () => {
  it("refuses a second writer in the same process until the first releases", () => {
    const l = layout();
    const first = acquire(l);
    const error = thrown(() => acquire(l));
    expect(error).toBeInstanceOf(DirectoryInUseError);
    expect(error.message).toContain("already used by another Emulator in this process");
    expect(error.message).toContain(l.durableObjectsDirectory);
    first.release();
    expect(() => acquire(l)).not.toThrow();
  });

  it("refuses while another durasim process that holds the lock is alive", () => {
    const l = layout();
    lockFileOf(l, process.ppid);
    const error = thrown(() => acquire(l));
    expect(error).toBeInstanceOf(DirectoryInUseError);
    expect(error.message).toContain(`another durasim process (pid ${process.ppid})`);
  });

  it("takes over the lock of a process that is gone (killed, crashed)", () => {
    const l = layout();
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    lockFileOf(l, Number(gone.stdout));
    expect(() => acquire(l)).not.toThrow();
  });

  it("takes over a lock this process left without releasing it (a previous run with the same pid)", () => {
    const l = layout();
    lockFileOf(l, process.pid);
    expect(() => acquire(l)).not.toThrow();
  });

  it.runIf(process.platform === "linux")("refuses a directory a running workerd (wrangler dev) has open", async () => {
    const l = layout();
    const workerd = await startWorkerd(join(l.durableObjectsDirectory, "..", ".."));
    try {
      const error = thrown(() => acquire(l));
      expect(error).toBeInstanceOf(DirectoryInUseError);
      expect(error.message).toContain(`(pid ${workerd.pid}, workerd)`);
      expect(error.message).toContain("probably wrangler dev or workerd");
    } finally {
      await workerd.kill();
    }
    // Once it stopped, the directory is free.
    expect(() => acquire(l)).not.toThrow();
  }, 30_000);
});
