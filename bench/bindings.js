// KV and R2 bindings: KV put/get of small values and of 1 MiB, and R2 put/get of 1 MiB, each beside a
// bare Map doing the same work (awaited, and copying bytes in and out as a store must) in the
// same run.
import { fileURLToPath } from "node:url";
import { Emulator } from "durasim";
import { formatRate, printTable, throughput } from "./harness.js";

const MiB = 1024 * 1024;

export async function runBindingBenchmarks() {
  const emu = new Emulator({ module: {}, kvNamespaces: ["KV"], r2Buckets: ["BUCKET"] });
  const { KV, BUCKET } = emu.env;
  const rows = [];

  const small = JSON.stringify({ user: 1, name: "hello", tags: ["a", "b"] });
  const kvRate = await throughput(async (n) => {
    for (let i = 0; i < n; i++) {
      await KV.put(`k${i % 1000}`, small);
      await KV.get(`k${i % 1000}`);
    }
  }, 20_000);
  const map = new Map();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const mapRate = await throughput(async (n) => {
    for (let i = 0; i < n; i++) {
      await map.set(`k${i % 1000}`, encoder.encode(small));
      await decoder.decode(map.get(`k${i % 1000}`));
    }
  }, 200_000);
  rows.push({ workload: "KV put + get, 47-byte text", durasim: formatRate(kvRate), baseline: `${formatRate(mapRate)} bare Map (encode/decode)`, ratio: `${(mapRate / kvRate).toFixed(1)}x`, target: "—" });

  const object = new Uint8Array(MiB).map((_, i) => i & 255);
  const kvLargeRate = await throughput(async (n) => {
    for (let i = 0; i < n; i++) {
      await KV.put(`l${i % 10}`, object);
      await KV.get(`l${i % 10}`, "arrayBuffer");
    }
  }, 200);
  const largeMap = new Map();
  const largeMapRate = await throughput(async (n) => {
    for (let i = 0; i < n; i++) {
      await largeMap.set(`l${i % 10}`, object.slice());
      await largeMap.get(`l${i % 10}`).slice().buffer;
    }
  }, 200);
  rows.push({ workload: "KV put + get, 1 MiB", durasim: formatRate(kvLargeRate), baseline: `${formatRate(largeMapRate)} bare Map (copy in, copy out)`, ratio: `${(largeMapRate / kvLargeRate).toFixed(1)}x`, target: "—" });

  const r2Rate = await throughput(async (n) => {
    for (let i = 0; i < n; i++) {
      await BUCKET.put(`o${i % 10}`, object);
      await (await BUCKET.get(`o${i % 10}`)).arrayBuffer();
    }
  }, 200);
  const bytesMap = new Map();
  const bytesRate = await throughput(async (n) => {
    for (let i = 0; i < n; i++) {
      await bytesMap.set(`o${i % 10}`, object.slice());
      await bytesMap.get(`o${i % 10}`).slice().buffer;
    }
  }, 200);
  rows.push({ workload: "R2 put + get, 1 MiB", durasim: formatRate(r2Rate), baseline: `${formatRate(bytesRate)} bare Map (copy in, copy out)`, ratio: `${(bytesRate / r2Rate).toFixed(1)}x`, target: "—" });

  await emu.dispose();
  printTable("KV and R2 bindings", rows);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runBindingBenchmarks();
}
