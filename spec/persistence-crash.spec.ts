/**
 * Crash safety: a child process writes batches in a loop (KV-backed and SQLite-backed objects)
 * and the test interrupts it at random moments, again and again on one directory. After every
 * interruption each object must hold one whole batch (never a torn one), at least the last batch
 * the child acknowledged, and at most the one after it.
 *
 * Two kinds of interruption, both at real random instants of a real process:
 * - SIGKILL: the writer dies, the next one recovers the directory (stale lock, WAL, alarms);
 *   every fifth kill lands during start-up and recovery instead of mid-write.
 * - SIGSTOP (Linux): the writer is frozen, its directory copied and checked, and it continues. With every
 *   system call of the frozen process finished, the copy is exactly what a SIGKILL at that
 *   instant would leave behind, so each copy is checked as a crash; this is how CI reaches 200
 *   crash states per run without paying 200 process start-ups (each costs most of a second).
 *
 * CI: 5 kills, 49 frozen copies before each mid-write kill: 201 crash states for 5 process
 * start-ups (about 15-20 s of CPU per Node). Soak: DURASIM_CRASH_KILLS=1000 (add
 * DURASIM_CRASH_COPIES=0 for SIGKILLs alone). Runs the built package (npm test builds it first).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const KILLS = Number(process.env.DURASIM_CRASH_KILLS ?? 5);
const FROZEN_ON_LINUX = process.platform === "linux" && existsSync("/proc/self/stat");
const COPIES_PER_KILL = FROZEN_ON_LINUX ? Number(process.env.DURASIM_CRASH_COPIES ?? 49) : 0;
const CHILD = join(import.meta.dirname, "persistence-crash-child.mjs");
const root = mkdtempSync(join(tmpdir(), "durasim-crash-"));
// Node >= 22 caches compiled code across the writers' starts (Node 20 ignores this).
const env = { ...process.env, NODE_COMPILE_CACHE: join(root, "compile-cache") };

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Sleeps 1 ms at a time while a frozen writer comes to a stop (it needs a CPU to stop). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
const randomBelow = (n: number) => Math.floor(Math.random() * n);

/** A running writer: counts its acknowledgements, can wait for more, be frozen, resumed and killed. */
class Writer {
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #acks = 0;
  #waiting: { count: number; resolve: () => void } | undefined;

