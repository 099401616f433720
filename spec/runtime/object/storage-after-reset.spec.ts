/**
 * Code of an instance that goes on after the object was reset (a handler that awaited while
 * reset() or abortAllDurableObjects() ran; in the runtime its I/O context is cancelled) finds
 * every ctx.storage surface closed with the runtime's error, never an internal one: partyserver's
 * webSocketClose handler met this when a test's afterEach reset() ran while it awaited.
 */
import { expect, it } from "vitest";
import { abortAllDurableObjects, reset, useEmulator } from "../../../lib/modules/test/index.js";
import { type AnyStub, emulator, until } from "../../helpers.js";

const PROBE = Symbol.for("durasim.spec.storageAfterReset");
type Probe = { waiting: boolean; resume?: () => void; seen?: Record<string, string> };
const probe = () => (globalThis as unknown as Record<symbol, Probe>)[PROBE]!;

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  export class Room extends DurableObject {
    async outlive() {
      const probe = globalThis[Symbol.for("durasim.spec.storageAfterReset")];
      const storage = this.ctx.storage;
      storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x)");
      await new Promise((resolve) => { probe.resume = resolve; probe.waiting = true; });
      const attempt = (f) => { try { f(); return "ran"; } catch (e) { return e.message; } };
      probe.seen = {
        exec: attempt(() => storage.sql.exec("SELECT 1")),
        databaseSize: attempt(() => storage.sql.databaseSize),
        kvGet: attempt(() => storage.kv.get("k")),
        kvPut: attempt(() => storage.kv.put("k", 1)),
        kvList: attempt(() => [...storage.kv.list()]),
        asyncGet: await storage.get("k").then(() => "ran", (e) => e.message),
      };
    }
  }`;

for (const [name, resetAll] of [
  ["reset()", reset],
  ["abortAllDurableObjects()", abortAllDurableObjects],
] as const) {
  it(`after ${name}, an instance's code that goes on gets the runtime's error from every storage surface`, async () => {
    (globalThis as unknown as Record<symbol, Probe>)[PROBE] = { waiting: false };
    try {
      const emu = emulator({ script: SCRIPT, durableObjects: { ROOM: { className: "Room", sqlite: true } } });
      useEmulator(emu);
      const pending = (emu.env.ROOM as { getByName(name: string): AnyStub }).getByName("r").outlive();
      pending.catch(() => undefined);
      await until(() => probe().waiting);
      await resetAll();
      probe().resume!();
      await until(() => probe().seen !== undefined);
      const closed = "Durable Object storage is no longer accessible.";
      expect(probe().seen).toEqual({ exec: closed, databaseSize: closed, kvGet: closed, kvPut: closed, kvList: closed, asyncGet: closed });
    } finally {
      delete (globalThis as unknown as Record<symbol, Probe>)[PROBE];
    }
  });
}
