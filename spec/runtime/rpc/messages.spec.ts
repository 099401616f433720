import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DurableObject, WorkerEntrypoint } from "../../../lib/modules/workers.js";
import { Request } from "../../../lib/runtime/request.js";
import { Response } from "../../../lib/runtime/websockets/response.js";
import type { Emulator } from "../../../lib/emulator.js";
import { type AnyStub, emulator, namespaceOf, nextTurn } from "../../helpers.js";
import { CHILD_PROCESS_TIMEOUT } from "../../timeouts.js";

/** A stream that yields "first" and then nothing, for ever. */
const endless = () => new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode("first")) });

class Messages extends DurableObject {
  kept: Request | Response | undefined;
  keep(message: Request | Response) {
    this.kept = message;
    message.headers.set("x-receiver", "1");
  }
  keptHeaders() {
    return [...this.kept!.headers];
  }
  stream() {
    return endless();
  }
  response() {
    return new Response(endless());
  }
  fetch() {
    return new Response(endless());
  }
}

/** What the second read of `body` ends with, once its first chunk has been read and `end()` ran. */
async function secondRead(body: ReadableStream, end: () => Promise<unknown>): Promise<string> {
  const reader = body.getReader();
  await reader.read();
  await end();
  return reader.read().then(
    (r) => `done: ${r.done}`,
    (e: Error & { remote?: boolean }) => `${e.constructor.name}: ${e.message}${e.remote ? " (remote)" : ""}`,
  );
}

describe("a Request or Response sent over RPC", () => {
  it("arrives as the receiver's own: the sender's keeps its headers and reads as used", async () => {
    const stub = namespaceOf(Messages).getByName("a") as AnyStub;
    const request = new Request("http://x/", { method: "POST", body: "sent", headers: { "x-a": "1" } });
    await stub.keep(request);
    request.headers.set("x-sender", "1");
    expect([request.bodyUsed, request.body?.locked, [...request.headers]]).toEqual([true, true, [["content-type", "text/plain;charset=UTF-8"], ["x-a", "1"], ["x-sender", "1"]]]);
    expect(await stub.keptHeaders()).toEqual([["content-type", "text/plain;charset=UTF-8"], ["x-a", "1"], ["x-receiver", "1"]]);
    const response = await stub.response();
    response.headers.set("x-caller", "1");
    expect(response.url).toBe("");
  });
});

describe("a body stream still flowing when its object ends", () => {
  // (A reset: conformance scenario "rpc: a body stream in flight when the object that sent it resets".)
  it("fails its reader when the emulator is disposed, instead of hanging", async () => {
    const emu = emulator({ module: { Messages }, durableObjects: { NS: "Messages" } });
    const ns = emu.env.NS as AnyStub;
    const dispose = () => emu.dispose();
    const overRpc = "Error: ReadableStream received over RPC disconnected prematurely.";
    const stream = await ns.getByName("a").stream();
    const response = await ns.getByName("b").response();
    const fetched = await ns.getByName("c").fetch("http://do/");
    const reads = [secondRead(stream, dispose), secondRead(response.body, dispose), secondRead(fetched.body, dispose)];
    expect(await Promise.all(reads)).toEqual([overRpc, overRpc, expect.stringMatching(/^Error: durasim: this Emulator has been disposed.* \(remote\)$/)]);
  });
});

