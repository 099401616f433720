// A Socket's close(), as the runtime's: it closes once the connection is made or refused, so a
// socket closed at once still learns from `opened` that the target took it; the first call
// resolves however `closed` settles (a refused connection's rejects), and a later call settles
// as `closed` did, a new promise each time.
import { cls } from "../scenario.mjs";
import { ENTRYPOINT } from "./socket-helpers.mjs";

const WITHIN = `const within = (promise) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve("still pending"), 1000))]);`;

export default [
  {
    name: "sockets-close: close() on a Fetcher's socket waits for the target's answer; later calls settle as closed did",
    backend: "sqlite",
    workers: {
      none: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { m() {} }` },
      slow: { source: ENTRYPOINT, entry: `class extends WorkerEntrypoint { async connect(socket) { await new Promise((resolve) => setTimeout(resolve, 300)); } }` },
    },
    services: { NONE: "none", SLOW: "slow" },
    source: `${cls(`  async connect(socket) { await new Promise((resolve) => setTimeout(resolve, 300)); }`, { extra: WITHIN })}`,
    drive: async (env) => {
      const out = {};
      const refused = env.NONE.connect("a:1");
      out.refused = [await within(outcome(() => refused.close())), await within(outcome(() => refused.close())), refused.close() === refused.close(), await within(outcome(() => refused.opened))];
      for (const [name, target] of [["slow", env.SLOW], ["object", env.DO.getByName("x")]]) {
        const socket = target.connect("a:1");
        const first = socket.close();
        out[name] = [await within(outcome(() => first)), await within(outcome(() => socket.closed)), await within(outcome(() => socket.opened)), await within(outcome(() => socket.close()))];
      }
      return out;
    },
  },
];
