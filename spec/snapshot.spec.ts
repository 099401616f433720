/**
 * emu.snapshot() / emu.restore(): the whole emulator's state, black-box. Storage of both
 * kinds (KV entries, SQL tables), which objects exist, alarms, KV and R2 bindings; instances
 * are dropped; snapshots nest and can be restored again.
 */
import { describe, expect, it } from "vitest";
import { DurableObject } from "../lib/modules/workers.js";
import { type AnyStub, emulator, rejection } from "./helpers.js";

type Ctx = { storage: any; id: { name?: string } };

const fired: string[] = [];

class Store extends DurableObject {
  /** Instance state, to tell a new instance from an old one. */
  constructed = Date.now() + Math.random();

  get ctxt(): Ctx {
    return this.ctx as unknown as Ctx;
  }
  put(key: string, value: unknown) {
    return this.ctxt.storage.put(key, value);
  }
  delete(key: string) {
    return this.ctxt.storage.delete(key);
  }
  async entries() {
    return [...(await this.ctxt.storage.list())];
  }
  instance() {
    return this.constructed;
  }
  setAlarm(at: number) {
    return this.ctxt.storage.setAlarm(at);
  }
  getAlarm() {
    return this.ctxt.storage.getAlarm();
  }
  deleteAlarm() {
    return this.ctxt.storage.deleteAlarm();
  }
  alarm() {
    fired.push(this.ctxt.id.name ?? "?");
  }
  /** Never settles until the instance goes away. */
  hang() {
    return new Promise(() => undefined);
  }
  sql(query: string, ...args: unknown[]) {
    return this.ctxt.storage.sql.exec(query, ...args).toArray();
  }
}

class SqlStore extends Store {}

function world() {
  const emu = emulator({
    module: { Store, SqlStore },
    durableObjects: { KV: "Store", SQL: { className: "SqlStore", sqlite: true } },
    kvNamespaces: ["CACHE"],
    r2Buckets: ["FILES"],
    clock: "manual",
  });
  return { emu, env: emu.env as Record<string, any> };
}

