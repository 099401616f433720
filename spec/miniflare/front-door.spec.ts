/**
 * durasim's Miniflare front door where Miniflare 4's own behaviour decides (checked against
 * Miniflare 4.20260730 on workerd): a service binding written as a function, and
 * listDurableObjectIds for classes declared without a binding.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Miniflare } from "../../lib/miniflare.js";

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
