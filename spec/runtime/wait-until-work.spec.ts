/**
 * WaitUntilWork: the wait for what Worker events gave waitUntil, across Workers, with
 * production's limit (shortened here), and events given up on never waited for again.
 */
import { describe, expect, it } from "vitest";
import { WaitUntilWork } from "../../lib/runtime/wait-until-work.js";
import { WorkerRuntime } from "../../lib/runtime/worker.js";

const worker = (name: string) => new WorkerRuntime(name, () => {}, () => undefined);

function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("WaitUntilWork", () => {
  it("settles once every event's waitUntil promises of every Worker have, events started meanwhile included", async () => {
    const [a, b] = [worker("a"), worker("b")];
    const first = gate();
    const second = gate();
    a.startEvent().waitUntil(first.opened.then(() => b.startEvent().waitUntil(second.opened)));
    let done: boolean | undefined;
    const waiting = new WaitUntilWork(() => [a, b]).settled().then((settled) => (done = settled));
    first.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBeUndefined();
    second.open();
    await waiting;
    expect(done).toBe(true);
  });

  it("gives up after its limit, and never waits for the events it gave up on again; a rejection counts as settled", async () => {
    const a = worker("a");
    a.startEvent().waitUntil(new Promise(() => {}));
    const work = new WaitUntilWork(() => [a], 20);
    expect(await work.settled()).toBe(false);
    const later = gate();
    a.startEvent().waitUntil(later.opened.then(() => Promise.reject(new Error("failed work"))));
    const again = work.settled();
    later.open();
    expect(await again).toBe(true);
  });
});
