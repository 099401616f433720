/**
 * durasim's Miniflare front door where Miniflare 4's own behaviour decides (checked against
 * Miniflare 4.20260730 on workerd): a service binding written as a function,
 * listDurableObjectIds for classes declared without a binding, a disposed instance, URLs that
 * are not absolute, and repeated compatibility flags.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CloseEvent, Miniflare, MiniflareCoreError, MiniflareError, MessageEvent, Response, WebSocket, WebSocketPair } from "../../lib/miniflare.js";
import { listDurableObjectIds, runDurableObjectAlarm, runInDurableObject, usage, useEmulator } from "../../lib/modules/test/index.js";

const live: Miniflare[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((mf) => mf.dispose()));
});
function miniflare(options: Record<string, unknown>): Miniflare {
  const mf = new Miniflare(options);
  live.push(mf);
  return mf;
}

describe("a service binding written as a function", () => {
  const script = `export default { async fetch(request, env) {
    try {
      const answer = await env.API.fetch("http://api.example" + new URL(request.url).pathname, { method: "POST", body: "hi", headers: { "x-a": "1" } });
      return new Response(answer.status + " " + answer.headers.get("x-r") + " " + await answer.text());
    } catch (error) { return new Response("rejected " + error.message); }
  } }`;
  const api = async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path === "/throw") throw new RangeError("boom from the function");
    if (path === "/string") throw "a thrown string";
    if (path === "/not-a-response") return "nope";
    if (path === "/response-like") return { body: "like", status: 202, headers: { "x-r": "L" } };
    return new Response(`${request.method} ${request.url} ${await request.text()} ${request.headers.get("x-a")}`, { status: 201, headers: { "x-r": "R" } });
  };

  it("gets the Worker's Request and answers with its Response", async () => {
    const mf = miniflare({ modules: true, script, serviceBindings: { API: api } });
    expect(await (await mf.dispatchFetch("http://localhost/ok")).text()).toBe("201 R POST http://api.example/ok hi 1");
  });

  it("a throw reaches the Worker as a 500 response whose body is the error's stack, never as a rejected fetch()", async () => {
    const mf = miniflare({ modules: true, script, serviceBindings: { API: api } });
    expect(await (await mf.dispatchFetch("http://localhost/throw")).text()).toMatch(/^500 null RangeError: boom from the function\n    at /);
    expect(await (await mf.dispatchFetch("http://localhost/string")).text()).toBe("500 null a thrown string");
  });

  it("a result that is not a Response is read as one: a Response-like object answers, anything else is a 500", async () => {
    const mf = miniflare({ modules: true, script, serviceBindings: { API: api } });
    expect(await (await mf.dispatchFetch("http://localhost/response-like")).text()).toBe("202 L like");
    expect(await (await mf.dispatchFetch("http://localhost/not-a-response")).text()).toMatch(/^500 null TypeError: /);
  });
});

describe("a service binding's other forms, as Miniflare 4 calls them", () => {
  it("a function gets the Miniflare instance second", async () => {
    let received: unknown;
    const mf = miniflare({
      modules: true,
      script: `export default { fetch(request, env) { return env.API.fetch("http://api.example/"); } }`,
      serviceBindings: { API: (_request: Request, instance: unknown) => ((received = instance), new Response("ok")) },
    });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("ok");
    expect(received).toBe(mf);
  });

  it("{ node } gets Node's request (path and query, host, headers, streamed body) and response, and the instance third; a throw is a 500 with the stack", async () => {
    const mf = miniflare({
      modules: true,
      script: `export default { async fetch(request, env) {
        const answer = await env.NODE.fetch("http://api.example" + new URL(request.url).pathname + "?q=1", { method: "POST", body: "payload", headers: { "x-a": "1" } });
        return new Response(answer.status + " " + answer.statusText + " " + answer.headers.getSetCookie().join("|") + " " + await answer.text());
      } }`,
      serviceBindings: {
        NODE: {
          node(req: IncomingMessage, res: ServerResponse, instance: unknown) {
            if (req.url?.startsWith("/throw")) throw new RangeError("boom from node");
            let body = "";
            req.on("data", (chunk: Buffer) => (body += chunk));
            req.on("end", () => {
              res.writeHead(203, "Seen", [["set-cookie", "a=1"], ["set-cookie", "b=2"]]);
              res.end(`${req.method} ${req.url} ${req.headers.host} ${req.headers["x-a"]} ${body} ${instance === mf}`);
            });
          },
        },
      },
    });
    expect(await (await mf.dispatchFetch("http://localhost/items")).text()).toBe("203 Seen a=1|b=2 POST /items?q=1 api.example 1 payload true");
    expect(await (await mf.dispatchFetch("http://localhost/throw")).text()).toMatch(/^500 Internal Server Error {2}RangeError: boom from node\n {4}at /);
  });

  it("{ node }: a request body that fails part-way ends there, as a body cut off on the wire (Node goes on)", async () => {
    const mf = miniflare({
      modules: true,
      script: `export default { async fetch(request, env) {
        let sent = false;
        const body = new ReadableStream({ pull(controller) {
          if (sent) return controller.error(new Error("body cut"));
          sent = true;
          controller.enqueue(new TextEncoder().encode("part"));
        } });
        try {
          const answer = await env.NODE.fetch("http://api.example/", { method: "POST", body });
          return new Response("answered " + await answer.text());
        } catch (error) {
          return new Response("rejected " + (error instanceof Error));
        }
      } }`,
      serviceBindings: {
        NODE: {
          node(req: IncomingMessage, res: ServerResponse) {
            let received = "";
            req.on("data", (chunk: Buffer) => (received += chunk));
            req.on("end", () => res.end(received));
          },
        },
      },
    });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("answered part");
  });

  /** A WebSocket end of another library: accept(), send(), close() and events, nothing of durasim's. */
  class OtherSocket extends EventTarget {
    peer?: OtherSocket;
    accept(): void {}
    send(data: unknown): void {
      this.peer!.dispatchEvent(Object.assign(new Event("message"), { data }));
    }
    close(code?: number, reason?: string): void {
      this.peer!.dispatchEvent(Object.assign(new Event("close"), { code, reason }));
    }
  }

  it("a 101 answer whose WebSocket is another implementation's (Miniflare's pair, say) reaches the Worker as a Workers WebSocket joined to it", async () => {
    const service = () => {
      const client = new OtherSocket();
      const server = new OtherSocket();
      [client.peer, server.peer] = [server, client];
      server.addEventListener("message", (event) => {
        const { data } = event as MessageEvent;
        if (data === "bye") server.close(4000, "asked");
        else server.send(typeof data === "string" ? `echo ${data}` : new Uint8Array(data as ArrayBuffer).reverse());
      });
      // Miniflare's Response carries the socket; any object with status and webSocket is read the same way.
      return { status: 101, statusText: "Switching Protocols", headers: new Headers({ "x-other": "1" }), webSocket: client, body: null };
    };
    const mf = miniflare({
      modules: true,
      compatibilityDate: "2026-01-01",
      script: `export default { async fetch(request, env) {
        const response = await env.WS.fetch("http://ws.example/", { headers: { Upgrade: "websocket" } });
        const socket = response.webSocket;
        socket.binaryType = "arraybuffer";
        socket.accept();
        const heard = [];
        socket.addEventListener("message", ({ data }) => heard.push(typeof data === "string" ? data : [...new Uint8Array(data)].join(",")));
        const closed = new Promise((resolve) => socket.addEventListener("close", ({ code, reason }) => resolve(code + " " + reason)));
        for (const message of ["one", new Uint8Array([1, 2]), "bye"]) socket.send(message);
        const ending = await closed;
        return new Response(response.status + " " + response.headers.get("x-other") + " " + heard.join(" ") + " | " + ending);
      } }`,
      serviceBindings: { WS: service },
    });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("101 1 echo one 2,1 | 4000 asked");
  });

  it("a function service answers an upgrade as Miniflare's docs write it, with the WebSocketPair and the Response of the import (101 with webSocket); dispatchFetch's answers and sockets are instances of the classes exported", async () => {
    const mf = miniflare({
      modules: true,
      compatibilityDate: "2026-01-01",
      script: `export default { async fetch(request, env) {
        if (new URL(request.url).pathname === "/own") {
          const [client, server] = Object.values(new WebSocketPair());
          server.accept();
          // At this date (before web_socket_auto_reply_to_close) the Worker answers a Close frame itself.
          server.addEventListener("close", ({ code, reason }) => server.close(code, reason));
          return new Response(null, { status: 101, webSocket: client });
        }
        const response = await env.WS.fetch("http://ws.example/", { headers: { Upgrade: "websocket" } });
        const socket = response.webSocket;
        socket.accept();
        const heard = new Promise((resolve) => socket.addEventListener("message", ({ data }) => resolve(data)));
        socket.send("hi");
        return new Response(response.status + " " + (await heard));
      } }`,
      serviceBindings: {
        WS: () => {
          const [client, server] = Object.values(new WebSocketPair());
          server.accept();
          server.addEventListener("message", (event: Event) => server.send(`pong ${(event as MessageEvent).data}`));
          return new Response(null, { status: 101, webSocket: client });
        },
      },
    });
    const answer = await mf.dispatchFetch("http://localhost/");
    expect([answer instanceof Response, answer instanceof globalThis.Response, await answer.text()]).toEqual([true, true, "101 pong hi"]);
    const socket = (await mf.dispatchFetch("http://localhost/own", { headers: { Upgrade: "websocket" } })).webSocket!;
    expect(socket).toBeInstanceOf(WebSocket);
    socket.accept();
    const closed = new Promise<unknown>((resolve) => socket.addEventListener("close", (event: Event) => resolve(event instanceof CloseEvent)));
    socket.close(1000);
    expect(await closed).toBe(true);
  });

  it("the Worker's close reaches the other implementation's socket with its code and reason (1001 too, as the runtime sends it), and is answered at once", async () => {
    const heard: string[] = [];
    const service = () => {
      const client = new OtherSocket();
      const server = new OtherSocket();
      [client.peer, server.peer] = [server, client];
      server.addEventListener("message", (event) => heard.push(`message ${(event as MessageEvent).data}`));
      server.addEventListener("close", (event) => {
        const { code, reason } = event as Event & { code: number; reason: string };
        heard.push(`close ${code} ${reason}`);
      });
      return { status: 101, statusText: "Switching Protocols", headers: new Headers(), webSocket: client, body: null };
    };
    const mf = miniflare({
      modules: true,
      compatibilityDate: "2026-01-01",
      script: `export default { async fetch(request, env) {
        const socket = (await env.WS.fetch("http://ws.example/", { headers: { Upgrade: "websocket" } })).webSocket;
        socket.accept();
        const closed = new Promise((resolve) => socket.addEventListener("close", ({ code, reason, wasClean }) => resolve([code, reason, wasClean].join(" "))));
        socket.send("last");
        socket.close(1001, "going");
        return new Response(await closed);
      } }`,
      serviceBindings: { WS: service },
    });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("1001 going true");
    expect(heard).toEqual(["message last", "close 1001 going"]);
  });
});

