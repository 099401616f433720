// A Worker project typed by @cloudflare/workers-types: its Env accepts durasim's bindings, and
// `cloudflare:workers` types come from workers-types alone.
import "durasim/types";
import { type D1Migration, env as testEnv, listDurableObjectIds, resetUsage, runInDurableObject, usage } from "cloudflare:test";
import { DurableObject } from "cloudflare:workers";
import { Emulator, estimateCost } from "durasim";

export class Counter extends DurableObject {
  async increment(by = 1): Promise<number> {
    return by;
  }
}

interface Env {
  COUNTER: DurableObjectNamespace<Counter>;
  GREETING: string;
}

const emu = new Emulator<Env>({ module: { Counter }, durableObjects: { COUNTER: "Counter" }, bindings: { GREETING: "hi" } });
const env: Env = emu.env;
const stub = env.COUNTER.getByName("a");
export const n: number = await stub.increment();
// @ts-expect-error a method Counter does not have
stub.missing();
// @ts-expect-error a wrong result type
export const wrong: string = await stub.increment();

export const seen: number = await runInDurableObject(stub, (instance: Counter, state) => {
  state.storage.sql.exec("SELECT 1");
  return 1;
});
export const ids: DurableObjectId[] = await listDurableObjectIds(env.COUNTER);
// @ts-expect-error the first argument is a stub
await runInDurableObject("not a stub", () => 1);
export const untyped: unknown = testEnv;
// As a project that also has D1 declares its migrations binding (durasim reads none).
export const migrations: D1Migration[] = [{ name: "0001_init.sql", queries: ["CREATE TABLE t (id INTEGER)"] }];

export const rowsRead: number = usage(stub).sqlite.rowsRead;
export const perObject: string[] = Object.keys(usage(env.COUNTER).objects);
export const total: number = estimateCost(emu.usage(), { requestsPerMonth: 1_000_000 }).total;
export const objectId: string = emu.usage(stub).id;
resetUsage();