describe("a request body still arriving when the code reading it ends", () => {
  /** How each handler's reading ended, if it did. */
  const readsEnded: string[] = [];
  /** Reads a request's body for as long as it arrives. */
  const readAll = async (request: Request) => {
    const reader = request.body!.getReader();
    try {
      while (!(await reader.read()).done);
      readsEnded.push("read to its end");
    } catch (error) {
      readsEnded.push(String(error));
    }
    return new Response("read");
  };
  const DISPOSED = "Error: durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code.";
  const RESTORED = "Error: Durable Object reset because the emulator's state was restored from a snapshot (emu.restore()).";
  /** `abort()` resets the object from another call. */
  class Reader extends DurableObject {
    fetch(request: Request) {
      return readAll(request);
    }
    abort() {
      (this.ctx as unknown as { abort(reason: string): void }).abort("reset");
    }
  }
  class ReadingEntrypoint extends WorkerEntrypoint {
    fetch(request: Request) {
      return readAll(request);
    }
  }
  /** An endless body, a chunk a turn, that counts how often it was pulled and notes why it was cancelled. */
  const counted = () => {
    readsEnded.length = 0;
    const source = { pulls: 0, stream: undefined as unknown as ReadableStream, cancelled: [] as string[] };
    source.stream = new ReadableStream({
      pull: async (controller) => {
        await nextTurn();
        source.pulls++;
        controller.enqueue(new Uint8Array(8));
      },
      cancel: (reason) => void source.cancelled.push(String(reason)),
    });
    return source;
  };
  const turns = async (n: number) => {
    for (let i = 0; i < n; i++) await nextTurn();
  };

  for (const end of ["ctx.abort() from another call", "emu.restore()", "emu.dispose()", "emu.dispose() (a Worker entrypoint reading it)"] as const) {
    it(`is read no more once ${end} ends its reader: the caller's stream is cancelled, the handler's read ${end.startsWith("ctx.abort()") ? "never settles (as workerd's)" : "fails with the emulator's error"}`, async () => {
      const emu = emulator({ module: { Reader, ReadingEntrypoint }, durableObjects: { NS: "Reader" }, serviceBindings: { READER: { name: "worker", entrypoint: "ReadingEntrypoint" } } });
      const snapshot = await emu.snapshot();
      const source = counted();
      const init = { method: "POST", body: source.stream, duplex: "half" } as RequestInit;
      const worker = end.includes("Worker entrypoint");
      const answer = (worker ? (emu.env.READER as AnyStub) : (emu.env.NS as AnyStub).getByName("a")).fetch("http://x/", init).catch(() => "failed");
      // The handler is reading.
      await turns(20);
      expect(source.pulls).toBeGreaterThan(1);
      if (end === "ctx.abort() from another call") await (emu.env.NS as AnyStub).getByName("a").abort().catch(() => undefined);
      else if (end === "emu.restore()") await emu.restore(snapshot);
      else await emu.dispose();
      expect(await answer).toBe("failed");
      // What was under way settles; then nothing pulls the caller's stream.
      await turns(5);
      const pulled = source.pulls;
      await turns(50);
      expect(source.pulls).toBe(pulled);
      const byEmulator = end === "emu.restore()" ? [RESTORED] : end === "ctx.abort() from another call" ? undefined : [DISPOSED];
      // An object's reset: the runtime cancels the stream so (conformance "aborted request bodies: the object resets ...").
      expect([readsEnded, source.cancelled]).toEqual(byEmulator === undefined ? [[], ["Error: Network connection lost."]] : [byEmulator, byEmulator]);
    });
  }

  // Sent by test code through the front door, or as a Request of Node's (which a Fetcher clones to
  // follow a redirect, teeing its body): the handler reads a branch of the caller's stream.
  const frontDoors = {
    "emu.dispatchFetch()": (emu: Emulator, init: RequestInit) => emu.dispatchFetch("http://x/", init),
    "emu.getWorker().fetch()": (emu: Emulator, init: RequestInit) => emu.getWorker().fetch("http://x/", init),
    "emu.dispatchFetch() given a Request": (emu: Emulator, init: RequestInit) => emu.dispatchFetch(new globalThis.Request("http://x/", init)),
    "a stub's fetch() given a Request": (emu: Emulator, init: RequestInit) => (emu.env.NS as AnyStub).getByName("a").fetch(new globalThis.Request("http://x/", init)),
    "a service binding's fetch() given a Request": (emu: Emulator, init: RequestInit) => (emu.env.READER as AnyStub).fetch(new globalThis.Request("http://x/", init)),
  };
  for (const [way, send] of Object.entries(frontDoors)) {
    it(`sent with ${way}, is read no more once emu.dispose() ends its reader, whose read fails with the disposed error`, async () => {
      const emu = emulator({
        module: { default: { fetch: readAll }, Reader, ReadingEntrypoint },
        durableObjects: { NS: "Reader" },
        serviceBindings: { READER: { name: "worker", entrypoint: "ReadingEntrypoint" } },
      });
      const source = counted();
      const answer = send(emu, { method: "POST", body: source.stream, duplex: "half" } as RequestInit).catch(() => "failed");
      await turns(20);
      expect(source.pulls).toBeGreaterThan(1);
      await emu.dispose();
      expect(await answer).toBe("failed");
      await turns(5);
      const pulled = source.pulls;
      await turns(50);
      expect(source.pulls).toBe(pulled);
      expect([readsEnded, source.cancelled]).toEqual([[DISPOSED], [DISPOSED]]);
    });
  }

  it("is still read by an evicted object's handler: emu.evict() resolves at once, and emu.dispose() ends the read", async () => {
    const emu = emulator({ module: { Reader }, durableObjects: { NS: "Reader" } });
    const source = counted();
    const stub = (emu.env.NS as AnyStub).getByName("a");
    const answer = stub.fetch("http://x/", { method: "POST", body: source.stream, duplex: "half" }).catch(() => "failed");
    await turns(20);
    // Resolves without waiting for the running event, which may finish.
    await emu.evict(stub);
    const pulled = source.pulls;
    await turns(20);
    expect(source.pulls).toBeGreaterThan(pulled);
    await emu.dispose();
    expect(await answer).toBe("failed");
    await turns(5);
    const atDispose = source.pulls;
    await turns(50);
    expect(source.pulls).toBe(atDispose);
  });
});

describe("body streams an object sent and nobody reads", () => {
  // Tracking them for a reset must not keep them alive. Needs --expose-gc, so it runs the built
  // package (npm test builds it) in a child process.
  it("are garbage once dropped, while their object lives on", () => {
    const script = `
      import { Emulator } from "./dist/index.js";
      const source = \`import { DurableObject } from "cloudflare:workers";
        const body = () => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("x")); c.close(); } });
        export class O extends DurableObject { fetch() { return new Response(body()); } stream() { return body(); } response() { return new Response(body()); } }\`;
      const emu = new Emulator({ script: source, durableObjects: { O: "O" } });
      const stub = emu.env.O.getByName("a");
      const refs = [];
      for (let i = 0; i < 100; i++) {
        refs.push(new WeakRef((await stub.fetch("http://x/")).body));
        refs.push(new WeakRef(await stub.stream()));
        refs.push(new WeakRef((await stub.response()).body));
      }
      // Collected within a few rounds on a quiet machine; a busy one may need more turns first.
      // (A deref() keeps its target until the task ends: each collection runs a task later.)
      for (let i = 0; i < 50 && (i < 4 || refs.some((ref) => ref.deref() !== undefined)); i++) { await new Promise((resolve) => setTimeout(resolve, 5)); globalThis.gc(); }
      console.log(JSON.stringify({ alive: refs.filter((ref) => ref.deref() !== undefined).length, answers: await stub.fetch("http://x/").then((r) => r.text()) }));
      await emu.dispose();`;
    const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { cwd: new URL("../../..", import.meta.url), encoding: "utf8" });
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout.trim().split("\n").pop()!)).toEqual({ alive: 0, answers: "x" });
  }, CHILD_PROCESS_TIMEOUT);
});
