import { afterEach, describe, expect, it, vi } from "vitest";
import { Emulator } from "../../../lib/index.js";

// A Worker dated before the rpc flag's default: stubs and service bindings have no RPC names,
// and the runtime warns once per name and Worker (conformance "rpc flag: ..." has the rest).
const script = `import { DurableObject } from "cloudflare:workers";
export class S extends DurableObject { hello() { return "hi"; } }
export default { async fetch(request, env) {
  const stub = env.S.getByName("a");
  const read = [typeof stub.hello, typeof stub.hello, typeof env.S.getByName("b").other];
  return Response.json(read);
} };`;

let emu: Emulator | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await emu?.dispose();
  emu = undefined;
});

const warning = (name: string) =>
  `Tried to access method or property '${name}' on a Service Binding or Durable Object stub. Are you trying to use RPC? ` +
  "If so, please enable the 'rpc' compat flag or update your compat date to 2024-04-03 or later " +
  "(see https://developers.cloudflare.com/workers/configuration/compatibility-dates/ ). " +
  "If you are not trying to use RPC, please note that in the future, this property (and all other property names) will appear to be present as an RPC method.";

describe("a Worker without the rpc flag", () => {
  it("reads a stub's method names as undefined, warning once per name and Worker; test code calls them", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    emu = new Emulator({
      workers: [
        { name: "old", script, compatibilityDate: "2024-04-02", durableObjects: { S: "S" } },
        { name: "older", script, compatibilityDate: "2023-01-01", durableObjects: { S: { className: "S", scriptName: "old" } } },
      ],
    });
    expect(await (await emu.getWorker("old").fetch("http://x/")).json()).toEqual(["undefined", "undefined", "undefined"]);
    expect(await (await emu.getWorker("old").fetch("http://x/")).json()).toEqual(["undefined", "undefined", "undefined"]);
    expect(await (await emu.getWorker("older").fetch("http://x/")).json()).toEqual(["undefined", "undefined", "undefined"]);
    expect(warn.mock.calls).toEqual([[warning("hello")], [warning("other")], [warning("hello")], [warning("other")]]);
    // As Node code's stubs under Miniflare, which reach objects through Workers of its own.
    const stub = (emu.env.S as { getByName(name: string): { hello(): Promise<string> } }).getByName("c");
    expect(await stub.hello()).toBe("hi");
    expect(warn).toHaveBeenCalledTimes(4);
  });

  it("calls methods from the flag's default date, or with the flag", async () => {
    for (const [compatibilityDate, compatibilityFlags] of [["2024-04-03", []], ["2024-01-01", ["rpc"]]] as const) {
      emu = new Emulator({ script, compatibilityDate, compatibilityFlags: [...compatibilityFlags], durableObjects: { S: "S" } });
      expect(await (await emu.dispatchFetch("http://x/")).json()).toEqual(["function", "function", "function"]);
      await emu.dispose();
      emu = undefined;
    }
  });
});
