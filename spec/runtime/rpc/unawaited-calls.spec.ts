/**
 * A call object code makes and never awaits (fire and forget, or pipelining only) is no
 * unhandled rejection when it fails, as in the runtime, whatever fails it: even a call the
 * sending object never got to send (its emulator disposed, or the object reset, first).
 */
import { afterEach, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { emulator } from "../../helpers.js";

class Sender extends DurableObject<Record<string, { getByName(name: string): { value(): unknown } }>> {
  value() {
    return 1;
  }

  fireAndForget() {
    const other = this.env.SENDER.getByName("other");
    other.value();
    other.value();
    return "returned";
  }
}

const unhandled: unknown[] = [];
const listener = (reason: unknown) => void unhandled.push(reason);
afterEach(() => void process.off("unhandledRejection", listener));

it("a call never awaited and never sent, because the emulator was disposed, is no unhandled rejection", async () => {
  process.on("unhandledRejection", listener);
  const emu = emulator({ module: { Sender }, durableObjects: { SENDER: "Sender" } });
  const stub = emu.env.SENDER.getByName("a") as unknown as Sender;
  expect(await stub.fireAndForget()).toBe("returned");
  await emu.dispose();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(unhandled).toEqual([]);
});
