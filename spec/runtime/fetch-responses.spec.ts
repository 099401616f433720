import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { Response } from "../../lib/runtime/websockets/response.js";
import { Request } from "../../lib/runtime/request.js";
import { type AnyStub, emulator, namespaceOf, rejection } from "../helpers.js";

class Responder extends DurableObject {
  async fetch(request: Request) {
    const url = new URL(request.url);
    const status = Number(url.searchParams.get("s") ?? 200);
    if (url.pathname === "/json") return Response.json({ a: 1 }, { status });
    if (url.pathname === "/own") return new Response("x", { status, statusText: url.searchParams.get("t") ?? "" });
    if (url.pathname === "/method") return new Response(request.method);
    if (url.pathname === "/headers") return Response.json([...request.headers]);
    if (url.pathname === "/cf") return Response.json((request as { cf?: unknown }).cf ?? "none");
    return new Response(status === 204 ? null : "body", { status });
  }
}

const seen = (res: Response) => [res.status, res.statusText, res.url, res.webSocket];

describe("a Response as the caller of a fetch() handler sees it (as after crossing in the runtime)", () => {
  it("reads the status's reason phrase when its maker gave no statusText, its class's for codes without one", async () => {
    const stub = namespaceOf(Responder).getByName("r") as AnyStub;
    const phrases: string[] = [];
    for (const s of [200, 204, 299, 399, 404, 418, 425, 509]) phrases.push((await stub.fetch(`http://do/?s=${s}`)).statusText);
    expect(phrases).toEqual(["OK", "No Content", "Successful", "Redirection", "Not Found", "I'm a teapot", "Client Error", "Server Error"]);
    expect((await stub.fetch("http://do/own?s=404&t=Mine")).statusText).toBe("Mine");
    expect((await stub.fetch("http://do/own?s=404")).statusText).toBe("");
  });

  it("reads the request's URL without its fragment, clones included; Response.json makes a Worker Response", async () => {
    const stub = namespaceOf(Responder).getByName("r") as AnyStub;
    const res = (await stub.fetch("http://do/json?s=201#frag")) as Response;
    expect(seen(res)).toEqual([201, "Created", "http://do/json?s=201", null]);
    expect(seen(res.clone() as Response)).toEqual(seen(res));
    expect(await res.json()).toEqual({ a: 1 });
  });

  it("leaves a Response alone where it was made", () => {
    expect(seen(new Response("x", { status: 404 }))).toEqual([404, "", "", null]);
    expect(seen(Response.json({}, { status: 201 }))).toEqual([201, "", "", null]);
    expect(seen(Response.redirect("https://a.example/", 301))).toEqual([301, "", "", null]);
  });
});

