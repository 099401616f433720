import { runInNewContext } from "node:vm";
import { describe, expect, it, vi } from "vitest";
import type { ScheduledController } from "../../../lib/runtime/fetcher-events/scheduled-controller.js";
import { DurableObject, exports, waitUntil, WorkerEntrypoint, WorkflowEntrypoint } from "../../../lib/modules/workers.js";
import type { EmulatorOptions } from "../../../lib/index.js";
import { createExecutionContext } from "../../../lib/modules/test/events.js";
import { type AnyNamespace, type AnyStub, emulator, rejection } from "../../helpers.js";

class Greeter extends WorkerEntrypoint<Record<string, unknown>> {
  async fetch(request: Request) {
    return new Response(`greeter ${new URL(request.url).pathname} ${JSON.stringify((this.ctx as { props: unknown }).props)}`);
  }
  greet(who: string) {
    return `hello ${who}`;
  }
  props() {
    return (this.ctx as { props: unknown }).props;
  }
  ownExports() {
    return Object.keys((this.ctx as { exports: object }).exports);
  }
}

const classic = {
  async fetch(request: Request, _env: unknown, ctx: { props: unknown }) {
    return new Response(`classic ${JSON.stringify(ctx.props)}`);
  },
  async scheduled(controller: { cron: string }, env: Record<string, unknown>, ctx: { waitUntil: unknown }) {
    return [controller.cron, typeof env, typeof ctx.waitUntil];
  },
};

class Counter extends DurableObject {
  n = 0;
  inc() {
    return ++this.n;
  }
  async viaExports() {
    const ctx = this.ctx as { exports: Record<string, AnyStub>; props: unknown };
    return { keys: Object.keys(ctx.exports), props: ctx.props, greet: await ctx.exports.Greeter.greet("from the object") };
  }
}

/** A main Worker binding services of an "other" Worker. */
function world(serviceBindings: Record<string, unknown>) {
  return emulator({
    name: "main",
    module: { default: { fetch: () => new Response("main") } },
    serviceBindings: serviceBindings as never,
    workers: [{ name: "other", module: { default: Greeter, Greeter, classic, Counter }, durableObjects: { COUNTER: "Counter" } }],
  });
}