describe("emu.snapshot() and emu.restore()", () => {
  it("puts KV-backed storage back: changed, deleted and added keys", async () => {
    const { emu, env } = world();
    const stub: AnyStub = env.KV.getByName("a");
    await stub.put("keep", 1);
    await stub.put("change", { v: 1 });
    await stub.put("remove", "x");
    const snapshot = await emu.snapshot();
    await stub.put("change", { v: 2 });
    await stub.delete("remove");
    await stub.put("added", true);
    await emu.restore(snapshot);
    expect(await env.KV.getByName("a").entries()).toEqual([
      ["change", { v: 1 }],
      ["keep", 1],
      ["remove", "x"],
    ]);
  });

  it("puts SQLite-backed storage back: tables, rows and KV entries", async () => {
    const { emu, env } = world();
    const stub: AnyStub = env.SQL.getByName("s");
    await stub.sql("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
    await stub.sql("INSERT INTO t(v) VALUES ('one'), ('two')");
    await stub.put("k", "before");
    const snapshot = await emu.snapshot();
    await stub.sql("DELETE FROM t WHERE v = 'one'");
    await stub.sql("CREATE TABLE later(x)");
    await stub.put("k", "after");
    await emu.restore(snapshot);
    const again: AnyStub = env.SQL.getByName("s");
    expect(await again.sql("SELECT v FROM t ORDER BY id")).toEqual([{ v: "one" }, { v: "two" }]);
    expect(await again.sql("SELECT name FROM sqlite_master WHERE name = 'later'")).toEqual([]);
    expect(await again.entries()).toEqual([["k", "before"]]);
  });

  it("empties objects that had no storage when the snapshot was taken, and listIds() forgets them", async () => {
    const { emu, env } = world();
    const old = env.KV.idFromName("old").toString();
    await env.KV.getByName("old").put("k", 0);
    const snapshot = await emu.snapshot();
    await env.KV.getByName("new").put("k", 1);
    await env.SQL.getByName("new").sql("CREATE TABLE t(x)");
    expect((await emu.listIds("KV")).map(String)).toContain(env.KV.idFromName("new").toString());
    await emu.restore(snapshot);
    expect((await emu.listIds("KV")).map(String)).toEqual([old]);
    expect(await emu.listIds("SQL")).toEqual([]);
    expect(await env.KV.getByName("new").entries()).toEqual([]);
    expect(await env.SQL.getByName("new").sql("SELECT name FROM sqlite_master")).toEqual([]);
  });

  it("drops live instances: the next call constructs a new one", async () => {
    const { emu, env } = world();
    const before = await env.KV.getByName("i").instance();
    expect(await env.KV.getByName("i").instance()).toBe(before);
    await emu.restore(await emu.snapshot());
    expect(await env.KV.getByName("i").instance()).not.toBe(before);
  });

  it("fails calls still waiting on a dropped instance with a reset error", async () => {
    const { emu, env } = world();
    const stub: AnyStub = env.KV.getByName("busy");
    const snapshot = await emu.snapshot();
    const pending = rejection(stub.hang());
    await new Promise((resolve) => setImmediate(resolve));
    await emu.restore(snapshot);
    const error = await pending;
    expect(error.message).toBe("Durable Object reset because the emulator's state was restored from a snapshot (emu.restore()).");
    expect(error.durableObjectReset).toBe(true);
  });

  it("restores alarms: a deleted alarm comes back and fires, one set afterwards is gone", async () => {
    const { emu, env } = world();
    fired.length = 0;
    const kept: AnyStub = env.KV.getByName("kept");
    const at = Date.now() + 60_000;
    await kept.setAlarm(at);
    const snapshot = await emu.snapshot();
    await kept.deleteAlarm();
    await env.SQL.getByName("later").setAlarm(Date.now() + 30_000);
    await emu.restore(snapshot);
    expect(await env.KV.getByName("kept").getAlarm()).toBe(at);
    expect(await env.SQL.getByName("later").getAlarm()).toBeNull();
    await emu.advanceTime(120_000);
    expect(fired).toEqual(["kept"]);
  });

  it("covers KV namespaces and R2 buckets", async () => {
    const { emu, env } = world();
    await env.CACHE.put("k", "v1");
    await env.FILES.put("f", "one");
    const snapshot = await emu.snapshot();
    await env.CACHE.put("k", "v2");
    await env.CACHE.put("other", "x");
    await env.FILES.delete("f");
    await emu.restore(snapshot);
    expect(await env.CACHE.get("k")).toBe("v1");
    expect(await env.CACHE.get("other")).toBeNull();
    expect(await (await env.FILES.get("f")).text()).toBe("one");
  });

  it("nests and re-restores: each snapshot keeps its own state", async () => {
    const { emu, env } = world();
    const kv = () => env.KV.getByName("n") as AnyStub;
    const sql = () => env.SQL.getByName("n") as AnyStub;
    await kv().put("v", 1);
    await sql().put("v", 1);
    const first = await emu.snapshot();
    await kv().put("v", 2);
    await sql().put("v", 2);
    const second = await emu.snapshot();
    await kv().put("v", 3);
    await sql().put("v", 3);
    await emu.restore(second);
    expect([await kv().entries(), await sql().entries()]).toEqual([[["v", 2]], [["v", 2]]]);
    await emu.restore(first);
    expect([await kv().entries(), await sql().entries()]).toEqual([[["v", 1]], [["v", 1]]]);
    await emu.restore(second);
    expect([await kv().entries(), await sql().entries()]).toEqual([[["v", 2]], [["v", 2]]]);
    // A snapshot taken after a restore, with nothing changed, restores the same state.
    await kv().put("v", 4);
    await emu.restore(await emu.snapshot());
    expect(await kv().entries()).toEqual([["v", 4]]);
    await emu.restore(first);
    expect(await kv().entries()).toEqual([["v", 1]]);
  });

  it("includes writes whose commit was still waiting for the end of their turn", async () => {
    const { emu, env } = world();
    const stub: AnyStub = env.SQL.getByName("late");
    const write = stub.put("k", "v");
    const snapshot = await emu.snapshot();
    await write;
    await stub.put("k", "changed");
    await emu.restore(snapshot);
    expect(await env.SQL.getByName("late").entries()).toEqual([["k", "v"]]);
  });

  it("accepts only this emulator's snapshots", async () => {
    const { emu } = world();
    const other = world().emu;
    const error = await rejection(emu.restore(await other.snapshot()));
    expect([error.name, error.message]).toEqual(["TypeError", "durasim: restore() needs a snapshot made by this Emulator's snapshot()."]);
    expect((await rejection(emu.restore({} as never))).name).toBe("TypeError");
  });
});

describe("emu.waitUntilSettled()", () => {
  it("waits for the promises a Worker's handler gave ctx.waitUntil() after answering, ones added meanwhile too, so a restore then undoes their writes", async () => {
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { opened, open };
    };
    const first = gate();
    const second = gate();
    const emu = emulator({
      module: {
        Store,
        default: {
          fetch(_request: Request, env: any, ctx: { waitUntil(promise: Promise<unknown>): void }) {
            ctx.waitUntil(
              first.opened.then(async () => {
                await env.KV.getByName("w").put("first", 1);
                ctx.waitUntil(second.opened.then(() => env.KV.getByName("w").put("second", 2)));
              }),
            );
            return new Response("answered");
          },
        },
      },
      durableObjects: { KV: "Store" },
    });
    const env = emu.env as Record<string, any>;
    const before = await emu.snapshot();
    expect(await (await emu.dispatchFetch("http://worker/")).text()).toBe("answered");
    let settled = false;
    const waiting = emu.waitUntilSettled().then((all) => ((settled = true), all));
    const turns = () => new Promise((resolve) => setImmediate(resolve));
    await turns();
    expect(settled).toBe(false);
    first.open();
    await turns();
    expect(settled).toBe(false);
    second.open();
    await waiting;
    expect(await env.KV.getByName("w").entries()).toEqual([["first", 1], ["second", 2]]);
    await emu.restore(before);
    expect(await env.KV.getByName("w").entries()).toEqual([]);
    expect(await waiting).toBe(true);
    // Nothing left to wait for: it resolves at once.
    expect(await emu.waitUntilSettled()).toBe(true);
  });

  it("gives up, resolving to false, as soon as the emulator is disposed: the events it ended never finish their work (it waited out its 30 seconds)", async () => {
    const emu = emulator({
      module: {
        default: {
          fetch(_request: Request, _env: unknown, ctx: { waitUntil(promise: Promise<unknown>): void }) {
            ctx.waitUntil(new Promise(() => {}));
            return new Response("answered");
          },
        },
      },
    });
    expect(await (await emu.dispatchFetch("http://worker/")).text()).toBe("answered");
    const waiting = emu.waitUntilSettled();
    await new Promise((resolve) => setImmediate(resolve));
    await emu.dispose();
    const outcome = await Promise.race([waiting, new Promise((resolve) => setTimeout(resolve, 1000, "still waiting"))]);
    expect(outcome).toBe(false);
  });
});