describe("what stub.fetch() and the Worker Response accept, as the runtime does", () => {
  it("sends known methods upper-cased and refuses others, GET/HEAD bodies and URLs that are not http(s)", async () => {
    const stub = namespaceOf(Responder).getByName("r") as AnyStub;
    const method = async (m: string) => (await stub.fetch("http://do/method", { method: m, body: "b" })).text();
    expect([await method("patch"), await method("Purge"), await method("propfind")]).toEqual(["PATCH", "PURGE", "PROPFIND"]);
    expect((await rejection(stub.fetch("http://do/", { method: "foo" }))).message).toBe("Invalid HTTP method string: foo");
    expect((await rejection(stub.fetch("http://do/", { method: "connect" }))).message).toBe("Invalid HTTP method string: connect");
    expect((await rejection(stub.fetch("http://do/", { method: "GET", body: "a" }))).message).toBe("Request with a GET or HEAD method cannot have a body.");
    expect((await rejection(stub.fetch("http://do/", { body: "a" }))).message).toBe("Request with a GET or HEAD method cannot have a body.");
    expect((await rejection(stub.fetch("ftp://x/"))).message).toBe("Fetch API cannot load: ftp://x/");
    // Named by the URL as parsed, its fragment kept (though a fragment is never sent).
    expect((await rejection(stub.fetch("FTP://X/p q#frag"))).message).toBe("Fetch API cannot load: ftp://x/p%20q#frag");
    expect((await rejection(stub.fetch(new Request("ftp://x/#f")))).message).toBe("Fetch API cannot load: ftp://x/#f");
  });

  it("frames a body given in the init as HTTP does, and takes a stream body without duplex", async () => {
    const stub = namespaceOf(Responder).getByName("r") as AnyStub;
    const headers = async (body: unknown) => (await stub.fetch("http://do/headers", { method: "POST", body })).json();
    expect(await headers("é😀")).toEqual([["content-length", "6"], ["content-type", "text/plain;charset=UTF-8"]]);
    expect(await headers(new Uint8Array(5))).toEqual([["content-length", "5"]]);
    const stream = new ReadableStream({ start: (c) => { c.enqueue(new Uint8Array([1])); c.close(); } });
    expect(await headers(stream)).toEqual([["transfer-encoding", "chunked"]]);
    expect(await headers(undefined)).toEqual([]);
  });

  it("passes the init's cf on as request.cf, from a stub and from dispatchFetch", async () => {
    const stub = namespaceOf(Responder).getByName("r") as AnyStub;
    expect(await (await stub.fetch("http://do/cf", { cf: { country: "NZ" } })).json()).toEqual({ country: "NZ" });
    expect(await (await stub.fetch("http://do/cf")).json()).toBe("none");
    const emu = emulator({ module: { default: { fetch: (request: Request) => Response.json((request as { cf?: unknown }).cf ?? "none") } } });
    expect(await (await emu.dispatchFetch("/", { cf: { colo: "AKL" } } as RequestInit)).json()).toEqual({ colo: "AKL" });
  });

  it("Response refuses a body with a null-body status (an empty string is none) and bad redirects with the runtime's messages", () => {
    expect(() => new Response("x", { status: 204 })).toThrow(new TypeError("Response with null body status (101, 204, 205, or 304) cannot have a body."));
    expect(new Response("", { status: 304 }).status).toBe(304);
    expect(() => Response.redirect("https://a.example/", 200 as 301)).toThrow(
      new RangeError("200 is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308."),
    );
    expect(() => Response.redirect("/x", 301)).toThrow(new TypeError("Unable to parse URL: /x"));
    // The URL is converted first: a Symbol is refused before the status is looked at.
    expect(() => Response.redirect(Symbol() as unknown as string, 200 as 301)).toThrow(new TypeError("Cannot convert a Symbol value to a string"));
  });

  it("takes an empty body (string, buffer, view, Blob, URLSearchParams) as none, which a null-body status allows; a stream is refused", () => {
    for (const body of ["", new ArrayBuffer(0), new Uint8Array(0), new Blob([]), new URLSearchParams()]) {
      expect(new Response(body, { status: 204 }).body).toBeNull();
    }
    expect(() => new Response(new ReadableStream(), { status: 204 })).toThrow(new TypeError("Response with null body status (101, 204, 205, or 304) cannot have a body."));
    expect(() => new Response(new Uint8Array(1), { status: 304 })).toThrow(new TypeError("Response with null body status (101, 204, 205, or 304) cannot have a body."));
  });

  it("refuses an init or headers that is no object in the runtime's words, and converts statuses as a WebIDL long", () => {
    expect(() => new Response(null, 5 as unknown as ResponseInit)).toThrow(new TypeError("Failed to construct 'Response': constructor parameter 2 is not of type 'InitializerDict or Response'."));
    expect(() => new Request("http://x/", "x" as unknown as RequestInit)).toThrow(new TypeError("Failed to construct 'Request': constructor parameter 2 is not of type 'RequestInitializerDict or Request'."));
    expect(() => new Response(null, { headers: null as unknown as Headers })).toThrow(
      new TypeError("Incorrect type for the 'headers' field on 'InitializerDict': the provided value is not of type 'Headers or Sequence or object'."),
    );
    expect(() => new Request("http://x/", { headers: null as unknown as Headers })).toThrow(
      new TypeError("Incorrect type for the 'headers' field on 'RequestInitializerDict': the provided value is not of type 'Headers or Sequence or object'."),
    );
    expect([new Response(null, { status: 599.9 }).status, Response.redirect("http://x/", 301.9 as 301).status]).toEqual([599, 301]);
    expect(() => new Response(null, { status: 204n as unknown as number })).toThrow(new TypeError("Cannot convert a BigInt value to a number"));
  });

  it("converts a Request's or a fetch's input before reading its init: a Symbol is refused before a bad method", async () => {
    const symbol = Symbol() as unknown as string;
    expect(() => new Request(symbol, { method: "bad method" })).toThrow(new TypeError("Cannot convert a Symbol value to a string"));
    expect(() => new Request("http://x/", { method: symbol })).toThrow(new TypeError("Cannot convert a Symbol value to a string"));
    const stub = namespaceOf(Responder).getByName("r") as AnyStub;
    expect((await rejection(stub.fetch(symbol, { method: "bad method" }))).message).toBe("Cannot convert a Symbol value to a string");
  });
});

