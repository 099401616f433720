/**
 * cloudflare:test's fetchMock: an undici MockAgent per emulator, deactivated until activate(),
 * that the fetch() of Worker code, object code and tests goes through, answering as Cloudflare's
 * integration (vitest-pool-workers before 0.13) did: its fetch() offered the agent the request
 * with the body as text, the path without the query and the request's own headers, and handed
 * back a mocked reply as it was; an unmatched request that net connect allows went to fetch().
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchMock, useEmulator } from "../../../lib/modules/test/index.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import { emulator, rejection } from "../../helpers.js";

type Agent = {
  activate(): void;
  deactivate(): void;
  enableNetConnect(matcher?: unknown): void;
  disableNetConnect(): void;
  get(origin: string): {
    intercept(options: object): {
      reply(status: number, body?: unknown, options?: object): { persist(): void };
      replyWithError(error: Error): void;
    };
  };
  pendingInterceptors(): unknown[];
};
const agent = fetchMock as unknown as Agent;

class Hook extends DurableObject {
  async send(path: string) {
    const response = await fetch(`https://hooks.example.com${path}`, { method: "POST", body: "from the object" });
    return `${response.status} ${await response.text()}`;
  }
}

function worker() {
  const emu = emulator({
    module: {
      Hook,
      default: {
        async fetch(request: Request) {
          try {
            const answer = await fetch(`https://hooks.example.com${new URL(request.url).pathname}`);
            return new Response(`${answer.status} ${await answer.text()}`);
          } catch (error) {
            return new Response(String(error), { status: 500 });
          }
        },
      },
    },
    durableObjects: { HOOK: "Hook" },
  });
  useEmulator(emu);
  return emu;
}

describe("fetchMock", () => {
  it("answers the fetch() of Worker code, object code and the test once activated; an unmatched request is refused with undici's MockNotMatchedError itself", async () => {
    const emu = worker();
    agent.activate();
    agent.disableNetConnect();
    agent.get("https://hooks.example.com").intercept({ path: "/worker" }).reply(200, "mocked for the Worker");
    agent.get("https://hooks.example.com").intercept({ path: "/object", method: "POST", body: "from the object" }).reply(201, "mocked for the object");
    agent.get("https://hooks.example.com").intercept({ path: "/test" }).reply(202, "mocked for the test").persist();
    expect(await (await emu.dispatchFetch("http://x/worker")).text()).toBe("200 mocked for the Worker");
    expect(await emu.env.HOOK.getByName("h").send("/object")).toBe("201 mocked for the object");
    expect(await (await fetch("https://hooks.example.com/test")).text()).toBe("mocked for the test");
    const refused = await emu.dispatchFetch("http://x/worker");
    expect(await refused.text()).toMatch(/^MockNotMatchedError: Mock dispatch not matched for path '\/worker'/);
    expect(agent.pendingInterceptors()).toEqual([]); // each was used (the persistent one stays, used)
  });

  it("rejects the fetch() of object code with the very error an interceptor replies with, as Cloudflare's integration did, not Node's TypeError around it", async () => {
    const emu = worker();
    agent.activate();
    agent.disableNetConnect();
    const reset = new RangeError("connection reset by peer");
    agent.get("https://hooks.example.com").intercept({ path: "/object", method: "POST" }).replyWithError(reset);
    const refused = await emu.env.HOOK.getByName("h").send("/object").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RangeError);
    expect((refused as Error).message).toBe("connection reset by peer");
    // And for the test's own fetch(), the same object.
    agent.get("https://hooks.example.com").intercept({ path: "/test" }).replyWithError(reset);
    await expect(fetch("https://hooks.example.com/test")).rejects.toBe(reset);
  });

  it("leaves a request it lets through to the network failing there with Node's TypeError", async () => {
    worker();
    agent.activate();
    // Nothing listens on port 1: the connection is refused after dispatch() returned.
    const failed = await fetch("http://127.0.0.1:1/").catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TypeError);
    expect((failed as TypeError).message).toBe("fetch failed");
  });

  it("is a fresh agent for each emulator (each test file): deactivated, with no interceptors", async () => {
    worker();
    expect(agent.pendingInterceptors()).toEqual([]);
    // Deactivated, it hands requests to the network: a data: URL shows it without one.
    expect(await (await fetch("data:text/plain,through")).text()).toBe("through");
  });
});

/** A server on 127.0.0.1 that redirects /from to /to and answers /to with the request's method and body. */
let server: Server;
let local: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/from") return void response.writeHead(302, { location: "/to" }).end();
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => response.end(`${request.method} ${request.url} ${body}`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  local = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const API = "https://api.example.com";

/** An emulator whose fetchMock is active with net connect disabled. */
function active() {
  worker();
  agent.activate();
  agent.disableNetConnect();
}

describe("fetchMock answers as Cloudflare's integration did", () => {
  it("rejects with the very error replyWithError() gives, not a TypeError around it", async () => {
    active();
    const boom = new Error("connection reset");
    agent.get(API).intercept({ path: "/down" }).replyWithError(boom);
    expect(await fetch(`${API}/down`).then(() => "resolved", (error: unknown) => error)).toBe(boom);
  });

  it("hands back a mocked redirect as it is, not followed", async () => {
    active();
    agent.get(API).intercept({ path: "/login" }).reply(302, "", { headers: { location: `${API}/home` } });
    const response = await fetch(`${API}/login`);
    expect([response.status, response.statusText, response.headers.get("location"), response.redirected, response.url]).toEqual([302, "Found", `${API}/home`, false, ""]);
  });

  it("hands back a mocked 204 without a body", async () => {
    active();
    agent.get(API).intercept({ path: "/gone", method: "DELETE" }).reply(204);
    const response = await fetch(`${API}/gone`, { method: "DELETE" });
    expect([response.status, response.body]).toEqual([204, null]);
  });

  // Cloudflare's fetchMock builds the mocked reply with the runtime's Response, which refuses
  // these as it does for Worker code (workerd, checked: an empty body passes as none).
  it("refuses a mocked 101 in the runtime's words: a Response's status is 200 to 599", async () => {
    active();
    agent.get(API).intercept({ path: "/switch" }).reply(101);
    const error = await fetch(`${API}/switch`).then(() => undefined, (rejection: unknown) => rejection as Error);
    expect([error?.name, error?.message]).toEqual(["RangeError", "Responses may only be constructed with status codes in the range 200 to 599, inclusive."]);
  });

  it("refuses a mocked 204, 205 or 304 that has a body, and takes an empty one as none", async () => {
    active();
    const outcomes: unknown[] = [];
    for (const status of [204, 205, 304]) {
      agent.get(API).intercept({ path: `/full/${status}` }).reply(status, "body");
      agent.get(API).intercept({ path: `/empty/${status}` }).reply(status, "", { headers: { etag: '"v1"' } });
      const refused = await fetch(`${API}/full/${status}`).then(() => undefined, (rejection: unknown) => rejection as Error);
      const empty = await fetch(`${API}/empty/${status}`);
      outcomes.push([refused?.name, refused?.message, empty.status, empty.body, empty.headers.get("etag")]);
    }
    const refusal = ["TypeError", "Response with null body status (101, 204, 205, or 304) cannot have a body."];
    expect(outcomes).toEqual([204, 205, 304].map((status) => [...refusal, status, null, '"v1"']));
  });

  it("matches a body given as bytes or a stream against its text", async () => {
    active();
    agent.get(API).intercept({ path: "/bytes", method: "POST", body: "hello" }).reply(200, "bytes matched");
    agent.get(API).intercept({ path: "/stream", method: "PUT", body: "streamed" }).reply(200, "stream matched");
    const bytes = await fetch(`${API}/bytes`, { method: "POST", body: new TextEncoder().encode("hello") });
    const stream = new Blob(["streamed"]).stream();
    const streamed = await fetch(`${API}/stream`, { method: "PUT", body: stream, duplex: "half" } as RequestInit);
    expect([await bytes.text(), await streamed.text()]).toEqual(["bytes matched", "stream matched"]);
  });

  it("shows a reply callback the request's own headers, its path without the query, the query and the body as text", async () => {
    active();
    let seen: Record<string, unknown> = {};
    agent.get(API).intercept({ path: "/search", method: "POST", query: { q: "cats" } }).reply(200, (options: Record<string, unknown>) => {
      seen = options;
      return "found";
    });
    await fetch(`${API}/search?q=cats`, { method: "POST", headers: { "X-Key": "k" }, body: new TextEncoder().encode("{}") });
    const { headers, path, query, body } = seen;
    expect({ headers, path, query, body }).toEqual({ headers: { "x-key": "k" }, path: "/search", query: { q: "cats" }, body: "{}" });
  });

  it("sends an unmatched request net connect allows to the network through fetch(), which follows redirects and sends the body", async () => {
    active();
    agent.enableNetConnect(local);
    agent.get(`http://${local}`).intercept({ path: "/mocked" }).reply(200, "mocked");
    expect(await (await fetch(`http://${local}/mocked`)).text()).toBe("mocked");
    const followed = await fetch(`http://${local}/from`);
    expect([followed.redirected, await followed.text()]).toEqual([true, "GET /to "]);
    const posted = await fetch(`http://${local}/to`, { method: "POST", body: new TextEncoder().encode("payload") });
    expect(await posted.text()).toBe("POST /to payload");
  });

  it("refuses an unmatched request to a host net connect does not allow in undici's words, and keeps the setting", async () => {
    active();
    agent.enableNetConnect(/^elsewhere\.example$/);
    const refused = await rejection(fetch(`http://${local}/to`));
    expect([refused.name, refused.message]).toEqual([
      "MockNotMatchedError",
      `Mock dispatch not matched for path '/to': subsequent request to origin http://${local} was not allowed (net.connect is not enabled for this origin), 0 interceptor(s) remaining out of 0 defined`,
    ]);
    agent.enableNetConnect((host: string) => host === local);
    expect(await (await fetch(`http://${local}/to`)).text()).toBe("GET /to ");
    agent.disableNetConnect();
    expect((await rejection(fetch(`http://${local}/to`))).message).toMatch(/\(net\.connect disabled\)/);
  });

  it("leaves fetch() to the network once deactivated", async () => {
    active();
    agent.get(`http://${local}`).intercept({ path: "/to" }).reply(200, "mocked");
    agent.deactivate();
    expect(await (await fetch(`http://${local}/to`)).text()).toBe("GET /to ");
  });
});
