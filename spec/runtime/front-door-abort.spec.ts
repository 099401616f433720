// A caller's AbortSignal that aborts a request sent from Node code, through every front door:
// before the request is sent, while the handler runs, or while the response body is still
// arriving. Each rejects with the signal's reason, as a fetch() the caller gave up on does
// (Miniflare 4's dispatchFetch and getWorker().fetch: a DOMException "AbortError", or the
// reason given), and none logs the abort as the handler's uncaught exception or answers 500.
// The call that goes on answers no one: its later failure is no unhandled rejection.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SELF, useEmulator } from "../../lib/modules/test/index.js";
import { DurableObject } from "../../lib/modules/workers.js";
import { Miniflare } from "../../lib/miniflare.js";
import { type AnyStub, emulator, nextTurn, rejection } from "../helpers.js";

/** The handler both the Worker and the object run: "/hang" never answers, "/stream" sends one chunk of a body that never ends. */
const HANDLER = `async (request) => {
  const path = new URL(request.url).pathname;
  if (path === "/count") return new Response(String(globalThis.reached ?? 0));
  globalThis.reached = (globalThis.reached ?? 0) + 1;
  if (path === "/hang") return new Promise(() => {});
  if (path === "/throw") throw new Error("the handler failed after the caller gave up");
  let sent = false;
  return new Response(new ReadableStream({ async pull(c) { if (!sent) { sent = true; c.enqueue(new Uint8Array(1)); } else await new Promise(() => {}); } }));
}`;
// One source for the module objects here and the script Miniflare takes as text.
const handle = new Function(`return ${HANDLER}`)() as (request: Request) => Promise<Response>;

class Hanging extends DurableObject {
  fetch(request: Request) {
    return handle(request);
  }
}

type Door = (path: string, init: RequestInit) => Promise<Response>;

/** Sends through `door` with a signal that aborts at `moment` (with `reason`, or the default one): what the caller sees. */
async function abortedAt(door: Door, path: string, moment: "before" | "during" | "body", reason?: unknown): Promise<Error & Record<string, unknown>> {
  const controller = new AbortController();
  const abort = () => (reason === undefined ? controller.abort() : controller.abort(reason));
  if (moment === "before") abort();
  const sent = door(moment === "body" ? "/stream" : path, { signal: controller.signal });
  if (moment === "before") return rejection(sent);
  if (moment === "during") {
    await nextTurn();
    abort();
    return rejection(sent);
  }
  const body = (await sent).text();
  await nextTurn();
  abort();
  return rejection(body);
}

const MOMENTS = ["before", "during", "body"] as const;

let logged: ReturnType<typeof vi.spyOn>;
const unhandled: unknown[] = [];
const record = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  logged = vi.spyOn(console, "error");
  unhandled.length = 0;
  process.on("unhandledRejection", record);
});
afterEach(() => {
  process.off("unhandledRejection", record);
  logged.mockRestore();
});

/** Every door rejects with the signal's reason at every moment, logging nothing; then the emulator ends the calls that go on. */
async function expectEachDoorRejects(doors: Record<string, Door>, dispose: () => Promise<void>) {
  for (const [name, door] of Object.entries(doors)) {
    for (const moment of MOMENTS) {
      const byDefault = await abortedAt(door, "/hang", moment);
      expect([name, moment, byDefault.constructor.name, byDefault.name, byDefault.message, byDefault.code]).toEqual([
        name,
        moment,
        "DOMException",
        "AbortError",
        "This operation was aborted",
        20,
      ]);
      const reason = new RangeError(`${name} gave up ${moment}`);
      const given = await abortedAt(door, "/hang", moment, reason);
      expect([name, moment, given.constructor, given.name, given.message]).toEqual([name, moment, RangeError, "RangeError", reason.message]);
      // (A body fails with a copy of it: Miniflare's with the reason itself, see README.)
      if (moment !== "body") expect(given).toBe(reason);
    }
    // A handler that fails once its caller has given up fails no one.
    const reason = new RangeError("gave up first");
    expect(await abortedAt(door, "/throw", "before", reason)).toBe(reason);
  }
  await dispose();
  for (let i = 0; i < 3; i++) await nextTurn();
  expect(logged).not.toHaveBeenCalled();
  expect(unhandled).toEqual([]);
}

describe("a request from Node code whose signal aborts", () => {
  it("rejects with the signal's reason through each of the Emulator's front doors", async () => {
    const emu = emulator({ module: { Hanging, default: { fetch: handle } }, durableObjects: { HANGING: "Hanging" } });
    useEmulator(emu);
    const stub = (emu.env as AnyStub).HANGING.getByName("a");
    await expectEachDoorRejects(
      {
        dispatchFetch: (path, init) => emu.dispatchFetch(path, init),
        getWorker: (path, init) => emu.getWorker().fetch(path, init),
        getService: (path, init) => emu.getService().fetch(`http://w${path}`, init) as Promise<Response>,
        SELF: (path, init) => SELF.fetch(`http://w${path}`, init),
        stub: (path, init) => stub.fetch(`http://w${path}`, init) as Promise<Response>,
      },
      () => emu.dispose(),
    );
    useEmulator(undefined);
  });

  it("rejects with the signal's reason through durasim/miniflare's dispatchFetch and getWorker().fetch, as Miniflare's do", async () => {
    const mf = new Miniflare({ modules: true, script: `export default { fetch: ${HANDLER} };` });
    const base = (await mf.ready).href.slice(0, -1);
    const worker = await mf.getWorker();
    await expectEachDoorRejects(
      {
        dispatchFetch: (path, init) => mf.dispatchFetch(base + path, init),
        getWorker: (path, init) => worker.fetch(base + path, init) as Promise<Response>,
      },
      async () => {
        // Miniflare's fetch() sends nothing once its signal has aborted: no handler sees such a request.
        const count = async () => Number(await (await mf.dispatchFetch(`${base}/count`)).text());
        const before = await count();
        await rejection(mf.dispatchFetch(`${base}/hang`, { signal: AbortSignal.abort() }));
        await rejection(worker.fetch(`${base}/hang`, { signal: AbortSignal.abort() }));
        expect(await count()).toBe(before);
        await mf.dispose();
      },
    );
  });
});