describe("listDurableObjectIds", () => {
  // The Worker reaches Free through ctx.exports: enable_ctx_exports is on from this date (Miniflare's default date is 2000-01-01).
  const CTX_EXPORTS_DATE = "2025-11-17";
  const script = `import { DurableObject } from "cloudflare:workers";
    export class Bound extends DurableObject { fetch() { return new Response("bound"); } }
    export class Free extends DurableObject { async fetch() { await this.ctx.storage.put("k", 1); return new Response(this.ctx.id.toString()); } }
    export default { async fetch(request, env, ctx) {
      const name = new URL(request.url).pathname.slice(1);
      return ctx.exports.Free.get(ctx.exports.Free.idFromName(name)).fetch(request);
    } }`;

  it("finds a class declared in additionalUnboundDurableObjects by its name", async () => {
    const mf = miniflare({ modules: true, script, compatibilityDate: CTX_EXPORTS_DATE, durableObjects: { BOUND: "Bound" }, additionalUnboundDurableObjects: [{ className: "Free", useSQLite: true }] });
    const ids = await Promise.all(["b", "a"].map(async (name) => (await mf.dispatchFetch(`http://localhost/${name}`)).text()));
    expect(await mf.listDurableObjectIds("Free")).toEqual([...ids].sort());
    expect(await mf.listDurableObjectIds("Bound")).toEqual([]);
    await expect(mf.listDurableObjectIds("Nope")).rejects.toThrow(new TypeError('No Durable Object class or namespace binding named "Nope" found in the worker.'));
  });

  it("finds a namespace by its binding name, the class that binding names", async () => {
    const mf = miniflare({ modules: true, script, compatibilityDate: CTX_EXPORTS_DATE, durableObjects: { BOUND: "Bound", FREE: { className: "Free" } } });
    const ids = await Promise.all(["b", "a"].map(async (name) => (await mf.dispatchFetch(`http://localhost/${name}`)).text()));
    expect(await mf.listDurableObjectIds("FREE")).toEqual([...ids].sort());
    expect(await mf.listDurableObjectIds("BOUND")).toEqual([]);
  });

  it("an unbound class the module does not export: the Worker starts with a warning, as workerd starts it, and the class has no ids", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const mf = miniflare({ name: "w", modules: true, script, additionalUnboundDurableObjects: [{ className: "Missing" }] });
    await mf.ready;
    expect(warn.mock.calls).toEqual([
      [`durasim: unboundDurableObjects[0] of Worker "w" (Miniflare's additionalUnboundDurableObjects) names class "Missing", which Worker "w" does not export: it has no namespace. Export the class, or fix the name.`],
    ]);
    warn.mockRestore();
    expect(await mf.listDurableObjectIds("Missing")).toEqual([]);
    await expect(mf.listDurableObjectIds("Free")).rejects.toThrow('No Durable Object class or namespace binding named "Free" found in "w" worker.');
  });
});

