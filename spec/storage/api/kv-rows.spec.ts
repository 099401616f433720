/**
 * The KV API of a SQLite-backed object bills the rows of the statements workerd runs on _cf_KV
 * (the "KV API's statements" conformance scenario pins those counts on a table of the same
 * shape): a list reads each entry it returns plus the row past its range that the scan lands
 * on (one for an empty range), and deleteAll() reads every key, which workerd counts first.
 */
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

class Keys extends DurableObject {
  declare ctx: AnyStub;
  async fill() {
    await this.ctx.storage.put({ a: 1, b: 2, c: 3, d: 4, e: 5 });
  }
  async list(options: Record<string, unknown>) {
    return (await this.ctx.storage.list(options)).size;
  }
  kvList(options: Record<string, unknown>) {
    return [...this.ctx.storage.kv.list(options)].length;
  }
  async deleteAll() {
    await this.ctx.storage.deleteAll();
  }
}

function world() {
  const emu = emulator({ module: { Keys }, durableObjects: { NS: { className: "Keys", sqlite: true } } });
  const stub = (emu.env.NS as AnyStub).getByName("k");
  const rowsRead = async (run: () => Promise<unknown>) => {
    emu.resetUsage();
    const result = await run();
    return [result, emu.usage(stub).sqlite.rowsRead];
  };
  return { stub, rowsRead };
}

describe("KV API on SQLite: rows read as workerd's statements read them", () => {
  it("bills a list by the rows its scan lands on", async () => {
    const { stub, rowsRead } = world();
    expect(await rowsRead(() => stub.list({}))).toEqual([0, 0]); // no _cf_KV yet: no statement
    await stub.fill();
    expect(await rowsRead(() => stub.list({}))).toEqual([5, 5]);
    expect(await rowsRead(() => stub.list({ start: "b", end: "d" }))).toEqual([2, 3]); // and "d", past the end
    expect(await rowsRead(() => stub.list({ start: "b", end: "z" }))).toEqual([4, 4]); // nothing past the end
    expect(await rowsRead(() => stub.list({ start: "x" }))).toEqual([0, 1]); // an empty range still seeks
    expect(await rowsRead(() => stub.list({ limit: 2 }))).toEqual([2, 2]); // stops at the limit
    expect(await rowsRead(() => stub.list({ reverse: true, start: "c" }))).toEqual([3, 4]); // and "b", below the start
    expect(await rowsRead(() => stub.list({ prefix: "c" }))).toEqual([1, 2]);
    expect(await rowsRead(() => stub.kvList({ start: "b", end: "d" }))).toEqual([2, 3]);
  });

  it("bills deleteAll() a row read per key", async () => {
    const { stub, rowsRead } = world();
    await stub.fill();
    expect(await rowsRead(() => stub.deleteAll())).toEqual([undefined, 5]);
    expect(await rowsRead(() => stub.deleteAll())).toEqual([undefined, 0]);
  });
});
