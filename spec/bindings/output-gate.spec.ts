/**
 * A Durable Object's writes to KV namespaces and R2 buckets leave through its output gate
 * (reference §5.3): they reach the store only once the object's earlier storage writes are
 * committed, and never when that commit fails. Reads are not held.
 */
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { type AnyStub, nextTurn, rejection } from "../helpers.js";
import { bindingsEnv } from "./fixtures.js";

interface Env {
  KV: {
    put(key: string, value: string): Promise<void>;
    get(key: string | string[]): Promise<unknown>;
    delete(key: string): Promise<void>;
  };
  BUCKET: {
    put(key: string, value: string): Promise<unknown>;
    delete(key: string): Promise<void>;
    createMultipartUpload(key: string): Promise<{ uploadId: string; abort(): Promise<void> }>;
    resumeMultipartUpload(key: string, uploadId: string): { uploadPart(n: number, body: string): Promise<unknown>; abort(): Promise<void> };
  };
}

interface Storage {
  put(key: string, value: unknown): Promise<void>;
  transaction<T>(closure: (txn: { put(key: string, value: unknown): Promise<void> }) => Promise<T>): Promise<T>;
  sql: { exec(query: string): unknown };
}

/** What Sender.kvRead() and kvBatchRead() read, as the object's code saw it. */
const seen: unknown[] = [];

