/**
 * Crash safety: a child process writes batches in a loop (KV-backed and SQLite-backed, several
 * objects) and is killed with SIGKILL at a random moment, again and again on one directory. After
 * every kill each object must hold one whole batch (never a torn one), at least the last batch
 * the child saw acknowledged, and at most the one after it. 200 kills here (a few seconds' worth
 * each); DURASIM_CRASH_ITERATIONS=5000 makes it a soak. Runs the built package (npm test builds
 * it first).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ITERATIONS = Number(process.env.DURASIM_CRASH_ITERATIONS ?? 200);
/** Writers killed side by side, each on its own directory (process start-up dominates a kill). */
const LANES = 2;
const CHILD = join(import.meta.dirname, "persistence-crash-child.mjs");
const root = mkdtempSync(join(tmpdir(), "durasim-crash-"));
// Node >= 22 caches compiled code across the writer's many starts (Node 20 ignores this).
const env = { ...process.env, NODE_COMPILE_CACHE: join(root, "compile-cache") };

afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Runs the writer on `dir` and kills it: once it has acknowledged `killAtAck` batches (so the
 * kill lands while later ones are being written), or, with `killAtAck` undefined, after
 * `startupMs` (during start-up and recovery). Returns the last acknowledged batch per object.
 */
function runAndKill(dir: string, killAtAck: number | undefined, startupMs: number): Promise<Map<number, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir], { stdio: ["ignore", "pipe", "pipe"], env });
    const acked = new Map<number, number>();
    let acks = 0;
    let out = "";
    let stderr = "";
    const kill = () => child.kill("SIGKILL");
    const timer = killAtAck === undefined ? setTimeout(kill, startupMs) : undefined;
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const lines = out.split("\n");
      out = lines.pop()!;
      for (const line of lines) {
        const match = /^ack (\d+) (\d+)$/.exec(line);
        if (!match) continue;
        acked.set(Number(match[1]), Number(match[2]));
        if (++acks === killAtAck) kill();
      }
      if (killAtAck === 0 && out === "" && lines.includes("ready")) kill();
    });
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`the writer exited by itself (${code}): ${stderr}`));
      else resolve(acked);
    });
  });
}

/** `iterations` kills on one directory, each followed by a check of every object. */
async function lane(dir: string, iterations: number): Promise<void> {
  const { Emulator } = await import("../dist/index.js");
  const { CrashKv, CrashSql, OBJECTS, crashOptions } = await import("./persistence-crash-classes.mjs");
  const lastAcked = OBJECTS.map(() => 0);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const duringStartup = iteration % 10 === 9;
    const acked = await runAndKill(dir, duringStartup ? undefined : Math.floor(Math.random() * 16), Math.random() * 600);
    for (const [index, n] of acked) lastAcked[index] = n;
    const emu = new Emulator(crashOptions(dir, { CrashKv, CrashSql }));
    try {
      for (const [index, [binding, name]] of OBJECTS.entries()) {
        const state = await emu.env[binding].getByName(name).state();
        const where = `${dir}, iteration ${iteration}, object ${name}, last acknowledged ${lastAcked[index]}`;
        const last: number = binding === "KV" ? state.ns[0] : state.last;
        if (binding === "KV") expect(state.ns, `${where}: a torn KV batch`).toEqual([last, last, last]);
        else expect([state.count, state.max], `${where}: a torn SQL batch`).toEqual([last, last]);
        expect(last, where).toBeGreaterThanOrEqual(lastAcked[index]!);
        expect(last, where).toBeLessThanOrEqual(lastAcked[index]! + 1);
        lastAcked[index] = last;
      }
    } finally {
      await emu.dispose();
    }
  }
  // The objects moved on: the writers did write between kills.
  expect(Math.min(...lastAcked)).toBeGreaterThan(iterations / 2);
}

describe("crash safety", () => {
  it(`leaves every object at a whole acknowledged batch after ${ITERATIONS} SIGKILLs`, async () => {
    const perLane = Math.ceil(ITERATIONS / LANES);
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(mkdtempSync(join(root, `lane${i}-`)), perLane)));
  }, 900_000);
});