describe("service bindings", () => {
  it("reach another Worker's default entrypoint by fetch and RPC, with empty props", async () => {
    const env = world({ SVC: "other" }).env as AnyStub;
    expect(await (await env.SVC.fetch("http://svc/path")).text()).toBe("greeter /path {}");
    expect(await env.SVC.greet("you")).toBe("hello you");
    expect(Object.prototype.toString.call(env.SVC)).toBe("[object Fetcher]");
    const error = await rejection(env.SVC.nope());
    expect([error.message, error.remote, error.durableObjectId]).toEqual(['The RPC receiver does not implement the method "nope".', true, undefined]);
  });

  it("are ordinary objects to write to: a test can replace a member with a spy and delete it to restore the remote one", async () => {
    const env = world({ SVC: "other" }).env as AnyStub;
    const greet = vi.fn((who: string) => `spied ${who}`);
    env.SVC.greet = greet;
    expect([env.SVC.greet("you"), Object.keys(env.SVC)]).toEqual(["spied you", ["greet"]]);
    expect(greet).toHaveBeenCalledWith("you");
    delete env.SVC.greet;
    expect(await env.SVC.greet("you")).toBe("hello you");
    expect([Reflect.preventExtensions(env.SVC), Object.isExtensible(env.SVC)]).toEqual([false, true]);
  });
  it("reach a named entrypoint, whose ctx.props are the binding's props", async () => {
    const env = world({ NAMED: { name: "other", entrypoint: "Greeter", props: { tenant: "t1" } } }).env as AnyStub;
    expect(await env.NAMED.props()).toEqual({ tenant: "t1" });
    expect(await (await env.NAMED.fetch("http://svc/x")).text()).toBe('greeter /x {"tenant":"t1"}');
    expect(await env.NAMED.ownExports()).toEqual(["default", "classic", "Greeter", "Counter"]);
  });

  it("call an object's handlers with exactly one argument, then env and ctx", async () => {
    const env = world({ CLASSIC: { name: "other", entrypoint: "classic", props: { p: 1 } } }).env as AnyStub;
    expect(await (await env.CLASSIC.fetch("http://svc/")).text()).toBe('classic {"p":1}');
    expect(await env.CLASSIC.scheduled({ cron: "* * * * *" })).toEqual(["* * * * *", "object", "function"]);
    const error = await rejection(env.CLASSIC.scheduled(1, 2));
    expect(error.message).toMatch(/^Attempted to call RPC function "scheduled" with the wrong number of arguments\./);
  });

  it("answer a fetch handler's exception after ctx.passThroughOnException() with an empty 500 (and log it), a plain exception by rejecting", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failing = new TypeError("after pass-through");
    class Passing extends WorkerEntrypoint {
      async fetch() {
        (this.ctx as { passThroughOnException(): void }).passThroughOnException();
        throw failing;
      }
    }
    const handlers = {
      async fetch(request: Request, _env: unknown, ctx: { passThroughOnException(): void }) {
        if (new URL(request.url).pathname === "/pass") ctx.passThroughOnException();
        await Promise.resolve();
        throw new Error("handler failed");
      },
    };
    const env = emulator({
      name: "main",
      module: { default: { fetch: () => new Response("main") } },
      serviceBindings: { HANDLERS: "other", PASSING: { name: "other", entrypoint: "Passing" } },
      workers: [{ name: "other", module: { default: handlers, Passing } }],
    }).env as AnyStub;
    for (const response of [await env.HANDLERS.fetch("http://svc/pass"), await env.PASSING.fetch("http://svc/")]) {
      expect([response.status, response.statusText, [...response.headers], await response.text()]).toEqual([500, "Internal Server Error", [], ""]);
    }
    expect(logged.mock.calls.map(([first, error]) => [first, (error as Error).message])).toEqual([
      ['durasim: uncaught exception in Worker "other" fetch handler:', "handler failed"],
      ['durasim: uncaught exception in Worker "other" fetch handler:', "after pass-through"],
    ]);
    // Another request of the same handler that did not ask for it still rejects.
    expect((await rejection(env.HANDLERS.fetch("http://svc/other"))).message).toBe("handler failed");
    logged.mockRestore();
  });

  it("bind a function that answers fetch() (and no RPC)", async () => {
    const env = world({ FN: (request: Request) => new Response(`fn ${request.method}`) }).env as AnyStub;
    expect(await (await env.FN.fetch("http://svc/", { method: "POST" })).text()).toBe("fn POST");
    expect((await rejection(env.FN.method())).message).toMatch(/is a function, which answers fetch\(\) only/);
  });

  it("start with a default export that is a class but no WorkerEntrypoint, logging workerd's line; a request to it is a 500", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      class Plain {
        fetch() {
          return new Response("never");
        }
      }
      const emu = emulator({ module: { default: Plain } });
      const response = await emu.dispatchFetch("http://x/");
      expect([response.status, await response.text()]).toEqual([500, ""]);
      expect(logged.mock.calls[0]).toEqual(["Exported actor class as default entrypoint. This doesn't work, but historically did not produce a startup-time error."]);
      expect(String(logged.mock.calls[1])).toMatch(/^durasim: uncaught exception in Worker "worker" fetch handler:,Error: internal error; reference = \w+/);
    } finally {
      logged.mockRestore();
    }
  });

  it("are refused with a ConfigError naming the option when they name no Worker or no entrypoint", async () => {
    expect(() => world({ SVC: "nobody" })).toThrow(/serviceBindings\.SVC of Worker "main" names Worker "nobody", but no Worker has that name \(Workers: "main", "other"\)/);
    expect(() => world({ SVC: { name: "", entrypoint: "Greeter" } })).toThrow(/serviceBindings\.SVC of Worker "main" names Worker "", but no Worker has that name/);
    expect(() => world({ SVC: { entrypoint: "Greeter" } as never })).toThrow(/serviceBindings\.SVC of Worker "main" needs "name"/);
    expect(() => world({ SVC: { name: "other", colour: "blue" } })).toThrow(/serviceBindings\.SVC of Worker "main" has an unknown key "colour"/);
    expect(() => world({ SVC: { name: "other", props: { f: () => 1 } } })).toThrow(/has "props" that cannot be serialised/);
    const emu = world({ SVC: { name: "other", entrypoint: "Missing" } });
    await expect(emu.ready).rejects.toThrow(/entrypoint "Missing" of Worker "other" is not available: the module does not export it \(entrypoints: default, Greeter, classic\)/);
    // A class that is no WorkerEntrypoint (here a Durable Object's) starts, as workerd starts it;
    // calls through it fail (conformance "entrypoint unusable: ...").
    const counter = world({ SVC: { name: "other", entrypoint: "Counter" } });
    await counter.ready;
    expect((await rejection((counter.env as AnyStub).SVC.fetch("http://svc/"))).message).toMatch(/^internal error; reference = \w+$/);
  });
});

