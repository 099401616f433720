import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { type AnyStub, emulator, namespaceOf, ticksBeforeSettling } from "../helpers.js";

/** Call A logs, awaits `what`, logs again; call B logs once and returns the log. Whether B
 * lands between A's entries shows whether awaiting `what` let B in. */
function interleaving(what: () => Promise<unknown>) {
  class Gate extends DurableObject {
    log: string[] = [];
    async a() {
      this.log.push("a1");
      await what();
      this.log.push("a2");
      return this.log;
    }
    async b() {
      this.log.push("b");
      return this.log;
    }
  }
  return async () => {
    const ns = namespaceOf(Gate);
    const a = (ns.getByName("g") as AnyStub).a();
    const b = (ns.getByName("g") as AnyStub).b();
    await a;
    return (await b) as string[];
  };
}

describe("host APIs and the input gate", () => {
  it("crypto.subtle holds the gate until it settles", async () => {
    expect(await interleaving(() => crypto.subtle.digest("SHA-256", new Uint8Array(64)))()).toEqual(["a1", "a2", "b"]);
  });

  it("reading a Response body is I/O and lets a queued call in", async () => {
    expect(await interleaving(() => new Response("body").text())()).toEqual(["a1", "b"]);
  });

  it("scheduler.wait is a timer that lets a queued call in", async () => {
    const wait = (globalThis as unknown as { scheduler: { wait(ms: number): Promise<void> } }).scheduler;
    expect(await interleaving(() => wait.wait(0))()).toEqual(["a1", "b"]);
  });

  it("in Worker code (a fetch handler) too, a body read is I/O: it settles after the microtask queue drains", async () => {
    const post = (body: string) => new Request("http://x/", { method: "POST", body });
    const emu = emulator({
      module: {
        default: {
          fetch: async () =>
            Response.json([
              await ticksBeforeSettling(() => new Response("body").text()),
              await ticksBeforeSettling(() => new Response("{}").json()),
              await ticksBeforeSettling(() => post("body").arrayBuffer()),
              await ticksBeforeSettling(() => new Response("{").json().catch(() => null)),
            ]),
        },
      },
      name: "main",
    });
    expect(await (await emu.dispatchFetch("http://x/")).json()).toEqual([40, 40, 40, 40]);
  });

  it("leaves code outside objects alone", async () => {
    namespaceOf(class Unused extends DurableObject {});
    let later = false;
    setImmediate(() => (later = true));
    await new Response("x").text();
    expect(later).toBe(false);
  });
});
