/**
 * The Vitest plugin's outboundService router with cloudflare:test's fetchMock active: the mock
 * answers first and only what it lets through reaches the outbound service, as under Cloudflare's
 * plugin, whose fetchMock sat in the tests' fetch() before the network the service stands for.
 */
import { afterEach, expect, it } from "vitest";
import { fetchMock, useEmulator } from "../../lib/modules/test/index.js";
import { installOutboundServices } from "../../lib/testing/vitest/outbound.js";
import { emulator } from "../helpers.js";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

const agent = fetchMock as unknown as {
  activate(): void;
  get(origin: string): { intercept(options: object): { reply(status: number, body: string): void } };
};

it("fetchMock answers before the main Worker's outbound service, which gets what it lets through", async () => {
  const emu = emulator({
    module: {},
    workers: [{ name: "upstream", module: { default: { fetch: (request: Request) => new Response(`upstream saw ${new URL(request.url).pathname}`) } } }],
  });
  useEmulator(emu);
  restore = installOutboundServices("upstream", {}, () => {
    throw new Error("no host functions here");
  }, emu);
  expect(await (await fetch("https://api.example/before")).text()).toBe("upstream saw /before");
  agent.activate();
  agent.get("https://api.example").intercept({ path: "/mocked" }).reply(200, "mocked");
  expect(await (await fetch("https://api.example/mocked")).text()).toBe("mocked");
  expect(await (await fetch("https://api.example/through", { method: "POST", body: "x" })).text()).toBe("upstream saw /through");
});
