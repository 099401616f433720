import { describe, expect, it } from "vitest";
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

  it("sends a FormData body again on a 307 in a form its receiver parses (encoded afresh, with its own boundary)", async () => {
    const stub = namespaceOf(Redirector).getByName("form") as AnyStub;
    const form = new FormData();
    form.append("a", "1");
    form.append("b", "two");
    const answer = await stub.fetch("http://do/form", { method: "POST", body: form });
    expect([answer.redirected, await answer.json()]).toEqual([true, { type: "multipart/form-data", fields: [["a", "1"], ["b", "two"]] }]);
  });
});
