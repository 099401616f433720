/**
 * cloudflare:test's fetchMock: an undici MockAgent per emulator, deactivated until activate(),
 * that the fetch() of Worker code, object code and tests goes through.
 */
import { describe, expect, it } from "vitest";
import { fetchMock, useEmulator } from "../../../lib/modules/test/index.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import { emulator } from "../../helpers.js";

type Agent = {
  activate(): void;
  disableNetConnect(): void;
  get(origin: string): { intercept(options: object): { reply(status: number, body: string, options?: { headers: Record<string, string> }): { persist(): void }; replyWithError(error: Error): void } };
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

  it("has a mocked redirect followed, as the runtime's fetch() follows one, and handed over as it is with redirect: \"manual\"", async () => {
    worker();
    agent.activate();
    agent.disableNetConnect();
    const hooks = agent.get("https://hooks.example.com");
    hooks.intercept({ path: "/old" }).reply(302, "", { headers: { location: "https://hooks.example.com/new" } }).persist();
    hooks.intercept({ path: "/new" }).reply(200, "moved here");
    const followed = await fetch("https://hooks.example.com/old");
    expect([followed.status, followed.url, followed.redirected, await followed.text()]).toEqual([200, "https://hooks.example.com/new", true, "moved here"]);
    const manual = await fetch("https://hooks.example.com/old", { redirect: "manual" });
    expect([manual.status, manual.headers.get("location"), manual.redirected]).toEqual([302, "https://hooks.example.com/new", false]);
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
