import { describe, expect, it } from "vitest";
import { DurableObject, RpcPromise, RpcStub, RpcTarget } from "../../../lib/modules/workers.js";
import { type AnyStub, namespaceOf, rejection, sleep, until } from "../../helpers.js";

const DISPOSED = "RPC stub used after being disposed.";

class Counter extends RpcTarget {
  n = 0;
  constructor(private readonly log?: string[]) {
    super();
  }
  inc() {
    return ++this.n;
  }
  [Symbol.dispose]() {
    this.log?.push("disposed");
  }
}

class Holder extends DurableObject {
  saved: AnyStub;
  log: string[] = [];
  async keep(f: AnyStub) {
    this.saved = f;
    return await f(1);
  }
  async keepDup(f: AnyStub) {
    this.saved = f.dup();
    return "kept";
  }
  async callSaved() {
    return await this.saved(2);
  }
  async disposeSaved() {
    this.saved[Symbol.dispose]();
  }
  async use(c: AnyStub) {
    return await c.inc();
  }
  adder(n: number) {
    return (x: number) => x + n;
  }
  counter() {
    return new Counter(this.log);
  }
  bundle() {
    return { f: (x: number) => x * 2, c: new Counter() };
  }
  echo(x: unknown) {
    return x;
  }
  async readLog() {
    await sleep(5);
    return this.log;
  }
}

const holder = (): AnyStub => namespaceOf(Holder).getByName("h");

/** Calls another object with a callback, which that object uses once its call has returned. */
class LateCaller extends DurableObject {
  async callWithCallback() {
    const other = (this.env as { NS: AnyStub }).NS.getByName("callee");
    const returned = await other.useAfterReturning((x: string) => `called ${x}`);
    return [returned, await other.lateOutcome()];
  }
  #late: Promise<string> | undefined;
  useAfterReturning(f: AnyStub) {
    // Runs after this method returned and before its caller, an object, hears back (a turn later).
    this.#late = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => f("late") as Promise<string>)
      .catch((error: Error) => error.message);
    return "returned";
  }
  lateOutcome() {
    return this.#late;
  }
}

describe("RPC stub lifecycle", () => {
  it("disposes a callback parameter when the call returns; a dup() lives on", async () => {
    const s = holder();
    expect(await s.keep((x: number) => x * 10)).toBe(10);
    expect((await rejection(s.callSaved())).message).toBe(DISPOSED);
    await s.keepDup((x: number) => x * 100);
    expect(await s.callSaved()).toBe(200);
    await s.disposeSaved();
    expect((await rejection(s.callSaved())).message).toBe(DISPOSED);
  });

  it("disposes a callback parameter as the call returns, before an object that made the call hears back", async () => {
    const s: AnyStub = namespaceOf(LateCaller).getByName("caller");
    expect(await s.callWithCallback()).toEqual(["returned", DISPOSED]);
  });

  it("leaves a stub passed as a parameter usable by its caller (rpc_params_dup_stubs)", async () => {
    const s = holder();
    const c = await s.counter();
    expect(await s.use(c)).toBe(1);
    expect(await c.inc()).toBe(2);
    c[Symbol.dispose]();
    expect((await rejection(c.inc())).message).toBe(DISPOSED);
  });

  it("dup() makes an independent handle to the same target", async () => {
    const s = holder();
    const f = await s.adder(1);
    const g = f.dup();
    expect(g).not.toBe(f);
    f[Symbol.dispose]();
    expect(await g(1)).toBe(2);
    expect((await rejection(f(1))).message).toBe(DISPOSED);
    expect(() => f.dup()).toThrow(/^internal error; reference = [0-9a-v]{24}$/);
  });

  it("runs an RpcTarget's disposer once its last stub is disposed", async () => {
    const s = holder();
    const c = await s.counter();
    const d = c.dup();
    c[Symbol.dispose]();
    expect(await s.readLog()).toEqual([]);
    d[Symbol.dispose]();
    d[Symbol.dispose]();
    expect(await s.readLog()).toEqual(["disposed"]);
  });

  it("disposes a caller's RpcTarget passed as a parameter after each call", async () => {
    const s = holder();
    const log: string[] = [];
    const mine = new Counter(log);
    expect([await s.use(mine), await s.use(mine)]).toEqual([1, 2]);
    // The disposals follow the calls' ends in later turns: wait for them, not for a time a loaded machine may outlast.
    await until(() => log.length >= 2);
    expect(log).toEqual(["disposed", "disposed"]);
  });

  it("gives object results a disposer that disposes the stubs inside them", async () => {
    const s = holder();
    const o = await s.bundle();
    expect(Object.keys(o)).toEqual(["f", "c"]);
    expect(await o.f(2)).toBe(4);
    o[Symbol.dispose]();
    expect((await rejection(o.f(2))).message).toBe(DISPOSED);
    expect((await rejection(o.c.inc())).message).toBe(DISPOSED);
  });

  it("returns a parameter to its caller as a new stub", async () => {
    const s = holder();
    const mine = (x: number) => x * 3;
    const back = await s.echo(mine);
    expect(back).not.toBe(mine);
    expect(await back(3)).toBe(9);
  });

  it("refuses an RPC promise as an argument", async () => {
    const s = holder();
    const error = await rejection(s.use(s.counter()));
    expect([error.name, error.message]).toEqual([
      "DataCloneError",
      'Could not serialize object of type "RpcPromise". This type does not support serialization.',
    ]);
  });
});

