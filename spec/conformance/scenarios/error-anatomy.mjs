// Errors read back from storage and received over RPC (argument, result, thrown): their own
// properties, in order, with their attributes. An AggregateError keeps `errors` where the
// original had it (after a `cause` given to its constructor, after properties added later)
// and has none when the original had none.
import { cls, insideBoth } from "../scenario.mjs";

/** Source text of `facts(error)`: own names in order, enumerable ones, attributes, values. */
const FACTS = `const facts = (g) => ({
  names: Object.getOwnPropertyNames(g), keys: Object.keys(g), hasErrors: "errors" in g, errors: show(g.errors),
  cause: "cause" in g ? show(g.cause) : "(none)", message: g.message, name: g.name, ctor: g.constructor.name,
  attributes: Object.fromEntries(Object.getOwnPropertyNames(g).filter((k) => k !== "stack").map((k) => {
    const d = Object.getOwnPropertyDescriptor(g, k);
    return [k, [d.enumerable, d.writable, d.configurable]];
  })),
});`;

/** Source text of `make`: a maker per kind of error. */
const MAKE = `const make = {
  aggregateWithCause: () => new AggregateError([new Error("inner")], "agg", { cause: "why" }),
  aggregate: () => new AggregateError([1, 2], "agg"),
  aggregateErrorsDeleted: () => { const e = new AggregateError([1], "agg"); delete e.errors; return e; },
  aggregateErrorsReplaced: () => { const e = new AggregateError([1], "agg"); e.errors = "not an array"; return e; },
  aggregateCodeThenCause: () => { const e = new AggregateError([1], "agg"); e.code = 5; e.cause = "late"; return e; },
  aggregateNoMessage: () => new AggregateError([]),
  errorWithErrors: () => Object.assign(new Error("plain", { cause: 1 }), { errors: [2] }),
  typeErrorUndefinedCause: () => new TypeError("t", { cause: undefined }),
};`;

export default [
  ...insideBoth("error anatomy: errors read back from storage, AggregateErrors among them", `${FACTS}${MAKE}
    const out = {};
    for (const [k, f] of Object.entries(make)) out[k] = await outcome(async () => { await s.put(k, f()); return facts(await s.get(k)); });
    return out;`),
  {
    name: "error anatomy: errors over RPC as an argument, a result and thrown, AggregateErrors among them",
    backend: "sqlite",
    source: `${FACTS}${MAKE}\n${cls(`  echo(v) { return facts(v); }
  give(k) { return make[k](); }
  throwIt(k) { throw make[k](); }`)}`,
    drive: async (env) => {
      const stub = env.DO.getByName("a");
      const out = {};
      for (const [k, f] of Object.entries(make)) {
        out[k] = {
          argument: await outcome(() => stub.echo(f())),
          result: await outcome(async () => facts(await stub.give(k))),
          thrown: await outcome(async () => {
            try {
              await stub.throwIt(k);
            } catch (e) {
              return facts(e);
            }
          }),
        };
      }
      return out;
    },
  },
];
