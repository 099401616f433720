import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { Request } from "../../lib/runtime/request.js";
import { Response } from "../../lib/runtime/websockets/response.js";
import { type AnyStub, namespaceOf } from "../helpers.js";

/** A stream that yields "a", then fails with `reason` on the next read. */
function failing(reason: unknown): ReadableStream {
  let sent = false;
  return new ReadableStream({
    async pull(c) {
      await new Promise((r) => setTimeout(r, 1));
      if (sent) return c.error(reason);
      sent = true;
      c.enqueue(new TextEncoder().encode("a"));
    },
  });
}

/** What a reader of `body` gets: the text that arrived and how the body ended. */
async function readAll(body: ReadableStream | null): Promise<{ text: string; error?: unknown }> {
  const reader = body!.getReader();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += new TextDecoder().decode(value);
    }
  } catch (error) {
    return { text, error };
  }
}

const shape = (e: unknown) => {
  const x = e as Error & { remote?: boolean };
  return [x.constructor.name, x.message, x.remote];
};

class Bodies extends DurableObject {
  kept: Error | undefined;
  async fetch(request: Request) {
    const url = new URL(request.url);
    if (url.pathname === "/echo") return Response.json(await readAll(request.body));
    const reason = url.pathname === "/string" ? "a string" : (this.kept = new RangeError("source failed"));
    return new Response(failing(reason));
  }
  keptFlags() {
    return (this.kept as (Error & { remote?: boolean }) | undefined)?.remote ?? "none";
  }
  response() {
    return new Response(failing(new RangeError("source failed")));
  }
  request() {
    return new Request("http://x/", { method: "POST", body: failing(new RangeError("source failed")) });
  }
}

describe("a body stream that fails on the other side of a crossing", () => {
  it("over stub.fetch(): the caller's read fails with the object's error, flagged remote (a copy)", async () => {
    const stub = namespaceOf(Bodies).getByName("b") as AnyStub;
    const read = await readAll((await stub.fetch("http://do/")).body);
    expect([read.text, ...shape(read.error)]).toEqual(["a", "RangeError", "source failed", true]);
    expect(await stub.keptFlags()).toBe("none");
    const text = await (await stub.fetch("http://do/string")).text().catch((e: unknown) => e);
    expect(shape(text)).toEqual(["Error", "a string", true]);
  });

  it("over RPC: a Response's or a Request's body fails with the disconnection error", async () => {
    const stub = namespaceOf(Bodies).getByName("b") as AnyStub;
    for (const made of [await stub.response(), await stub.request()]) {
      const read = await readAll((made as Response).body);
      expect([read.text, ...shape(read.error)]).toEqual(["a", "Error", "ReadableStream received over RPC disconnected prematurely.", undefined]);
    }
  });

  it("a request body sent by stub.fetch() ends where the caller's stream failed", async () => {
    const stub = namespaceOf(Bodies).getByName("b") as AnyStub;
    const res = await stub.fetch("http://do/echo", { method: "POST", body: failing(new Error("gone")) });
    expect(await res.json()).toEqual({ text: "a" });
  });
});

describe("the Worker Request", () => {
  it("takes a stream body without duplex (forwarding a request's body), with any views but no string chunks", async () => {
    const original = new Request("http://x/", { method: "POST", body: "forwarded" });
    const forwarded = new Request("http://y/", { method: "POST", headers: original.headers, body: original.body });
    expect(await forwarded.text()).toBe("forwarded");
    const views = new ReadableStream({ start: (c) => (c.enqueue(new Uint16Array([0x4241])), c.close()) });
    expect(await new Request("http://x/", { method: "PUT", body: views }).text()).toBe("AB");
    const strings = new ReadableStream({ start: (c) => (c.enqueue("é"), c.close()) });
    await expect(new Request("http://x/", { method: "PUT", body: strings }).text()).rejects.toThrow(new TypeError("This ReadableStream did not return bytes."));
    // An init that is no plain object (a Request) is read through, its stream body too.
    const asInit = new Request("http://x/", { method: "PUT", headers: { "x-from": "init" }, body: "through" });
    const viaRequest = new Request("http://y/", asInit as unknown as RequestInit);
    expect([viaRequest.method, viaRequest.headers.get("x-from"), await viaRequest.text()]).toEqual(["PUT", "init", "through"]);
    expect(new globalThis.Request("http://x/")).toBeInstanceOf(Request);
    expect(new Request("http://x/")).toBeInstanceOf(globalThis.Request);
  });
});
