import { env, SELF } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("named entrypoints and service bindings", () => {
  it("calls a named entrypoint over RPC through a service binding, with its props", async () => {
    // GREETER binds the Greeter entrypoint with props { greeting: "Howdy" } (wrangler.jsonc).
    expect(await env.GREETER.greet("Ada")).toBe("Howdy, Ada!");
    const response = await env.GREETER.fetch("https://example.com/?name=Grace");
    expect(await response.text()).toBe("Howdy, Grace!");
  });

  it("reaches the Worker's own entrypoints through exports, with or without props", async () => {
    expect(await exports.Greeter.greet("Ada")).toBe("Hello, Ada!");
    expect(await exports.Greeter({ props: { greeting: "Hi" } }).greet("Ada")).toBe("Hi, Ada!");
    const response = await exports.default.fetch("https://example.com/greet?name=Linus");
    expect(await response.text()).toBe("Welcome, Linus!");
  });

  it("sends requests to the default export through SELF", async () => {
    const response = await SELF.fetch("https://example.com/greet?name=Barbara");
    expect(await response.text()).toBe("Welcome, Barbara!");
  });
});