describe("the instance's own errors, as Miniflare 4 gives them", () => {
  const script = `export default { fetch(request) { return new Response(request.url); } }`;

  it("a disposed instance: every method rejects (ready included, whose getter never throws) with MiniflareCoreError ERR_DISPOSED; setOptions() throws it at once, before reading the options", async () => {
    const mf = new Miniflare({ modules: true, script });
    await mf.ready;
    await mf.dispose();
    let ready: Promise<URL> | undefined;
    expect(() => (ready = mf.ready)).not.toThrow();
    const calls: Promise<unknown>[] = [ready!, mf.dispatchFetch("http://localhost/"), mf.getBindings(), mf.getWorker()];
    let setOptions: unknown;
    try {
      void mf.setOptions({ modules: true, script: 42 as unknown as string });
    } catch (error) {
      setOptions = error;
    }
    calls.push(Promise.reject(setOptions));
    for (const call of calls) {
      const error = await call.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(MiniflareCoreError);
      expect(error).toBeInstanceOf(MiniflareError);
      expect(error).toMatchObject({ name: "MiniflareCoreError [ERR_DISPOSED]", code: "ERR_DISPOSED", message: "Cannot use disposed instance" });
      expect(Object.hasOwn(error as object, "cause")).toBe(true);
      expect([(error as MiniflareError).cause, (error as MiniflareError).isUserError(), (error as MiniflareError).isSystemError()]).toEqual([undefined, true, false]);
    }
  });

  it("dispatchFetch and getWorker().fetch take absolute URLs only: anything else is the TypeError of Miniflare's new Request() (dispatchFetch rejects, fetch throws)", async () => {
    const mf = miniflare({ modules: true, script });
    const worker = await mf.getWorker();
    for (const input of ["/path", "localhost/x", undefined]) {
      await expect(mf.dispatchFetch(input as string)).rejects.toThrow(new TypeError(`Failed to parse URL from ${String(input)}`));
      // getWorker().fetch is not async in Miniflare: it throws at once.
      expect(() => worker.fetch(input as string)).toThrow(new TypeError(`Failed to parse URL from ${String(input)}`));
    }
    expect(await (await mf.dispatchFetch(new URL("http://localhost:8787/a?b"))).text()).toBe("http://localhost:8787/a?b");
    expect(await (await worker.fetch(new Request("http://example.com/r"))).text()).toBe("http://example.com/r");
    // Whatever else new Request() refuses throws at once too.
    expect(() => worker.fetch("http://localhost/", { method: "GET", body: "x" })).toThrow(TypeError);
    expect(() => worker.fetch("http://localhost/", { headers: { "bad header": "x" } })).toThrow(TypeError);
    expect(await (await worker.fetch("http://localhost/p", { method: "POST", body: "x" })).text()).toBe("http://localhost/p");
  });

  it("the fetch() of every Fetcher Node code holds (a stub, a service from getBindings()) throws new Request()'s TypeError at once, its cause new URL()'s", async () => {
    const mf = miniflare({
      modules: true,
      script: `import { DurableObject } from "cloudflare:workers";
        export class O extends DurableObject { fetch(request) { return new Response(request.url); } }
        export default { fetch() { return new Response(null); } }`,
      durableObjects: { O: "O" },
      serviceBindings: { FN: () => new Response("fn") },
    });
    const env = await mf.getBindings<Record<string, { getByName(name: string): { fetch: Function }; fetch: Function }>>();
    const stub = (await mf.getDurableObjectNamespace("O")).getByName("x");
    for (const fetcher of [stub, env.FN!, env.O!.getByName("y")]) {
      let thrown: unknown;
      try {
        void fetcher.fetch("/rel");
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ name: "TypeError", message: "Failed to parse URL from /rel", cause: { name: "TypeError", code: "ERR_INVALID_URL" } });
    }
    expect(() => stub.fetch("http://x/", { body: "b" })).toThrow(TypeError);
    expect(await (await stub.fetch("http://x/a")).text()).toBe("http://x/a");
  });

  it("setOptions() and dispose() poison what Node code holds (vars stay values); a call dispose() cuts short fails as undici's fetch() does when the server goes away", async () => {
    const script = `import { DurableObject } from "cloudflare:workers";
      export class O extends DurableObject { hi() { return "hi"; } async slow() { await scheduler.wait(5_000); return "late"; } }
      export default { async fetch() { await scheduler.wait(5_000); return new Response("late"); } }`;
    const options = { modules: true, script, durableObjects: { O: "O" }, kvNamespaces: ["KV"], bindings: { V: { a: 1 } } };
    const mf = new Miniflare(options);
    const env = await mf.getBindings<Record<string, any>>();
    const kv = await mf.getKVNamespace("KV");
    expect(kv).toBe(env.KV);
    const stub = env.O.getByName("x");
    expect(await stub.hi()).toBe("hi");
    await mf.setOptions(options);
    const poisoned = "Attempted to use poisoned stub. Stubs to runtime objects must be re-created after calling `Miniflare#setOptions()` or `Miniflare#dispose()`.";
    expect(() => stub.hi()).toThrow(poisoned);
    expect(() => env.O.idFromName("x")).toThrow(poisoned);
    expect(() => (kv as { get(key: string): unknown }).get("k")).toThrow(poisoned);
    expect(env.V).toEqual({ a: 1 });
    const fresh = (await mf.getDurableObjectNamespace("O")).getByName("x");
    expect(await fresh.hi()).toBe("hi");
    const cutShort = [fresh.slow(), mf.dispatchFetch("http://localhost/")].map((call) => call.then(() => "resolved", (error: unknown) => error));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await mf.dispose();
    for (const error of await Promise.all(cutShort)) {
      expect(error).toMatchObject({ name: "TypeError", message: "fetch failed", cause: { name: "SocketError", code: "UND_ERR_SOCKET", message: "other side closed" } });
    }
    expect(() => fresh.fetch("http://x/")).toThrow(poisoned);
  });

  it("a KV read whose answer has not come when dispose() is called fails as a write does, as Miniflare's do", async () => {
    const mf = new Miniflare({ modules: true, script, kvNamespaces: ["KV"] });
    const kv = (await mf.getKVNamespace("KV")) as { get(key: string): Promise<unknown>; put(key: string, value: string): Promise<void> };
    await kv.put("k", "v");
    const calls = [kv.get("k"), kv.put("k2", "v")].map((call) => call.then(() => "resolved", (error: unknown) => error));
    await mf.dispose();
    const [read, write] = await Promise.all(calls);
    expect(read).toMatchObject({ name: "TypeError", message: "fetch failed", cause: { name: "SocketError", code: "UND_ERR_SOCKET" } });
    expect(read).toEqual(write);
  });

  it("a method still waiting for the Worker to load when dispose() is called rejects with ERR_DISPOSED", async () => {
    const mf = new Miniflare({ modules: true, script });
    const waiting = [mf.dispatchFetch("http://localhost/"), mf.getBindings()];
    await mf.dispose();
    for (const call of waiting) await expect(call).rejects.toMatchObject({ code: "ERR_DISPOSED", message: "Cannot use disposed instance" });
  });

  it("setOptions() with options Miniflare refuses rejects (it throws only ERR_DISPOSED at once)", async () => {
    const mf = miniflare({ modules: true, script });
    await mf.ready;
    let outcome: Promise<void> | undefined;
    expect(() => (outcome = mf.setOptions({ modules: true, script: 42 as unknown as string }))).not.toThrow();
    await expect(outcome).rejects.toThrow();
  });

  it("a compatibility flag given twice is refused through ready, as workerd refuses to start", async () => {
    const mf = new Miniflare({ modules: true, script, compatibilityFlags: ["nodejs_compat", "nodejs_compat"] });
    await expect(mf.ready).rejects.toThrow('Compatibility flag specified multiple times: nodejs_compat (in "Miniflare options.compatibilityFlags")');
  });
});

describe("dispatchFetch delivers as Miniflare 4's loopback server does", () => {
  const script = `export default { async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/throw") throw new RangeError("boom");
    if (url.pathname === "/throw-string") throw "a string";
    if (url.pathname === "/found") return Response.redirect(new URL("/target", url), 302);
    if (url.pathname === "/see-other") return new Response(null, { status: 303, headers: { location: "/target" } });
    if (url.pathname === "/temporary") return new Response(null, { status: 307, headers: { location: "/target" } });
    if (url.pathname === "/loop") return new Response(null, { status: 302, headers: { location: "/loop" } });
    const seen = ["accept", "accept-encoding", "accept-language", "sec-fetch-mode", "user-agent", "cf-connecting-ip", "host"].map((name) => request.headers.get(name));
    return Response.json({ url: request.url, method: request.method, body: await request.text(), seen, country: request.cf?.country, asn: request.cf?.asn, clientAcceptEncoding: request.cf?.clientAcceptEncoding });
  } }`;

  it("an uncaught exception is a 500 whose body is the error's stack (a thrown value becomes an Error)", async () => {
    const mf = miniflare({ modules: true, script });
    const thrown = await mf.dispatchFetch("http://localhost/throw");
    expect([thrown.status, thrown.statusText, thrown.headers.get("content-type")]).toEqual([500, "Internal Server Error", "text/plain;charset=UTF-8"]);
    expect(await thrown.text()).toMatch(/^RangeError: boom\n {4}at /);
    expect((await (await mf.dispatchFetch("http://localhost/throw-string")).text()).split("\n")[0]).toBe("Error: a string");
  });

  it("a method workerd's HTTP server does not know, spelt as sent (fetch() leaves 'patch' lower-case), is its 501, the Worker never reached", async () => {
    const mf = miniflare({ modules: true, script: "export default { fetch(request) { return new Response('reached with ' + request.method); } }" });
    for (const method of ["patch", "FOO", "purge"]) {
      const refused = await mf.dispatchFetch("http://localhost/", { method, body: method === "FOO" ? null : "x" });
      expect([refused.status, refused.statusText, [...refused.headers], await refused.text()]).toEqual([
        501, "Not Implemented", [["content-length", "35"], ["content-type", "text/plain"]], "ERROR: Unrecognized request method.",
      ]);
    }
    for (const method of ["PATCH", "get", "QUERY", "BAN"]) {
      expect(await (await mf.dispatchFetch("http://localhost/", { method })).text()).toBe(`reached with ${method.toUpperCase()}`);
    }
  });

  it("the Worker sees fetch()'s default headers, CF-Connecting-IP, the URL's Host and Miniflare's placeholder request.cf; a given cf is laid over the placeholder", async () => {
    const mf = miniflare({ modules: true, script });
    expect(await (await mf.dispatchFetch("http://localhost:8787/")).json()).toMatchObject({
      seen: ["*/*", "br, gzip", "*", "cors", "undici", "127.0.0.1", "localhost:8787"],
      country: "US",
      asn: 395747,
      clientAcceptEncoding: "gzip, deflate",
    });
    const given = await mf.dispatchFetch("http://localhost/", { headers: { "user-agent": "mine", "cf-connecting-ip": "10.0.0.1", host: "tenant.example" }, cf: { country: "FR" } } as RequestInit);
    expect(await given.json()).toMatchObject({ seen: ["*/*", "br, gzip", "*", "cors", "mine", "10.0.0.1", "tenant.example"], country: "FR", asn: 395747 });
  });

  it("the cf option: an object, or a JSON file's, replaces the placeholder; anything else is refused by name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durasim-cf-"));
    writeFileSync(join(dir, "cf.json"), JSON.stringify({ country: "JP" }));
    for (const [cf, country] of [[{ country: "DE" }, "DE"], [join(dir, "cf.json"), "JP"], [false, "US"]] as const) {
      const seen = (await (await miniflare({ modules: true, script, cf }).dispatchFetch("http://localhost/")).json()) as Record<string, unknown>;
      expect([seen.country, seen.asn, seen.clientAcceptEncoding]).toEqual([country, country === "US" ? 395747 : undefined, "gzip, deflate"]);
    }
    expect(() => new Miniflare({ modules: true, script, cf: 42 })).toThrow('durasim: option "cf" must be true, false, a path to a JSON file or the request.cf object itself, got 42.');
  });

  it("redirects are followed back to the Worker (a 303 as a GET), as fetch() follows them; manual answers them; a loop, a body to resend or redirect: 'error' fail with 'fetch failed'", async () => {
    const mf = miniflare({ modules: true, script });
    expect(await (await mf.dispatchFetch("http://localhost/found")).json()).toMatchObject({ url: "http://localhost/target", method: "GET" });
    expect(await (await mf.dispatchFetch("http://localhost/see-other", { method: "POST", body: "dropped" })).json()).toMatchObject({ url: "http://localhost/target", method: "GET", body: "" });
    const manual = await mf.dispatchFetch("http://localhost/found", { redirect: "manual" });
    expect([manual.status, manual.headers.get("location")]).toEqual([302, "http://localhost/target"]);
    const failure = async (path: string, init?: RequestInit) => {
      const error = await mf.dispatchFetch(`http://localhost${path}`, init).then(() => undefined, (e: unknown) => e as TypeError & { cause: Error });
      return [error?.constructor, error?.message, error?.cause.message];
    };
    expect(await failure("/loop")).toEqual([TypeError, "fetch failed", "redirect count exceeded"]);
    expect(await failure("/temporary", { method: "POST", body: "kept" })).toEqual([TypeError, "fetch failed", ""]);
    expect(await failure("/found", { redirect: "error" })).toEqual([TypeError, "fetch failed", "unexpected redirect"]);
  });
});