describe("RPC promises and stubs, locally", () => {
  it("are callable, thenable promises that pipeline", async () => {
    const s = holder();
    const p = s.adder(10);
    expect(typeof p).toBe("function");
    expect(Object.prototype.toString.call(p)).toBe("[object JsRpcPromise]");
    expect(p instanceof Promise).toBe(false);
    expect(await p(5)).toBe(15);
    expect(await s.counter().inc()).toBe(1);
  });

  it("read `then` from their prototype as it stands: a getter there sees the promise as `this`", async () => {
    const proto = RpcPromise.prototype as { then: unknown };
    const original = Object.getOwnPropertyDescriptor(proto, "then")!;
    const seen: unknown[] = [];
    try {
      Object.defineProperty(proto, "then", {
        configurable: true,
        get() {
          seen.push(this);
          return original.value;
        },
      });
      const p = holder().adder(10);
      const f = (await p) as AnyStub;
      expect(seen).toEqual([p]);
      expect(seen[0]).toBe(p);
      expect(await f(5)).toBe(15);
      Object.defineProperty(proto, "then", { ...original, value: (resolve: (value: unknown) => void) => resolve("replaced") });
      expect(await holder().adder(1)).toBe("replaced");
    } finally {
      Object.defineProperty(proto, "then", original);
    }
    expect(await (await holder().adder(1))(1)).toBe(2);
  });

  it("answer Object.prototype members, dup, dispose and constructor locally and nothing else", async () => {
    const f = await holder().adder(1);
    expect(typeof f).toBe("function");
    expect(String(f)).toBe("[object JsRpcStub]");
    expect(Object.getOwnPropertyNames(f)).toEqual([]);
    expect(f instanceof Function).toBe(false);
    expect([typeof f.then, "then" in f, "anything" in f, typeof f.anything, f[0]]).toEqual(["undefined", false, true, "function", undefined]);
    expect(() => f.constructor()).toThrow(
      "Failed to construct 'JsRpcStub': Please use the 'new' operator, this object constructor cannot be called as a function.",
    );
  });

  it("are made from local values by `new RpcStub(value)`, as the runtime's are", async () => {
    const s = new RpcStub(new Counter());
    expect([s instanceof RpcStub, s.constructor === RpcStub, RpcStub.name, String(s)]).toEqual([true, true, "RpcStub", "[object JsRpcStub]"]);
    expect(await (holder().adder(1) as Promise<unknown>)).toBeInstanceOf(RpcStub);
    expect([await s.inc(), await s.inc()]).toEqual([1, 2]);
    const plain: AnyStub = new RpcStub({ a: 1, nested: { twice: (x: number) => 2 * x } });
    const fn: AnyStub = new RpcStub((x: number) => x + 1);
    expect([await plain.a, await plain.nested.twice(4), await fn(1)]).toEqual([1, 8, 2]);
    s[Symbol.dispose]();
    expect((await rejection(s.inc())).message).toBe(DISPOSED);
    const notObject = "Failed to construct 'JsRpcStub': constructor parameter 1 is not of type 'Object'.";
    const notWrappable = "RpcStubs can only wrap plain objects, functions, and RpcTarget derivatives.";
    const Ctor = RpcStub as new (value?: unknown) => unknown;
    expect(() => new Ctor()).toThrow(notObject);
    expect(() => new Ctor(null)).toThrow(notObject);
    expect(() => new Ctor(42)).toThrow(notObject);
    expect(() => new Ctor([1])).toThrow(notWrappable);
    expect(() => new Ctor(new Date())).toThrow(notWrappable);
    expect(() => (RpcStub as unknown as (value: unknown) => unknown)({})).toThrow("Please use the 'new' operator");
  });

  it("settle each with its own result, whichever then was read last; an inheriting object is refused", async () => {
    // then() takes its state from the last read of then when it is called on that proxy; any
    // other order (or a then called on another promise) must still reach each one's own. An
    // object inheriting from a promise is none to the runtime: its then() is an Illegal
    // invocation (workerd, conformance "sockets-last"), though its then was read last.
    const s: AnyStub = namespaceOf(Holder).getByName("then");
    const a = s.adder(1);
    const b = s.adder(2);
    const thenOfA = a.then;
    const thenOfB = b.then;
    const viaA = new Promise((resolve) => thenOfB.call(a, resolve));
    const viaB = new Promise((resolve) => thenOfA.call(b, resolve));
    const inherited = Object.create(a);
    expect(() => inherited.then(() => {})).toThrow("Illegal invocation: function called with incorrect `this` reference.");
    const [fromA, fromB] = await Promise.all([viaA, viaB]);
    expect([await (fromA as AnyStub)(10), await (fromB as AnyStub)(10)]).toEqual([11, 12]);
  });

  it("refuse to walk into arrays and name the member that produced the value", async () => {
    class Arrays extends DurableObject {
      nested() {
        return { list: [1], v: 7 };
      }
    }
    const s: AnyStub = namespaceOf(Arrays).getByName("a");
    for (const [read, name] of [
      [() => s.nested().list.length, "list"],
      [() => s.nested().v.x, "v"],
      [() => s.nested().missing, "missing"],
    ] as const) {
      const error = await rejection(read());
      expect([error.message, error.remote, typeof error.durableObjectId]).toEqual([
        `The RPC receiver does not implement the method "${name}".`,
        true,
        "string",
      ]);
    }
  });
});