/** Answers /trickle with a body that sends one chunk and then waits for ever, noting how its stream was cancelled. */
class Trickler extends DurableObject {
  cancels: string[] = [];
  async fetch(request: Request) {
    if (new URL(request.url).pathname === "/whole") return new Response("whole");
    let sent = false;
    return new Response(
      new ReadableStream({
        pull: (controller) => {
          if (sent) return new Promise<void>(() => {});
          sent = true;
          controller.enqueue(new TextEncoder().encode("first"));
        },
        cancel: (reason) => void this.cancels.push(reason === undefined ? "no reason" : String(reason)),
      }),
    );
  }
  cancelled() {
    return this.cancels;
  }
}

describe("the caller's signal covers the Response body still arriving (conformance: fetch-abort-mid-body)", () => {
  it("an abort once stub.fetch() resolved fails the waiting read and every later one with a copy of its reason, and cancels the object's stream without a reason", async () => {
    const stub = namespaceOf(Trickler).getByName("t") as AnyStub;
    const controller = new AbortController();
    const reason = new RangeError("stop");
    const reader = ((await stub.fetch("http://do/trickle", { signal: controller.signal })) as Response).body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first");
    const waiting = reader.read();
    controller.abort(reason);
    for (const read of [waiting, reader.read()]) {
      const error = await rejection(read);
      expect(error).not.toBe(reason);
      expect([error.constructor, error.message, error.remote]).toEqual([RangeError, "stop", undefined]);
    }
    expect(await stub.cancelled()).toEqual(["no reason"]);
  });

  it("an abort given no reason fails it with a copy of the signal's AbortError; a body read whole is left alone; one that came after its signal aborted the call is cancelled at once", async () => {
    const stub = namespaceOf(Trickler).getByName("t") as AnyStub;
    const controller = new AbortController();
    const reader = ((await stub.fetch("http://do/trickle", { signal: controller.signal })) as Response).body!.getReader();
    await reader.read();
    controller.abort();
    const error = await rejection(reader.read());
    expect([error.constructor, error.name, error.message]).toEqual([DOMException, "AbortError", "This operation was aborted"]);
    expect(error).not.toBe(controller.signal.reason);

    const later = new AbortController();
    const whole = (await stub.fetch("http://do/whole", { signal: later.signal })) as Response;
    expect(await whole.text()).toBe("whole");
    later.abort();
    expect(await stub.cancelled()).toEqual(["no reason"]);

    const early = new AbortController();
    const call = stub.fetch("http://do/trickle", { signal: early.signal });
    early.abort(new TypeError("early"));
    expect((await rejection(call)).message).toBe("early");
    // Its Response leaves the object at the end of the turn, as every fetch's: once a later
    // fetch's has arrived, it has too.
    await stub.fetch("http://do/whole");
    expect(await stub.cancelled()).toEqual(["no reason", "no reason"]);
  });

  it("a signal kept for many fetches holds one abort listener however many bodies it covers, and none once they have ended", async () => {
    const stub = namespaceOf(Trickler).getByName("t") as AnyStub;
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) await ((await stub.fetch("http://do/whole", { signal: controller.signal })) as Response).text();
    expect(EventEmitter.getEventListeners(controller.signal, "abort")).toHaveLength(0);
    const readers = [];
    for (let i = 0; i < 20; i++) readers.push(((await stub.fetch("http://do/trickle", { signal: controller.signal })) as Response).body!.getReader());
    expect(EventEmitter.getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort(new TypeError("all"));
    for (const reader of readers) expect((await rejection(reader.read())).message).toBe("all");
    expect(await stub.cancelled()).toHaveLength(20);
    expect(EventEmitter.getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

/** Node's own Response class: what Worker code builds where durasim's globals are not in place
 * (a Worker given as `module` without durasim/register). */
const NodeResponse = globalThis.Response;

/** A body that sends "first" and then waits for ever, noting how it was cancelled in `cancels`. */
function trickle(cancels: string[]): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull: (controller) => {
      if (sent) return new Promise<void>(() => {});
      sent = true;
      controller.enqueue(new TextEncoder().encode("first"));
    },
    cancel: (reason) => void cancels.push(reason === undefined ? "no reason" : String(reason)),
  });
}

/** Reads "first" from `response`, aborts `controller` with `reason` while the next read waits, and
 * says how that read and the one after it ended. */
async function abortMidBody(response: globalThis.Response, controller: AbortController, reason: Error) {
  const reader = response.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  const waiting = reader.read();
  controller.abort(reason);
  const ends = [];
  for (const read of [waiting, reader.read()]) {
    const error = await rejection(read);
    ends.push([error === reason, error.constructor, error.message]);
  }
  return { first, ends };
}

describe("the caller's signal covers a body that Node's own Response class (or Node's fetch()) streams", () => {
  const aborted = { first: "first", ends: [[false, RangeError, "stop"], [false, RangeError, "stop"]] };

  it("dispatchFetch() and a stub's fetch(): the waiting read and every later one fail, and the Worker's stream is cancelled without a reason", async () => {
    const cancels: string[] = [];
    class NodeMade extends DurableObject {
      fetch() {
        return new NodeResponse(trickle(cancels));
      }
    }
    const emu = emulator({ module: { NodeMade, default: { fetch: () => new NodeResponse(trickle(cancels)) } }, durableObjects: { NODE: "NodeMade" } });
    const fromWorker = new AbortController();
    const response = await emu.dispatchFetch("http://x/#top", { signal: fromWorker.signal });
    // Read as any delivered Response: the request's URL, the status's phrase, immutable headers.
    expect([response.status, response.statusText, response.url]).toEqual([200, "OK", "http://x/"]);
    expect(() => response.headers.set("x", "y")).toThrow(TypeError);
    expect(await abortMidBody(response, fromWorker, new RangeError("stop"))).toEqual(aborted);
    const fromObject = new AbortController();
    const stub = (emu.env as { NODE: { getByName(name: string): AnyStub } }).NODE.getByName("a");
    expect(await abortMidBody(await stub.fetch("http://do/", { signal: fromObject.signal }), fromObject, new RangeError("stop"))).toEqual(aborted);
    expect(cancels).toEqual(["no reason", "no reason"]);
  });

  it("a Response a Worker's global fetch() resolved to, passed on, ends as well; one read whole before the abort is left alone", async () => {
    const server = createServer((request, response) => {
      response.write("first");
      if (request.url === "/whole") response.end();
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    try {
      const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const passOn = (request: Request) => fetch(`${origin}${new URL(request.url).pathname}`);
      class Proxying extends DurableObject {
        fetch(request: Request) {
          return passOn(request);
        }
      }
      const emu = emulator({ module: { Proxying, default: { fetch: passOn } }, durableObjects: { PROXY: "Proxying" } });
      const controller = new AbortController();
      expect(await abortMidBody(await emu.dispatchFetch("http://x/endless", { signal: controller.signal }), controller, new RangeError("stop"))).toEqual(aborted);
      const later = new AbortController();
      const stub = (emu.env as { PROXY: { getByName(name: string): AnyStub } }).PROXY.getByName("a");
      const whole = (await stub.fetch("http://do/whole", { signal: later.signal })) as Response;
      const text = await whole.text();
      // Its body has ended: the signal keeps no listener for it.
      expect(EventEmitter.getEventListeners(later.signal, "abort")).toHaveLength(0);
      later.abort();
      expect(text).toBe("first");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("what the global fetch() of Worker and object code loads, as the runtime does", () => {
  class Fetcher extends DurableObject {
    async tryFetch(url: string, init?: RequestInit): Promise<string> {
      try {
        const response = await fetch(url, init);
        return `${response.status} ${await response.text()}`;
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    }
  }

  it("refuses every scheme but http, https and data before the network, naming the URL as parsed with its fragment", async () => {
    const stub = namespaceOf(Fetcher).getByName("f") as AnyStub;
    expect(await stub.tryFetch("ftp://x/p#frag")).toBe("TypeError: Fetch API cannot load: ftp://x/p#frag");
    expect(await stub.tryFetch("FILE:///a b")).toBe("TypeError: Fetch API cannot load: file:///a%20b");
    // A WebSocket is asked for over http(s), not ws(s).
    expect(await stub.tryFetch("wss://x.invalid/", { headers: { Upgrade: "websocket" } })).toBe("TypeError: Fetch API cannot load: wss://x.invalid/");
    expect(await stub.tryFetch("data:text/plain,hi")).toBe("200 hi");
    // The init is checked first.
    expect(await stub.tryFetch("ftp://x/", { method: "bad method" })).toBe("TypeError: Invalid HTTP method string: bad method");
  });

  it("answers a data URL given to a Fetcher (a stub, a service binding to a function) itself, as the global fetch() does, reaching neither", async () => {
    let reached = 0;
    const emu = emulator({
      module: { default: { fetch: () => new Response("worker") }, Fetcher },
      serviceBindings: { FN: () => ((reached += 1), new Response("function")) },
    } as never);
    const seen = async (response: Promise<Response>) => {
      const r = await response;
      return `${r.status} ${r.headers.get("content-type")} [${r.url}] ${await r.text()}`;
    };
    const stub = namespaceOf(Fetcher).getByName("f") as AnyStub;
    expect(await seen(stub.fetch("data:text/plain;base64,aGk=#f"))).toBe("200 text/plain [] hi");
    expect(await seen((emu.env as any).FN.fetch("data:,a%20b"))).toBe("200 text/plain;charset=US-ASCII [] a b");
    // Any method but GET gets the headers and no data; a data URL without its comma is refused.
    expect(await seen((emu.env as any).FN.fetch("data:text/plain,p", { method: "POST", body: "x" }))).toBe("200 text/plain [] ");
    expect(await rejection((emu.env as any).FN.fetch("data:text/plain"))).toEqual(new TypeError("Fetch API cannot load: data:text/plain"));
    // Named with its fragment; base64 that does not decode is no data, not a refusal; the Response is the runtime's kind.
    expect(await rejection((emu.env as any).FN.fetch("data:text/plain#a,b"))).toEqual(new TypeError("Fetch API cannot load: data:text/plain#a,b"));
    expect(await seen((emu.env as any).FN.fetch("data:image/gif;base64,*"))).toBe("200 image/gif [] ");
    expect((await (emu.env as any).FN.fetch("data:,t")).type).toBe("default");
    expect(await stub.tryFetch("data:text/plain,p", { method: "PUT", body: "x" })).toBe("200 ");
    expect(reached).toBe(0);
  });

  it("refuses them from a Worker's fetch handler too", async () => {
    const emu = emulator({
      module: { default: { fetch: () => fetch("mailto:a@b.example").then(() => new Response("sent"), (error: Error) => new Response(error.message)) } },
    });
    expect(await (await emu.dispatchFetch("/")).text()).toBe("Fetch API cannot load: mailto:a@b.example");
  });
});
