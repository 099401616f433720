/** cloudflare:test's event objects: what a handler can do with them, and what tests read back. */
import { runInNewContext } from "node:vm";
import { describe, expect, it, vi } from "vitest";
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  ExecutionContext,
  getQueueResult,
  introspectWorkflow,
  type MessageBatchMessage,
  ScheduledController,
  SELF,
  env,
  waitOnExecutionContext,
} from "../../../lib/modules/test/index.js";
import { DurableObject, WorkerEntrypoint } from "../../../lib/modules/workers.js";
import { emulator, rejection, sleep } from "../../helpers.js";

class Thing extends DurableObject {}

function worker() {
  return emulator({
    module: {
      Thing,
      default: {
        async fetch(request: Request, workerEnv: { GREETING: string }) {
          return new Response(`${workerEnv.GREETING} ${new URL(request.url).pathname}`);
        },
      },
    },
    durableObjects: { THING: "Thing" },
    bindings: { GREETING: "hello" },
  });
}

describe("ExecutionContext", () => {
  it("waitOnExecutionContext waits for every waitUntil promise, including ones added meanwhile", async () => {
    worker();
    const ctx = createExecutionContext();
    const done: string[] = [];
    ctx.waitUntil(
      sleep(10).then(() => {
        done.push("first");
        ctx.waitUntil(sleep(10).then(() => done.push("added later")));
      }),
    );
    await waitOnExecutionContext(ctx);
    expect(done).toEqual(["first", "added later"]);
  });

  it("rethrows one rejection as is, several as an AggregateError, after all have settled", async () => {
    worker();
    const one = createExecutionContext();
    const boom = new Error("boom");
    one.waitUntil(Promise.reject(boom));
    expect(await rejection(waitOnExecutionContext(one))).toBe(boom);
    const several = createExecutionContext();
    let settled = false;
    several.waitUntil(Promise.reject(new Error("a")));
    several.waitUntil(Promise.reject(new Error("b")));
    several.waitUntil(sleep(5).then(() => (settled = true)));
    const error = await rejection(waitOnExecutionContext(several));
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as unknown as AggregateError).errors.map((e: Error) => e.message)).toEqual(["a", "b"]);
    expect(settled).toBe(true);
  });

  it("refuses contexts it did not create, and cannot be constructed directly", async () => {
    expect((await rejection(waitOnExecutionContext({ waitUntil() {} }))).message).toBe(
      "Failed to execute 'getWaitUntil': parameter 1 is not of type 'ExecutionContext'.\n" +
        "You must call 'createExecutionContext()' or 'createPagesEventContext()' to get an 'ExecutionContext' instance.",
    );
    expect(() => new (ExecutionContext as any)()).toThrow("Illegal constructor");
  });
});

describe("ScheduledController", () => {
  it("carries scheduledTime (a number) and cron read-only; defaults are now and an empty cron", () => {
    const controller = createScheduledController({ scheduledTime: new Date(1000), cron: "30 * * * *" });
    expect([controller.scheduledTime, controller.cron]).toEqual([1000, "30 * * * *"]);
    expect(() => {
      (controller as any).cron = "x";
    }).toThrow(TypeError);
    vi.useFakeTimers({ now: 5000 });
    try {
      const plain = createScheduledController();
      expect([plain.scheduledTime, plain.cron]).toEqual([5000, ""]);
    } finally {
      vi.useRealTimers();
    }
    expect(() => plain()).not.toThrow();
    function plain() {
      createScheduledController().noRetry();
    }
    vi.useFakeTimers({ now: 7000 });
    try {
      const fromNull = createScheduledController(null as never);
      expect([fromNull.scheduledTime, fromNull.cron]).toEqual([7000, ""]);
    } finally {
      vi.useRealTimers();
    }
    expect(() => createScheduledController("x" as never)).toThrow(
      "Failed to execute 'createScheduledController': parameter 1 is not of type 'ScheduledOptions'.",
    );
    expect(() => new (ScheduledController as any)()).toThrow("Illegal constructor");
  });
});

