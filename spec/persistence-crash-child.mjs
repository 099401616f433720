// The writer of the crash test (persistence-crash.spec.ts), run from the built package until the
// test kills it. It appends its log to argv[3], one synchronous write per line, so a SIGKILL
// never loses or splits a line:
//   open           once it has loaded, as it opens the directory (recovery begins)
//   found <json>   on start, what each object holds (read through the public API): the check of
//                  the crash before this writer, made by the writer that recovers from it
//   begin <i> <n>  before object i's call that writes batch n
//   ack <i> <n>    after that call returned (its output gate released: the commit is on disk)
// and prints "o" (opening), "r" (ready) and "." (one per ack) on stdout so the test can time
// its kills.
import { openSync, writeSync } from "node:fs";
import { Emulator } from "../dist/index.js";
import { CrashKv, CrashSql, OBJECTS, crashOptions } from "./persistence-crash-classes.mjs";

const log = openSync(process.argv[3], "a");
writeSync(log, "open\n");
writeSync(1, "o");
const emu = new Emulator(crashOptions(process.argv[2], { CrashKv, CrashSql }));
const stubs = OBJECTS.map(([binding, name]) => emu.env[binding].getByName(name));
const found = [];
for (const stub of stubs) found.push(await stub.state());
writeSync(log, `found ${JSON.stringify(found)}\n`);
writeSync(1, "r");
const next = found.map((numbers) => Math.max(...numbers) + 1);
for (;;) {
  for (let i = 0; i < stubs.length; i++) {
    writeSync(log, `begin ${i} ${next[i]}\n`);
    await stubs[i].write(next[i]);
    writeSync(log, `ack ${i} ${next[i]}\n`);
    writeSync(1, ".");
    next[i]++;
  }
}
