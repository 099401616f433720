/**
 * durasim's Miniflare front door where Miniflare 4's own behaviour decides (checked against
 * Miniflare 4.20260730 on workerd): a service binding written as a function,
 * listDurableObjectIds for classes declared without a binding, a disposed instance, URLs that
 * are not absolute, and repeated compatibility flags.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Miniflare, MiniflareCoreError, MiniflareError } from "../../lib/miniflare.js";

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
  const script = `import { DurableObject } from "cloudflare:workers";
    export class Bound extends DurableObject { fetch() { return new Response("bound"); } }
    export class Free extends DurableObject { async fetch() { await this.ctx.storage.put("k", 1); return new Response(this.ctx.id.toString()); } }
    export default { async fetch(request, env, ctx) {
      const name = new URL(request.url).pathname.slice(1);
      return ctx.exports.Free.get(ctx.exports.Free.idFromName(name)).fetch(request);
    } }`;

  it("finds a class declared in additionalUnboundDurableObjects by its name", async () => {
    const mf = miniflare({ modules: true, script, durableObjects: { BOUND: "Bound" }, additionalUnboundDurableObjects: [{ className: "Free", useSQLite: true }] });
    const ids = await Promise.all(["b", "a"].map(async (name) => (await mf.dispatchFetch(`http://localhost/${name}`)).text()));
    expect(await mf.listDurableObjectIds("Free")).toEqual([...ids].sort());
    expect(await mf.listDurableObjectIds("Bound")).toEqual([]);
    await expect(mf.listDurableObjectIds("Nope")).rejects.toThrow(new TypeError('No Durable Object class or namespace binding named "Nope" found in the worker.'));
  });

  it("finds a namespace by its binding name, the class that binding names", async () => {
    const mf = miniflare({ modules: true, script, durableObjects: { BOUND: "Bound", FREE: { className: "Free" } } });
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

  it("setOptions() with options Miniflare refuses rejects (it throws only ERR_DISPOSED at once)", async () => {
    const mf = miniflare({ modules: true, script });
    await mf.ready;
    let outcome: Promise<void> | undefined;
    expect(() => (outcome = mf.setOptions({ modules: true, script: 42 as unknown as string }))).not.toThrow();
    await expect(outcome).rejects.toThrow();
  });

  it("a compatibility flag given twice is refused, as workerd refuses to start", () => {
    expect(() => new Miniflare({ modules: true, script, compatibilityFlags: ["nodejs_compat", "nodejs_compat"] })).toThrow(
      'Compatibility flag specified multiple times: nodejs_compat (in "Miniflare options.compatibilityFlags")',
    );
  });
});
