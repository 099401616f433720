/**
 * A Worker's module may export functions and objects only: workerd reads the exports as a map
 * of handlers and refuses to start a Worker exporting a primitive or a null (checked with
 * workerd 1.20261117.1: "service main: Uncaught TypeError: ...").
 */
import { describe, expect, it } from "vitest";
import { Emulator } from "../../../lib/index.js";
import { DurableObject } from "../../../lib/modules/workers.js";

const HANDLER = "export default { fetch() { return new Response('up'); } };";
const INCORRECT = (name: string) => `Incorrect type for map entry '${name}': the provided value is not of type 'function or ExportedHandler'.`;
const NULLISH = "Cannot initialize N7workerd3api15ExportedHandlerE with required members from an undefined or null value.";

/** What `ready` of an emulator of `script` rejects with (the emulator disposed). */
async function startFailure(script: string): Promise<unknown> {
  const emu = new Emulator({ script });
  try {
    return await emu.ready.then(() => "started", (error: unknown) => error);
  } finally {
    await emu.dispose();
  }
}

describe("a Worker module's exports", () => {
  for (const [what, value] of [["a number", "1"], ["a string", '"1.0"'], ["a boolean", "true"], ["a symbol", "Symbol()"], ["a bigint", "1n"]] as const) {
    it(`${what} beside the handlers: the Worker does not start, with the runtime's TypeError naming the export`, async () => {
      const error = await startFailure(`${HANDLER}\nexport const VERSION = ${value};`);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe(INCORRECT("VERSION"));
    });
  }

  it("a null or undefined export, or a default export that is one: the runtime's TypeError about an undefined or null value", async () => {
    for (const script of [`${HANDLER}\nexport const nothing = null;`, `${HANDLER}\nexport let later;`, "export default null;"]) {
      const error = await startFailure(script);
      expect([error instanceof TypeError, (error as Error).message]).toEqual([true, NULLISH]);
    }
  });

  it("a primitive default export is refused by its name, and the first of several bad exports in the module's (sorted) order is the one named", async () => {
    expect(((await startFailure("export default 5;")) as Error).message).toBe(INCORRECT("default"));
    expect(((await startFailure(`${HANDLER}\nexport const zeta = 1; export const alpha = 2;`)) as Error).message).toBe(INCORRECT("alpha"));
  });

  it("objects of any kind (arrays, promises, plain objects) and functions start, as in the runtime", async () => {
    const emu = new Emulator({ script: `${HANDLER}\nexport const list = [1]; export const pending = Promise.resolve(1); export const config = {}; export function helper() {}` });
    try {
      await emu.ready;
      expect(await (await emu.dispatchFetch("/")).text()).toBe("up");
    } finally {
      await emu.dispose();
    }
  });

  it("a module given as exports is refused at construction, before its classes are checked", () => {
    class Room extends DurableObject {}
    expect(() => new Emulator({ module: { Room, LIMIT: 10 }, durableObjects: { ROOM: "Missing" } })).toThrow(new TypeError(INCORRECT("LIMIT")));
  });
});
