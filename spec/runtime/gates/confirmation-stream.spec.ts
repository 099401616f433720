import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator } from "../../helpers.js";

/** What the object and the test did, in one order. */
const log: string[] = [];

interface Storage {
  put(key: string, value: unknown): Promise<void>;
}

class Stream extends DurableObject {
  /** Writes without awaiting: the write in flight holds the input gate, so the next call starts
   * once the turn's microtasks have run, and its commit awaits a confirmation of its own. */
  write(i: number) {
    void ((this.ctx as { storage: Storage }).storage).put(`k${i}`, i);
    log.push(`end ${i}`);
    return i;
  }
  /** As write(), its result a promise: ready a microtask later, as write()'s plain one is. */
  async writeAsync(i: number) {
    return this.write(i);
  }
  ready() {
    return "ready";
  }
}

describe("results waiting for a SQLite commit's confirmation", () => {
  // A result is ready a microtask after the method returns, once the turn end armed for an
  // earlier batch or an earlier result leaving may have committed its writes: it still waits
  // for their confirmation, and leaves after the results before it.
  it.each(["write", "writeAsync"] as const)("leave once their own commit is confirmed, under a steady stream of writers (%s)", async (method) => {
    const emu = emulator({ module: { Stream }, durableObjects: { NS: { className: "Stream", sqlite: true } } });
    const stub = (emu.env.NS as AnyStub).getByName("stream");
    await stub.ready();
    log.length = 0;
    const writers = 20;
    await Promise.all(Array.from({ length: writers }, (_, i) => stub[method](i).then(() => log.push(`done ${i}`))));
    // Each result leaves a few writers after its own, never once the stream stops: it waited
    // for the confirmation pending at each turn's end, a later writer's too, and the first
    // result arrived after all 20 writers had run. (A Worker's calls see it before the fourth
    // writer after its own has run, as in workerd; test code's, served without the event loop
    // turning, once the next two writers have committed: before the fifth.)
    for (let i = 0; i < writers - 5; i++) {
      expect(log.indexOf(`done ${i}`), `result ${i}`).toBeLessThan(log.indexOf(`end ${i + 5}`));
    }
    expect(log.filter((entry) => entry.startsWith("done"))).toEqual(Array.from({ length: writers }, (_, i) => `done ${i}`));
  });
});
