// `npm start`: runs the counter Worker in durasim and prints what happened.
import { Emulator } from "durasim";

const emu = new Emulator({
  name: "counter-example",
  modulePath: new URL("./worker.js", import.meta.url).pathname,
  durableObjects: { COUNTER: "Counter" },
});
await emu.ready;

const show = async (label, responsePromise) => {
  const response = await responsePromise;
  console.log(`${label.padEnd(44)} -> ${response.status} ${await response.text()}`);
};

await show("GET /increment?counter=a", emu.dispatchFetch("/increment?counter=a"));
await show("GET /increment?counter=a", emu.dispatchFetch("/increment?counter=a"));
await show("GET /increment?counter=b", emu.dispatchFetch("/increment?counter=b"));
await show("GET /?counter=a", emu.dispatchFetch("/?counter=a"));

const counter = emu.env.COUNTER.getByName("a");
console.log(`${"RPC increment(10) on counter a".padEnd(44)} -> ${await counter.increment(10)}`);

const racers = await Promise.all([1, 2, 3].map(() => emu.env.COUNTER.getByName("race").increment()));
console.log(`${"3 concurrent increments (input gate)".padEnd(44)} -> ${racers.join(", ")}`);
console.log(`${"id of counter a".padEnd(44)} -> ${counter.id}`);

await emu.dispose();
