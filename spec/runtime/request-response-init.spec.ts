/**
 * The Workers Request and Response constructors and statics as Worker code calls them with bad
 * input (conformance "web apis: Request constructor: ..." and "... Response constructor and
 * statics: ..." check the same against workerd): methods upper-cased and checked, redirect modes,
 * and refusals in the runtime's words; the headers of a Response a global fetch() received refuse
 * a change in its words; a global fetch() sends a FormData body as the runtime encodes it, and
 * the method TRACE (which Node's fetch refuses); and
 * crypto.subtle.digest() takes MD5 as the runtime's does.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { emulator } from "../helpers.js";

const SCRIPT = `
  const caught = (f) => { try { return f(); } catch (e) { return e.name + ": " + e.message; } };
  const method = (m, body) => caught(() => new Request("http://x/", { method: m, body }).method);
  export default {
    async fetch(request) {
      const step = new URL(request.url).pathname.slice(1);
      if (step === "requests") return Response.json({
        methods: [method("patch", "b"), method("Delete"), method("propfind"), method("foo"), method("a b"), method("get", "b"), method("HEAD", "b")],
        fromRequest: new Request(new Request("http://x/", { method: "patch", body: "p" })).method,
        signal: (() => { const c = new AbortController(); return [new Request("http://x/", { signal: c.signal }).signal === c.signal, new Request("http://x/").signal.aborted]; })(),
        members: (() => { const r = new Request("http://x/"); return [r.mode, r.credentials, r.referrer, r.duplex, r.cache, new Request("http://x/", { cache: "no-store" }).cache]; })(),
        redirects: [caught(() => new Request("http://x/", { redirect: "error" }).redirect), caught(() => new Request("http://x/", { redirect: "manual" }).redirect)],
        urls: [caught(() => new Request("/relative")), caught(() => new Request("http://a b/"))],
        usedInput: await (async () => { const r = new Request("http://x/", { method: "POST", body: "b" }); await r.text(); return caught(() => new Request(r)); })(),
      });
      if (step === "responses") return Response.json([
        caught(() => Response.json()), caught(() => Response.json({}, { status: 204 })), caught(() => Response.json({}, { status: 600 })),
        caught(() => Response.redirect()), Response.json({ a: 1 }, { status: 201 }).status,
      ]);
      if (step === "classes") return Response.json([Request.length, Response.length, Object.getOwnPropertyNames(Response)]);
      if (step === "md5") {
        const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
        return Response.json([hex(await crypto.subtle.digest("MD5", new TextEncoder().encode("abc"))), hex(await crypto.subtle.digest({ name: "md5" }, new Uint8Array(0)))]);
      }
      return new Response("?", { status: 404 });
    },
  };
`;

const INVALID_REDIRECT =
  'TypeError: Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be implemented since it does not make sense at the edge; use "manual" and check the response status code).';

/** Runs `serve` as a local HTTP server for the duration of `use(url)`. */
async function withServer(serve: Parameters<typeof createServer>[1], use: (url: string) => Promise<void>): Promise<void> {
  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("Request and Response in Worker code", () => {
  const ask = async (step: string) => (await emulator({ script: SCRIPT }).dispatchFetch(`http://w/${step}`)).json();

  it("Request and Response have length 0 and Response's statics come in the runtime's order", async () => {
    expect(await ask("classes")).toEqual([0, 0, ["length", "name", "prototype", "error", "redirect", "json"]]);
  });

  it("new Request(): methods the runtime knows, upper-cased; others, GET/HEAD bodies, redirect 'error', bad URLs and a used input refused in its words", async () => {
    expect(await ask("requests")).toEqual({
      methods: [
        "PATCH",
        "DELETE",
        "PROPFIND",
        "TypeError: Invalid HTTP method string: foo",
        "TypeError: Invalid HTTP method string: a b",
        "TypeError: Request with a GET or HEAD method cannot have a body.",
        "TypeError: Request with a GET or HEAD method cannot have a body.",
      ],
      fromRequest: "PATCH",
      signal: [true, false],
      members: [null, null, null, null, null, "no-store"],
      redirects: [INVALID_REDIRECT, "manual"],
      urls: ["TypeError: Invalid URL: /relative", "TypeError: Invalid URL: http://a b/"],
      usedInput: "TypeError: Cannot reconstruct a Request with a used body.",
    });
  });

  it("Response.json() and Response.redirect(): missing arguments and statuses refused in the runtime's words", async () => {
    expect(await ask("responses")).toEqual([
      "TypeError: Failed to execute 'json' on 'Response': parameter 1 is not of type 'Value'.",
      "TypeError: Response with null body status (101, 204, 205, or 304) cannot have a body.",
      "RangeError: Responses may only be constructed with status codes in the range 200 to 599, inclusive.",
      "TypeError: Failed to execute 'redirect' on 'Response': parameter 1 is not of type 'string'.",
      201,
    ]);
  });

  it("crypto.subtle.digest() computes MD5 for Worker code, as the runtime does", async () => {
    expect(await ask("md5")).toEqual(["900150983cd24fb0d6963f7d28e17f72", "d41d8cd98f00b204e9800998ecf8427e"]);
  });

  it("the headers of a Response a global fetch() received refuse a change in the runtime's words (Node says 'immutable')", async () => {
    await withServer(
      (_request, response) => response.end("served"),
      async (url) => {
        const emu = emulator({
          script: `export default { async fetch() {
            const fetched = await fetch(${JSON.stringify(url)});
            try { fetched.headers.set("x", "1"); return new Response("changed"); } catch (e) { return new Response(e.name + ": " + e.message + " / " + await fetched.text()); }
          } };`,
        });
        expect(await (await emu.dispatchFetch("http://w/")).text()).toBe("TypeError: Can't modify immutable headers. / served");
      },
    );
  });

  it("a global fetch() pumps a stream body as stub.fetch() does: string chunks are sent as UTF-8, views as their bytes (read in place they are refused: conformance 'body chunks: ...')", async () => {
    let received = "";
    await withServer(
      (request, response) => {
        request.setEncoding("utf8").on("data", (chunk: string) => (received += chunk));
        request.on("end", () => response.end("ok"));
      },
      async (url) => {
        const emu = emulator({
          script: `export default { async fetch() {
            const body = new ReadableStream({ start(c) { c.enqueue("é"); c.enqueue(new Uint16Array([0x4241])); c.close(); } });
            return fetch(${JSON.stringify(url)}, { method: "POST", body });
          } };`,
        });
        expect(await (await emu.dispatchFetch("http://w/")).text()).toBe("ok");
        expect(received).toBe("éAB");
      },
    );
  });

  it("a global fetch() sends the method TRACE, which Node's fetch refuses, as TRACE (conformance 'request trace: ...' checks it reaching a Durable Object)", async () => {
    const received: string[] = [];
    await withServer(
      (request, response) => {
        received.push(`${request.method} ${request.url}`);
        response.end("traced");
      },
      async (url) => {
        const emu = emulator({
          script: `export default { async fetch() {
            const asInit = await (await fetch(${JSON.stringify(url + "init")}, { method: "trace" })).text();
            const asRequest = await (await fetch(new Request(${JSON.stringify(url + "request")}, { method: "TRACE", body: "b" }))).text();
            return new Response(asInit + " " + asRequest);
          } };`,
        });
        expect(await (await emu.dispatchFetch("http://w/")).text()).toBe("traced traced");
      },
    );
    expect(received).toEqual(["TRACE /init", "TRACE /request"]);
  });

  it("a global fetch() sends a FormData body as the runtime encodes it (conformance 'messages kept: a global fetch() ...' checks the same through a Fetcher)", async () => {
    const received: { contentType?: string; length?: string; body: string }[] = [];
    await withServer(
      (request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          received.push({ contentType: request.headers["content-type"], length: request.headers["content-length"], body: Buffer.concat(chunks).toString() });
          response.end("ok");
        });
      },
      async (url) => {
        const emu = emulator({
          script: `export default { async fetch() {
            const form = new FormData();
            form.append("a", "1");
            form.append("photo", new Blob(["xy"], { type: "image/png" }));
            return fetch(${JSON.stringify(url)}, { method: "POST", body: form });
          } };`,
        });
        expect(await (await emu.dispatchFetch("http://w/")).text()).toBe("ok");
      },
    );
    const [{ contentType, length, body }] = received as [(typeof received)[number]];
    const boundary = /^multipart\/form-data; boundary=([0-9a-f]{32})$/.exec(contentType ?? "")?.[1];
    expect(boundary).toBeDefined();
    const expected =
      `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="photo"\r\nContent-Type: image/png\r\n\r\nxy\r\n` +
      `--${boundary}--`;
    expect(body).toBe(expected);
    expect(length).toBe(String(expected.length));
  });
});
