/**
 * A data: URL is answered by the runtime itself, through a Durable Object stub as through the
 * global fetch() of object code: a test's stub of the global fetch never sees one, even one
 * installed before durasim loaded (this file imports durasim only once its stub is in place).
 */
import { afterEach, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllGlobals();
});

it("answers data: URLs without a stub of the global fetch installed before durasim loaded", async () => {
  const stubbed = vi.fn(async () => new Response("from the test's stub"));
  vi.stubGlobal("fetch", stubbed);
  const { Emulator } = await import("../../lib/index.js");
  const { DurableObject } = await import("../../lib/modules/workers.js");
  class Fetches extends DurableObject {
    async viaGlobal(url: string) {
      const response = await fetch(url);
      return [response.headers.get("content-type"), await response.text()];
    }
  }
  const emu = new Emulator({ module: { Fetches }, durableObjects: { NS: { className: "Fetches" } } });
  try {
    const stub = (emu.env.NS as { getByName(name: string): { fetch(url: string): Promise<Response>; viaGlobal(url: string): Promise<string[]> } }).getByName("a");
    const response = await stub.fetch("data:Text/Plain;A=B,via%20the%20stub");
    expect([response.headers.get("content-type"), await response.text()]).toEqual(["text/plain;a=B", "via the stub"]);
    expect(await stub.viaGlobal("data:;base64,aGk=")).toEqual(["text/plain;charset=US-ASCII", "hi"]);
    expect(stubbed).not.toHaveBeenCalled();
  } finally {
    await emu.dispose();
  }
});
