// Last fidelity checks of this round. An object inheriting from an RPC promise or property
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
];
