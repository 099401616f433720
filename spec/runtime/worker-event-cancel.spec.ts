// A caller whose signal aborts while a stateless Worker's fetch handler still reads its request
// body, through each front door that reaches Worker code: the runtime cancels that Worker's event
// (conformance "worker event cancel: ..." compares the service binding with workerd). It lasts
// only while a promise the handler gave waitUntil() is pending: then its code runs on, the read
// failing as the client is gone; without one, or once they have settled, the event ends and
// what its code awaits (the read, a timer) never settles.
import { describe, expect, it } from "vitest";
import { SELF, useEmulator } from "../../lib/modules/test/index.js";
import { emulator, nextTurn, rejection } from "../helpers.js";

// Source text, so that its timers are the event's (which end with it); it notes into the global
// the test reads.
const SCRIPT = `export default {
  async fetch(request, env, ctx) {
    const notes = globalThis.cancelNotes;
    const path = new URL(request.url).pathname;
    notes.push(path + " start");
    if (path !== "/alone") ctx.waitUntil(new Promise((resolve) => (globalThis.cancelRelease = resolve)));
    try {
      await request.text();
      notes.push(path + " read");
    } catch (error) {
      notes.push(path + " " + error.message);
    }
    if (path === "/released") globalThis.cancelRelease();
    await new Promise((resolve) => setTimeout(resolve, 0));
    notes.push(path + " after a timer");
    return new Response("answered");
  },
};`;
const shared = globalThis as unknown as { cancelNotes: string[]; cancelRelease?: () => void };
/** Settles the waitUntil promise of the last event that made one. */
const releaseKept = () => shared.cancelRelease?.();

type Door = (url: string, init: RequestInit) => Promise<unknown>;

/** Sends a body that never ends through `door`, its signal aborting after the third chunk;
 * resolves once the caller has its rejection and the handler had every chance to go on. */
async function abandoned(door: Door, path: string): Promise<{ reason: string; cancelled: boolean }> {
  const controller = new AbortController();
  let pulls = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (++pulls === 3) controller.abort();
      c.enqueue(new Uint8Array(1024));
    },
    cancel() {
      cancelled = true;
    },
  });
  const init = { method: "POST", body, signal: controller.signal, duplex: "half" } as RequestInit;
  const reason = await rejection(door(`http://w${path}`, init));
  for (let i = 0; i < 5; i++) await nextTurn();
  return { reason: reason.name, cancelled };
}

describe("a Worker's fetch whose caller gives up while the request body is being sent", () => {
  it("ends the handler's event through every front door: without waitUntil its read never settles; with a promise pending the read fails and the handler runs on until that promise settles", async () => {
    const emu = emulator({ script: SCRIPT });
    useEmulator(emu);
    const doors: Record<string, Door> = {
      dispatchFetch: (url, init) => emu.dispatchFetch(url, init),
      getWorker: (url, init) => emu.getWorker().fetch(url, init),
      getService: (url, init) => emu.getService().fetch(url, init) as Promise<unknown>,
      SELF: (url, init) => SELF.fetch(url, init),
    };
    const disconnected = "Can't read from request stream because client disconnected.";
    for (const [name, door] of Object.entries(doors)) {
      for (const path of ["/alone", "/kept", "/released"]) {
        const notes: string[] = (shared.cancelNotes = []);
        shared.cancelRelease = undefined;
        const seen = await abandoned(door, path);
        // A timer set after the handler's fires after it.
        await new Promise((resolve) => setTimeout(resolve, 5));
        for (let i = 0; i < 5; i++) await nextTurn();
        const saw = [...notes];
        releaseKept();
        expect([name, seen, saw]).toEqual([
          name,
          { reason: "AbortError", cancelled: true },
          {
            "/alone": ["/alone start"],
            "/kept": ["/kept start", `/kept ${disconnected}`, "/kept after a timer"],
            "/released": ["/released start", `/released ${disconnected}`],
          }[path],
        ]);
      }
    }
    useEmulator(undefined);
  });
});

// Source text: a fetch handler that starts one binding call (by path) and notes what it
// answered, after a waitUntil promise when the path ends in "/kept".
const BINDINGS_SCRIPT = `export default {
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    const calls = {
      "/kv": () => env.KV.get("k"),
      "/r2": async () => (await env.R2.get("k"))?.text() ?? null,
    };
    if (path.endsWith("/kept")) ctx.waitUntil(new Promise((resolve) => (globalThis.ioRelease = resolve)));
    const pending = calls[path.replace("/kept", "")]();
    globalThis.ioStarted();
    try {
      globalThis.ioNotes.push([path, await pending]);
    } catch (error) {
      globalThis.ioNotes.push([path, error.message]);
    }
    return new Response("answered");
  },
};`;
const io = globalThis as unknown as { ioNotes: unknown[]; ioStarted: () => void; ioRelease?: () => void };

describe("a Worker's fetch whose caller gives up while a binding call of its handler is under way", () => {
  it("drops the answer (KV, R2) to an event that ended: the code after the await never runs; with a waitUntil promise pending it does", async () => {
    const emu = emulator({ script: BINDINGS_SCRIPT, kvNamespaces: ["KV"], r2Buckets: ["R2"] });
    await emu.env.KV.put("k", "stored");
    await (emu.env.R2 as { put(key: string, value: string): Promise<unknown> }).put("k", "in the bucket");
    const seen: Record<string, unknown> = {};
    for (const path of ["/kv", "/r2", "/kv/kept", "/r2/kept"]) {
      io.ioNotes = [];
      const controller = new AbortController();
      const started = new Promise<void>((resolve) => (io.ioStarted = resolve));
      const call = emu.dispatchFetch(`http://w${path}`, { signal: controller.signal });
      // The call has left, and its answer comes a turn later at the soonest.
      await started;
      controller.abort();
      const reason = await rejection(call);
      for (let i = 0; i < 10; i++) await nextTurn();
      seen[path] = [reason.name, ...io.ioNotes];
      io.ioRelease?.();
      io.ioRelease = undefined;
    }
    expect(seen).toEqual({
      "/kv": ["AbortError"],
      "/r2": ["AbortError"],
      "/kv/kept": ["AbortError", ["/kv/kept", "stored"]],
      "/r2/kept": ["AbortError", ["/r2/kept", "in the bucket"]],
    });
    await emu.dispose();
  });
});

describe("a Worker's handler awaiting a binding call when its emulator is disposed", () => {
  const DISPOSED = "durasim: this Emulator has been disposed; create a new Emulator to run more Durable Object code.";
  it("hears the call fail with the disposed error, as every call in flight then does: its event ended with its Worker, which is no cancellation", async () => {
    const emu = emulator({ script: BINDINGS_SCRIPT, kvNamespaces: ["KV"], r2Buckets: ["R2"] });
    io.ioNotes = [];
    const started = new Promise<void>((resolve) => (io.ioStarted = resolve));
    const call = emu.dispatchFetch("http://w/kv");
    await started;
    const disposed = emu.dispose();
    const reason = await rejection(call);
    await disposed;
    for (let i = 0; i < 5; i++) await nextTurn();
    expect([reason.message, io.ioNotes]).toEqual([DISPOSED, [["/kv", DISPOSED]]]);
  });
});
