import { runInNewContext, runInThisContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { type AnyStub, namespaceOf, rejection } from "../../helpers.js";

class Values extends DurableObject {
  echo(value: unknown) {
    return value;
  }
  async read(stream: ReadableStream) {
    return await new Response(stream).text();
  }
  stream() {
    return new ReadableStream({
      start(controller) {
        controller.enqueue("from ");
        controller.enqueue(new TextEncoder().encode("the object"));
        controller.close();
      },
    });
  }
  async call(target: AnyStub) {
    return await target.greet();
  }
  throwWith(extra: string) {
    const error = Object.assign(new RangeError("thrown"), { code: "E_THROWN" });
    if (extra === "function") Object.assign(error, { fn: () => 1 });
    throw error;
  }
}

const values = (): AnyStub => namespaceOf(Values).getByName("v");

describe("values crossing RPC", () => {
  it("moves ReadableStreams both ways, string chunks as UTF-8 bytes", async () => {
    const s = values();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue("to ");
        controller.enqueue(new TextEncoder().encode("it"));
        controller.close();
      },
    });
    expect(await s.read(body)).toBe("to it");
    expect(body.locked).toBe(true);
    expect(await new Response(await s.stream()).text()).toBe("from the object");
    const locked = new ReadableStream();
    locked.getReader();
    expect((await rejection(s.read(locked))).message).toBe("The ReadableStream has been locked to a reader.");
  });

  it("copies Headers and Errors with what the runtime keeps of them", async () => {
    const s = values();
    const headers: Headers = await s.echo(new Headers([["x-b", "2"], ["X-A", "1"]]));
    expect([...headers]).toEqual([["x-a", "1"], ["x-b", "2"]]);
    class HttpError extends Error {
      override name = "HttpError";
      status = 404;
    }
    const error: Error & { status: number } = await s.echo(new HttpError("gone", { cause: "why" }));
    expect([error.constructor, error.name, error.message, error.status, error.cause]).toEqual([Error, "HttpError", "gone", 404, "why"]);
  });

  it("takes values made in another realm (Jest's vm context) as the same kinds, both ways", async () => {
    const stub = namespaceOf(Values).getByName("realms") as AnyStub;
    const source = `({
      plain: { a: 1, nested: { list: [1, "two"] } },
      date: new Date(5),
      regexp: /ab+/g,
      map: new Map([["k", new Set([1])]]),
      bytes: new Uint8Array([1, 2]),
      view: new DataView(new ArrayBuffer(4)),
      error: Object.assign(new RangeError("foreign"), { code: "E_FOREIGN" }),
    })`;
    const back = await stub.echo(runInNewContext(source));
    // What the same source makes in this realm.
    expect(back).toEqual(runInThisContext(source));
    expect(back.error).toMatchObject({ name: "RangeError", message: "foreign", code: "E_FOREIGN" });
    expect([back.date instanceof Date, back.map instanceof Map, back.error instanceof RangeError]).toEqual([true, true, true]);
    // A Proxy of another realm's plain object is a plain object's Proxy: it crosses as a stub.
    expect(typeof (await stub.echo(new Proxy(runInNewContext("({})"), {})))).toBe("function");
  });

  it("keeps array holes and extra properties, and shared buffers shared", async () => {
    const buffer = new ArrayBuffer(4);
    const copy = await values().echo({ list: Object.assign([1, , 3], { extra: "x" }), a: new Uint8Array(buffer, 0, 2), b: new Uint16Array(buffer, 2, 1) });
    expect([1 in copy.list, copy.list.extra, copy.list.length]).toEqual([false, "x", 3]);
    expect(copy.a.buffer).toBe(copy.b.buffer);
  });

  it("sends a Proxy of a plain object as a stub, and refuses other Proxies", async () => {
    const s = values();
    expect(await s.call(new Proxy({ greet: () => "proxied" }, {}))).toBe("proxied");
    const error = await rejection(s.echo(new Proxy([1], {})));
    expect([error.name, error.message]).toEqual([
      "DataCloneError",
      "Proxy could not be serialized because it is not a valid RPC receiver type. The Proxy must emulate either a plain object or an RpcTarget, as indicated by the Proxy's prototype chain.",
    ]);
  });

  it("tunnels a thrown error with its own properties, or as its type and message alone", async () => {
    const s = values();
    const kept = await rejection(s.throwWith("nothing"));
    expect([kept.name, kept.code, kept.remote, typeof kept.durableObjectId]).toEqual(["RangeError", "E_THROWN", true, "string"]);
    const bare = await rejection(s.throwWith("function"));
    expect([bare.name, bare.message, Object.keys(bare)]).toEqual(["RangeError", "thrown", ["remote"]]);
  });

  it("takes an error by what it is, not by its prototype: a look-alike is a class instance, a re-prototyped error an error", async () => {
    const s = values();
    const lookAlike = Object.assign(Object.create(TypeError.prototype), { message: "fake" });
    expect((await rejection(s.echo(lookAlike))).message).toBe('Could not serialize object of type "TypeError". This type does not support serialization.');
    const reprototyped: Error = await s.echo(Object.setPrototypeOf(new Error("real"), Object.prototype));
    expect([Object.prototype.toString.call(reprototyped), reprototyped.message]).toEqual(["[object Error]", "real"]);
    const dom: DOMException = await s.echo(Object.setPrototypeOf(new DOMException("gone", "AbortError"), Object.prototype));
    expect([dom.name, dom.message, dom.code]).toEqual(["AbortError", "gone", 20]);
    expect((await rejection(s.echo([1, 2].values()))).name).toBe("DataCloneError");
  });
});

