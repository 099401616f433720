// RPC before the `rpc` flag's default date (2024-04-03): a Worker at an older date, without the
// flag, holds stubs and service bindings that answer only their own members (`fetch`, `id`,
// `name`); any other name reads as undefined, so calling it throws V8's "... is not a function".
// The caller's date decides: with the flag, or from a newer Worker, the same calls work, even
// into a Worker of the old date.
import { cls } from "../scenario.mjs";

const OLD = "2024-01-01";

const source = cls(`  hello() { return "object hi"; }
  fetch() { return new Response("object fetch"); }`);

/** Another Worker, at the old date: an entrypoint class and a default object of handlers. */
const OTHER = {
  source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class Named extends WorkerEntrypoint { hello() { return "named hi"; } fetch() { return new Response("named fetch"); } }`,
  entry: "{ hello(x) { return 'default hi ' + x; }, fetch() { return new Response('default fetch'); } }",
  compatibilityDate: OLD,
};

/** Everything a caller can try on an object's stub and on both service bindings. */
async function drive(env) {
  const text = async (f) => outcome(async () => (await f()).text());
  const stub = env.DO.getByName("a");
  return {
    stubRead: typeof stub.hello,
    stubHas: "hello" in stub,
    stubKeys: Object.keys(stub),
    stubThen: typeof stub.then,
    stubCall: await outcome(() => stub.hello()),
    stubFetch: await text(() => stub.fetch("http://x/")),
    namedRead: typeof env.NAMED.hello,
    namedCall: await outcome(() => env.NAMED.hello()),
    namedFetch: await text(() => env.NAMED.fetch("http://x/")),
    defaultCall: await outcome(() => env.SVC.hello(1)),
    defaultFetch: await text(() => env.SVC.fetch("http://x/")),
  };
}

const scenario = (name, rest) => ({
  name: `rpc flag: ${name}`,
  backend: "sqlite",
  source,
  workers: { other: OTHER },
  services: { SVC: "other", NAMED: { name: "other", entrypoint: "Named" } },
  drive,
  ...rest,
});

export default [
  scenario("a Worker dated before 2024-04-03 has no RPC on stubs and service bindings, only fetch()", { compatibilityDate: OLD }),
  scenario("a Worker dated before 2024-04-03 with the rpc flag calls methods", { compatibilityDate: OLD, compatibilityFlags: ["rpc"] }),
  scenario("a Worker of today calls methods of a Worker dated before 2024-04-03", {}),
  scenario("a Worker of today with no_rpc has no RPC", { compatibilityFlags: ["no_rpc"] }),
];
