import { describe, expect, it } from "vitest";
import { DurableObject } from "../../lib/modules/workers.js";
import { Response } from "../../lib/runtime/websockets/response.js";
import { type AnyStub, namespaceOf } from "../helpers.js";

class Responder extends DurableObject {
  async fetch(request: Request) {
    const url = new URL(request.url);
    const status = Number(url.searchParams.get("s") ?? 200);
    if (url.pathname === "/json") return Response.json({ a: 1 }, { status });
    if (url.pathname === "/own") return new Response("x", { status, statusText: url.searchParams.get("t") ?? "" });
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
