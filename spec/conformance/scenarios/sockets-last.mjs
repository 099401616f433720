// Last fidelity checks of this round. Iterating Headers shows a Cookie value as get() reads it,
// keeping the ", " after a last empty value (Node trims the space it holds). An object inheriting from an RPC promise or property
// (`Object.create(stub.method())`) is neither to the runtime: awaiting it calls the inherited
// `then` on it, which refuses the receiver with Illegal invocation, as catch() and finally() do.
import { cls } from "../scenario.mjs";

export default [
  {
    name: "sockets-last: awaiting an object inheriting from an RPC promise or property is an Illegal invocation",
    backend: "sqlite",
    source: `${cls(`  m() { return 7; }
  o() { return { v: 1 }; }`)}`,
    drive: async (env) => {
      const stub = env.DO.getByName("x");
      return {
        promise: await outcome(async () => await Object.create(stub.m())),
        promiseThen: await outcome(() => new Promise((resolve, reject) => Object.create(stub.m()).then(resolve, reject))),
        property: await outcome(async () => await Object.create(stub.o().v)),
        propertyOfStub: await outcome(async () => await Object.create(stub.m)),
        catchOn: await outcome(() => Object.create(stub.m()).catch(() => 1)),
        stub: await outcome(async () => typeof (await Object.create(stub))),
        direct: await outcome(() => stub.m()),
        afterwards: await outcome(async () => [await stub.m(), await stub.o().v]),
      };
    },
  },
  {
    name: "sockets-last: iterating Headers shows Cookie values appended after empty ones as get() does",
    backend: "sqlite",
    source: `${cls(`  m() {
    const seen = {};
    for (const values of [["", ""], ["", "", "c"], ["a", ""], ["", "b", ""], ["a", " ", "b"], ["a", "", "b"]]) {
      const h = new Headers([["x-a", "1"]]);
      for (const value of values) h.append("cookie", value);
      const each = [];
      h.forEach((value, name) => each.push([name, value]));
      seen[JSON.stringify(values)] = [h.get("cookie"), [...h], [...h.entries()], [...h.values()], [...h.keys()], each];
    }
    const later = new Headers();
    later.append("cookie", "a");
    later.append("cookie", "");
    const before = [...later];
    later.append("cookie", "b");
    const after = [...later];
    later.set("cookie", "c");
    seen.later = [before, after, [...later]];
    return seen;
  }`)}`,
    drive: async (env) => env.DO.getByName("x").m(),
  },
];
