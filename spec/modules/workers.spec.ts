/**
 * The names of cloudflare:workers beyond the base classes: scoped env/exports (withEnv and its
 * siblings), writes through `env`, the RPC classes user code tests values against, `tracing`,
 * `cache`, `restore` and `abortIsolate`, observed from a Durable Object as Worker code sees them.
 */
import { describe, expect, it } from "vitest";
import {
  abortIsolate,
  cache,
  DurableObject,
  env,
  exports,
  restore,
  RpcPromise,
  RpcProperty,
  RpcStub,
  RpcTarget,
  ServiceStub,
  tracing,
  withEnv,
  withEnvAndExports,
  withExports,
  waitUntil,
  WorkerEntrypoint,
  WorkflowEntrypoint,
} from "../../lib/modules/workers.js";
import { createExecutionContext } from "../../lib/modules/test/events.js";
import { type AnyStub, emulator } from "../helpers.js";

const keys = (o: object) => Object.keys(o).sort();
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

class Scoped extends DurableObject<Record<string, unknown>> {
  async scopes() {
    const seen = () => ({ env: keys(env), A: env.A, exports: keys(exports) });
    const storage = (this.ctx as { storage: { get(key: string): Promise<unknown> } }).storage;
    return {
      outside: seen(),
      inside: withEnv({ A: 1 }, seen),
      // The scope follows what the callback sets off: continuations, storage, timers, microtasks.
      afterAwaits: await withEnv({ A: 2 }, async () => {
        await storage.get("k");
        await tick();
        return seen();
      }),
      inTimer: await new Promise((resolve) => withEnv({ A: 3 }, () => setTimeout(() => resolve(env.A), 0))),
      inMicrotask: await new Promise((resolve) => withEnv({ A: 4 }, () => queueMicrotask(() => resolve(env.A)))),
      nested: withEnv({ A: 5 }, () => `${withEnv({ A: 6 }, () => env.A)} then ${env.A}`),
      notAnObject: [undefined, null, 7, "s"].map((value) => withEnv(value, () => keys(env))),
      exportsOnly: withExports({ X: 1 }, seen),
      both: withEnvAndExports({ A: 8 }, { X: 2 }, seen),
      exportsInEnvScope: withEnv({ A: 9 }, () => withExports({ X: 3 }, seen)),
      afterward: seen(),
    };
  }

  writes() {
    const scoped: Record<string, unknown> = { A: 1 };
    withEnv(scoped, () => {
      env.B = 2;
      delete env.A;
    });
    env.ADDED = "yes";
    const added = [env.ADDED, this.env.ADDED];
    delete env.ADDED;
    return { scoped, added, deleted: [env.ADDED, this.env.ADDED] };
  }

  badCallbacks() {
    const message = (f: () => unknown) => {
      try {
        f();
        return "no error";
      } catch (error) {
        return (error as Error).message;
      }
    };
    const call = (f: Function, ...args: unknown[]) => message(() => f(...args));
    return [
      call(withEnv, {}),
      call(withEnv),
      call(withExports, {}, 5),
      call(withEnvAndExports, {}, {}),
      message(() => withEnv({}, () => { throw new RangeError("from the callback"); })),
    ];
  }

  value() {
    return 1;
  }

  get prop() {
    return 2;
  }

  async rpcClasses() {
    const self = (this.env.SCOPED as AnyStub).getByName("other");
    const local = new RpcStub(new (class extends RpcTarget { m() { return 3; } })()) as AnyStub;
    const [call, localCall] = [self.value(), local.m()];
    return {
      call: [call instanceof RpcPromise, call instanceof RpcProperty, call.constructor === RpcPromise, await call],
      property: [self.prop instanceof RpcProperty, self.prop instanceof RpcPromise],
      localCall: [localCall instanceof RpcPromise, await localCall],
      stub: [self instanceof ServiceStub, local instanceof ServiceStub, this.env.SCOPED instanceof ServiceStub],
      service: [this.env.SERVICE instanceof ServiceStub, exports.default instanceof ServiceStub],
      tag: Object.prototype.toString.call(ServiceStub.prototype),
      names: [RpcPromise.name, RpcProperty.name, ServiceStub.name],
    };
  }

