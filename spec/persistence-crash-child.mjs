// The writer of the crash test (persistence-crash.spec.ts), run from the built package: opens
// an emulator on the directory, then writes batches in a loop to the shared objects. After each
// call has returned (its output gate released, so its commit is on disk) it appends
// "<object> <n>" to the acknowledgement file (argv[3]), synchronously, before the next write
// begins, and prints "." so the test can count progress; it runs until the test kills it.
import { openSync, writeSync } from "node:fs";
import { Emulator } from "../dist/index.js";
import { CrashKv, CrashSql, OBJECTS, crashOptions } from "./persistence-crash-classes.mjs";

const emu = new Emulator(crashOptions(process.argv[2], { CrashKv, CrashSql }));
const acks = openSync(process.argv[3], "a");
const stubs = OBJECTS.map(([binding, name]) => emu.env[binding].getByName(name));
const next = [];
for (const stub of stubs) next.push((await stub.last()) + 1);
writeSync(1, "ready\n");
for (;;) {
  for (let i = 0; i < stubs.length; i++) {
    await stubs[i].write(next[i]);
    writeSync(acks, `${i} ${next[i]}\n`);
    writeSync(1, ".");
    next[i]++;
  }
}
