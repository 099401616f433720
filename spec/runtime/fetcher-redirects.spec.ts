import { afterEach, describe, expect, it, vi } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { Response } from "../../lib/runtime/websockets/response.js";
import type { Request } from "../../lib/runtime/request.js";
import { type AnyStub, namespaceOf, rejection } from "../helpers.js";

const visited: string[] = [];
let cancelled: unknown = "not cancelled";

class Redirector extends DurableObject {
  async fetch(request: Request) {
    const { pathname } = new URL(request.url);
    visited.push(pathname);
    if (pathname === "/slow") {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return new Response(null, { status: 302, headers: { location: "/after-abort" } });
    }
    if (pathname === "/bad-location") {
      // A body its maker keeps writing while someone reads: only a cancel ends it.
      const body = new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array(8)), cancel: (reason) => void (cancelled = reason ?? "cancelled") });
      return new Response(body, { status: 302, headers: { location: "http://[bad" } });
    }
    if (pathname === "/form") return new Response(null, { status: 307, headers: { location: "/parse" } });
    if (pathname === "/parse") return Response.json({ type: request.headers.get("content-type")?.split(";")[0], fields: [...(await request.formData())] });
    if (pathname === "/throw") throw new Error("handler failed");
    if (pathname === "/307") return new Response(null, { status: 307, headers: { location: "/echo" } });
    if (pathname === "/echo") return new Response(await request.text());
    return new Response(pathname);
  }
}

describe("a redirect a stub follows", () => {
  it("is followed no further once the caller's signal aborted: the next request is never sent", async () => {
    visited.length = 0;
    const stub = namespaceOf(Redirector).getByName("abort") as AnyStub;
    const controller = new AbortController();
    const answer = stub.fetch("http://do/slow", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("caller gave up")), 10);
    expect(await rejection(answer)).toMatchObject({ message: "caller gave up" });
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(visited).toEqual(["/slow"]);
  });

  it("cancels the redirect's body when following it fails (a Location that does not parse)", async () => {
    cancelled = "not cancelled";
    const stub = namespaceOf(Redirector).getByName("bad") as AnyStub;
    expect(await rejection(stub.fetch("http://do/bad-location"))).toMatchObject({ name: "TypeError", message: "Invalid Location header; unable to follow redirect." });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cancelled).not.toBe("not cancelled");
  });

  it("sends a FormData body again on a 307 in a form its receiver parses (the bytes sent first, whose boundary its content-type names)", async () => {
    const stub = namespaceOf(Redirector).getByName("form") as AnyStub;
    const form = new FormData();
    form.append("a", "1");
    form.append("b", "two");
    const answer = await stub.fetch("http://do/form", { method: "POST", body: form });
    expect([answer.redirected, await answer.json()]).toEqual([true, { type: "multipart/form-data", fields: [["a", "1"], ["b", "two"]] }]);
  });
});

describe("the copy of a body a stub keeps for a redirect", () => {
  afterEach(() => vi.restoreAllMocks());

  /** The Requests cloned while `run` runs, and whether each clone's body was let go of (cancelled: read, it ends at once). */
  async function clonesDuring(run: () => Promise<unknown>): Promise<boolean[]> {
    const clones: globalThis.Request[] = [];
    const clone = globalThis.Request.prototype.clone;
    vi.spyOn(globalThis.Request.prototype, "clone").mockImplementation(function (this: globalThis.Request) {
      const made = clone.call(this);
      clones.push(made);
      return made;
    });
    await run().catch(() => undefined);
    vi.restoreAllMocks();
    await new Promise((resolve) => setTimeout(resolve, 10));
    return Promise.all(clones.map(async (made) => made.body === null || (await made.body.getReader().read()).done));
  }

  const post = (url: string) => new globalThis.Request(url, { method: "POST", body: "kept" });

  it.each([
    ["the request fails to send (a Request input)", (stub: AnyStub) => stub.fetch(post("http://do/throw"))],
    ["the request fails to send (a body in the init)", (stub: AnyStub) => stub.fetch("http://do/throw", { method: "POST", body: "kept" })],
    ["making the request throws", (stub: AnyStub) => stub.fetch(post("http://do/echo"), { method: "GET" })],
    ["a data: URL answers it", (stub: AnyStub) => stub.fetch(post("data:,hi"))],
    ["its answer is no redirect", (stub: AnyStub) => stub.fetch(post("http://do/echo"))],
  ])("is let go of when %s", async (_, fetch) => {
    const stub = namespaceOf(Redirector).getByName("release") as AnyStub;
    expect(await clonesDuring(() => fetch(stub))).not.toContain(false);
  });

  it.each([
    ["a string", "as given"],
    ["a Blob", new Blob(["as ", "given"])],
  ])("is not made for %s, which cannot change: it is resent as given", async (_, body) => {
    const stub = namespaceOf(Redirector).getByName("value") as AnyStub;
    let text: unknown;
    const clones = await clonesDuring(async () => (text = await (await stub.fetch("http://do/307", { method: "POST", body })).text()));
    expect([clones, text]).toEqual([[], "as given"]);
  });

  it("holds the bytes sent first: a buffer the caller changes after fetch() is resent as it was", async () => {
    const stub = namespaceOf(Redirector).getByName("bytes") as AnyStub;
    const bytes = new TextEncoder().encode("before");
    const answer = stub.fetch("http://do/307", { method: "POST", body: bytes });
    bytes.set(new TextEncoder().encode("AFTER!"));
    expect(await (await answer).text()).toBe("before");
  });
});
