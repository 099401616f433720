/**
 * Code of an instance that goes on after the object was reset (a handler that awaited while
 * reset() or abortAllDurableObjects() ran; in the runtime its I/O context is cancelled) or evicted
 * (emu.evict() lets a running call finish) finds every ctx.storage surface closed with the
 * runtime's error, never an internal one: partyserver's webSocketClose handler met this when a
 * test's afterEach reset() ran while it awaited. A cursor or kv.list() iterator it left unfinished
 * is closed too, not ended as if read (eviction finalizes it, so that the object's database can be
 * parked).
 */
import { expect, it } from "vitest";
import { abortAllDurableObjects, reset, useEmulator } from "../../../lib/modules/test/index.js";
import { type AnyStub, emulator } from "../../helpers.js";
import type { Emulator } from "../../../lib/index.js";

/**
 * How the test and the instance's code meet: the code calls `waiting(resume)` once it awaits and
 * `saw(results)` once it has tried every surface; the test awaits those calls themselves. (Not a
 * count of turns: before the code first runs, the object's Worker is loaded through Node's module
 * hooks thread and sql.js compiles off the main thread, which take as many of its turns as the
 * machine's load makes them.)
 */
const PROBE = Symbol.for("durasim.spec.storageAfterReset");
type Probe = { waiting(resume: () => void): void; saw(seen: Record<string, string>): void };
const signal = <T>() => {
  let resolve!: (value: T) => void;
  return { promise: new Promise<T>((settle) => (resolve = settle)), resolve };
};

const SCRIPT = `
  import { DurableObject } from "cloudflare:workers";
  export class Room extends DurableObject {
    async outlive() {
      const probe = globalThis[Symbol.for("durasim.spec.storageAfterReset")];
      const storage = this.ctx.storage;
      storage.kv.put("a", 1); storage.kv.put("b", 2); storage.kv.put("c", 3);
      const iter = storage.kv.list(); iter.next();
      storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x)");
      storage.sql.exec("INSERT INTO t VALUES (1), (2), (3)");
      const cursor = storage.sql.exec("SELECT x FROM t");
      cursor.next();
      await new Promise((resolve) => probe.waiting(resolve));
      const attempt = (f) => { try { f(); return "ran"; } catch (e) { return e.message; } };
      probe.saw({
        exec: attempt(() => storage.sql.exec("SELECT 1")),
        iterNext: (() => { try { return JSON.stringify(iter.next()); } catch (e) { return e.message; } })(),
        cursorNext: attempt(() => cursor.next()),
        cursorRest: attempt(() => cursor.toArray()),
        databaseSize: attempt(() => storage.sql.databaseSize),
        kvGet: attempt(() => storage.kv.get("k")),
        kvPut: attempt(() => storage.kv.put("k", 1)),
        kvList: attempt(() => [...storage.kv.list()]),
        asyncGet: await storage.get("k").then(() => "ran", (e) => e.message),
      });
    }
  }`;

for (const [name, resetAll] of [
  ["reset()", reset],
  ["abortAllDurableObjects()", abortAllDurableObjects],
  ["emu.evict()", (emu: Emulator) => emu.evict()],
] as const) {
  it(`after ${name}, an instance's code that goes on gets the runtime's error from every storage surface`, async () => {
    const waiting = signal<() => void>();
    const seen = signal<Record<string, string>>();
    (globalThis as unknown as Record<symbol, Probe>)[PROBE] = { waiting: waiting.resolve, saw: seen.resolve };
    try {
      const emu = emulator({ script: SCRIPT, durableObjects: { ROOM: { className: "Room", sqlite: true } } });
      useEmulator(emu);
      const pending = (emu.env.ROOM as { getByName(name: string): AnyStub }).getByName("r").outlive();
      pending.catch(() => undefined);
      const returnedFirst = pending.then(() => Promise.reject(new Error("outlive() returned without awaiting")));
      const resume = await Promise.race([waiting.promise, returnedFirst]);
      await resetAll(emu);
      resume();
      const closed = "Durable Object storage is no longer accessible.";
      expect(await seen.promise).toEqual({ iterNext: closed, exec: closed, cursorNext: closed, cursorRest: closed, databaseSize: closed, kvGet: closed, kvPut: closed, kvList: closed, asyncGet: closed });
    } finally {
      delete (globalThis as unknown as Record<symbol, Probe>)[PROBE];
    }
  });
}