describe("a response body the Worker's stream fails part way, as Node code reads it through Miniflare 4", () => {
  const script = `import { DurableObject } from "cloudflare:workers";
    const failing = (type) => {
      let sent = 0;
      const body = new ReadableStream({ pull(controller) {
        if (sent++ < 2) controller.enqueue(new TextEncoder().encode("chunk" + sent + ";"));
        else controller.error(new TypeError("stream broke"));
      } });
      return new Response(body, { headers: { "content-type": type } });
    };
    export class O extends DurableObject { fetch() { return failing("image/png"); } }
    export default { fetch(request, env) { return new URL(request.url).pathname === "/object" ? env.O.getByName("a").fetch(request) : failing("image/png"); } }`;

  it("ends where it failed (dispatchFetch, getWorker().fetch, a stub's fetch): what arrived reads, the error is logged, not thrown", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const mf = miniflare({ modules: true, script, durableObjects: { O: "O" } });
      const stub = (await mf.getDurableObjectNamespace("O")).getByName("a");
      const worker = await mf.getWorker();
      const read = async (response: Promise<globalThis.Response>) => {
        const answered = await response;
        return [answered.status, answered.headers.get("content-type"), await answered.text()];
      };
      expect(await read(mf.dispatchFetch("http://localhost/"))).toEqual([200, "image/png", "chunk1;chunk2;"]);
      expect(await read(worker.fetch("http://localhost/"))).toEqual([200, "image/png", "chunk1;chunk2;"]);
      expect(await read(stub.fetch("http://localhost/"))).toEqual([200, "image/png", "chunk1;chunk2;"]);
      expect(await read(mf.dispatchFetch("http://localhost/object"))).toEqual([200, "image/png", "chunk1;chunk2;"]);
      const errors = logged.mock.calls.map((call) => call.find((argument): argument is Error => argument instanceof Error));
      expect(errors.map((error) => [error?.name, error?.message])).toEqual(Array(4).fill(["TypeError", "stream broke"]));
    } finally {
      logged.mockRestore();
    }
  });

  it("a read the caller's signal ends still fails with its reason", async () => {
    const mf = miniflare({ modules: true, script: `export default { fetch() { return new Response(new ReadableStream({ pull(c) { c.enqueue(new Uint8Array([65])); return new Promise(() => {}); } })); } }` });
    const controller = new AbortController();
    const response = await mf.dispatchFetch("http://localhost/", { signal: controller.signal });
    const reader = response.body!.getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([65]));
    const next = reader.read();
    controller.abort(new RangeError("stop"));
    await expect(next).rejects.toMatchObject({ name: "RangeError", message: "stop" });
  });
});

describe("a WebSocket Node code gets from the Worker answers a Close frame, as Miniflare's ws client does", () => {
  // A hibernatable room that closes a socket itself (a kick), at a date before
  // web_socket_auto_reply_to_close: a Workers end there would not answer the Close frame.
  const script = `import { DurableObject } from "cloudflare:workers";
    export class Room extends DurableObject {
      #closed = [];
      #waiting = [];
      fetch() {
        const pair = new WebSocketPair();
        this.ctx.acceptWebSocket(pair[1]);
        return new Response(null, { status: 101, webSocket: pair[0] });
      }
      webSocketMessage(ws, message) { if (message === "kick me") ws.close(4000, "kicked"); }
      webSocketClose(ws, code, reason, wasClean) {
        this.#closed.push([code, reason, wasClean]);
        this.#waiting.splice(0).forEach((resolve) => resolve());
      }
      async closes(count) {
        while (this.#closed.length < count) await new Promise((resolve) => this.#waiting.push(resolve));
        return this.#closed;
      }
    }
    export default { fetch(request, env) { return env.ROOM.getByName("lobby").fetch(request); } };`;

  it("the object's webSocketClose runs once the client's end answers its close, whether the socket came through dispatchFetch or a stub's fetch(); the client sees the close and no error, and no warning about what its listeners return", async () => {
    const warn = vi.spyOn(console, "warn");
    const mf = miniflare({ modules: true, script, compatibilityDate: "2025-06-01", durableObjects: { ROOM: { className: "Room", useSQLite: true } } });
    const room = (await mf.getDurableObjectNamespace("ROOM")).getByName("lobby") as unknown as { fetch(url: string, init: RequestInit): Promise<Response>; closes(count: number): Promise<unknown[]> };
    const upgrades = [() => mf.dispatchFetch("http://localhost/", { headers: { Upgrade: "websocket" } }), () => room.fetch("http://room/", { headers: { Upgrade: "websocket" } })];
    for (const [index, upgrade] of upgrades.entries()) {
      const socket = (await upgrade()).webSocket as unknown as WebSocket;
      socket.accept();
      const seen: unknown[] = [];
      // Arrow functions returning push()'s count, as tests write them: Node's EventTarget says nothing of it.
      socket.addEventListener("error", (event) => seen.push(["error", (event as unknown as { message: string }).message]));
      socket.addEventListener("close", (event) => seen.push(["close", (event as unknown as { code: number }).code, (event as unknown as { reason: string }).reason]));
      const closed = new Promise<void>((resolve) => socket.addEventListener("close", () => resolve()));
      socket.send("kick me");
      await closed;
      expect(await room.closes(index + 1)).toEqual(Array(index + 1).fill([4000, "kicked", true]));
      expect(seen).toEqual([["close", 4000, "kicked"]]);
    }
    expect(warn).not.toHaveBeenCalled();
  });
});

