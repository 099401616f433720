// durasim's own types, without @cloudflare/workers-types: stubs typed by their class.
import { Emulator, type DurableObjectStub } from "durasim";
import { DurableObject } from "durasim/workers";

export class Counter extends DurableObject {
  async increment(by = 1): Promise<number> {
    return by;
  }
  get total(): number {
    return 1;
  }
}

const emu = new Emulator({ module: { Counter }, durableObjects: { COUNTER: "Counter" } });
const stub: DurableObjectStub<Counter> = emu.getDurableObjectNamespace<Counter>("COUNTER").getByName("a");
export const n: number = await stub.increment(2);
export const total: number = await stub.total;
export const id: string = stub.id.toString();
// @ts-expect-error a method the class does not have
stub.missing();
// @ts-expect-error a wrong result type
export const wrong: string = await stub.increment();
// @ts-expect-error a wrong argument type
stub.increment("two");
// @ts-expect-error ctx is not reachable over RPC
stub.ctx;
// A stub of no known class accepts any method.
await emu.env.COUNTER.getByName("a").anything(1, 2);

interface Env {
  COUNTER: { getByName(name: string): DurableObjectStub<Counter> };
}
const typed = new Emulator<Env>({ module: { Counter }, durableObjects: { COUNTER: "Counter" } });
export const viaEnv: number = await typed.env.COUNTER.getByName("b").increment();
// @ts-expect-error env is typed by Env
typed.env.OTHER;
