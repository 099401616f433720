import { describe, expect, it } from "vitest";
import { DurableObject, RpcTarget } from "../../../lib/modules/workers.js";
import type { DurableObjectState } from "../../../lib/runtime/object/state.js";
import { type AnyStub, errorShape, namespaceOf, rejection } from "../../helpers.js";

class Counter extends RpcTarget {
  #count: number;
  constructor(start: number) {
    super();
    this.#count = start;
  }
  inc() {
    return ++this.#count;
  }
  get count() {
    return this.#count;
  }
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

class Api extends DurableObject {
  ownField = "not reachable";
  stored: unknown;
  echo<T>(value: T) {
    return value;
  }
  repeat(n: number) {
    return "x".repeat(n);
  }
  keep(value: unknown) {
    this.stored = value;
  }
  mutateStored() {
    (this.stored as { n: number }).n++;
    return this.stored;
  }
  peek() {
    return this.stored;
  }
  get greeting() {
    return "hello";
  }
  ["lone\uD800"]() {
    return "never reached: the name arrives as lone\uFFFD";
  }
  ["lone\uFFFD"]() {
    return "lone U+FFFD";
  }
  notAFunction = 1;
  async callBack(fn: (x: number) => Promise<number>) {
    return (await fn(20)) + 1;
  }
  counter(start: number) {
    return new Counter(start);
  }
  nested() {
    return { a: { b: () => "deep" } };
  }
  point() {
    return new Point(1, 2);
  }
  count = 0;
  bump() {
    return ++this.count;
  }
  fail(type: string) {
    const error = type === "TypeError" ? new TypeError("bad type") : type === "RangeError" ? new RangeError("out") : new Error("plain");
    (error as Error & { cause?: unknown }).cause = "kept";
    throw error;
  }
  alarm() {}
  webSocketMessage() {}
}
Object.defineProperty(Api.prototype, "answer", { value: 42 });

class Legacy {
  hello() {
    return "hi";
  }
}

const api = (): AnyStub => namespaceOf(Api).getByName("api");

/** Async methods whose results are pending together and settle in another order than they started. */
class Delayed extends DurableObject {
  async settleAfter(i: number, ms: number) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (i % 3 === 0) throw new Error(`refused ${i}`);
    return i;
  }
}

/** Methods that return thenables that are not promises (the gate waits for them as for a promise). */
class Thenables extends DurableObject {
  handlerNames: string[] = [];
  fulfilling(value: number) {
    return {
      then: (resolve: (value: unknown) => void, reject: Function) => {
        this.handlerNames.push(resolve.name, reject.name);
        resolve(value * 2);
      },
    };
  }
  rejecting() {
    return { then: (_resolve: unknown, reject: (error: unknown) => void) => reject(new Error("refused by a thenable")) };
  }
  namesSeen() {
    return this.handlerNames;
  }
}