describe("scheduled events through a Fetcher (compatibility flag service_binding_extra_handlers)", () => {
  const recorded: unknown[] = [];

  class Cron extends WorkerEntrypoint {
    async scheduled(controller: ScheduledController, ...rest: unknown[]) {
      const ctx = this.ctx as { props: unknown; waitUntil(p: Promise<unknown>): void };
      recorded.push({
        cron: controller.cron,
        scheduledTime: controller.scheduledTime,
        keys: Object.keys(controller),
        // The runtime's own read-only fields: enumerable and configurable.
        cronField: Object.getOwnPropertyDescriptor(controller, "cron"),
        tag: Object.prototype.toString.call(controller),
        props: ctx.props,
        rest,
      });
      if (controller.cron === "refuse retry") controller.noRetry();
      if (controller.cron.startsWith("throw") || controller.cron === "refuse retry") throw new Error("cron failed");
      if (controller.cron === "wait") ctx.waitUntil(Promise.resolve().then(() => recorded.push("waited for")));
      if (controller.cron === "wait and fail") ctx.waitUntil(Promise.reject(new Error("background failed")));
    }
  }
  const handlers = {
    scheduled(controller: ScheduledController, env: Record<string, unknown>, ctx: { props: unknown }) {
      recorded.push({ cron: controller.cron, env: Object.keys(env), props: ctx.props });
    },
  };

  function cronWorld(flags: string[]) {
    recorded.length = 0;
    return emulator({
      name: "main",
      compatibilityFlags: flags,
      module: { default: { fetch: () => new Response("main") }, Cron },
      serviceBindings: {
        CRON: { name: "other", entrypoint: "Cron", props: { p: 1 } },
        HANDLERS: { name: "other", entrypoint: "handlers" },
        NONE: { name: "other", entrypoint: "Greeter" },
      } as never,
      workers: [{ name: "other", module: { default: Greeter, Greeter, Cron, handlers }, bindings: { NAME: "other" } }],
    });
  }

  it("run the handler with a ScheduledController and report { outcome, noRetry } instead of throwing", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const env = cronWorld(["service_binding_extra_handlers"]).env as AnyStub;
    expect(await env.CRON.scheduled({ scheduledTime: new Date(1000), cron: "*/5 * * * *" })).toEqual({ outcome: "ok", noRetry: false });
    expect(recorded.pop()).toEqual({
      cron: "*/5 * * * *",
      scheduledTime: 1000,
      keys: ["cron", "scheduledTime"],
      cronField: { value: "*/5 * * * *", enumerable: true, configurable: true, writable: false },
      tag: "[object ScheduledController]",
      props: { p: 1 },
      rest: [undefined, undefined],
    });
    expect(await env.CRON.scheduled({ cron: "throw" })).toEqual({ outcome: "exception", noRetry: false });
    expect(await env.CRON.scheduled({ cron: "refuse retry" })).toEqual({ outcome: "exception", noRetry: true });
    // An object's handler gets the controller, env and ctx.
    expect(await env.HANDLERS.scheduled({ cron: 5 })).toEqual({ outcome: "ok", noRetry: false });
    expect(recorded.pop()).toEqual({ cron: "5", env: ["NAME"], props: {} });
    // No scheduled() handler at all.
    expect(await env.NONE.scheduled()).toEqual({ outcome: "exception", noRetry: true });
    // Each failure is logged, as the runtime logs an uncaught exception.
    expect(logged.mock.calls.map(([first]) => first)).toEqual([
      'durasim: uncaught exception in Worker "other" scheduled handler:',
      'durasim: uncaught exception in Worker "other" scheduled handler:',
      "Received a ScheduledEvent but we lack a handler for ScheduledEvents (a.k.a. Cron Triggers). Did you remember to export a scheduled() function?",
    ]);
    logged.mockRestore();
  });

  it("wait for the handler's waitUntil promises, whose failure makes the outcome an exception", async () => {
    const env = cronWorld(["service_binding_extra_handlers"]).env as AnyStub;
    expect(await env.CRON.scheduled({ cron: "wait" })).toEqual({ outcome: "ok", noRetry: false });
    expect(recorded.at(-1)).toBe("waited for");
    expect(await env.CRON.scheduled({ cron: "wait and fail" })).toEqual({ outcome: "exception", noRetry: false });
  });

  it("default to now and an empty cron, and reject bad options with the runtime's TypeErrors", async () => {
    const env = cronWorld(["service_binding_extra_handlers"]).env as AnyStub;
    const before = Date.now();
    await env.CRON.scheduled(null);
    const { scheduledTime, cron } = recorded.pop() as { scheduledTime: number; cron: string };
    expect([scheduledTime >= before && scheduledTime <= Date.now(), cron]).toEqual([true, ""]);
    expect((await rejection(env.CRON.scheduled(5))).message).toBe("Failed to execute 'scheduled' on 'Fetcher': parameter 1 is not of type 'ScheduledOptions'.");
    expect((await rejection(env.CRON.scheduled({ scheduledTime: "2026-01-01" }))).message).toBe(
      "Incorrect type for the 'scheduledTime' field on 'ScheduledOptions': the provided value is not of type 'date'.",
    );
    expect((await rejection(env.CRON.scheduled({ scheduledTime: NaN }))).message).toBe("The value cannot be converted because it is not a valid Date.");
    expect(recorded).toEqual([]);
    // A Date from another realm (Jest runs tests in a vm context) is a Date.
    expect(await env.CRON.scheduled({ scheduledTime: runInNewContext("new Date(2000)") })).toEqual({ outcome: "ok", noRetry: false });
    expect(recorded.pop()).toMatchObject({ scheduledTime: 2000 });
  });

  it("reach the Worker's own entrypoints through exports", async () => {
    const emu = cronWorld(["service_binding_extra_handlers"]);
    expect(await (exports as AnyStub).Cron.scheduled({ cron: "loopback" })).toEqual({ outcome: "ok", noRetry: false });
    expect(recorded.pop()).toMatchObject({ cron: "loopback", props: {} });
    await emu.dispose();
  });

  it("are an RPC call to a method named scheduled without the flag", async () => {
    const env = cronWorld([]).env as AnyStub;
    expect(await env.CRON.scheduled({ cron: "as RPC" })).toBeUndefined();
    expect(recorded.pop()).toMatchObject({ cron: "as RPC", tag: "[object Object]" });
  });
});