describe("an error an RPC call from Node rejects with, as Miniflare's proxy server sends it", () => {
  const script = `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
    class QuotaError extends Error { constructor(message) { super(message); this.name = "QuotaError"; this.limit = 5; } }
    export class Directory extends WorkerEntrypoint {
      async lookup(handle) { const error = new RangeError("no agent named " + handle, { cause: new TypeError("inner") }); error.extra = 1; throw error; }
      async quota() { throw new QuotaError("over quota"); }
    }
    export class Room extends DurableObject { async join() { throw new TypeError("room full"); } }
    export default { fetch() { return new Response("up"); } };`;

  it("is rebuilt from its class's name, message and stack: no remote nor other own property, a class of another name an Error (a service's, getWorker()'s, a stub's)", async () => {
    const mf = miniflare({ modules: true, script, durableObjects: { ROOM: "Room" }, serviceBindings: { DIRECTORY: { name: "", entrypoint: "Directory" } } });
    const { DIRECTORY, ROOM } = (await mf.getBindings()) as Record<string, any>;
    const seen = async (call: () => Promise<unknown>) => {
      const error = (await call().then(() => undefined, (e: unknown) => e)) as Error & Record<string, unknown>;
      return [error.constructor, error.message, Object.getOwnPropertyNames(error).sort(), error.cause, error.stack?.split("\n")[0]];
    };
    expect(await seen(() => DIRECTORY.lookup("zed"))).toEqual([RangeError, "no agent named zed", ["cause", "message", "stack"], undefined, "RangeError: no agent named zed"]);
    expect(await seen(() => DIRECTORY.quota())).toEqual([Error, "QuotaError: over quota", ["cause", "message", "stack"], undefined, "Error: QuotaError: over quota"]);
    expect(await seen(() => ROOM.getByName("a").join())).toEqual([TypeError, "room full", ["cause", "message", "stack"], undefined, "TypeError: room full"]);
  });
});

describe("getBindings() builds Node's env as Miniflare's proxy does", () => {
  it("at each call, from the options: a var a fresh copy of the configured value, whatever the Worker did to its own, and no key the Worker's code added", async () => {
    const mf = miniflare({
      modules: true,
      script: `import { env as workerEnv } from "cloudflare:workers";
        workerEnv.AT_LOAD = "added as the module loaded";
        export default { fetch(request, env) { env.ADDED = 1; env.TIERS.push("enterprise"); return Response.json(env.TIERS); } };`,
      bindings: { TIERS: ["free", "pro"], NAME: "shop" },
      kvNamespaces: ["KV"],
    });
    const first = await mf.getBindings<Record<string, unknown>>();
    expect(await (await mf.dispatchFetch("http://localhost/")).json()).toEqual(["free", "pro", "enterprise"]);
    const second = await mf.getBindings<Record<string, unknown>>();
    expect(Object.keys(second)).toEqual(["TIERS", "NAME", "KV"]);
    expect([first.TIERS, second.TIERS, first.TIERS === second.TIERS, first.KV === second.KV]).toEqual([["free", "pro"], ["free", "pro"], false, true]);
    (second.TIERS as string[]).push("mutated by the test");
    expect(await (await mf.dispatchFetch("http://localhost/")).json()).toEqual(["free", "pro", "enterprise", "enterprise"]);
  });
});

describe("getWorker() is a service binding, as Miniflare 4's proxy is", () => {
  it("fetch rejects with what the handler throws; scheduled(), queue() and RPC methods reach the Worker", async () => {
    const mf = miniflare({
      modules: true,
      script: `import { WorkerEntrypoint } from "cloudflare:workers";
        const events = [];
        export default class extends WorkerEntrypoint {
          fetch() { throw new RangeError("boom"); }
          scheduled(controller) { events.push(controller.cron); }
          queue(batch) { events.push(batch.queue + ":" + batch.messages.map((m) => m.body).join()); batch.ackAll(); }
          add(a, b) { return a + b; }
          events() { return events; }
        }`,
    });
    const worker = await mf.getWorker();
    const thrown = await worker.fetch("http://localhost/").then(() => undefined, (error: unknown) => error);
    expect(thrown).toBeInstanceOf(RangeError);
    expect((thrown as RangeError).message).toBe("boom");
    expect(await worker.scheduled({ cron: "0 * * * *" })).toEqual({ outcome: "ok", noRetry: false });
    expect(await worker.queue("jobs", [{ id: "1", timestamp: new Date(0), body: "b", attempts: 1 }])).toMatchObject({ outcome: "ok", ackAll: true });
    expect([await worker.add(2, 3), await worker.events()]).toEqual([5, ["0 * * * *", "jobs:b"]]);
  });
});

describe("RPC from Node where Miniflare 4's proxy answers at once (a service, getWorker(), an RpcTarget or function it returns, a getter)", () => {
  const script = `import { DurableObject, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";
    class Target extends RpcTarget { constructor(v) { super(); this.v = v; } get value() { return this.v; } hi(to) { return "hi " + to + " from " + this.v; } nested() { return { inner: { n: 2 } }; } }
    export class O extends DurableObject { get count() { return 7; } made() { return { a: { b: 1 } }; } target() { return new Target("object"); } }
    export default class extends WorkerEntrypoint {
      made() { return { a: { b: 1 }, list: [10, 20] }; }
      async later() { await scheduler.wait(1); return { z: 3 }; }
      target() { return new Target("worker"); }
      doubler() { return (x) => ({ doubled: x * 2 }); }
      throws() { throw new RangeError("bad"); }
    }`;

  it("the call's promise pipelines: a property of the eventual value, and a call on it, await as Miniflare's synchronous answers read", async () => {
    const mf = miniflare({ modules: true, name: "w", script, durableObjects: { O: "O" }, serviceBindings: { SELF: "w" } });
    const worker = await mf.getWorker();
    const { SELF } = await mf.getBindings<{ SELF: typeof worker }>();
    for (const service of [worker, SELF]) {
      const made = service.made();
      expect([made instanceof Promise, Object.prototype.toString.call(made)]).toEqual([true, "[object Promise]"]);
      expect([await made.a.b, await made.list[1], await made.a]).toEqual([1, 20, { b: 1 }]);
      expect(await service.later().z).toBe(3);
      expect([await service.target().hi("you"), await service.target().value, await service.target().nested().inner.n]).toEqual(["hi you from worker", "worker", 2]);
      expect(await service.doubler()(4).doubled).toBe(8);
      await expect(service.throws().any.path).rejects.toMatchObject({ name: "RangeError", message: "bad" });
    }
    // An RpcTarget a Durable Object returns is answered at once too; the stub's own calls are promises without pipelining, as Miniflare's.
    const stub = (await mf.getDurableObjectNamespace("O")).getByName("a");
    const target = await stub.target();
    expect([await target.nested().inner.n, await target.value, await stub.count]).toEqual([2, "object", 7]);
    const made = stub.made();
    expect((made as unknown as { a: unknown }).a).toBeUndefined();
    await made;
    await mf.setOptions({ modules: true, name: "w", script, durableObjects: { O: "O" } });
    expect(() => worker.made().a).toThrow("Attempted to use poisoned stub.");
  });
});

describe("a plain object an RPC call returns to Node code, as Miniflare 4's proxy holds it", () => {
  it("is a proxy setOptions() poisons, but what is read from it comes by value (plain data, a Date), its stubs views", async () => {
    const script = `import { DurableObject } from "cloudflare:workers";
      export class O extends DurableObject { hi() { return "hi"; } made() { return { list: [1, { c: 2 }], when: new Date(5), other: this.env.O.getByName("z") }; } }`;
    const mf = miniflare({ modules: true, script, durableObjects: { O: "O" } });
    const made = (await (await mf.getDurableObjectNamespace("O")).getByName("a").made()) as { list: unknown[]; when: Date; other: { hi(): Promise<string> } };
    const [list, when, other] = [made.list, made.when, made.other];
    expect([Array.isArray(list), (list[1] as object).constructor, when instanceof Date, await other.hi()]).toEqual([true, Object, true, "hi"]);
    await mf.setOptions({ modules: true, script, durableObjects: { O: "O" } });
    expect([list, when.getTime()]).toEqual([[1, { c: 2 }], 5]);
    expect(() => JSON.stringify(made)).toThrow("Attempted to use poisoned stub.");
    expect(() => other.hi()).toThrow("Attempted to use poisoned stub.");
  });
});

