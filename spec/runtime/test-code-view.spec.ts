/**
 * Test code's view of Node's globals: durasim reshapes some of them for Worker and object code
 * (runtime/host-apis.ts), and test code must keep reading Node's. What test code sees before
 * durasim is imported is recorded first, so the module is imported only then.
 */
import { afterAll, describe, expect, it } from "vitest";

const nodeDetail = Object.getOwnPropertyDescriptor(CustomEvent.prototype, "detail")!.get;
const nodeIteratorIsEntries = FormData.prototype[Symbol.iterator] === FormData.prototype.entries;
const { Emulator } = await import("../../lib/index.js");
const detailAfterImport = Object.getOwnPropertyDescriptor(CustomEvent.prototype, "detail")!.get;

const emu = new Emulator({
  script: `
    export default {
      fetch() {
        const iterator = FormData.prototype[Symbol.iterator];
        return Response.json([new CustomEvent("x").detail === undefined, iterator === FormData.prototype.entries, iterator.name]);
      },
    };
  `,
});

afterAll(() => emu.dispose());

describe("test code's view of Node's globals", () => {
  it("importing durasim leaves Node's CustomEvent detail getter in place", () => {
    expect(detailAfterImport).toBe(nodeDetail);
  });

  it("once Worker code ran, test code's CustomEvent without a detail still reads null, Worker code's undefined", async () => {
    const [workerUndefined] = (await (await emu.dispatchFetch("http://x/")).json()) as [boolean];
    expect([workerUndefined, new CustomEvent("x").detail]).toEqual([true, null]);
  });

  it("once Worker code ran, test code's FormData iterator is still entries, Worker code's a method of its own", async () => {
    const [, workerIsEntries, workerName] = (await (await emu.dispatchFetch("http://x/")).json()) as [boolean, boolean, string];
    const form = new FormData();
    form.append("a", "1");
    expect([nodeIteratorIsEntries, FormData.prototype[Symbol.iterator] === FormData.prototype.entries, [...form]]).toEqual([true, true, [["a", "1"]]]);
    expect([workerIsEntries, workerName]).toEqual([false, ""]);
  });
});