describe("exports and ctx.exports", () => {
  it("reach the Worker's own entrypoints and Durable Object classes, from its objects too", async () => {
    const emu = world({});
    const ns = emu.getDurableObjectNamespace("COUNTER", "other");
    const result = await (ns.getByName("c") as AnyStub).viaExports();
    expect(result).toEqual({ keys: ["default", "classic", "Greeter", "Counter"], props: {}, greet: "hello from the object" });
  });

  it("`exports` of cloudflare:workers follows the running Worker, and specialises props when called", async () => {
    const seen: unknown[] = [];
    class Main extends WorkerEntrypoint {
      async fetch() {
        const loop = exports as Record<string, AnyStub>;
        seen.push(Object.keys(loop), Object.prototype.toString.call(loop.default), await loop.Main({ props: { n: 1 } }).props());
        return new Response("ok");
      }
      props() {
        return (this.ctx as { props: unknown }).props;
      }
    }
    const emu = emulator({ name: "main", module: { default: Main, Main } });
    await emu.dispatchFetch("http://x/");
    expect(seen).toEqual([["default", "Main"], "[object LoopbackServiceStub]", { n: 1 }]);
    expect(() => (exports as AnyStub).Main()).toThrow("Failed to execute '(called as function)' on 'LoopbackServiceStub': parameter 1 is not of type 'Options'.");
  });

  it("reach a class that migrations or `exports` declare and nothing binds; a declared class the module lacks is left out", async () => {
    class Unbound extends DurableObject {
      size() {
        return (this.ctx as { storage: { sql: { databaseSize: number } } }).storage.sql.databaseSize;
      }
    }
    const main = {
      async fetch(_request: Request, _env: unknown, ctx: { exports: Record<string, AnyNamespace> }) {
        const size = await (ctx.exports.Unbound.getByName("u") as AnyStub).size();
        return new Response(`${Object.keys(ctx.exports).join()} ${size}`);
      },
    };
    const declared = [
      { migrations: [{ tag: "v1", new_sqlite_classes: ["Unbound", "Missing"] }] },
      { exports: { Unbound: { type: "durable-object", storage: "sqlite" }, Missing: { type: "durable-object", storage: "legacy-kv" } } },
    ] as const;
    for (const declaration of declared) {
      const emu = emulator({ module: { default: main, Unbound }, ...declaration } as EmulatorOptions);
      expect(await (await emu.dispatchFetch("http://x/")).text()).toBe("default,Unbound 4096");
      expect(Object.keys(emu.usage().namespaces)).toEqual(["Unbound"]);
    }
  });

  it("a Worker defining a Workflow loads: WorkflowEntrypoint is a base class keeping ctx and env", async () => {
    class Moderate extends WorkflowEntrypoint<{ N: number }> {}
    const emu = emulator({ module: { default: { fetch: () => new Response("up") }, Moderate } });
    expect(await (await emu.dispatchFetch("http://x/")).text()).toBe("up");
    // Its ctx must be an ExecutionContext, as the runtime's (base-classes scenarios).
    const ctx = createExecutionContext();
    const made = new Moderate(ctx, { N: 1 });
    expect([made.ctx === ctx, made.env, Object.prototype.toString.call(made)]).toEqual([true, { N: 1 }, "[object WorkflowEntrypoint]"]);
  });

  it("`waitUntil` of cloudflare:workers takes a promise and keeps its rejection quiet", () => {
    expect(waitUntil.length).toBe(0);
    expect(waitUntil(Promise.reject(new Error("ignored")))).toBeUndefined();
  });
});