describe("blob bindings", () => {
  it("textBlobBindings and dataBlobBindings bind a file's text and bytes (relative to rootPath); wasmBindings are refused, as workerd refuses them in modules", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durasim-blobs-"));
    writeFileSync(join(dir, "text.txt"), "hello ✓");
    writeFileSync(join(dir, "data.bin"), new Uint8Array([1, 2, 3]));
    const mf = miniflare({
      modules: true,
      rootPath: dir,
      script: `export default { fetch(request, env) { return Response.json([env.TEXT, env.DATA instanceof ArrayBuffer, [...new Uint8Array(env.DATA)]]); } }`,
      textBlobBindings: { TEXT: "text.txt" },
      dataBlobBindings: { DATA: "data.bin" },
    });
    expect(await (await mf.dispatchFetch("http://localhost/")).json()).toEqual(["hello ✓", true, [1, 2, 3]]);
    // A data blob given as its bytes, and an empty wasmBindings record (binding nothing), as Miniflare takes them.
    const given = miniflare({ modules: true, script: `export default { fetch(request, env) { return Response.json([...new Uint8Array(env.DATA)]); } }`, dataBlobBindings: { DATA: new Uint8Array([4, 5]) }, wasmBindings: {} });
    expect(await (await given.dispatchFetch("http://localhost/")).json()).toEqual([4, 5]);
    expect(() => new Miniflare({ modules: true, script: "export default {}", textBlobBindings: { T: join(dir, "missing.txt") } })).toThrow(
      `durasim: "Miniflare options.textBlobBindings.T" names ${join(dir, "missing.txt")}, which cannot be read (ENOENT). Fix the path.`,
    );
    expect(() => new Miniflare({ modules: true, script: "export default {}", wasmBindings: { W: "x.wasm" } })).toThrow(
      'durasim: option "Miniflare options.wasmBindings": Wasm bindings are not allowed in modules-based scripts (workerd refuses to start the Worker). Import the .wasm file as a module instead (durasim\'s module hooks compile it).',
    );
  });
});

describe("Miniflare 4's inspection helpers", () => {
  const script = `import { DurableObject } from "cloudflare:workers";
    export class Sql extends DurableObject {
      constructor(ctx, env) { super(ctx, env); this.started = crypto.randomUUID(); ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (k TEXT, n REAL)"); }
      fetch() { this.ctx.storage.sql.exec("INSERT INTO t VALUES ('a', 1.5)"); return new Response(this.started); }
    }
    export default { fetch(request, env) { return env.SQL.getByName("x").fetch(request); } }`;
  const options = { modules: true, script, durableObjects: { SQL: { className: "Sql", useSQLite: true } } };

  it("getCf() is a copy of the request.cf requests get", async () => {
    const mf = miniflare({ ...options, cf: { country: "NZ" } });
    expect(await mf.getCf()).toEqual({ country: "NZ" });
    expect((await miniflare(options).getCf()).colo).toBe("DFW");
    expect(() => new Miniflare({ ...options, cf: 10n })).toThrow('durasim: option "cf" must be true, false, a path to a JSON file or the request.cf object itself, got 10n.');
  });

  it("Miniflare's methods for services durasim does not emulate reject naming the method, the service and what to do instead; disposed, with Miniflare's ERR_DISPOSED", async () => {
    const mf = miniflare(options);
    await expect(mf.getD1Database()).rejects.toThrow(
      new Error("durasim/miniflare: getD1Database() is not available: durasim does not emulate D1 databases; give the Worker a stand-in through `bindings`, or keep Miniflare for these tests."),
    );
    await expect(mf.unsafeGetDirectURL()).rejects.toThrow(
      new Error("durasim/miniflare: unsafeGetDirectURL() is not available: durasim does not emulate HTTP servers; send requests with dispatchFetch() or getWorker()."),
    );
    for (const method of ["getQueueProducer", "purgeCache", "getSecretsStoreSecret", "getSecretsStoreSecretAPI", "getImagesBinding", "getStreamBinding", "getInspectorURL"] as const) {
      await expect(mf[method]()).rejects.toThrow(`durasim/miniflare: ${method}() is not available: durasim does not emulate `);
    }
    await mf.dispose();
    await expect(mf.getCaches()).rejects.toMatchObject({ code: "ERR_DISPOSED" });
  });

  it("unsafeEvictDurableObject() evicts a running object by name; one not running, or a class the Worker does not host, rejects with Miniflare's errors", async () => {
    const mf = miniflare(options);
    const first = await (await mf.dispatchFetch("http://localhost/")).text();
    await mf.unsafeEvictDurableObject("", "Sql", { name: "x" });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).not.toBe(first);
    await expect(mf.unsafeEvictDurableObject("", "Sql", { name: "y" })).rejects.toThrow(new Error("Cannot evict Durable Object: it is not currently running."));
    await expect(mf.unsafeEvictDurableObject("other", "Sql", { name: "x" })).rejects.toThrow(new TypeError('No Durable Object class named "Sql" found in "other" worker.'));
  });

  it("unsafeGetDurableObjectStorage() runs SQL in the object (by name or id) with unsafeInspectDurableObjects, and is refused without it", async () => {
    const mf = miniflare({ ...options, unsafeInspectDurableObjects: true });
    await mf.dispatchFetch("http://localhost/");
    const id = (await mf.getDurableObjectNamespace("SQL")).idFromName("x").toString();
    expect(await (await mf.unsafeGetDurableObjectStorage("", "Sql", { name: "x" })).exec("SELECT k, n FROM t WHERE k = ?", "a")).toEqual([{ k: "a", n: 1.5 }]);
    expect(await (await mf.unsafeGetDurableObjectStorage("", "Sql", { id })).exec("SELECT count(*) AS c FROM t")).toEqual([{ c: 1 }]);
    await expect((await mf.unsafeGetDurableObjectStorage("", "Nope", { name: "x" })).exec("SELECT 1")).rejects.toThrow(new TypeError("Expected Durable Object namespace binding for :Nope"));
    await expect(miniflare(options).unsafeGetDurableObjectStorage("", "Sql", { name: "x" })).rejects.toThrow(
      new TypeError("Durable Object storage inspection requires the `unsafeInspectDurableObjects` option."),
    );
    const disposed = miniflare(options);
    await disposed.dispose();
    await expect(disposed.unsafeGetDurableObjectStorage("", "Sql", { name: "x" })).rejects.toMatchObject({ code: "ERR_DISPOSED" });
  });
});

describe("options of the wrong type", () => {
  it("a compatibilityDate that is no string names the option and asks for a string (the wrangler.toml hint is for an unquoted TOML date only)", () => {
    expect(() => new Miniflare({ modules: true, script: "export default {}", compatibilityDate: 20250101 })).toThrow(
      'durasim: "Miniflare options.compatibilityDate" must be a string "YYYY-MM-DD", got 20250101. Give it as a string, as "2025-01-01".',
    );
  });
});