  constructor(dir: string, ackFile: string) {
    this.#child = spawn(process.execPath, [CHILD, dir, ackFile], { stdio: ["ignore", "pipe", "pipe"], env });
    let stderr = "";
    this.#child.stderr!.on("data", (chunk) => (stderr += chunk));
    this.#child.stdout!.on("data", (chunk: Buffer) => {
      this.#acks += chunk.toString().split(".").length - 1;
      this.#wake();
    });
    this.#exited = new Promise((resolve, reject) => {
      this.#child.on("error", reject);
      this.#child.on("exit", (code, signal) => {
        if (signal === "SIGKILL") resolve();
        else reject(new Error(`the writer exited by itself (${code}): ${stderr}`));
      });
    });
    // A writer that dies by itself fails the wait it is in.
    this.#exited.catch(() => this.#wake());
  }

  /** Resolves once the writer has acknowledged `count` more batches. */
  async moreAcks(count: number): Promise<void> {
    const target = this.#acks + count;
    while (this.#acks < target) {
      await Promise.race([new Promise<void>((resolve) => (this.#waiting = { count: target, resolve })), this.#exited]);
    }
  }

  /** Stops the process and waits until the kernel reports it stopped (all its system calls done). */
  freeze(): void {
    this.#child.kill("SIGSTOP");
    while (readFileSync(`/proc/${this.#child.pid}/stat`, "utf8").split(") ")[1]![0] !== "T") {
      Atomics.wait(PAUSE, 0, 0, 1);
    }
  }

  resume(): void {
    this.#child.kill("SIGCONT");
  }

  /** SIGKILL: mid-write once more acknowledgements came, or at a random moment of start-up. */
  async kill(during: "writes" | "start-up"): Promise<void> {
    if (during === "writes") await this.moreAcks(1 + randomBelow(16));
    else await new Promise((resolve) => setTimeout(resolve, randomBelow(400)));
    this.#child.kill("SIGKILL");
    await this.#exited;
  }

  #wake(): void {
    if (this.#waiting && this.#acks >= this.#waiting.count) this.#waiting.resolve();
  }
}

/** The last batch the writers acknowledged, per object, from the acknowledgement file. */
function acknowledged(ackFile: string, objects: number): number[] {
  const last = Array.from({ length: objects }, () => 0);
  if (!existsSync(ackFile)) return last;
  for (const line of readFileSync(ackFile, "utf8").split("\n")) {
    const [index, n] = line.split(" ").map(Number);
    if (n !== undefined) last[index!] = n;
  }
  return last;
}

/** Opens `dir` as a fresh emulator and checks every object against the acknowledged batches. */
async function check(dir: string, acked: number[], where: string): Promise<number[]> {
  const { Emulator } = await import("../dist/index.js");
  const { CrashKv, CrashSql, OBJECTS, crashOptions } = await import("./persistence-crash-classes.mjs");
  const emu = new Emulator(crashOptions(dir, { CrashKv, CrashSql }));
  try {
    const seen: number[] = [];
    for (const [index, [binding, name]] of OBJECTS.entries()) {
      const state = await emu.env[binding].getByName(name).state();
      const at = `${where}, object ${name}, last acknowledged ${acked[index]}`;
      const last: number = binding === "KV" ? state.ns[0] : state.last;
      if (binding === "KV") expect(state.ns, `${at}: a torn KV batch`).toEqual([last, last, last]);
      else expect([state.count, state.max], `${at}: a torn SQL batch`).toEqual([last, last]);
      expect(last, at).toBeGreaterThanOrEqual(acked[index]!);
      expect(last, at).toBeLessThanOrEqual(acked[index]! + 1);
      seen.push(last);
    }
    return seen;
  } finally {
    await emu.dispose();
  }
}

/**
 * `kills` writers in turn on one directory, each frozen and copied a few times, then killed.
 * One writer at a time: a second one would run unfrozen (burning CPU) while this one is checked.
 */
async function writeAndCrash(dir: string, kills: number): Promise<void> {
  const { OBJECTS } = await import("./persistence-crash-classes.mjs");
  const ackFile = `${dir}.acks`;
  let seen: number[] = [];
  for (let kill = 0; kill < kills; kill++) {
    const writer = new Writer(dir, ackFile);
    const duringStartup = kill % 5 === 4;
    if (!duringStartup) {
      for (let copy = 0; copy < COPIES_PER_KILL; copy++) {
        await writer.moreAcks(1 + randomBelow(8));
        const image = `${dir}.copy${copy}`;
        // Frozen through the check too, so the writer spends no CPU while it waits.
        writer.freeze();
        try {
          cpSync(dir, image, { recursive: true, filter: (path) => basename(path) !== "lock" });
          seen = await check(image, acknowledged(ackFile, OBJECTS.length), `${dir}, writer ${kill}, frozen copy ${copy}`);
        } finally {
          writer.resume();
        }
        rmSync(image, { recursive: true });
      }
    }
    await writer.kill(duringStartup ? "start-up" : "writes");
    seen = await check(dir, acknowledged(ackFile, OBJECTS.length), `${dir}, writer ${kill} killed`);
  }
  // The objects moved on: the writers did write between interruptions.
  expect(Math.min(...seen)).toBeGreaterThan(kills / 2);
}

describe("crash safety", () => {
  const states = KILLS + (KILLS - Math.floor(KILLS / 5)) * COPIES_PER_KILL;
  it(`leaves every object at a whole acknowledged batch in ${states} crash states (${KILLS} SIGKILLs)`, async () => {
    await writeAndCrash(mkdtempSync(join(root, "state-")), KILLS);
  }, 900_000);
});
