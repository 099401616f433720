// When the clocks Worker code reads move: Date.now(), new Date() and performance.now() across
// synchronous work, microtasks, a timer, storage and SQL calls, inside an object.
import { inside } from "../scenario.mjs";

export default [
  inside("clock steps: Date.now(), new Date() and performance.now() across busy work, microtasks, timers and storage", "sqlite", `
    const spin = () => { let x = 0; for (let i = 0; i < 3e7; i++) x += i % 7; return x; };
    const read = () => [Date.now(), new Date().getTime(), performance.now()];
    const moved = (a, b) => b.map((v, i) => v > a[i]);
    const out = {};
    let a = read(); spin(); out.busy = moved(a, read());
    a = read(); await Promise.resolve(); spin(); out.microtask = moved(a, read());
    a = read(); await sleep(5); out.timer = moved(a, read());
    a = read(); spin(); await s.get("k"); out.storageGet = moved(a, read());
    a = read(); spin(); s.sql.exec("SELECT 1").toArray(); out.sql = moved(a, read());
    a = read(); spin(); s.kv.put("k", 1); out.kvPut = moved(a, read());
    a = read(); spin(); await s.put("k", 2); out.asyncPut = moved(a, read());
    return out;`),
];