describe("refused options carry Miniflare's class and code", () => {
  const script = "export default {}";
  function refusal(make: () => unknown): MiniflareCoreError {
    try {
      make();
    } catch (error) {
      return error as MiniflareCoreError;
    }
    throw new Error("the options were taken");
  }

  it.each([
    ["a check fails", { modules: true, script, kvNamespaces: "KV" }, "ERR_VALIDATION", 'option "Miniflare options.kvNamespaces" must be an object, got "KV".'],
    ["no Workers", { workers: [] }, "ERR_NO_WORKERS", 'No workers defined: option "workers" is []'],
    ["two Workers of one name", { workers: [{ name: "a", modules: true, script }, { name: "a", modules: true, script }] }, "ERR_DUPLICATE_NAME", 'Multiple workers defined with the same `name`: "a"'],
  ])("%s: the constructor throws MiniflareCoreError %s, a user error, with durasim's message and its ConfigError as the cause", (_what, options, code, words) => {
    const error = refusal(() => new Miniflare(options));
    expect(error).toBeInstanceOf(MiniflareCoreError);
    expect(error).toBeInstanceOf(MiniflareError);
    expect([error.name, error.code, error.isUserError(), error.isSystemError()]).toEqual([`MiniflareCoreError [${code}]`, code, true, false]);
    expect(error.message).toContain(words);
    expect(error.cause?.name).toBe("ConfigError");
    expect(error.cause?.message).toBe(error.message);
  });

  it.each([
    ["a date after today", { compatibilityDate: "2999-01-01" }, "ERR_FUTURE_COMPATIBILITY_DATE", [true, false], 'requires compatibility date "2999-01-01"'],
    ["a flag workerd does not know", { compatibilityFlags: ["not_a_flag"] }, "ERR_RUNTIME_FAILURE", [false, true], "No such compatibility flag: not_a_flag"],
    ["a service binding to no Worker", { serviceBindings: { S: "nope" } }, "ERR_RUNTIME_FAILURE", [false, true], 'names Worker "nope", but no Worker has that name'],
    ["a Durable Object binding to no Worker", { durableObjects: { O: { className: "O", scriptName: "nope" } } }, "ERR_RUNTIME_FAILURE", [false, true], 'has scriptName "nope", but no Worker has that name'],
  ])("%s: refused as Miniflare's runtime refuses to start, through ready, every method and dispose() (%s)", async (_what, given, code, [user, system], words) => {
    const mf = new Miniflare({ modules: true, script, ...given });
    const error = (await mf.ready.catch((e: unknown) => e)) as MiniflareCoreError;
    expect(error).toBeInstanceOf(MiniflareCoreError);
    expect([error.name, error.code, error.isUserError(), error.isSystemError()]).toEqual([`MiniflareCoreError [${code}]`, code, user, system]);
    expect(error.message).toContain(words);
    await expect(mf.getBindings()).rejects.toBe(error);
    await expect(mf.dispatchFetch("http://localhost/")).rejects.toBe(error);
    await expect(mf.dispose()).rejects.toBe(error);
    await expect(mf.getBindings()).rejects.toMatchObject({ code: "ERR_DISPOSED" });
  });

  it.each([
    ["storage backends", { A: { className: "C", useSQLite: true }, B: { className: "C", useSQLite: false } }, "ERR_DIFFERENT_STORAGE_BACKEND", "different storage backends (useSQLite)"],
    ["unique keys", { A: { className: "C", unsafeUniqueKey: "k1" }, B: { className: "C", unsafeUniqueKey: "k2" } }, "ERR_DIFFERENT_UNIQUE_KEYS", "different unsafeUniqueKey values"],
    ["prevent-eviction settings", { A: { className: "C", unsafePreventEviction: true }, B: { className: "C", unsafePreventEviction: false } }, "ERR_DIFFERENT_PREVENT_EVICTION", "different unsafePreventEviction values"],
  ])("two bindings of one class with different %s: Miniflare's %s as it starts, a user error, through ready, every method and dispose()", async (_what, durableObjects, code, words) => {
    const script = "import { DurableObject } from 'cloudflare:workers'; export class C extends DurableObject {} export default {}";
    const mf = new Miniflare({ modules: true, script, durableObjects });
    const error = (await mf.ready.catch((e: unknown) => e)) as MiniflareCoreError;
    expect([error.name, error.code, error.isUserError(), error.isSystemError()]).toEqual([`MiniflareCoreError [${code}]`, code, true, false]);
    expect(error.message).toContain(`${words} for Durable Object class "C" hosted by Worker "": durableObjects.B of Worker "" gives`);
    await expect(mf.dispatchFetch("http://localhost/")).rejects.toBe(error);
    await expect(mf.dispose()).rejects.toBe(error);
    // One binding leaving the setting out agrees with any, as in Miniflare.
    const agreeing = miniflare({ modules: true, script, durableObjects: { ...durableObjects, B: { className: "C" } } });
    expect(Object.keys(await agreeing.getBindings())).toEqual(["A", "B"]);
  });

  it.each([
    ["a module throwing at its top level", "throw new RangeError('no config');\nexport default {};", "ERR_RUNTIME_FAILURE", [false, true], "RangeError: no config"],
    ["a module exporting a primitive", "export const VERSION = 2;\nexport default {};", "ERR_RUNTIME_FAILURE", [false, true], "TypeError: Incorrect type for map entry 'VERSION'"],
    ["a module that does not parse", "export default {", "ERR_MODULE_PARSE", [true, false], 'Unable to parse "script-0": Unexpected token (1:16)\n    at script-0:1:16'],
  ])("%s: a Worker that fails to load is refused as Miniflare's start refuses it, through ready, every method and dispose() (%s), the module's error the cause", async (_what, script, code, [user, system], words) => {
    const mf = new Miniflare({ modules: true, script });
    const error = (await mf.ready.catch((e: unknown) => e)) as MiniflareCoreError;
    expect(error).toBeInstanceOf(MiniflareCoreError);
    expect([error.name, error.code, error.isUserError(), error.isSystemError()]).toEqual([`MiniflareCoreError [${code}]`, code, user, system]);
    expect(error.message).toContain(words);
    expect(error.cause).toBeInstanceOf(Error);
    // A parse failure is worded as Miniflare's parser words it; the cause is Node's (located) SyntaxError.
    expect(error.message).toContain(code === "ERR_MODULE_PARSE" ? "Unable to parse" : error.cause!.message);
    await expect(mf.getBindings()).rejects.toBe(error);
    await expect(mf.dispatchFetch("http://localhost/")).rejects.toBe(error);
    await expect(mf.dispose()).rejects.toBe(error);
    await expect(mf.getBindings()).rejects.toMatchObject({ code: "ERR_DISPOSED" });
  });

  it("a scriptPath module, or a module it imports, that does not parse: ERR_MODULE_PARSE in Miniflare's words, naming the file from modulesRoot (else the current directory) and the place, with the loader's error as the cause (Node's SyntaxError; Vite's Error under Vitest)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durasim-mf-parse-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/broken.mjs"), "export default {\n  fetch() {\n    return new Response(;\n  }\n};\n");
    writeFileSync(join(dir, "src/entry.mjs"), 'import broken from "./broken.mjs";\nexport default broken;\n');
    const at = join(dir, "src/broken.mjs");
    for (const [scriptPath, modulesRoot, name] of [
      ["src/broken.mjs", dir, "src/broken.mjs"],
      ["src/entry.mjs", join(dir, "src"), "broken.mjs"],
      ["src/entry.mjs", undefined, relative(process.cwd(), at)],
    ] as const) {
      const mf = new Miniflare({ modules: true, rootPath: dir, scriptPath, ...(modulesRoot === undefined ? {} : { modulesRoot }) });
      const error = (await mf.ready.catch((e: unknown) => e)) as MiniflareCoreError;
      expect([error.code, error.isUserError(), error.cause instanceof Error]).toEqual(["ERR_MODULE_PARSE", true, true]);
      expect(error.message).toBe(`Unable to parse "${name}": Unexpected token (3:24)\n    at ${at}:3:24`);
      await expect(mf.dispose()).rejects.toBe(error);
    }
  });

  it("a module of a modules list that does not parse fails the start as workerd's does (ERR_RUNTIME_FAILURE), naming the module from modulesRoot and the place", async () => {
    const dir = mkdtempSync(join(tmpdir(), "durasim-mf-parse-"));
    writeFileSync(join(dir, "broken.mjs"), "export default {\n  fetch() {\n    return new Response(;\n  }\n};\n");
    for (const module of [{ type: "ESModule", path: join(dir, "broken.mjs") }, { type: "ESModule", path: join(dir, "given.mjs"), contents: "export default {\n  fetch( {}\n}" }]) {
      const mf = new Miniflare({ modules: [module], modulesRoot: dir });
      const error = (await mf.ready.catch((e: unknown) => e)) as MiniflareCoreError;
      expect([error.code, error.isSystemError()]).toEqual(["ERR_RUNTIME_FAILURE", true]);
      expect(error.message).toMatch(module.contents === undefined ? /SyntaxError: Unexpected token( ';')?\n {2}at broken\.mjs:3:24$/ : /SyntaxError: Unexpected token( '\}')?\n {2}at given\.mjs:3:0$/);
      await expect(mf.dispose()).rejects.toBe(error);
    }
  });

  it("an inline script that does not parse is named by its Worker's place in workers, as Miniflare names it", async () => {
    const mf = new Miniflare({ workers: [{ name: "a", modules: true, script: "export default {};" }, { name: "b", modules: true, script: "export default {\n  fetch( {}\n}" }] });
    await expect(mf.ready).rejects.toMatchObject({ code: "ERR_MODULE_PARSE", message: 'Unable to parse "script-1": Unexpected token (3:0)\n    at script-1:3:0' });
    await expect(mf.dispose()).rejects.toMatchObject({ code: "ERR_MODULE_PARSE" });
  });

  it("a JSON.parse failing at a module's top level is no parse failure of the module: ERR_RUNTIME_FAILURE, as workerd runs the module to meet it", async () => {
    const mf = new Miniflare({ modules: true, script: "JSON.parse('{');\nexport default {};" });
    await expect(mf.ready).rejects.toMatchObject({ code: "ERR_RUNTIME_FAILURE", cause: { name: "SyntaxError" } });
    await expect(mf.dispose()).rejects.toMatchObject({ code: "ERR_RUNTIME_FAILURE" });
  });

  it("setOptions() to a module that fails to load rejects with the refusal, and options that load start again", async () => {
    const mf = miniflare({ modules: true, script: "export default { fetch() { return new Response('first') } }" });
    await mf.ready;
    const refused = mf.setOptions({ modules: true, script: "throw new Error('broken deploy');" });
    await expect(refused).rejects.toMatchObject({ name: "MiniflareCoreError [ERR_RUNTIME_FAILURE]", cause: { message: "broken deploy" } });
    await expect(mf.dispatchFetch("http://localhost/")).rejects.toBe(await refused.catch((e: unknown) => e));
    await mf.setOptions({ modules: true, script: "export default { fetch() { return new Response('fixed') } }" });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("fixed");
  });

  it("setOptions() with options that start starts an instance whose first options did not", async () => {
    const mf = miniflare({ modules: true, script, compatibilityFlags: ["not_a_flag"] });
    await expect(mf.ready).rejects.toMatchObject({ code: "ERR_RUNTIME_FAILURE" });
    await mf.setOptions({ modules: true, script: "export default { fetch() { return new Response('now') } }" });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("now");
  });

  it("setOptions() rejects with the same error and the instance keeps its options", async () => {
    const mf = miniflare({ modules: true, script: "export default { fetch() { return new Response('kept'); } }" });
    await mf.ready;
    await expect(mf.setOptions({ workers: [] })).rejects.toMatchObject({ name: "MiniflareCoreError [ERR_NO_WORKERS]", code: "ERR_NO_WORKERS" });
    expect(await (await mf.dispatchFetch("http://localhost/")).text()).toBe("kept");
  });
});

