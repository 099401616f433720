// The writer of the crash test (persistence-crash.spec.ts), run from the built package: opens
// an emulator on the directory, then writes batches in a loop to 3 KV-backed and 3
// SQLite-backed objects, printing "ack <object> <n>" once each call has returned (its output
// gate released, so its commit is on disk), until the test kills it with SIGKILL.
import { writeSync } from "node:fs";
import { Emulator } from "../dist/index.js";
import { CrashKv, CrashSql, OBJECTS, crashOptions } from "./persistence-crash-classes.mjs";

const emu = new Emulator(crashOptions(process.argv[2], { CrashKv, CrashSql }));
const stubs = OBJECTS.map(([binding, name]) => emu.env[binding].getByName(name));
const next = [];
for (const stub of stubs) next.push((await stub.last()) + 1);
writeSync(1, "ready\n");
for (;;) {
  for (let i = 0; i < stubs.length; i++) {
    await stubs[i].write(next[i]);
    writeSync(1, `ack ${i} ${next[i]}\n`);
    next[i]++;
  }
}
