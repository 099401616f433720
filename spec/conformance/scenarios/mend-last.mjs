// Unsigned 64-bit integer arguments near their bound: connect()'s highWaterMark and
// FixedLengthStream's length convert alike. A BigInt is compared exactly (2^64-1 fits, 2^64 and
// -1n are refused in one sentence); a number is compared as a double, so 2**64 itself passes.
// An object address becomes the text "hostname:port", brackets and all, as a string address is
// kept: the runtime connects to that text, so { hostname: "[::1]" } means ::1 as "[::1]:5" does.
import { cls } from "../scenario.mjs";

const ENTRY = 'import { WorkerEntrypoint } from "cloudflare:workers";';

export default [{
  name: "connect() highWaterMark and FixedLengthStream near 2^64",
  backend: "sqlite",
  source: cls(`  go() {
    const values = { negBig: -1n, fraction: 1.5, maxBig: 2n ** 64n - 1n, maxBigMinus1000: 2n ** 64n - 1000n, p63Big: 2n ** 63n, overBig: 2n ** 64n, num2p64: 2 ** 64, numOver: 2 ** 65, num2p63: 2 ** 63 };
    const attempt = (f) => { try { f(); return "ok"; } catch (e) { return e.message; } };
    const out = { connect: {}, fixed: {} };
    for (const [k, v] of Object.entries(values)) {
      out.connect[k] = attempt(() => connect("a:1", { highWaterMark: v }).close().catch(() => {}));
      out.fixed[k] = attempt(() => new FixedLengthStream(v));
    }
    return out;
  }`, { extra: 'import { connect } from "cloudflare:sockets";' }),
  drive: async (env) => env.DO.getByName("a").go(),
}, {
  name: "connect() on a Fetcher: the address text of an IPv6 hostname given bare, bracketed and as a string",
  backend: "sqlite",
  workers: { reporter: { source: ENTRY, entry: "class extends WorkerEntrypoint { async connect(socket) { const writer = socket.writable.getWriter(); await writer.write(JSON.stringify(await socket.opened)); await writer.close(); } }" } },
  services: { REPORTER: "reporter" },
  source: cls("  m() {}"),
  drive: async (env) => {
    const readAll = async (readable) => { const reader = readable.getReader(); let text = ""; for (;;) { const { done, value } = await reader.read(); if (done) return text; text += new TextDecoder().decode(value); } };
    const out = {};
    for (const address of [{ hostname: "::1", port: 5 }, { hostname: "[::1]", port: 5 }, "[::1]:5"]) {
      const socket = env.REPORTER.connect(address);
      out[JSON.stringify(address)] = [await socket.opened, await readAll(socket.readable)];
    }
    return out;
  },
}];
