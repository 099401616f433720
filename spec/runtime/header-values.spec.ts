/**
 * Header values past Latin-1 (util/header-bytes.ts): Worker code's Headers keep them as their
 * UTF-8 bytes and read them back decoded; those bytes are what goes out on the network and what
 * comes in from it; test code reading the same headers keeps Node's reading (a Latin-1 character
 * per byte) and Node's live iteration (runtime/header-iteration.ts). What workerd can answer is
 * checked against it in conformance "headers: ...".
 */
import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { emulator } from "../helpers.js";

const UTF8_OF = (text: string) => Buffer.from(text, "utf8").toString("latin1");

describe("header values past Latin-1", () => {
  const probe = () => (emulator({
    script: `
      import { DurableObject } from "cloudflare:workers";
      export class Probe extends DurableObject {
        async fetch(request) {
          if (request.url.endsWith("/echo")) return Response.json([...request.headers]);
          return new Response("x", { headers: { "x-text": "é€😀" } });
        }
        async send(url) {
          const res = await fetch(url, { headers: { "x-text": "é€😀" } });
          return [await res.text(), res.headers.get("x-back")];
        }
      }`,
    durableObjects: { PROBE: "Probe" },
  }).env.PROBE as any).getByName("p");

  it("go out to the network as UTF-8 bytes, and come back from it decoded", async () => {
    // A server of raw bytes: what arrives, and a header answered in the UTF-8 bytes of "ü€".
    let arrived = Buffer.alloc(0);
    const server = createServer((socket) => {
      socket.on("data", (chunk: Buffer) => {
        arrived = Buffer.concat([arrived, chunk]);
        if (!arrived.includes("\r\n\r\n")) return;
        socket.end(Buffer.concat([Buffer.from("HTTP/1.1 200 OK\r\nx-back: "), Buffer.from("ü€"), Buffer.from("\r\ncontent-length: 6\r\nconnection: close\r\n\r\nserved")]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      expect(await probe().send(url)).toEqual(["served", "ü€"]);
      expect(arrived.includes(Buffer.from("\r\nx-text: é€😀\r\n"))).toBe(true);
    } finally {
      server.close();
    }
  });

  it("reach test code as Node reads them off the wire, one Latin-1 character per byte", async () => {
    const res = await probe().fetch("http://p/");
    expect(res.headers.get("x-text")).toBe(UTF8_OF("é€😀"));
    await res.text();
  });

  it("test code's own values reach Worker code as their bytes: Latin-1 that is no UTF-8 reads as U+FFFD", async () => {
    const res = await probe().fetch(new Request("http://p/echo", { headers: { a: "é", b: UTF8_OF("€") } }));
    expect(await res.json()).toEqual([["a", "\uFFFD"], ["b", "€"]]);
  });
});

describe("test code's Headers stay Node's", () => {
  it("iterating sees a header set during the walk, and a Latin-1 value reads back as given", () => {
    const headers = new Headers({ a: "1", c: "3" });
    const seen: string[] = [];
    for (const [name] of headers) {
      seen.push(name);
      if (name === "a") headers.set("b", "é");
    }
    expect(seen).toEqual(["a", "b", "c"]);
    expect(headers.get("b")).toBe("é");
    expect(Object.prototype.toString.call(headers.keys())).toBe("[object Headers Iterator]");
  });

  it("have no getAll() by any look (Worker code's is the runtime's), even once Worker code replaced its own", async () => {
    // Worker code's getAll() and its words are conformance "headers-kinds: getAll() ...", "headers-surface: ...".
    const stub = (emulator({
      script: `
        import { DurableObject } from "cloudflare:workers";
        export class Probe extends DurableObject {
          cookies() { return new Headers([["set-cookie", "a=1"], ["set-cookie", "b=2"]]).getAll("set-cookie"); }
          replace() {
            Headers.prototype.getAll = function () { return "replaced"; };
            const seen = [];
            for (const key in new Headers()) seen.push(key);
            return [new Headers().getAll(), "getAll" in new Headers(), seen.includes("getAll")];
          }
        }`,
      durableObjects: { PROBE: "Probe" },
    }).env.PROBE as any).getByName("p");
    expect(await stub.cookies()).toEqual(["a=1", "b=2"]);
    const seen = () => {
      const headers = new Headers([["set-cookie", "a=1"]]);
      const keys: string[] = [];
      for (const key in headers) keys.push(key);
      return [typeof (headers as any).getAll, "getAll" in headers, keys.includes("getAll"), Object.getOwnPropertyNames(Headers.prototype).includes("getAll")];
    };
    expect(seen()).toEqual(["undefined", false, false, false]);
    expect(await stub.replace()).toEqual(["replaced", true, true]);
    expect(seen()).toEqual(["undefined", false, false, false]);
    const headers = new Headers([["set-cookie", "a=1"]]);
    (headers as any).getAll = () => "own";
    expect([(headers as any).getAll(), Object.keys(headers), typeof (new Headers() as any).getAll]).toEqual(["own", ["getAll"], "undefined"]);
  });

  it("read as the functions they are, where Worker code reads the runtime's built-ins as native code", async () => {
    const stub = (emulator({
      script: `
        import { DurableObject } from "cloudflare:workers";
        export class Probe extends DurableObject {
          texts() { return [String(Headers), String(Headers.prototype.get)]; }
        }`,
      durableObjects: { PROBE: "Probe" },
    }).env.PROBE as any).getByName("p");
    expect(await stub.texts()).toEqual(["function Headers() { [native code] }", "function get() { [native code] }"]);
    expect(String(Headers.prototype.get)).not.toContain("[native code]");
    expect(String(Function.prototype.toString)).toBe("function toString() { [native code] }");
  });
});