  async spans() {
    const t = tracing as unknown as Record<string, (...args: unknown[]) => any>;
    const root = t.getActiveSpan();
    const span = t.startSpan("s");
    return {
      root: [root === t.getActiveSpan(), root.isTraced, root.spanContext()],
      entered: await t.enterSpan("outer", async (entered: unknown, extra: unknown) => {
        await tick();
        return [t.getActiveSpan() === entered, t.getActiveSpan() === root, extra];
      }, "extra"),
      withActive: t.withActiveSpan(span, (extra: unknown) => [t.getActiveSpan() === span, extra], 1),
      afterward: t.getActiveSpan() === root,
      chained: [span.setAttribute("k", [1, "2"]) === span, span.setAttributes({ a: 1 }) === span, span.setStatus({ code: "ok" }) === span],
      refusals: [
        () => span.setAttributes(null),
        () => span.setAttributes([1]),
        () => span.recordException(),
        () => span.setAttribute("k", 1n),
        () => span.setStatus({ code: 2 }),
        () => t.withActiveSpan({}, () => 1),
      ].map((f) => { try { f(); return "no error"; } catch (error) { return (error as Error).message; } }),
    };
  }
}

/** Builds the base classes with this object's own ctx, or with what a test passes instead. */
class Builder extends DurableObject<Record<string, unknown>> {
  field = "own";
  async build() {
    const attempt = (f: () => object) => {
      try {
        return Object.keys(f());
      } catch (e) {
        return (e as Error).message;
      }
    };
    return {
      own: Object.keys(this),
      real: attempt(() => new DurableObject(this.ctx, this.env)),
      inherited: attempt(() => new DurableObject(Object.create(this.ctx as object), this.env)),
      plain: attempt(() => new DurableObject({}, this.env)),
      noEnv: attempt(() => new (DurableObject as new (ctx: unknown) => object)(this.ctx)),
      entrypointWithAnyObject: attempt(() => new WorkerEntrypoint(() => 0, {})),
      entrypointWithString: attempt(() => new WorkerEntrypoint("ctx", {})),
      workflowWithObjectCtx: attempt(() => new WorkflowEntrypoint(this.ctx, {})),
      lengths: [DurableObject.length, WorkerEntrypoint.length, WorkflowEntrypoint.length, RpcTarget.length],
    };
  }
}

class Main extends WorkerEntrypoint {
  fetch() {
    return new Response("main");
  }
}

function world() {
  return emulator({
    module: { default: Main, Scoped },
    durableObjects: { SCOPED: "Scoped" },
    serviceBindings: { SERVICE: { name: "main" } } as never,
    name: "main",
  });
}

