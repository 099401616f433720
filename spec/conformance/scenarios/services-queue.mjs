// A Fetcher's queue(queueName, messages, metadata?) (with service_binding_extra_handlers) sends a
// queue event to the target's queue() handler: the batch and messages it receives, and the
// FetcherQueueResult the caller gets back (acks, retries, outcome), failures and bad input included.
import { cls } from "../scenario.mjs";
const WORKERS_IMPORT = `import { WorkerEntrypoint, exports } from "cloudflare:workers";`;
export default [
  {
    name: "services: queue() sends a queue event with service_binding_extra_handlers",
    backend: "kv",
    compatibilityFlags: ["service_binding_extra_handlers"],
    source: cls(`  async hello() { return "hi"; }`, { extra: `${WORKERS_IMPORT}
export class Q extends WorkerEntrypoint {
  async queue(batch, ...rest) {
    const m = batch.messages;
    globalThis.seen = { queue: batch.queue, tag: Object.prototype.toString.call(batch), keys: Object.keys(batch), metadata: show(batch.metadata), n: m.length, frozen: Object.isFrozen(m), isArray: Array.isArray(m),
      msgTag: m[0] && Object.prototype.toString.call(m[0]), msgKeys: m[0] && Object.keys(m[0]), msgs: m.map((x) => show({ id: x.id, timestamp: x.timestamp, attempts: x.attempts, body: x.body })), rest: rest.length, props: show(this.ctx.props) };
    const mode = batch.queue;
    if (mode === "ack") { m[0].ack(); m[1]?.retry({ delaySeconds: 5 }); m[2]?.retry(); }
    if (mode === "ackAll") batch.ackAll();
    if (mode === "retryAll") batch.retryAll({ delaySeconds: 7 });
    if (mode === "retryAllPlain") batch.retryAll();
    if (mode === "both") { m[0].ack(); m[0].retry(); batch.ackAll(); batch.retryAll(); }
    if (mode === "fail") { m[0].ack(); throw new Error("queue failed"); }
    if (mode === "wait") this.ctx.waitUntil(scheduler.wait(5).then(() => { m[0].ack(); globalThis.waited = true; }));
    if (mode === "waitfail") this.ctx.waitUntil(Promise.reject(new Error("bg")));
    if (mode === "badretry") { try { m[0].retry({ delaySeconds: -1 }); } catch (e) { globalThis.err = String(e); } try { m[0].retry({ delaySeconds: 100000 }); } catch (e) { globalThis.err2 = String(e); } }
    if (mode === "ret") return "returned";
  }
}
export class NoQ extends WorkerEntrypoint { async ping() { return 1; } }` }),
    entry: `{
  async fetch(req) { return new Response("f"); },
  async queue(batch, env, ctx) { globalThis.seenDefault = { queue: batch.queue, n: batch.messages.length, args: arguments.length, envHasDo: typeof env.DO, wu: typeof ctx.waitUntil, body: show(batch.messages[0]?.body), metadata: show(batch.metadata) }; batch.messages[0]?.ack(); },
}`,
    services: { Q: { name: "test", entrypoint: "Q", props: { p: 1 } } },
    drive: async (env) => {
      const msg = (id, body, extra = {}) => ({ id, timestamp: new Date(1000), attempts: 1, body, ...extra });
      const run = async (f, key = "seen") => { globalThis[key] = undefined; const r = await outcome(f); return { result: r, seen: show(globalThis[key]) }; };
      const three = [msg("a", { x: 1 }), msg("b", "two"), msg("c", new Uint8Array([1, 2]))];
      return {
        types: [typeof env.Q.queue, typeof exports.default.queue],
        ack: await run(() => env.Q.queue("ack", three)),
        ackAll: await run(() => env.Q.queue("ackAll", three)),
        retryAll: await run(() => env.Q.queue("retryAll", three)),
        retryAllPlain: await run(() => env.Q.queue("retryAllPlain", three)),
        both: await run(() => env.Q.queue("both", three)),
        none: await run(() => env.Q.queue("none", three)),
        fail: await run(() => env.Q.queue("fail", three)),
        wait: await run(() => env.Q.queue("wait", three)),
        waitfail: await run(() => env.Q.queue("waitfail", three)),
        ret: await run(() => env.Q.queue("ret", [])),
        badretry: await run(async () => { const r = await env.Q.queue("badretry", three); return { r, err: globalThis.err, err2: globalThis.err2 }; }),
        meta: await run(() => env.Q.queue("none", [msg("m", 1)], { metrics: { backlogCount: 3, backlogBytes: 4, oldestMessageTimestamp: new Date(9) } })),
        defaultExport: await run(() => exports.default.queue("dq", [msg("d", "hello")]), "seenDefault"),
        noHandler: await outcome(() => exports.NoQ.queue("q", [msg("a", 1)])),
        serialized: await run(() => env.Q.queue("none", [{ id: "s", timestamp: new Date(1), attempts: 2, serializedBody: new Uint8Array([1, 2, 3]) }])),
        numberTime: await run(() => env.Q.queue("none", [{ id: "t", timestamp: 5000, attempts: 1, body: 1 }])),
        noId: await outcome(() => env.Q.queue("none", [{ timestamp: new Date(1), attempts: 1, body: 1 }])),
        noAttempts: await outcome(() => env.Q.queue("none", [{ id: "x", timestamp: new Date(1), body: 1 }])),
        noTimestamp: await outcome(() => env.Q.queue("none", [{ id: "x", attempts: 1, body: 1 }])),
        noBody: await outcome(() => env.Q.queue("none", [{ id: "x", timestamp: new Date(1), attempts: 1 }])),
        bothBodies: await outcome(() => env.Q.queue("none", [{ id: "x", timestamp: new Date(1), attempts: 1, body: 1, serializedBody: new Uint8Array(1) }])),
        notArray: await outcome(() => env.Q.queue("none", "x")),
        noArgs: await outcome(() => env.Q.queue()),
        nameNumber: await run(() => env.Q.queue(5, [])),
        badTimestamp: await outcome(() => env.Q.queue("none", [{ id: "x", timestamp: "yesterday", attempts: 1, body: 1 }])),
        fnBody: await outcome(() => env.Q.queue("none", [msg("f", () => 1)])),
      };
    },
  },
];