/** What the disposers of ResetMaker's targets did: kept outside the instance, which is reset. */
const resetLog: string[] = [];

class ResetMaker extends DurableObject {
  counter() {
    return new Counter(resetLog);
  }
  reset() {
    (this.ctx as { abort(reason?: string): void }).abort("reset");
  }
}

describe("an RpcTarget whose object was reset", () => {
  it("does not run its disposer when its last stub goes: the instance that made it runs no code again", async () => {
    const ns = namespaceOf(ResetMaker);
    const s = ns.getByName("r") as AnyStub;
    const c = await s.counter();
    await rejection(s.reset());
    c[Symbol.dispose]();
    await sleep(10);
    expect(resetLog).toEqual([]);
    // The next instance's targets are disposed as ever (the reset broke the old stub).
    (await (ns.getByName("r") as AnyStub).counter())[Symbol.dispose]();
    await until(() => resetLog.length > 0);
    expect(resetLog).toEqual(["disposed"]);
  });
});

const droppedLog: string[] = [];

/** Calls another instance for an RpcTarget, and resets before the result reaches its code. */
class ResettingCaller extends DurableObject {
  async callThenReset() {
    const maker = (this.env as { NS: AnyStub }).NS.getByName("maker");
    void maker.counterLater().catch(() => {});
    await maker.started();
    // The result arrives while a critical section holds the gate (it waits its turn), then the reset.
    const ctx = this.ctx as unknown as { abort(reason?: string): void; blockConcurrencyWhile(fn: () => Promise<void>): Promise<void> };
    await ctx.blockConcurrencyWhile(async () => {
      await sleep(50);
      ctx.abort("reset");
    });
  }
  #start!: () => void;
  #started = new Promise<void>((resolve) => (this.#start = resolve));
  async counterLater() {
    this.#start();
    await sleep(20);
    return new Counter(droppedLog);
  }
  started() {
    return this.#started;
  }
}

describe("a result whose calling object resets before it arrives", () => {
  it("is dropped with the stubs it lent disposed, so the RpcTarget's disposer runs", async () => {
    const ns = namespaceOf(ResettingCaller);
    await rejection((ns.getByName("caller") as AnyStub).callThenReset());
    await sleep(100);
    expect(droppedLog).toEqual(["disposed"]);
  });
});
