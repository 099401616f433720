// A caller's AbortSignal outlives its calls (one controller for a whole test, a server's
// request signal): a call that watches it must stop watching once it settles, however it ends,
// or every call leaves a listener (and what it holds) on the signal for as long as it lives.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { DurableObject, WorkerEntrypoint } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, nextTurn, rejection } from "../../helpers.js";

const chunks = (n: number, fail?: Error) => {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ < n) controller.enqueue(new Uint8Array(8));
      else if (fail) controller.error(fail);
      else controller.close();
    },
  });
};

class Answering extends DurableObject {
  async fetch(request: Request) {
    const path = new URL(request.url).pathname;
    if (path === "/throw") throw new Error("handler failed");
    if (path === "/hang") return new Promise<never>(() => undefined);
    if (path === "/stream") return new Response(chunks(3));
    if (path === "/stream-fails") return new Response(chunks(1, new Error("mid-stream")));
    return new Response(request.body);
  }
}

class Service extends WorkerEntrypoint {
  fetch() {
    return new Response("service");
  }
}

describe("a caller's AbortSignal", () => {
  it("keeps no listener of its own once each call settles, whether it answered, threw, streamed or was disposed", async () => {
    const emu = emulator({
      module: { Answering, Service },
      durableObjects: { NS: "Answering" },
      serviceBindings: { SVC: { name: "worker", entrypoint: "Service" } },
    });
    const env = emu.env as AnyStub;
    const stub = env.NS.getByName("a");
    const { signal } = new AbortController();
    const listeners = () => getEventListeners(signal, "abort").length;
    for (let i = 0; i < 20; i++) {
      await (await stub.fetch("http://x/", { method: "POST", body: "abc", signal })).text();
      await stub.fetch("http://x/stream", { signal }); // body never read
      await (await stub.fetch("http://x/stream", { signal })).body!.cancel();
      await rejection((await stub.fetch("http://x/stream-fails", { signal })).text());
      await rejection(stub.fetch("http://x/throw", { signal }));
      await (await env.SVC.fetch("http://x/", { signal })).text();
    }
    // The bodies it covers (one still arriving ends on abort) share one listener, however many,
    // until the last has ended: here the unread ones, once garbage-collected.
    expect(listeners()).toBeLessThanOrEqual(1);
    const hanging = stub.fetch("http://x/hang", { signal });
    await nextTurn();
    expect(listeners()).toBeGreaterThanOrEqual(1);
    expect(listeners()).toBeLessThanOrEqual(2);
    await emu.dispose();
    await rejection(hanging);
    expect(listeners()).toBeLessThanOrEqual(1);
  });

  it("rejects with its reason when it aborts first, and stops watching it", async () => {
    const stub = (emulator({ module: { Answering }, durableObjects: { NS: "Answering" } }).env as AnyStub).NS.getByName("b");
    const controller = new AbortController();
    const hanging = stub.fetch("http://x/hang", { signal: controller.signal });
    await nextTurn();
    controller.abort(new RangeError("caller gave up"));
    expect((await rejection(hanging)).message).toBe("caller gave up");
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  // A Request input's signal is the caller's: the one its init gave, or that of the Request it
  // was made or cloned from. One made with none has a signal nothing can abort, which durasim does not watch.
  it("of a Request input (given to it, or to the Request it was made or cloned from) rejects the call and ends a body still arriving; one with none lets both end", async () => {
    const stub = (emulator({ module: { Answering }, durableObjects: { NS: "Answering" } }).env as AnyStub).NS.getByName("c");
    const hangs = new AbortController();
    const hanging = stub.fetch(new Request("http://x/hang", { signal: hangs.signal }));
    await nextTurn();
    hangs.abort(new RangeError("caller gave up"));
    expect((await rejection(hanging)).message).toBe("caller gave up");
    // A clone follows its original's signal (Node keeps no controller on it).
    const cloned = new AbortController();
    const fromClone = stub.fetch(new Request("http://x/hang", { signal: cloned.signal }).clone());
    await nextTurn();
    cloned.abort(new RangeError("the clone's caller gave up"));
    expect((await rejection(fromClone)).message).toBe("the clone's caller gave up");

    const streams = new AbortController();
    const response = await stub.fetch(new Request(new Request("http://x/stream", { signal: streams.signal })));
    const reader = response.body!.getReader();
    await reader.read();
    streams.abort(new RangeError("stopped reading"));
    expect((await rejection(reader.read())).message).toBe("stopped reading");

    const unsignalled = await stub.fetch(new Request("http://x/stream"));
    expect((await unsignalled.arrayBuffer()).byteLength).toBe(24);
    expect(await (await stub.fetch(new Request("http://x/", { method: "POST", body: "abc" }))).text()).toBe("abc");
  });
});
