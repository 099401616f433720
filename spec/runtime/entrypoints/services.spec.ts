import { describe, expect, it } from "vitest";
import { DurableObject, exports, waitUntil, WorkerEntrypoint } from "../../../lib/modules/workers.js";
import { type AnyStub, emulator, rejection } from "../../helpers.js";

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

  it("bind a function that answers fetch() (and no RPC)", async () => {
    const env = world({ FN: (request: Request) => new Response(`fn ${request.method}`) }).env as AnyStub;
    expect(await (await env.FN.fetch("http://svc/", { method: "POST" })).text()).toBe("fn POST");
    expect((await rejection(env.FN.method())).message).toMatch(/is a function, which answers fetch\(\) only/);
  });

  it("are refused with a ConfigError naming the option when they name no Worker or no entrypoint", async () => {
    expect(() => world({ SVC: "nobody" })).toThrow(/serviceBindings\.SVC of Worker "main" names Worker "nobody", but no Worker has that name \(Workers: "main", "other"\)/);
    expect(() => world({ SVC: { name: "other", colour: "blue" } })).toThrow(/serviceBindings\.SVC of Worker "main" has an unknown key "colour"/);
    expect(() => world({ SVC: { name: "other", props: { f: () => 1 } } })).toThrow(/has "props" that cannot be serialised/);
    const emu = world({ SVC: { name: "other", entrypoint: "Missing" } });
    await expect(emu.ready).rejects.toThrow(/entrypoint "Missing" of Worker "other" is not available: the module does not export it \(entrypoints: default, Greeter, classic\)/);
    const counter = world({ SVC: { name: "other", entrypoint: "Counter" } });
    await expect(counter.ready).rejects.toThrow(/exports it as a Durable Object class, not an entrypoint/);
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

  it("`waitUntil` of cloudflare:workers takes a promise and keeps its rejection quiet", () => {
    expect(waitUntil.length).toBe(0);
    expect(waitUntil(Promise.reject(new Error("ignored")))).toBeUndefined();
  });
});
