import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";

// One readiness covers the Worker's module and the SQLite engine: a caller that does not await
// `emu.ready` still reaches a SQLite-backed object only once both are loaded. The engine loads
// once per process, so this runs in a fresh one (on the build output, as package.spec.ts does).
const dist = pathToFileURL(resolve(import.meta.dirname, "..", "..", "dist", "index.js")).href;

function runFresh(body: string): unknown {
  const program = `
    import { Emulator } from ${JSON.stringify(dist)};
    const emu = new Emulator({
      script: \`
        import { DurableObject } from "cloudflare:workers";
        export class Store extends DurableObject {
          count() {
            this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (v)");
            this.ctx.storage.sql.exec("INSERT INTO t VALUES (1)");
            return this.ctx.storage.sql.exec("SELECT count(*) AS n FROM t").one().n;
          }
          async fetch() {
            return new Response(String(this.count()));
          }
        }
        export default { fetch: (request, env) => env.STORE.getByName("b").fetch(request) };
      \`,
      durableObjects: { STORE: { className: "Store", sqlite: true } },
    });
    ${body}
    await emu.dispose();`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", program], { encoding: "utf8" }));
}

it("lets an RPC call reach a SQLite-backed object of an inline script without awaiting emu.ready", () => {
  expect(runFresh(`console.log(JSON.stringify(await emu.env.STORE.getByName("a").count()));`)).toBe(1);
}, 30_000);

it("lets a stub's fetch and the Worker's fetch handler wait for the engine too", () => {
  const result = runFresh(`
    const direct = await (await emu.env.STORE.getByName("a").fetch("http://x/")).text();
    const viaWorker = await (await emu.dispatchFetch("/")).text();
    console.log(JSON.stringify([direct, viaWorker]));`);
  expect(result).toEqual(["1", "1"]);
}, 30_000);

it("only an emulator whose modules the host loader imports opens the host loader's gate by waiting (another's pending SQL engine must not release a test file's Worker)", async () => {
  const { Emulator } = await import("../../lib/index.js");
  const { setHostModuleLoader } = await import("../../lib/modules/loader.js");
  const { DurableObject } = await import("../../lib/modules/workers.js");
  class Store extends DurableObject {}
  let demands = 0;
  setHostModuleLoader(async () => ({ Store, default: {} }), () => (demands += 1));
  try {
    const own = new Emulator({ module: { Store }, durableObjects: { STORE: { className: "Store", sqlite: true } } });
    await own.ready;
    await own.dispose();
    expect(demands).toBe(0);
    const hosted = new Emulator({ modulePath: "/nowhere/worker.js", durableObjects: { STORE: { className: "Store", sqlite: true } } });
    await hosted.ready;
    await hosted.dispose();
    expect(demands).toBeGreaterThan(0);
  } finally {
    setHostModuleLoader(undefined);
  }
});

it("dispose() while the engine loads fails the calls waiting for it at once, not once the engine has loaded (emu.ready settles after them)", () => {
  const result = runFresh(`
    const order = [];
    const calls = [emu.env.STORE.getByName("a").count(), emu.env.STORE.getByName("b").fetch("http://x/"), emu.dispatchFetch("/")];
    for (const call of calls) call.then(() => order.push("answered"), (error) => order.push(error.message));
    emu.ready.then(() => order.push("loaded"), () => order.push("loaded"));
    await emu.dispose();
    await emu.ready.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    console.log(JSON.stringify(order));`);
  const disposed = "durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code.";
  expect(result).toEqual([disposed, disposed, disposed, "loaded"]);
}, 30_000);