describe("versionMetadata", () => {
  // Miniflare 4's version-metadata plugin: a random UUID, an empty tag, and when the binding was made.
  const script = `export default { fetch(request, env) { return Response.json({ keys: Object.keys(env.VERSION), value: env.VERSION, same: env.VERSION === env.VERSION }); } }`;
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("binds { id, tag, timestamp } as Miniflare makes them locally, one id per Worker", async () => {
    const before = Date.now();
    const mf = miniflare({
      workers: [
        { name: "a", modules: true, script, versionMetadata: "VERSION" },
        { name: "b", modules: true, script, versionMetadata: "VERSION" },
      ],
    });
    const read = async (worker: string) => (await (await mf.getWorker(worker)).fetch("http://x/")).json() as Promise<{ keys: string[]; value: Record<string, string>; same: boolean }>;
    const [a, again, b] = [await read("a"), await read("a"), await read("b")];
    expect(a.keys).toEqual(["id", "tag", "timestamp"]);
    expect(a.value.id).toMatch(UUID_V4);
    expect(a.value.tag).toBe("");
    expect(a.value.timestamp).toBe(new Date(a.value.timestamp).toISOString());
    expect(Date.parse(a.value.timestamp)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(a.value.timestamp)).toBeLessThanOrEqual(Date.now());
    expect([again.value, a.same]).toEqual([a.value, true]);
    expect(b.value.id).toMatch(UUID_V4);
    expect(b.value.id).not.toBe(a.value.id);
  });

  it("an empty name binds nothing, as in Miniflare; a name that is no string is refused", async () => {
    const mf = miniflare({ modules: true, script: `export default { fetch(request, env) { return new Response(Object.keys(env).join()); } }`, versionMetadata: "" });
    expect(await (await mf.dispatchFetch("http://x/")).text()).toBe("");
    expect(() => new Miniflare({ modules: true, script, versionMetadata: true })).toThrow('option "Miniflare options.versionMetadata" must be a string, got true.');
  });
});

describe("durasim/test helpers take the stubs and namespaces Node code holds", () => {
  const script = `import { DurableObject } from "cloudflare:workers";
    export class Counter extends DurableObject {
      count() { return this.ctx.storage.get("n"); }
      async alarm() { await this.ctx.storage.put("n", 42); }
    }
    export default { fetch() { return new Response("ok"); } };`;
  const options = { modules: true, script, durableObjects: { COUNTER: "Counter" } };

  it("reaches the object behind a stub and the namespace behind a binding, got either way", async () => {
    const mf = miniflare(options);
    const namespace = await mf.getDurableObjectNamespace("COUNTER");
    const { COUNTER } = await mf.getBindings<{ COUNTER: typeof namespace }>();
    const stub = namespace.get(namespace.idFromName("a"));
    // The state handed over is the object's own ctx, not a view of it.
    expect(await runInDurableObject(stub, (instance: { ctx: object }, state) => instance.ctx === state)).toBe(true);
    await runInDurableObject(COUNTER.get(COUNTER.idFromName("b")), (_instance, state) => state.storage.setAlarm(Date.now() + 60_000));
    expect(await runDurableObjectAlarm(COUNTER.get(COUNTER.idFromName("b")))).toBe(true);
    expect(await COUNTER.get(COUNTER.idFromName("b")).count()).toBe(42);
    expect((await listDurableObjectIds(namespace)).map(String).sort()).toEqual([namespace.idFromName("a"), namespace.idFromName("b")].map(String).sort());
    expect((await listDurableObjectIds(COUNTER)).length).toBe(2);
  });

  it("counts a stub's usage as its object's", async () => {
    const mf = miniflare(options);
    const namespace = await mf.getDurableObjectNamespace("COUNTER");
    const stub = namespace.get(namespace.idFromName("a"));
    await stub.count();
    useEmulator(undefined);
    expect(usage(stub).requests.rpc).toBe(1);
    expect(Object.keys(usage(namespace).objects)).toEqual([namespace.idFromName("a").toString()]);
  });

  it("refuses a view that setOptions() poisoned, as any use of it", async () => {
    const mf = miniflare(options);
    const namespace = await mf.getDurableObjectNamespace("COUNTER");
    const stub = namespace.get(namespace.idFromName("a"));
    await mf.setOptions(options);
    const poisoned = "Attempted to use poisoned stub. Stubs to runtime objects must be re-created after calling `Miniflare#setOptions()` or `Miniflare#dispose()`.";
    await expect(runInDurableObject(stub, () => 1)).rejects.toThrow(poisoned);
    await expect(listDurableObjectIds(namespace)).rejects.toThrow(poisoned);
  });
});

describe("the cache and cacheWarnUsage options", () => {
  const script = `export default { async fetch(request) {
    const hit = await caches.default.match(request);
    if (hit) return new Response("hit " + hit.headers.get("cf-cache-status"));
    await caches.default.put(request, new Response("x", { headers: { "cache-control": "max-age=60" } }));
    return new Response("miss");
  } }`;
  const twice = async (mf: Miniflare) => [await (await mf.dispatchFetch("http://x/c")).text(), await (await mf.dispatchFetch("http://x/c")).text()];

  it("keep entries by default, as Miniflare 4 does, which getCaches() reaches; cache: false stores nothing; a Worker in workers has its own option", async () => {
    const mf = miniflare({ modules: true, script });
    expect(await twice(mf)).toEqual(["miss", "hit HIT"]);
    // getCaches() reaches the same entries from outside the Worker.
    type CacheLike = { match(url: string): Promise<Response | undefined>; delete(url: string): Promise<boolean> };
    const caches = (await mf.getCaches()) as { default: CacheLike; open(name: string): Promise<CacheLike> };
    expect(await (await caches.default.match("http://x/c"))?.text()).toBe("x");
    expect(await (await caches.open("other")).match("http://x/c")).toBeUndefined();
    expect(await caches.default.delete("http://x/c")).toBe(true);
    expect(await twice(mf)).toEqual(["miss", "hit HIT"]);
    expect(await twice(miniflare({ modules: true, script, cache: false }))).toEqual(["miss", "miss"]);
    expect(await twice(miniflare({ workers: [{ modules: true, script, cache: false }] }))).toEqual(["miss", "miss"]);
  });

  it("cacheWarnUsage: true warns once that caching has no effect on workers.dev; a value not true or false is refused", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await twice(miniflare({ modules: true, script, cacheWarnUsage: true }));
      expect(warn.mock.calls).toEqual([["Cache operations will have no impact if you deploy to a workers.dev subdomain!"]]);
    } finally {
      warn.mockRestore();
    }
    expect(() => new Miniflare({ modules: true, script, cache: "no" })).toThrow('durasim: option "Miniflare options.cache" must be true or false, got "no".');
  });
});
