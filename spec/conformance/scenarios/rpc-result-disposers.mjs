// What `using` needs of an RPC call's result: which results carry a [Symbol.dispose] (an array,
// a plain object, a primitive, a Date), and whether disposing one twice or after use throws.
import { cls } from "../scenario.mjs";

const source = cls(`  lines() { return [{ seq: 1, text: "x" }]; }
  summary() { return { count: 1 }; }
  count() { return 3; }
  when() { return new Date(0); }`);

const drive = `async function drive(env) {
  const stub = env.DO.getByName("a");
  const lines = await stub.lines();
  const summary = await stub.summary();
  const count = await stub.count();
  const when = await stub.when();
  // Node 20's Symbol.dispose prints as Symbol(nodejs.dispose): named by identity instead.
  const keys = (value) => Reflect.ownKeys(value).map((key) => (key === Symbol.dispose ? "[Symbol.dispose]" : String(key)));
  const kinds = {
    array: typeof lines[Symbol.dispose],
    object: typeof summary[Symbol.dispose],
    date: typeof when[Symbol.dispose],
    number: typeof Object(count)[Symbol.dispose],
    arrayOwnKeys: keys(lines),
    objectOwnKeys: keys(summary),
  };
  const twice = outcomeSync(() => { summary[Symbol.dispose]?.(); summary[Symbol.dispose]?.(); return summary.count; });
  return { kinds, twice };
}`;

export default [{ name: "rpc: which call results carry a disposer for using", backend: "sqlite", source, drive }];