describe("RPC reachability", () => {
  it("calls prototype methods and reads prototype getters and values", async () => {
    const stub = api();
    expect(await stub.echo(5)).toBe(5);
    expect(await stub.greeting).toBe("hello");
    expect(await stub.answer).toBe(42);
  });

  it("does not reach own instance properties or unknown names", async () => {
    for (const name of ["ownField", "nope"]) {
      const error = await rejection(api()[name]());
      expect(errorShape(error)).toEqual({
        name: "TypeError",
        message: `The RPC receiver does not implement the method "${name}".`,
        remote: true,
        durableObjectReset: undefined,
      });
    }
  });

  it("reads a name's lone surrogates as U+FFFD, as the runtime sends names (USVStrings)", async () => {
    expect(await api()["lone\uD800"]()).toBe("lone U+FFFD");
    expect((await rejection(api()["x\uDC00"]())).message).toBe('The RPC receiver does not implement the method "x\uFFFD".');
    // The same after calls of a well-formed name, and again (names are checked on every call).
    expect([await api().echo(1), await api().echo(2)]).toEqual([1, 2]);
    expect([await api()["lone\uD800"](), await api()["lone\uD800"]()]).toEqual(["lone U+FFFD", "lone U+FFFD"]);
  });

  it.each(["alarm", "webSocketMessage", "webSocketClose", "webSocketError", "dup"])(
    "refuses the reserved name %s",
    async (name) => {
      // Refused however many calls of another name went before it.
      expect(await api().echo(name)).toBe(name);
      const error = await rejection(api()[name]());
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(`'${name}' is a reserved method and cannot be called over RPC.`);
      expect(error.remote).toBe(true);
    },
  );

  it("answers connect() with a Socket at once, which an object without a connect handler refuses", async () => {
    expect(() => api().connect()).toThrow(new TypeError("Failed to execute 'connect' on 'Fetcher': parameter 1 is not of type 'SocketAddress or string'."));
    const socket = api().connect("example.com:80");
    const refusal = "proxy request failed, cannot connect to the specified address. It looks like you might be trying to connect to a HTTP-based service — consider using fetch instead";
    await expect(socket.opened).rejects.toThrow(refusal);
    await expect(socket.closed).rejects.toThrow(refusal);
    expect(await socket.readable.getReader().read()).toEqual({ done: true, value: undefined });
    // startTls() on a refused "starttls" socket: its writes failed, so it is never marked
    // upgraded, and nothing is left unhandled (Vitest would report the rejection).
    const plain = api().connect("a:1", { secureTransport: "starttls" });
    await expect(plain.opened).rejects.toThrow("proxy request failed");
    plain.startTls();
    await expect(plain.closed).rejects.toThrow("proxy request failed");
    await new Promise((resolve) => setImmediate(resolve));
    expect(plain.upgraded).toBe(false);
  });

  it("connects to an object's connect handler: what each side writes, the other reads", async () => {
    class Echo extends DurableObject {
      async connect(socket: { opened: Promise<unknown>; readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array | string> }) {
        const { value } = await socket.readable.getReader().read();
        const writer = socket.writable.getWriter();
        await writer.write(value!);
        await writer.write(" " + JSON.stringify(await socket.opened));
        await writer.close();
      }
    }
    const socket = namespaceOf(Echo).getByName("e").connect({ hostname: "db.internal", port: 5432 });
    await socket.writable.getWriter().write(new TextEncoder().encode("ping"));
    expect(await new Response(socket.readable).text()).toBe('ping {"localAddress":"db.internal:5432"}');
    expect(await socket.opened).toEqual({ remoteAddress: "db.internal:5432", localAddress: undefined });
    expect(await socket.closed).toBeUndefined();
  });

  it("refuses classes that do not extend DurableObject", async () => {
    const error = await rejection(namespaceOf(Legacy).getByName("x").hello());
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`\./);
    expect(error.remote).toBe(true);
  });
});

describe("RPC values", () => {
  it("structured-clones arguments and results both ways", async () => {
    const stub = api();
    const sent = { n: 1, nested: [1, 2] };
    await stub.keep(sent);
    sent.n = 100; // the caller's later mutation never reaches the object
    expect(await stub.peek()).toEqual({ n: 1, nested: [1, 2] });
    const received = await stub.mutateStored();
    received.n = -5; // and the object's value never aliases the caller's copy
    expect(await stub.peek()).toEqual({ n: 2, nested: [1, 2] });
  });

  it("round-trips structured-clone types", async () => {
    const value = { m: new Map([[1, "a"]]), s: new Set([2]), d: new Date(5), big: 10n ** 20n, bytes: new Uint8Array([1, 2]), re: /x/g };
    expect(await api().echo(value)).toEqual(value);
  });

  it("passes functions as stubs that call back", async () => {
    expect(await api().callBack(async (x: number) => x * 2)).toBe(41);
  });

  it("returns RpcTargets as stubs whose methods and getters run remotely", async () => {
    const counter = await api().counter(10);
    expect(await counter.inc()).toBe(11);
    expect(await counter.inc()).toBe(12);
    expect(await counter.count).toBe(12);
  });

  it("settles with what a returned thenable resolves to or rejects with; its then gets anonymous handlers", async () => {
    const stub: AnyStub = namespaceOf(Thenables).getByName("t");
    expect(await stub.fulfilling(21)).toBe(42);
    await expect(stub.rejecting()).rejects.toThrow("refused by a thenable");
    // As V8's resolving functions are (durasim's own handlers of promises never reach object code).
    expect(await stub.namesSeen()).toEqual(["", ""]);
  });

  it("gives each of many async results pending at once its own caller, as it settles", async () => {
    // More results in flight than durasim keeps watches for, settling in an order of their own;
    // a second wave starts while the first is still pending, so watches freed by the first serve it.
    const stub: AnyStub = namespaceOf(Delayed).getByName("d");
    expect(await stub.settleAfter(1, 0)).toBe(1);
    const wave = (from: number) => Array.from({ length: 150 }, (_, n) => stub.settleAfter(from + n, ((from + n) * 7) % 13));
    const first = wave(0);
    await first[13];
    const outcomes = await Promise.allSettled([...first, ...wave(150)]);
    outcomes.forEach((outcome, i) => {
      if (i % 3 === 0) expect(outcome).toMatchObject({ status: "rejected", reason: { message: `refused ${i}` } });
      else expect(outcome).toEqual({ status: "fulfilled", value: i });
    });
  });

  it("pipelines calls on results that have not arrived yet", async () => {
    const stub = api();
    expect(await stub.counter(1).inc()).toBe(2);
    expect(await stub.nested().a.b()).toBe("deep");
    // workerd reports a pipelined call on a primitive result as an unknown method.
    const error = await rejection(stub.echo(3).foo());
    expect(error.message).toBe('The RPC receiver does not implement the method "foo".');
    expect(error.remote).toBe(true);
  });

  it("refuses plain class instances with the runtime's DataCloneError, as a rejection", async () => {
    const stub = api();
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = stub.echo(new Point(1, 2));
    }).not.toThrow();
    const argError = await rejection(pending!);
    expect(argError.name).toBe("DataCloneError");
    expect(argError.message).toBe('Could not serialize object of type "Point". This type does not support serialization.');
    const resultError = await rejection(stub.point());
    expect(resultError.name).toBe("DataCloneError");
    expect(resultError.remote).toBe(true);
  });

  it("keeps an own __proto__ key as data", async () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const copy = await api().echo(value);
    expect(Object.keys(copy)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  // Building and serialising four 32 MiB strings takes over a second of CPU: past the default
  // 20 s on a saturated 2-core machine. What is checked is sizes and messages, not speed.
  it("limits serialized arguments and results to 32 MiB, with workerd's sizes", async () => {
    const stub = api();
    const mib32 = 32 * 1024 * 1024;
    expect(await stub.echo("x".repeat(mib32 - 64))).toHaveLength(mib32 - 64);
    const argument = await rejection(stub.echo("x".repeat(mib32 + 1)));
    expect(argument.message).toBe(
      "Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: 33554445 bytes.",
    );
    expect(argument.remote).toBeUndefined();
    const result = await rejection(stub.repeat(mib32 + 1));
    expect(result.message).toBe(
      "Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: 33554440 bytes.",
    );
    expect(result.remote).toBe(true);
  }, 90_000);

  it("reports a non-function member with the runtime's TypeError", async () => {
    const error = await rejection(api().greeting());
    expect(error.message).toBe('"greeting" is not a function.');
  });

  it("calls a method as the prototype chain answers it, getters and proxies included", async () => {
    const reads: Array<string | symbol> = [];
    class Members extends DurableObject {
      constructor(ctx: DurableObjectState, env: unknown) {
        super(ctx, env);
        // An instance that is a proxy: its method is read through the proxy (its get trap), as
        // workerd reads it (conformance "rpc-proxies: a Durable Object whose constructor returns a Proxy ...").
        return new Proxy(this, { get: (target, key, receiver) => (reads.push(key), Reflect.get(target, key, receiver)) });
      }
      whoAmI() {
        return this === undefined ? "none" : "instance";
      }
      get failing(): never {
        throw new RangeError("getter failed");
      }
      get absentValue() {
        return undefined;
      }
    }
    Object.defineProperty(Members.prototype, "undefinedValue", { value: undefined });
    const stub = namespaceOf(Members).getByName("m");
    expect(await stub.whoAmI()).toBe("instance");
    expect(reads).toContain("whoAmI");
    const thrown = await rejection(stub.failing());
    expect(errorShape(thrown)).toEqual({ name: "RangeError", message: "getter failed", remote: true, durableObjectReset: undefined });
    // A member that is undefined is none to the runtime (conformance "rpc-proxies: calling a member that is undefined ...").
    for (const name of ["undefinedValue", "absentValue"]) {
      expect((await rejection(stub[name]())).message).toBe(`The RPC receiver does not implement the method "${name}".`);
    }
    expect((await rejection(stub.missing())).message).toBe('The RPC receiver does not implement the method "missing".');
  });

  it("calls methods of an ordinary instance through its prototype chain, getters included", async () => {
    let getterThis: unknown;
    class Plain extends DurableObject {
      get method() {
        getterThis = this;
        return () => "from a getter";
      }
      get failing(): never {
        throw new RangeError("getter failed");
      }
    }
    Object.defineProperty(Plain.prototype, "undefinedValue", { value: undefined });
    const stub = namespaceOf(Plain).getByName("p");
    expect(await stub.method()).toBe("from a getter");
    expect(getterThis).toBeInstanceOf(Plain);
    const thrown = await rejection(stub.failing());
    expect(errorShape(thrown)).toEqual({ name: "RangeError", message: "getter failed", remote: true, durableObjectReset: undefined });
    expect((await rejection(stub.undefinedValue())).message).toBe('The RPC receiver does not implement the method "undefinedValue".');
    expect((await rejection(stub.missing())).message).toBe('The RPC receiver does not implement the method "missing".');
  });
});

describe("RPC errors", () => {
  it.each(["Error", "TypeError", "RangeError"])("keep the %s type, message and cause, and gain remote and durableObjectId", async (type) => {
    const stub = api();
    const error = await rejection(stub.fail(type));
    expect(error.name).toBe(type);
    expect(error.constructor.name).toBe(type);
    expect(error.remote).toBe(true);
    expect(error.durableObjectId).toBe(stub.id.toString());
    expect(error.durableObjectReset).toBeUndefined();
    // As in workerd, `cause` travels with the error (the stack does not).
    expect(error.cause).toBe("kept");
  });

  it("do not reset the object or break the stub", async () => {
    const stub = api();
    expect(await stub.bump()).toBe(1);
    await rejection(stub.fail("Error"));
    expect(await stub.bump()).toBe(2);
  });
});
