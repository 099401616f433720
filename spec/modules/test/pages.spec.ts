/**
 * cloudflare:test's createPagesEventContext(): the context a Pages Function is called with as a
 * unit, checked and built as Cloudflare's helper builds it, with the main Worker's env (which
 * must hold an ASSETS service binding) and waitUntil() promises waitOnExecutionContext() awaits.
 */
import { describe, expect, it } from "vitest";
import { createPagesEventContext, useEmulator, waitOnExecutionContext } from "../../../lib/modules/test/index.js";
import { emulator, rejection } from "../../helpers.js";

function pagesProject(withAssets = true) {
  const emu = emulator({
    module: {},
    bindings: { GREETING: "hello" },
    serviceBindings: withAssets ? { ASSETS: (request: Request) => new Response(`asset ${new URL(request.url).pathname}`) } : {},
  });
  useEmulator(emu);
  return emu;
}

/** A Pages Function as a project writes one: it greets, hands /static on, and logs in waitUntil. */
const logged: string[] = [];
async function onRequest(context: any): Promise<Response> {
  const url = new URL(context.request.url);
  context.waitUntil(Promise.resolve().then(() => logged.push(`${context.functionPath} ${url.pathname}`)));
  if (url.pathname.startsWith("/static")) return context.next();
  if (url.pathname === "/elsewhere") return context.next("/moved", { headers: { "x-moved": "1" } });
  return new Response(`${context.env.GREETING} ${context.params.id} ${context.data.user}`);
}

describe("createPagesEventContext", () => {
  it("builds the context a Pages Function reads: request, functionPath, params, data, env, next() and waitUntil()", async () => {
    pagesProject();
    const seen: string[] = [];
    const next = async (request: Request) => {
      seen.push(`${request.url} ${request.headers.get("x-moved")}`);
      return new Response("from next");
    };
    const ctx = createPagesEventContext({
      request: new Request("https://pages.example/users/7"),
      functionPath: "/users/[id]",
      params: { id: "7" },
      data: { user: "ada" },
      next,
    });
    expect(await (await onRequest(ctx)).text()).toBe("hello 7 ada");
    const passed = createPagesEventContext({ request: new Request("https://pages.example/static/a.css"), next });
    expect([passed.functionPath, passed.params, passed.data]).toEqual(["", {}, {}]);
    expect(await (await onRequest(passed)).text()).toBe("from next");
    const moved = createPagesEventContext({ request: new Request("https://pages.example/elsewhere"), next });
    await onRequest(moved);
    expect(seen).toEqual(["https://pages.example/static/a.css null", "https://pages.example/moved 1"]);
    await Promise.all([ctx, passed, moved].map((context) => waitOnExecutionContext(context)));
    expect(logged).toEqual(["/users/[id] /users/7", " /static/a.css", " /elsewhere"]);
    expect(await (await (ctx.env.ASSETS as { fetch(url: string): Promise<Response> }).fetch("https://pages.example/logo.png")).text()).toBe("asset /logo.png");
  });

  it("refuses what Cloudflare's helper refuses, in its words", async () => {
    pagesProject();
    const request = new Request("https://pages.example/");
    const refusal = (init: unknown) => {
      try {
        createPagesEventContext(init as never);
        return "created";
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    expect(refusal(null)).toBe("TypeError: Failed to execute 'createPagesEventContext': parameter 1 is not of type 'EventContextInit'.");
    expect(refusal({ request: "https://pages.example/" })).toBe(
      "TypeError: Incorrect type for the 'request' field on 'EventContextInit': the provided value is not of type 'Request'.",
    );
    expect(refusal({ request, functionPath: 1 })).toBe(
      "TypeError: Incorrect type for the 'functionPath' field on 'EventContextInit': the provided value is not of type 'string'.",
    );
    expect(refusal({ request, next: "x" })).toBe("TypeError: Incorrect type for the 'next' field on 'EventContextInit': the provided value is not of type 'function'.");
    expect(refusal({ request, params: null })).toBe("TypeError: Incorrect type for the 'params' field on 'EventContextInit': the provided value is not of type 'object'.");
    expect(refusal({ request, data: 1 })).toBe("TypeError: Incorrect type for the 'data' field on 'EventContextInit': the provided value is not of type 'object'.");
    const error = await rejection(createPagesEventContext({ request }).next());
    expect(`${error.name}: ${error.message}`).toBe(
      "TypeError: Cannot call `EventContext#next()` without including `next` property in 2nd argument to `createPagesEventContext()`",
    );
    pagesProject(false);
    expect(refusal({ request })).toBe("TypeError: Cannot call `createPagesEventContext()` without defining `ASSETS` service binding");
  });
});
