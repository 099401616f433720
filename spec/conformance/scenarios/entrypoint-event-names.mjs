// The names of the runtime's other event handlers (`tail`, `trace`, `email`, and `scheduled`,
// `queue`, `test`), defined on a WorkerEntrypoint, on a default object of handlers and on a
// Durable Object: an RPC call by that name calls it as any method (workerd reserves none of
// these names; durasim delivers no tail, trace or email events, so a caller reaches such a
// handler only so).
import { cls } from "../scenario.mjs";

const NAMES = ["tail", "trace", "email", "scheduled", "queue", "test"];

/** Methods under each name that report their name and arguments' count. */
const methods = (prefix) => NAMES.map((n) => `  ${n}(...args) { return "${prefix} ${n} " + args.length; }`).join("\n");

const OTHER = {
  source: `import { WorkerEntrypoint } from "cloudflare:workers";
export class Named extends WorkerEntrypoint {
${methods("named")}
}`,
  entry: `{
${methods("default").replace(/\n/g, ",\n")}
}`,
};

/** Every name through each binding; `objectEvents`: whether the object's stub is called by the event names too. */
const drive = (objectEvents) => `async function drive(env) {
  const out = {};
  for (const n of ["tail", "trace", "email", "scheduled", "queue", "test"]) {
    out[n] = {
      named: await outcome(() => env.NAMED[n]({ a: 1 })),
      default: await outcome(() => env.SVC[n]({ a: 1 })),
      typeofNamed: typeof env.NAMED[n],
    };
    if (${objectEvents} || (n !== "scheduled" && n !== "queue")) out[n].object = await outcome(() => env.DO.getByName("a")[n]({ a: 1 }));
  }
  return out;
}`;

const scenario = (name, rest) => ({
  name: `entrypoint event names: ${name}`,
  backend: "sqlite",
  source: cls(methods("object")),
  workers: { other: OTHER },
  services: { SVC: "other", NAMED: { name: "other", entrypoint: "Named" } },
  drive: drive(true),
  ...rest,
});

export default [
  scenario("RPC calls named tail, trace, email, scheduled, queue and test", {}),
  // The flag gives Fetchers scheduled() and queue() (events, not RPC); the other names stay RPC.
  // An object's stub gets the two as well, as events it cannot take (stub-extra-handlers.mjs).
  scenario("the same calls with service_binding_extra_handlers", {
    compatibilityFlags: ["service_binding_extra_handlers"],
  }),
];
