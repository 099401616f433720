// Stubs as user code sees them: read-only `id` and `name` on an otherwise ordinary object, and
// what stub.fetch() checks itself. Driven from outside any object, like test code.
import { cls } from "../scenario.mjs";
import { CALL_HELPERS } from "./webidl-helpers.mjs";

const source = `${CALL_HELPERS}\n${cls(`  async hello() { return "hi " + (this.ctx.id.name ?? "(no name)"); }
  async fetch(req) { return new Response(req.method + " " + req.url + " " + (await req.text())); }`)}`;
const scenario = (name, drive) => ({ name: `webidl: ${name}`, backend: "sqlite", source, drive });

export default [
  scenario("stubs are read-only but extensible", async (env) => {
    const stub = env.DO.getByName("ro");
    return howAll({
      assignStubName: () => { stub.name = "other"; return stub.name; }, assignStubId: () => { stub.id = null; return typeof stub.id; },
      deleteStubId: () => delete stub.id, defineOnStub: () => { stub.extra = 1; return typeof stub.extra; },
      afterwards: () => stub.hello(),
    });
  }),
  // Only what the binding itself checks; how a Request is built from bad input (URL parsing,
  // methods, bodies) is the Fetch API of the host, not Durable Objects.
  scenario("stub.fetch arguments", async (env) => {
    const stub = env.DO.getByName("f");
    const text = (f) => async () => (await f()).text();
    return howAll({
      noArgs: text(() => stub.fetch()), url: text(() => stub.fetch(new URL("http://x/u"))), toStringObject: text(() => stub.fetch({ toString: () => "http://x/t" })),
      initNumber: text(() => stub.fetch("http://x/", 5)), initNull: text(() => stub.fetch("http://x/", null)), initString: text(() => stub.fetch("http://x/", "POST")),
      methodLower: text(() => stub.fetch("http://x/", { method: "post", body: "b" })), extraArgs: text(() => stub.fetch("http://x/e", {}, 5)),
      fetchDetached: text(() => { const f = stub.fetch; return f("http://x/d"); }), fetchOnOtherStub: text(() => stub.fetch.call(env.DO.getByName("g"), "http://x/g")),
    });
  }),
];