describe("cloudflare:workers", () => {
  it("withEnv(), withExports() and withEnvAndExports() replace env and exports for a callback and what it sets off", async () => {
    const stub = world().env.SCOPED.getByName("a") as AnyStub;
    const base = ["SCOPED", "SERVICE"];
    const own = ["Scoped", "default"];
    expect(await stub.scopes()).toEqual({
      outside: { env: base, A: undefined, exports: own },
      inside: { env: ["A"], A: 1, exports: own },
      afterAwaits: { env: ["A"], A: 2, exports: own },
      inTimer: 3,
      inMicrotask: 4,
      nested: "6 then 5",
      notAnObject: [base, base, base, base],
      exportsOnly: { env: base, A: undefined, exports: ["X"] },
      both: { env: ["A"], A: 8, exports: ["X"] },
      exportsInEnvScope: { env: ["A"], A: 9, exports: ["X"] },
      afterward: { env: base, A: undefined, exports: own },
    });
  });

  it("writes through env to the env in scope, as the runtime's proxy does", async () => {
    const stub = world().env.SCOPED.getByName("a") as AnyStub;
    expect(await stub.writes()).toEqual({ scoped: { B: 2 }, added: ["yes", "yes"], deleted: [undefined, undefined] });
  });

  it("refuses a callback that is not a function with the runtime's words, and passes on what the callback throws", async () => {
    const stub = world().env.SCOPED.getByName("a") as AnyStub;
    expect(await stub.badCallbacks()).toEqual([
      "Failed to execute 'withEnv' on 'EnvModule': parameter 2 is not of type 'function'.",
      "Failed to execute 'withEnv' on 'EnvModule': parameter 2 is not of type 'function'.",
      "Failed to execute 'withExports' on 'EnvModule': parameter 2 is not of type 'function'.",
      "Failed to execute 'withEnvAndExports' on 'EnvModule': parameter 3 is not of type 'function'.",
      "from the callback",
    ]);
  });

  it("exports RpcPromise, RpcProperty and ServiceStub: the classes of calls, property reads, stubs and Fetchers", async () => {
    const stub = world().env.SCOPED.getByName("a") as AnyStub;
    expect(await stub.rpcClasses()).toEqual({
      call: [true, false, true, 1],
      property: [true, false],
      localCall: [true, 3],
      stub: [true, false, false],
      service: [true, true],
      tag: "[object Fetcher]",
      names: ["RpcPromise", "RpcProperty", "ServiceStub"],
    });
    for (const C of [RpcPromise, RpcProperty, ServiceStub] as unknown as (new () => unknown)[]) {
      expect(() => new C()).toThrow(new TypeError("Illegal constructor"));
      expect(() => (C as unknown as () => unknown)()).toThrow(new TypeError("Illegal constructor"));
    }
  });

  it("tracing: spans are untraced, the entered one is active through what its callback sets off, and arguments are checked", async () => {
    const stub = world().env.SCOPED.getByName("a") as AnyStub;
    expect(await stub.spans()).toEqual({
      root: [true, false, { traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 0 }],
      entered: [true, false, "extra"],
      withActive: [true, 1],
      afterward: true,
      chained: [true, true, true],
      refusals: [
        "Failed to execute 'setAttributes' on 'Span': parameter 1 is not of type 'object'.",
        "Failed to execute 'setAttributes' on 'Span': parameter 1 is not of type 'object'.",
        "Failed to execute 'recordException' on 'Span': parameter 1 is not of type 'Value'.",
        "Cannot convert a BigInt value to a number",
        "Span status code must be 'unset', 'ok', or 'error'.",
        "Failed to execute 'withActiveSpan' on 'Tracing': parameter 1 is not of type 'Span'.",
      ],
    });
  });

  it("cache reads nothing (no request here has a cache context), restore is the runtime's symbol, abortIsolate refuses", () => {
    const c = cache as Record<string, unknown>;
    expect([c.purge, c.toString, c.constructor, Reflect.ownKeys(c), "purge" in c]).toEqual([undefined, undefined, undefined, [], false]);
    expect([typeof restore, restore.description, Symbol.keyFor(restore)]).toEqual(["symbol", "cloudflare:workers:restore", undefined]);
    expect(abortIsolate.length).toBe(1);
    expect(() => abortIsolate("why")).toThrow(
      "durasim does not emulate abortIsolate() (it would end every object and request of the isolate); reason = why.",
    );
  });

  it("the base classes refuse a call without new, a ctx not of their kind and an env that is not an object, in the runtime's words", async () => {
    const call = (f: unknown) => () => (f as () => unknown)();
    expect(call(DurableObject)).toThrow("Failed to construct 'DurableObjectBase': Please use the 'new' operator, this object constructor cannot be called as a function.");
    expect(call(WorkerEntrypoint)).toThrow("Failed to construct 'WorkerEntrypoint': Please use the 'new' operator, this object constructor cannot be called as a function.");
    expect(call(WorkflowEntrypoint)).toThrow("Failed to construct 'WorkflowEntrypoint': Please use the 'new' operator, this object constructor cannot be called as a function.");
    expect(call(RpcTarget)).toThrow("Failed to construct 'JsRpcTarget': Please use the 'new' operator, this object constructor cannot be called as a function.");
    expect(() => (waitUntil as () => void)()).toThrow("Failed to execute 'waitUntil' on 'EntrypointsModule': parameter 1 is not of type 'Promise'.");
    // cloudflare:test's ExecutionContext is one, as the runtime's createExecutionContext() gives a real one.
    expect(Object.keys(new WorkflowEntrypoint(createExecutionContext(), {}))).toEqual(["ctx", "env"]);
    const stub = emulator({ module: { Builder }, durableObjects: { BUILDER: "Builder" } }).env.BUILDER.getByName("b") as AnyStub;
    expect(await stub.build()).toEqual({
      own: ["ctx", "env", "field"],
      real: ["ctx", "env"],
      inherited: ["ctx", "env"],
      plain: "Failed to construct 'DurableObjectBase': constructor parameter 1 is not of type 'DurableObjectState'.",
      noEnv: "Failed to construct 'DurableObjectBase': constructor parameter 2 is not of type 'Object'.",
      entrypointWithAnyObject: ["ctx", "env"],
      entrypointWithString: "Failed to construct 'WorkerEntrypoint': constructor parameter 1 is not of type 'Object'.",
      workflowWithObjectCtx: "Failed to construct 'WorkflowEntrypoint': constructor parameter 1 is not of type 'ExecutionContext'.",
      lengths: [0, 0, 0, 0],
    });
  });
});
