// How a ReadableStream sent over RPC is read on the other side: the runtime moves it as a
// byte stream whose reads take whatever the sender has ready, merging chunks that are queued
// and splitting larger ones (4096 bytes a read, a BYOB read's view, never across a 64 KiB
// boundary of what came together), but never waiting for more. Senders of each shape (chunks
// queued in start(), one chunk a pull(), at once or after a microtask, chunks a timer apart;
// byte streams and default streams of Uint8Array), sent as a result and as an argument, and as
// the body of a Response or Request, read by a default reader and by BYOB readers with small
// and large buffers: the sizes of the reads.
import { cls } from "../scenario.mjs";

const SENDERS = `const SENDERS = {
  // Chunks all queued before anyone reads.
  queued: (type, sizes) => new ReadableStream({ type, start(c) { for (const n of sizes) c.enqueue(new Uint8Array(n).fill(n % 251)); c.close(); } }),
  // One chunk each time the stream asks, at once.
  pulled: (type, sizes) => { let i = 0; return new ReadableStream({ type, pull(c) { if (i < sizes.length) c.enqueue(new Uint8Array(sizes[i++])); else c.close(); } }); },
  // One chunk a pull, after a microtask.
  pulledLater: (type, sizes) => { let i = 0; return new ReadableStream({ type, async pull(c) { await null; if (i < sizes.length) c.enqueue(new Uint8Array(sizes[i++])); else c.close(); } }); },
  // One chunk a pull, a timer apart.
  timed: (type, sizes) => { let i = 0; return new ReadableStream({ type, async pull(c) { await new Promise((r) => setTimeout(r, 5)); if (i < sizes.length) c.enqueue(new Uint8Array(sizes[i++])); else c.close(); } }); },
};
const CASES = {
  "4x2": [2, 2, 2, 2],
  "3x40000": [40000, 40000, 40000],
  "100x1000": Array(100).fill(1000),
  "mixed": [1, 5000, 3, 4093, 4096, 1],
};
const SKIP = (how, type, name) => how === "timed" && name !== "4x2";
function make(how, type, name) { return SENDERS[how](type === "bytes" ? "bytes" : undefined, CASES[name]); }
/** What read(how, type, name) records for every sender, stream type and case not skipped, by "how type name". */
async function eachStream(read) {
  const r = {};
  for (const how of Object.keys(SENDERS)) for (const type of ["default", "bytes"]) for (const name of Object.keys(CASES)) {
    if (!SKIP(how, type, name)) r[how + " " + type + " " + name] = await read(how, type, name);
  }
  return r;
}
// Left out of BYOB reads with large buffers: the first 40000-byte chunk of a byte stream whose
// pull() awaits comes as 16384 + 23616 bytes in workerd on some runs, whole on others.
const UNSTEADY_BYOB = (how, type, name) => how === "pulledLater" && type === "bytes" && name === "3x40000";
async function sizesRead(stream, byob) {
  const out = [];
  const reader = byob ? stream.getReader({ mode: "byob" }) : stream.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = byob ? await reader.read(new Uint8Array(byob)) : await reader.read();
    if (done) return { sizes: out, total };
    out.push(value.byteLength);
    total += value.byteLength;
  }
}`;


export default [
  {
    name: "rpc stream reads: a stream returned by an object, read by the caller",
    backend: "sqlite",
    source: cls(`  async stream(how, type, name) { return make(how, type, name); }`, { extra: SENDERS }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      return eachStream(async (how, type, name) => ({
        reader: await outcome(async () => sizesRead(await s.stream(how, type, name))),
        byob16: name === "4x2" || name === "mixed" ? await outcome(async () => sizesRead(await s.stream(how, type, name), 16)) : undefined,
        byob10000: UNSTEADY_BYOB(how, type, name) ? undefined : await outcome(async () => sizesRead(await s.stream(how, type, name), 10000)),
      }));
    },
  },
  {
    name: "rpc stream reads: a stream sent as an argument, read by the object",
    backend: "sqlite",
    source: cls(`  async take(stream, byob) { return sizesRead(stream, byob); }`, { extra: SENDERS }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      return eachStream(async (how, type, name) => ({
        reader: await outcome(() => s.take(make(how, type, name))),
        byob10000: UNSTEADY_BYOB(how, type, name) ? undefined : await outcome(() => s.take(make(how, type, name), 10000)),
      }));
    },
  },
  {
    name: "rpc stream reads: the body of a Response returned and of a Request sent over RPC",
    backend: "sqlite",
    source: cls(`  async response(how, type, name) { return new Response(make(how, type, name)); }
  async take(request, byob) { return sizesRead(request.body, byob); }`, { extra: SENDERS }),
    drive: async (env) => {
      const s = env.DO.getByName("a");
      const r = {};
      for (const how of ["queued", "pulledLater"]) for (const name of Object.keys(CASES)) {
        const request = () => new Request("http://x/", { method: "POST", body: make(how, "bytes", name) });
        r[how + " " + name] = {
          response: await outcome(async () => sizesRead((await s.response(how, "bytes", name)).body)),
          responseByob: UNSTEADY_BYOB(how, "bytes", name) ? undefined : await outcome(async () => sizesRead((await s.response(how, "bytes", name)).body, 10000)),
          request: await outcome(() => s.take(request())),
        };
      }
      return r;
    },
  },
];
