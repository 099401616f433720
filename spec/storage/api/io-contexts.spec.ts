/**
 * An object's storage belongs to its instance's I/O context. Code of another Durable Object, or
 * of a stateless Worker event, that reaches it through a module-level variable (a "db" singleton
 * made by the first object) is refused with the runtime's words, once its arguments are checked,
 * and touches nothing of the owner's data; test code, which runs in no context, may use it.
 */
import { expect, it } from "vitest";
import { Response } from "../../../lib/modules/worker-globals.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, rejection } from "../../helpers.js";
import { OTHER_OBJECT, OTHER_REQUEST } from "../../io-context-messages.js";

interface Cursor {
  next(): unknown;
  toArray(): unknown[];
  readonly columnNames: string[];
}
interface Storage {
  get(key: unknown): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: unknown): Promise<boolean>;
  deleteAll(): Promise<void>;
  list(): Promise<Map<string, unknown>>;
  setAlarm(time: number): Promise<void>;
  sql: { exec(query: string): Cursor };
  kv: { get(key: string): unknown; list(): Iterator<unknown> };
}

let kept: { storage: Storage; cursor: Cursor; finished: Cursor; kvList: Iterator<unknown> } | undefined;

/** What each use ends with: the value, or the message of what it threw ("threw: ") or rejected with. */
async function outcomes(uses: Record<string, () => unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, use] of Object.entries(uses)) {
    try {
      const result = use();
      out[name] = result instanceof Promise ? await result.catch((error: Error) => error.message) : result;
    } catch (error) {
      out[name] = `threw: ${(error as Error).message}`;
    }
  }
  return out;
}

function useKept() {
  const { storage, cursor, finished, kvList } = kept!;
  return outcomes({
    get: () => storage.get("k"),
    noKey: () => (storage.get as () => Promise<unknown>)().then(() => "resolved", (error: Error) => error.constructor.name),
    put: () => storage.put("intruder", 1),
    delete: () => storage.delete("k"),
    deleteAll: () => storage.deleteAll(),
    setAlarm: () => storage.setAlarm(Date.now() + 60_000),
    exec: () => storage.sql.exec("SELECT 1"),
    kvGet: () => storage.kv.get("k"),
    cursorNext: () => cursor.next(),
    cursorColumns: () => cursor.columnNames,
    finishedCursor: () => finished.next(),
    kvListNext: () => kvList.next(),
  });
}

class Keeper extends DurableObject {
  async alarm() {}
  async keep() {
    const storage = (this.ctx as unknown as { storage: Storage }).storage;
    await storage.put("k", "mine");
    const finished = storage.sql.exec("SELECT 1");
    finished.toArray();
    kept = { storage, cursor: storage.sql.exec("SELECT 1 AS a UNION ALL SELECT 2"), finished, kvList: storage.kv.list() };
  }
  useKept() {
    return useKept();
  }
  abortNow() {
    (this.ctx as unknown as { abort(reason: string): never }).abort("reset");
  }
  async data() {
    const storage = (this.ctx as unknown as { storage: Storage }).storage;
    return [...(await storage.list())];
  }
}

function keeperEmulator() {
  return emulator({
    module: {
      Keeper,
      default: {
        async fetch() {
          return Response.json(await useKept());
        },
      },
    },
    durableObjects: { DO: { className: "Keeper", sqlite: true } },
  });
}

const refusedBy = (words: string) => ({
  get: `${words} (I/O type: ActorCacheInterface)`,
  // An argument check comes first.
  noKey: "TypeError",
  put: `${words} (I/O type: ActorCacheInterface)`,
  delete: `threw: ${words} (I/O type: ActorCacheInterface)`,
  deleteAll: `${words} (I/O type: ActorCacheInterface)`,
  exec: `threw: ${words} (I/O type: ActorCacheInterface)`,
  kvGet: `threw: ${words} (I/O type: ActorCacheInterface)`,
  cursorNext: `threw: ${words} (I/O type: State)`,
  cursorColumns: ["a"],
  finishedCursor: { done: true, value: undefined },
  kvListNext: `threw: ${words} (I/O type: ListCursor)`,
});

it("another object's code is refused, after its arguments are checked, and changes nothing of the owner's", async () => {
  const emu = keeperEmulator();
  const ns = emu.env.DO as AnyStub;
  await ns.getByName("owner").keep();
  const seen = await ns.getByName("other").useKept();
  expect(seen).toEqual({
    ...refusedBy(OTHER_OBJECT),
    setAlarm: `${OTHER_OBJECT} (I/O type: ActorCacheInterface)`,
  });
  expect(await ns.getByName("owner").data()).toEqual([["k", "mine"]]);
  expect(await ns.getByName("other").data()).toEqual([]);
});

it("a Worker event's code is refused; delete() and setAlarm() fail there with the runtime's internal error", async () => {
  const emu = keeperEmulator();
  await (emu.env.DO as AnyStub).getByName("owner").keep();
  const seen = (await (await emu.dispatchFetch("http://w/")).json()) as Record<string, string>;
  expect({ ...seen, delete: seen.delete!.replace(/reference = \w+/, "reference = R"), setAlarm: seen.setAlarm!.replace(/reference = \w+/, "reference = R") }).toEqual({
    ...refusedBy(OTHER_REQUEST),
    // (JSON drops the `value: undefined` of a finished cursor's result.)
    finishedCursor: { done: true },
    delete: "threw: internal error; reference = R",
    setAlarm: "internal error; reference = R",
  });
  expect(await (emu.env.DO as AnyStub).getByName("owner").data()).toEqual([["k", "mine"]]);
});

it("a new instance after a reset is another context: the storage its predecessor kept refuses it as another object's", async () => {
  const emu = keeperEmulator();
  const ns = emu.env.DO as AnyStub;
  await ns.getByName("owner").keep();
  expect((await rejection(ns.getByName("owner").abortNow())).message).toBe("reset");
  const seen = await ns.getByName("owner").useKept();
  expect([seen.get, seen.delete, seen.exec]).toEqual([
    `${OTHER_OBJECT} (I/O type: ActorCacheInterface)`,
    `threw: ${OTHER_OBJECT} (I/O type: ActorCacheInterface)`,
    `threw: ${OTHER_OBJECT} (I/O type: ActorCacheInterface)`,
  ]);
});

it("test code belongs to no context and may use an object's storage", async () => {
  const emu = keeperEmulator();
  await (emu.env.DO as AnyStub).getByName("owner").keep();
  expect(await kept!.storage.get("k")).toBe("mine");
  expect(kept!.cursor.next()).toEqual({ done: false, value: { a: 1 } });
});