/** Each method writes to its own storage first (not awaited), then sends one binding call. */
class Sender extends DurableObject {
  get #env(): Env {
    return this.env as Env;
  }

  #write(): void {
    void (this.ctx as { storage: Storage }).storage.put("local", 1);
  }

  async kvPut(key: string) {
    this.#write();
    await this.#env.KV.put(key, "sent");
    return "done";
  }

  /** The KV write is sent first, the storage write follows in the same turn. */
  async kvPutThenWrite(key: string) {
    const sent = this.#env.KV.put(key, "sent");
    this.#write();
    await sent;
    return "done";
  }

  async kvDelete(key: string) {
    this.#write();
    await this.#env.KV.delete(key);
    return "done";
  }

  async kvRead(key: string) {
    this.#write();
    seen.push(await this.#env.KV.get(key));
    return "done";
  }

  /** A batch get is a POST, which the runtime holds like a write. */
  async kvBatchRead(key: string) {
    this.#write();
    try {
      seen.push(await this.#env.KV.get([key]));
    } catch (error) {
      seen.push((error as Error).message);
    }
    return "done";
  }

  async r2Put(key: string) {
    this.#write();
    await this.#env.BUCKET.put(key, "sent");
    return "done";
  }

  async r2Delete(key: string) {
    this.#write();
    await this.#env.BUCKET.delete(key);
    return "done";
  }

  async r2Abort(key: string, uploadId: string) {
    this.#write();
    await this.#env.BUCKET.resumeMultipartUpload(key, uploadId).abort();
    return "done";
  }

  /** A KV write awaited inside a transaction (on SQLite-backed objects, one that spans turns). */
  async kvPutInTransaction(key: string) {
    return (this.ctx as { storage: Storage }).storage.transaction(async (txn) => {
      await txn.put("local", 2);
      await this.#env.KV.put(key, "sent");
      return "done";
    });
  }

  /** A SQL write (SQLite-backed objects) followed by a KV write in the same turn. */
  async sqlThenKvPut(key: string) {
    (this.ctx as { storage: Storage }).storage.sql.exec("CREATE TABLE IF NOT EXISTS t (a)");
    await this.#env.KV.put(key, "sent");
    return "done";
  }
}

function world(sqlite = false) {
  const { emu, env } = bindingsEnv({ module: { Sender }, durableObjects: { S: { className: "Sender", sqlite } } });
  return { emu, env, stub: (name: string): AnyStub => env.S.getByName(name) };
}

describe("KV and R2 writes behind a Durable Object's output gate (reference §5.3)", () => {
  it("are made once the object's earlier writes commit", async () => {
    const { env, stub } = world();
    await env.KV.put("gone", "v");
    await env.BUCKET.put("gone", "v");
    const sender = stub("ok");
    expect(await sender.kvPut("k")).toBe("done");
    expect(await sender.kvDelete("gone")).toBe("done");
    expect(await sender.r2Put("k")).toBe("done");
    expect(await sender.r2Delete("gone")).toBe("done");
    expect(await env.KV.get("k")).toBe("sent");
    expect(await env.KV.get("gone")).toBeNull();
    expect(await (await env.BUCKET.get("k")).text()).toBe("sent");
    expect(await env.BUCKET.head("gone")).toBeNull();
  });

  it.each([false, true])("are never made when that commit fails (sqlite: %s)", async (sqlite) => {
    const { emu, env, stub } = world(sqlite);
    await env.KV.put("kept", "v");
    await env.BUCKET.put("kept", "v");
    const upload = await env.BUCKET.createMultipartUpload("multi");
    const calls: Array<[string, (s: AnyStub) => Promise<unknown>]> = [
      ["kvPut", (s) => s.kvPut("k")],
      ["kvDelete", (s) => s.kvDelete("kept")],
      ["r2Put", (s) => s.r2Put("k")],
      ["r2Delete", (s) => s.r2Delete("kept")],
      ["r2Abort", (s) => s.r2Abort("multi", upload.uploadId)],
    ];
    for (const [name, call] of calls) {
      const sender = stub(name);
      emu.failNextCommit(sender);
      const error = await rejection(call(sender));
      expect([name, error.message, error.durableObjectReset]).toEqual([
        name,
        "Internal error in Durable Object storage write caused object to be reset.",
        true,
      ]);
    }
    expect(await env.KV.get("k")).toBeNull();
    expect(await env.KV.get("kept")).toBe("v");
    expect(await env.BUCKET.head("k")).toBeNull();
    expect(await env.BUCKET.head("kept")).not.toBeNull();
    // The upload was never aborted: it still takes parts.
    expect(await env.BUCKET.resumeMultipartUpload("multi", upload.uploadId).uploadPart(1, "part")).toMatchObject({ partNumber: 1 });
  });

  it("wait for SQL writes of a SQLite-backed object too", async () => {
    const { emu, env, stub } = world(true);
    const sender = stub("sql");
    emu.failNextCommit(sender);
    expect((await rejection(sender.sqlThenKvPut("k"))).durableObjectReset).toBe(true);
    expect(await env.KV.get("k")).toBeNull();
    expect(await stub("sql").sqlThenKvPut("k")).toBe("done");
    expect(await env.KV.get("k")).toBe("sent");
  });

  it.each([false, true])("do not wait for the writes of a transaction that awaits them (sqlite: %s)", async (sqlite) => {
    // The runtime locks the gate for a transaction's writes when it commits, not before.
    const { env, stub } = world(sqlite);
    expect(await stub("tx").kvPutInTransaction("k")).toBe("done");
    expect(await env.KV.get("k")).toBe("sent");
  });

  it("leave at the end of their turn: a write sent before a failing storage write of the same turn is not made either", async () => {
    const { emu, env, stub } = world();
    const sender = stub("before");
    emu.failNextCommit(sender);
    expect((await rejection(sender.kvPutThenWrite("k"))).durableObjectReset).toBe(true);
    expect(await env.KV.get("k")).toBeNull();
    expect(await stub("before").kvPutThenWrite("k")).toBe("done");
    expect(await env.KV.get("k")).toBe("sent");
  });

  it("a read's answer never reaches the code of an instance its commit failure reset", async () => {
    const { emu, env, stub } = world();
    await env.KV.put("k", "v");
    const sender = stub("reader");
    emu.failNextCommit(sender);
    seen.length = 0;
    // The event fails with the reset; the reset instance's code never resumes, as the runtime
    // tears its I/O context down (conformance "reset drops answers: ...").
    expect((await rejection(sender.kvRead("k"))).durableObjectReset).toBe(true);
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(seen).toEqual([]);
    expect(await stub("reader").kvRead("k")).toBe("done");
    expect(seen).toEqual(["v"]);
  });

  it("hold a batch get as the runtime does: the reset discards it, and the reset instance's code hears nothing", async () => {
    const { emu, env, stub } = world();
    await env.KV.put("k", "v");
    const sender = stub("batch");
    emu.failNextCommit(sender);
    seen.length = 0;
    expect((await rejection(sender.kvBatchRead("k"))).durableObjectReset).toBe(true);
    for (let turn = 0; turn < 5; turn++) await nextTurn();
    expect(seen).toEqual([]);
    expect(await stub("batch").kvBatchRead("k")).toBe("done");
    expect(seen).toEqual([new Map([["k", "v"]])]);
  });
});