describe("MessageBatch", () => {
  const messages = (): MessageBatchMessage<any>[] => [
    // (A Date of another realm, as a test under Jest makes them.)
    { id: "m1", timestamp: runInNewContext("new Date(1000)"), attempts: 1, body: { n: 1 } },
    { id: "m2", timestamp: 2000, attempts: 2, body: "two" },
    { id: "m3", timestamp: 3000, attempts: 1, body: null },
  ];

  it("hands the handler copies of the messages and reports acks and retries as Cloudflare's helper does: in the batch's order, without delaySeconds", async () => {
    worker();
    const input = messages();
    const batch = createMessageBatch("my-queue", input);
    input[0]!.body.n = 99;
    expect(batch.queue).toBe("my-queue");
    expect(batch.messages.map((m) => [m.id, m.timestamp.getTime(), m.attempts, m.body])).toEqual([
      ["m1", 1000, 1, { n: 1 }],
      ["m2", 2000, 2, "two"],
      ["m3", 3000, 1, null],
    ]);
    const ctx = createExecutionContext();
    batch.messages[2]!.retry();
    batch.messages[0]!.ack();
    batch.messages[1]!.retry({ delaySeconds: 30 });
    expect(await getQueueResult(batch, ctx)).toStrictEqual({
      outcome: "ok",
      retryBatch: { retry: false },
      ackAll: false,
      retryMessages: [{ msgId: "m2" }, { msgId: "m3" }],
      explicitAcks: ["m1"],
    });
  });

  it("ackAll and retryAll exclude each other, with a warning, as the runtime does", async () => {
    worker();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const batch = createMessageBatch("q", messages());
      batch.retryAll({ delaySeconds: 5 });
      batch.ackAll();
      batch.messages[0]!.ack();
      expect(await getQueueResult(batch, createExecutionContext())).toStrictEqual({
        outcome: "ok",
        retryBatch: { retry: true },
        ackAll: false,
        retryMessages: [],
        explicitAcks: [],
      });
      expect(warn.mock.calls).toEqual([
        ["Received a call to ackAll() after retryAll() was already called. Calling ackAll() after calling retryAll() has no effect."],
        ["Received a call to ack() on message m1 after retryAll() was already called. Calling ack() on a message after calling retryAll() has no effect."],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it("checks its arguments with the runtime's messages", async () => {
    expect(() => (createMessageBatch as any)()).toThrow("Failed to execute 'createMessageBatch': parameter 1 is not of type 'string'.");
    expect(() => createMessageBatch("q", {} as never)).toThrow("Failed to execute 'createMessageBatch': parameter 2 is not of type 'Array'.");
    expect(() => createMessageBatch("q", [{ id: "a", timestamp: "x" as never, attempts: 1, body: 1 }])).toThrow(
      "Incorrect type for the 'timestamp' field on 'ServiceBindingQueueMessage': the provided value is not of type 'date'.",
    );
    expect(() => createMessageBatch("q", [null as never])).toThrow("Cannot read properties of null (reading 'id')");
    worker();
    expect((await rejection(getQueueResult({}, createExecutionContext()))).message).toMatch(/parameter 1 is not of type 'MessageBatch'/);
    expect((await rejection(getQueueResult(createMessageBatch("q", []), {}))).message).toMatch(/parameter 2 is not of type 'ExecutionContext'/);
  });

  it("takes a Proxy of an array, as the Vitest pool's Array.isArray() check does (the runtime's own array arguments refuse one)", async () => {
    worker();
    const messages = new Proxy([{ id: "a", timestamp: 1000, attempts: 1, body: "one" }], {});
    const batch = createMessageBatch("q", messages);
    expect(batch.messages.map((message) => [message.id, message.body])).toEqual([["a", "one"]]);
    batch.messages[0]!.ack();
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["a"]);
  });
});

describe("env and SELF", () => {
  it("follow the current emulator", async () => {
    worker();
    expect(env.GREETING).toBe("hello");
    expect(typeof env.THING.idFromName).toBe("function");
    expect(await (await SELF.fetch("https://example.com/path")).text()).toBe("hello /path");
    const second = emulator({ module: { default: { fetch: () => new Response("second") } }, bindings: { GREETING: "hi" } });
    expect(env.GREETING).toBe("hi");
    expect(await (await SELF.fetch("https://example.com/")).text()).toBe("second");
    await second.dispose();
    expect(env.GREETING).toBe("hello");
  });

  // Cloudflare's SELF is the runtime's own service binding (a Fetcher), which takes no relative
  // URL: workerd refuses one before any request is made, as it does for any Fetcher.
  it("SELF.fetch() refuses a relative URL as the runtime's Fetcher does", async () => {
    worker();
    const error = await rejection(SELF.fetch("/relative"));
    expect([error.constructor, error.message]).toEqual([TypeError, "Invalid URL: /relative"]);
  });

  it("env keeps what a test writes on it, as Cloudflare's env object does: assignments, deletions and spies", async () => {
    worker();
    env.FLAG = "on";
    expect([env.FLAG, "FLAG" in env, Object.keys(env).includes("FLAG")]).toEqual(["on", true, true]);
    delete env.FLAG;
    expect([env.FLAG, "FLAG" in env]).toEqual([undefined, false]);
    const spy = vi.spyOn(env, "GREETING", "get").mockReturnValue("spied");
    expect(env.GREETING).toBe("spied");
    spy.mockRestore();
    expect(env.GREETING).toBe("hello");
  });
});

describe("SELF and createExecutionContext() reach the whole Worker", () => {
  class Api extends WorkerEntrypoint {
    async fetch(request: Request) {
      if (new URL(request.url).pathname === "/throw") throw new RangeError("handler failed");
      return new Response("api");
    }
    sum(...values: number[]) {
      return values.reduce((total, value) => total + value, 0);
    }
    scheduled(controller: { cron: string }) {
      crons.push(controller.cron);
    }
  }
  class Helper extends WorkerEntrypoint {
    greet(name: string) {
      return `hi ${name}`;
    }
  }
  const crons: string[] = [];

  it("SELF is the default entrypoint: fetch, RPC methods, and scheduled() with service_binding_extra_handlers", async () => {
    emulator({ module: { default: Api, Helper }, compatibilityFlags: ["service_binding_extra_handlers"] });
    expect(await (await SELF.fetch("https://example.com/")).text()).toBe("api");
    expect(await SELF.sum(1, 2, 3)).toBe(6);
    expect(await SELF.scheduled({ cron: "0 * * * *" })).toEqual({ outcome: "ok", noRetry: false });
    expect(crons).toEqual(["0 * * * *"]);
    // An uncaught exception rejects the fetch, as across any service binding (not a 500).
    const error = await rejection(SELF.fetch("https://example.com/throw"));
    expect([error.name, error.message, error.remote]).toEqual(["RangeError", "handler failed", true]);
  });

  it("createExecutionContext() carries the main Worker's exports, as ctx.exports in production", async () => {
    emulator({ module: { default: Api, Helper } });
    const ctx = createExecutionContext();
    expect(Object.keys(ctx.exports!)).toEqual(["default", "Helper"]);
    expect(await (ctx.exports as any).Helper.greet("you")).toBe("hi you");
    expect(await (ctx.exports as any).Helper({ props: { a: 1 } }).greet("again")).toBe("hi again");
  });

  it("createExecutionContext() has no exports before enable_ctx_exports's date (2025-11-17), as a handler's ctx", () => {
    emulator({ module: { default: Api, Helper }, compatibilityDate: "2025-11-16" });
    const ctx = createExecutionContext();
    expect(["exports" in ctx, Object.keys(ctx)]).toEqual([false, ["props"]]);
  });

  it("createExecutionContext() has exports before that date with enable_ctx_exports", () => {
    emulator({ module: { default: Api, Helper }, compatibilityDate: "2025-11-16", compatibilityFlags: ["enable_ctx_exports"] });
    expect(Object.keys(createExecutionContext().exports!)).toEqual(["default", "Helper"]);
  });
});

describe("helpers for products durasim does not emulate", () => {
  it("can be imported, and say why when used", () => {
    expect(() => introspectWorkflow()).toThrow(/does not emulate Workflows/);
  });
});
