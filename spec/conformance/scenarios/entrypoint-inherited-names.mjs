// Object.prototype's names on a service binding to a WorkerEntrypoint and on exports' binding
// for it: read, called (locally or as RPC), awaited, and turned into a string; and an
// entrypoint's own methods named like them.

/** What reading and calling Object.prototype's names on `b` gives. */
async function inherited(b) {
  const out = {};
  for (const k of ["toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "toLocaleString", "propertyIsEnumerable", "toJSON"]) {
    out[k] = { type: typeof b[k], call: await outcome(async () => { const r = await b[k]("x"); return typeof r === "object" || typeof r === "function" ? Object.prototype.toString.call(r) : r; }) };
  }
  out.string = outcomeSync(() => String(b));
  out.json = outcomeSync(() => JSON.stringify(b));
  out.then = typeof b.then;
  out.awaited = await outcome(async () => { const r = await b; return r === b; });
  return out;
}

const SOURCE = `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
${inherited}
export class DO extends DurableObject {}
export class Plain extends WorkerEntrypoint { m() { return "m"; } }
export class Shadowing extends WorkerEntrypoint {
  toString() { return "own toString"; }
  valueOf() { return 42; }
  hasOwnProperty() { return "own hasOwnProperty"; }
  toJSON() { return "own toJSON"; }
}
`;

const scenario = (name, drive) => ({ name: `entrypoint inherited names: ${name}`, backend: "sqlite", source: SOURCE, services: { PLAIN: { name: "test", entrypoint: "Plain" }, SHADOW: { name: "test", entrypoint: "Shadowing" } }, drive });

export default [
  scenario("on a service binding to an entrypoint without such methods", async (env) => inherited(env.PLAIN)),
  scenario("on a service binding to an entrypoint that defines them", async (env) => inherited(env.SHADOW)),
  scenario("on exports' specialised binding for an entrypoint that defines them", async () => {
    const { exports } = await import("cloudflare:workers");
    return inherited(exports.Shadowing({ props: {} }));
  }),
];
