// A Worker's queue() and scheduled() handlers as a Fetcher's queue() / scheduled() (flag
// service_binding_extra_handlers) drive them, beyond services-queue.mjs and services.mjs: the
// shapes of MessageBatch, Message and ScheduledController, retry options at their edges, acks and
// retries that contradict each other, handlers that fail with something other than an Error, a
// message or controller used after its event ended, and object handlers' `this`.
import { cls } from "../scenario.mjs";

const FLAGS = ["service_binding_extra_handlers"];
const WORKERS_IMPORT = `import { WorkerEntrypoint } from "cloudflare:workers";`;

/** A scenario whose Worker has entrypoint Q (its queue() runs `body` with batch `b`, messages `m`) and binding Q to it. */
const queueScenario = (name, body, drive, extra = "") => ({
  name: `worker queue: ${name}`,
  backend: "kv",
  compatibilityFlags: FLAGS,
  source: cls(`  async hello() { return "hi"; }`, { extra: `${WORKERS_IMPORT}
export class Q extends WorkerEntrypoint {
  async queue(b) { const m = b.messages; const mode = b.queue;
${body}
  }
}
${extra}` }),
  services: { Q: { name: "test", entrypoint: "Q" } },
  drive,
});

/** A scenario whose entrypoint Cron runs `body` with controller `c` in scheduled(). */
const cronScenario = (name, body, drive) => ({
  name: `worker scheduled: ${name}`,
  backend: "kv",
  compatibilityFlags: FLAGS,
  source: cls(`  async hello() { return "hi"; }`, { extra: `${WORKERS_IMPORT}
export class Cron extends WorkerEntrypoint {
  async scheduled(c) { const mode = c.cron;
${body}
  }
}` }),
  services: { CRON: { name: "test", entrypoint: "Cron" } },
  drive,
});

export default [
  queueScenario(
    "the shapes of a MessageBatch and its Messages: prototypes, descriptors, arities, identity of body and messages",
    `    const proto = (o) => Object.getOwnPropertyNames(Object.getPrototypeOf(o)).sort();
    const desc = (o, k) => { const d = Object.getOwnPropertyDescriptor(o, k) ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(o), k); return d && { value: "value" in d, get: typeof d.get, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable }; };
    globalThis.seen = {
      batchProto: proto(b), msgProto: proto(m[0]), batchOwn: Object.getOwnPropertyNames(b), msgOwn: Object.getOwnPropertyNames(m[0]),
      msgs: desc(b, "messages"), queueDesc: desc(b, "queue"), bodyDesc: desc(m[0], "body"), idDesc: desc(m[0], "id"),
      sameMessage: b.messages[0] === b.messages[0], sameBody: m[0].body === m[0].body, timestampTag: Object.prototype.toString.call(m[0].timestamp),
      arity: [b.ackAll.length, b.retryAll.length, m[0].ack.length, m[0].retry.length], ctorNames: [b.constructor.name, m[0].constructor.name],
      globals: [typeof MessageBatch, typeof Message, typeof QueueEvent],
    };`,
    async (env) => {
      const msg = (id, body) => ({ id, timestamp: new Date(1000), attempts: 1, body });
      const r = await outcome(() => env.Q.queue("q", [msg("a", { o: 1 }), msg("b", 2)]));
      return { r, seen: show(globalThis.seen) };
    },
  ),
  queueScenario(
    "batch.messages and message.timestamp are data properties read afresh: a new array and Date each read, changes to one not kept",
    `    "use strict";
    const d = Object.getOwnPropertyDescriptor(b, "messages"); const t = Object.getOwnPropertyDescriptor(m[0], "timestamp");
    const arr = b.messages; arr.push("extra"); arr[0] = null;
    const date = m[0].timestamp; date.setTime(5);
    const write = (f) => { try { f(); return "none"; } catch (e) { return e.name + ": " + e.message; } };
    globalThis.seen = {
      sameArray: b.messages === b.messages, sameViaDescriptor: d.value === b.messages, descWritable: d.writable, sameMessages: b.messages[1] === m[1],
      afterChange: [b.messages.length, b.messages[0] === m[0], m[0].timestamp.getTime()],
      sameDate: m[0].timestamp === m[0].timestamp, dateViaDescriptor: t.value === m[0].timestamp, dateTime: t.value.getTime(), isArray: Array.isArray(d.value),
      keysFresh: Object.values(b)[2] === b.messages, entries: Object.entries(m[0]).map(([k, v]) => k + ":" + typeof v),
      assign: write(() => { b.messages = []; }), assignDate: write(() => { m[0].timestamp = 1; }),
      redefined: (Object.defineProperty(m[1], "timestamp", { value: 7 }), [m[1].timestamp === m[1].timestamp, m[1].timestamp]),
      deleted: (delete m[1].id, "id" in m[1]),
    };`,
    async (env) => {
      const msg = (id, body) => ({ id, timestamp: new Date(1000), attempts: 1, body });
      const r = await outcome(() => env.Q.queue("q", [msg("a", 1), msg("b", 2)]));
      return { r, seen: show(globalThis.seen) };
    },
  ),
  queueScenario(
    "message.retry() and batch.retryAll() options at their edges: empty, null, strings, fractions, zero, the maximum and one over",
    `    const opts = { empty: {}, undef: undefined, nul: null, zero: { delaySeconds: 0 }, max: { delaySeconds: 43200 }, over: { delaySeconds: 43201 }, str: { delaySeconds: "5" },
      frac: { delaySeconds: 1.5 }, nan: { delaySeconds: NaN }, num: 5, text: "x", neg: { delaySeconds: -0.5 }, big: { delaySeconds: 2 ** 32 + 3 } };
    const o = opts[mode.slice(2)];
    try { if (mode.startsWith("m:")) m[0].retry(o); else b.retryAll(o); globalThis.err = "none"; } catch (e) { globalThis.err = e.name + ": " + e.message; }`,
    async (env) => {
      const msg = (id, body) => ({ id, timestamp: new Date(1000), attempts: 1, body });
      const out = {};
      for (const k of ["empty", "undef", "nul", "zero", "max", "over", "str", "frac", "nan", "num", "text", "neg", "big"]) {
        for (const which of ["m", "b"]) {
          globalThis.err = undefined;
          const r = await outcome(() => env.Q.queue(which + ":" + k, [msg("a", 1)]));
          out[which + ":" + k] = { r, err: globalThis.err };
        }
      }
      return out;
    },
  ),
  queueScenario(
    "acks and retries that contradict each other: which one a message keeps, and which delay",
    `    if (mode === "retryThenAck") { m[0].retry({ delaySeconds: 3 }); m[0].ack(); }
    if (mode === "ackThenRetry") { m[0].ack(); m[0].retry({ delaySeconds: 3 }); }
    if (mode === "retryTwice") { m[0].retry({ delaySeconds: 3 }); m[0].retry({ delaySeconds: 9 }); }
    if (mode === "retryAllThenAck") { b.retryAll({ delaySeconds: 4 }); m[1].ack(); }
    if (mode === "ackAllThenRetry") { b.ackAll(); m[1].retry({ delaySeconds: 2 }); }
    if (mode === "retryAllTwice") { b.retryAll({ delaySeconds: 4 }); b.retryAll({ delaySeconds: 8 }); }
    if (mode === "retryThenRetryAll") { m[0].retry({ delaySeconds: 1 }); b.retryAll({ delaySeconds: 6 }); }
    if (mode === "ackAllThenRetryAll") { b.ackAll(); b.retryAll(); }
    if (mode === "ackEach") { for (const x of m) x.ack(); }`,
    async (env) => {
      const msg = (id, body) => ({ id, timestamp: new Date(1000), attempts: 1, body });
      const three = [msg("a", 1), msg("b", 2), msg("c", 3)];
      const out = {};
      for (const mode of ["retryThenAck", "ackThenRetry", "retryTwice", "retryAllThenAck", "ackAllThenRetry", "retryAllTwice", "retryThenRetryAll", "ackAllThenRetryAll", "ackEach"]) {
        out[mode] = await outcome(() => env.Q.queue(mode, three));
      }
      return out;
    },
  ),
  queueScenario(
    "a queue() handler failing with something other than an Error, synchronously, or after it acked",
    `    if (mode === "string") throw "a string";
    if (mode === "undefined") throw undefined;
    if (mode === "object") throw { code: 3 };
    if (mode === "rejectNull") return Promise.reject(null);
    if (mode === "ackAllThenThrow") { b.ackAll(); throw new Error("after ackAll"); }
    if (mode === "retryThenThrow") { m[0].retry({ delaySeconds: 2 }); throw new Error("after retry"); }
    if (mode === "returnsRejected") return Promise.reject(new TypeError("returned rejection"));`,
    async (env) => {
      const msg = (id, body) => ({ id, timestamp: new Date(1000), attempts: 1, body });
      const two = [msg("a", 1), msg("b", 2)];
      const out = {};
      for (const mode of ["string", "undefined", "object", "rejectNull", "ackAllThenThrow", "retryThenThrow", "returnsRejected"]) out[mode] = await outcome(() => env.Q.queue(mode, two));
      return out;
    },
  ),
  {
    ...queueScenario("x", "", null),
    name: "worker queue: a non-async queue() handler that throws after acking, through its binding",
    services: { SYNC: { name: "test", entrypoint: "SyncQ" } },
    source: cls(`  async hello() { return "hi"; }`, { extra: `${WORKERS_IMPORT}
export class SyncQ extends WorkerEntrypoint { queue(b) { b.messages[0].ack(); throw new RangeError("sync throw"); } }` }),
    drive: async (env) => {
      const msg = (id, body) => ({ id, timestamp: new Date(1000), attempts: 1, body });
      return outcome(() => env.SYNC.queue("sync", [msg("a", 1), msg("b", 2)]));
    },
  },
  queueScenario(
    "a Message and MessageBatch kept past their event: ack(), retry() and ackAll() on them later",
    `    if (mode === "keep") { globalThis.keptBatch = b; return; }
    const k = globalThis.keptBatch; const out = {};
    for (const [name, f] of [["ack", () => k.messages[0].ack()], ["retry", () => k.messages[1].retry({ delaySeconds: 1 })], ["ackAll", () => k.ackAll()], ["retryAll", () => k.retryAll()], ["body", () => k.messages[0].body]]) {
      try { out[name] = { ok: String(f()) }; } catch (e) { out[name] = { threw: e.name + ": " + e.message }; }
    }
    globalThis.later = out;`,
    async (env) => {
      const msg = (id, body) => ({ id, timestamp: new Date(1000), attempts: 1, body });
      const first = await outcome(() => env.Q.queue("keep", [msg("a", 1), msg("b", 2)]));
      const second = await outcome(() => env.Q.queue("use", [msg("c", 3)]));
      return { first, second, later: globalThis.later };
    },
  ),
  {
    name: "worker queue: an object default export's queue(): this, its arguments, ctx.props from a binding with props, a missing queue()",
    backend: "kv",
    compatibilityFlags: FLAGS,
    source: cls(`  async hello() { return "hi"; }`),
    workers: {
      objq: {
        source: "",
        entry: `(globalThis.QUEUE_OBJECT = {
  helper() { return "helped"; },
  async fetch() { return Response.json(globalThis.QUEUE_SEEN ?? null); },
  async queue(batch, env, ctx) {
    globalThis.QUEUE_SEEN = { same: this === globalThis.QUEUE_OBJECT, helper: typeof this?.helper === "function" ? this.helper() : typeof this, args: arguments.length, props: show(ctx.props), ctxProto: Object.getOwnPropertyNames(Object.getPrototypeOf(ctx)).sort() };
    batch.ackAll();
  },
})`,
      },
      noq: { source: "", entry: `{ async fetch() { return new Response("f"); } }` },
    },
    services: { OBJQ: { name: "objq", props: { p: "given" } }, NOQ: "noq" },
    drive: async (env) => {
      const msg = (id, body) => ({ id, timestamp: new Date(1000), attempts: 1, body });
      return {
        result: await outcome(() => env.OBJQ.queue("q", [msg("a", 1)])),
        seen: await outcome(async () => (await env.OBJQ.fetch("http://o/")).json()),
        missing: await outcome(() => env.NOQ.queue("q", [msg("a", 1)])),
        missingScheduled: await outcome(() => env.NOQ.scheduled({ cron: "x" })),
      };
    },
  },
  cronScenario(
    "the ScheduledController's shape: prototype, descriptors, assignment, noRetry's arity, the global class",
    `    const d = Object.getOwnPropertyDescriptor(c, "cron");
    let assign; try { c.cron = "changed"; assign = "no throw"; } catch (e) { assign = e.name + ": " + e.message; }
    let ctor; try { new c.constructor(); ctor = "constructed"; } catch (e) { ctor = e.name + ": " + e.message; }
    globalThis.seen = { proto: Object.getOwnPropertyNames(Object.getPrototypeOf(c)).sort(), own: Object.getOwnPropertyNames(c), cronDesc: d && [d.writable, d.enumerable, d.configurable, "value" in d], assign, after: c.cron,
      arity: c.noRetry.length, ctorName: c.constructor.name, ctor, global: typeof ScheduledController, noRetryReturns: String(c.noRetry()), tag: Object.prototype.toString.call(c) };`,
    async (env) => {
      const r = await outcome(() => env.CRON.scheduled({ cron: "x", scheduledTime: 1000 }));
      return { r, seen: show(globalThis.seen) };
    },
  ),
  cronScenario(
    "scheduled() options at their edges: fractional, negative and huge times, a Date, cron given as null, a number, an object and a Symbol",
    `    globalThis.seen = { cron: c.cron, type: typeof c.cron, time: c.scheduledTime };`,
    async (env) => {
      const out = {};
      const cases = {
        frac: { scheduledTime: 1500.7 }, neg: { scheduledTime: -5 }, huge: { scheduledTime: 8.64e15 }, tooHuge: { scheduledTime: 8.64e15 + 1 }, inf: { scheduledTime: Infinity },
        date: { scheduledTime: new Date(86400000) }, invalidDate: { scheduledTime: new Date(NaN) }, cronNull: { cron: null, scheduledTime: 0 }, cronNum: { cron: 12, scheduledTime: 0 },
        cronObj: { cron: { toString() { return "from toString"; } }, scheduledTime: 0 }, cronSym: { cron: Symbol("s"), scheduledTime: 0 }, bool: { scheduledTime: true }, big: { scheduledTime: 5n },
      };
      for (const [k, o] of Object.entries(cases)) {
        globalThis.seen = undefined;
        out[k] = { r: await outcome(() => env.CRON.scheduled(o)), seen: show(globalThis.seen) };
      }
      return out;
    },
  ),
  cronScenario(
    "a scheduled() handler failing with non-Errors, noRetry() twice or only from waitUntil work, and a handler that returns a value",
    `    if (mode === "string") throw "a string";
    if (mode === "undefined") return Promise.reject(undefined);
    if (mode === "twice") { c.noRetry(); c.noRetry(); }
    if (mode === "lateNoRetry") this.ctx.waitUntil(scheduler.wait(2).then(() => c.noRetry()));
    if (mode === "lateNoRetryThrow") { this.ctx.waitUntil(scheduler.wait(2).then(() => { c.noRetry(); throw new Error("bg"); })); }
    if (mode === "returns") return { some: "value" };
    if (mode === "noRetryThenAwaitThrow") { c.noRetry(); await scheduler.wait(1); throw new Error("late"); }`,
    async (env) => {
      const out = {};
      for (const cron of ["string", "undefined", "twice", "lateNoRetry", "lateNoRetryThrow", "returns", "noRetryThenAwaitThrow"]) out[cron] = await outcome(() => env.CRON.scheduled({ cron, scheduledTime: 0 }));
      return out;
    },
  ),
  cronScenario(
    "a ScheduledController kept past its event: noRetry() on it later, its fields",
    `    if (mode === "keep") { globalThis.keptController = c; return; }
    const k = globalThis.keptController;
    let later; try { later = String(k.noRetry()); } catch (e) { later = e.name + ": " + e.message; }
    globalThis.later = { later, cron: k.cron, time: k.scheduledTime };`,
    async (env) => ({
      first: await outcome(() => env.CRON.scheduled({ cron: "keep", scheduledTime: 3000 })),
      second: await outcome(() => env.CRON.scheduled({ cron: "use", scheduledTime: 4000 })),
      later: show(globalThis.later),
    }),
  ),
  {
    name: "worker scheduled: an object default export's scheduled(): this, arguments, ctx.props from a binding with props",
    backend: "kv",
    compatibilityFlags: FLAGS,
    source: cls(`  async hello() { return "hi"; }`),
    workers: {
      objc: {
        source: "",
        entry: `(globalThis.CRON_OBJECT = {
  helper() { return "helped"; },
  async fetch() { return Response.json(globalThis.CRON_SEEN ?? null); },
  async scheduled(controller, env, ctx) {
    globalThis.CRON_SEEN = { same: this === globalThis.CRON_OBJECT, helper: typeof this?.helper === "function" ? this.helper() : typeof this, args: arguments.length, props: show(ctx.props), cron: controller.cron };
    if (controller.cron === "no") controller.noRetry();
  },
})`,
      },
    },
    services: { OBJC: { name: "objc", props: { p: "given" } } },
    drive: async (env) => ({
      result: await outcome(() => env.OBJC.scheduled({ cron: "a", scheduledTime: 1 })),
      seen: await outcome(async () => (await env.OBJC.fetch("http://o/")).json()),
      noRetry: await outcome(() => env.OBJC.scheduled({ cron: "no", scheduledTime: 1 })),
    }),
  },
  queueScenario(
    "a Fetcher's queue() message fields converted: attempts, ids, timestamps and bodies of odd types",
    `    globalThis.seen = m.map((x) => ({ id: x.id, idType: typeof x.id, attempts: x.attempts, time: Number.isNaN(x.timestamp.getTime()) ? "Invalid" : x.timestamp.getTime(), body: show(x.body) }));`,
    async (env) => {
      const base = { id: "a", timestamp: 1000, attempts: 1, body: 1 };
      const cases = {
        attemptsString: { attempts: "3" }, attemptsFraction: { attempts: 1.5 }, attemptsNegative: { attempts: -1 }, attemptsHuge: { attempts: 2 ** 40 }, attemptsBool: { attempts: true }, attemptsNull: { attempts: null },
        idNumber: { id: 5 }, idObject: { id: {} }, idSymbol: { id: Symbol("s") },
        timeNegative: { timestamp: -1 }, timeFraction: { timestamp: 1.9 }, timeNaN: { timestamp: NaN }, timeInvalidDate: { timestamp: new Date(NaN) },
        bodyNull: { body: null }, bodyDate: { body: new Date(5) }, bodyMap: { body: new Map([[1, 2]]) }, bodyError: { body: new RangeError("e") }, bodySymbol: { body: Symbol("x") },
      };
      const out = {};
      for (const [k, over] of Object.entries(cases)) {
        globalThis.seen = undefined;
        const r = await outcome(() => env.Q.queue("q", [{ ...base, ...over }]));
        out[k] = r.error ? r : { seen: show(globalThis.seen) };
      }
      return out;
    },
  ),
  queueScenario(
    "a Fetcher's queue() metadata: absent, empty, partial, with odd metrics, and not an object",
    `    globalThis.seen = show(b.metadata);`,
    async (env) => {
      const msgs = [{ id: "a", timestamp: 1000, attempts: 1, body: 1 }];
      const out = {};
      for (const [k, meta] of [["absent", undefined], ["null", null], ["empty", {}], ["partial", { metrics: { backlogCount: 2 } }], ["strings", { metrics: { backlogCount: "7", backlogBytes: 1.5, oldestMessageTimestamp: 3 } }], ["extra", { other: 1, metrics: { backlogCount: 1, backlogBytes: 2, oldestMessageTimestamp: new Date(4), more: true } }], ["number", 5], ["metricsNumber", { metrics: 5 }]]) {
        globalThis.seen = undefined;
        const r = await outcome(() => env.Q.queue("q", msgs, meta));
        out[k] = r.error ? r : { seen: globalThis.seen };
      }
      return out;
    },
  ),
  {
    name: "worker queue: an object default export whose queue and scheduled are not functions, or getters read per event",
    backend: "kv",
    compatibilityFlags: FLAGS,
    source: cls(`  async hello() { return "hi"; }`),
    workers: {
      odd: {
        source: "",
        entry: `{
  queue: 5,
  scheduled: "not a function",
  async fetch() { return Response.json(globalThis.ODD_READS ?? 0); },
}`,
      },
      getters: {
        source: "",
        entry: `{
  get queue() { (globalThis.GETTER_READS ??= []).push("queue"); return async (batch) => batch.ackAll(); },
  get scheduled() { (globalThis.GETTER_READS ??= []).push("scheduled"); return async (c) => c.noRetry(); },
  get fetch() { (globalThis.GETTER_READS ??= []).push("fetch"); return async () => Response.json(globalThis.GETTER_READS); },
}`,
      },
    },
    services: { ODD: "odd", GET: "getters" },
    drive: async (env) => {
      const msg = (id, body) => ({ id, timestamp: new Date(1000), attempts: 1, body });
      const reads = async () => (await env.GET.fetch("http://g/")).json();
      const before = await reads();
      const out = {
        oddQueue: await outcome(() => env.ODD.queue("q", [msg("a", 1)])),
        oddScheduled: await outcome(() => env.ODD.scheduled({ cron: "c" })),
        getterQueue: await outcome(() => env.GET.queue("q", [msg("a", 1)])),
        getterScheduled: await outcome(() => env.GET.scheduled({ cron: "c" })),
      };
      out.getterReads = { before, after: await reads() };
      return out;
    },
  },
  {
    name: "worker queue: which handlers of a WorkerEntrypoint instance and of an exported object the runtime reads, per fetch, RPC call, scheduled and queue event",
    backend: "kv",
    compatibilityFlags: FLAGS,
    source: cls(`  async hello() { return "hi"; }`),
    workers: {
      reads: {
        source: `import { WorkerEntrypoint } from "cloudflare:workers";
const log = [];
const counted = (name, value) => ({ get() { log.push(name); return value; }, configurable: true });
export class Counted extends WorkerEntrypoint {
  rpc() { return "rpc"; }
  log() { return log.splice(0); }
}
const handlers = {
  fetch: async () => new Response("f"), connect: undefined, tail: undefined, trace: undefined, scheduled: async () => undefined, alarm: undefined, test: undefined,
  queue: async (b) => b.ackAll(), email: undefined, webSocketMessage: undefined, webSocketClose: undefined, webSocketError: undefined,
};
for (const [name, value] of Object.entries(handlers)) Object.defineProperty(Counted.prototype, name, counted("class " + name, value));
export const obj = { rpc(x) { return "rpc " + x; } };
for (const [name, value] of Object.entries(handlers)) Object.defineProperty(obj, name, counted("object " + name, value));`,
        entry: `{ async fetch() { return new Response("x"); } }`,
      },
    },
    services: { CLS: { name: "reads", entrypoint: "Counted" }, OBJ: { name: "reads", entrypoint: "obj" }, LOG: { name: "reads", entrypoint: "Counted" } },
    drive: async (env) => {
      const msg = { id: "a", timestamp: 0, attempts: 1, body: 1 };
      const out = {};
      await env.LOG.log();
      const step = async (name, f) => { const r = await outcome(f); out[name] = { r: r.error ?? "ok", reads: await env.LOG.log() }; };
      await step("objectRpc", () => env.OBJ.rpc(1));
      await step("objectFetch", async () => (await env.OBJ.fetch("http://o/")).text());
      await step("objectScheduled", () => env.OBJ.scheduled({ cron: "c" }));
      await step("objectQueue", () => env.OBJ.queue("q", [msg]));
      await step("objectQueueAgain", () => env.OBJ.queue("q", [msg]));
      await step("classRpc", () => env.CLS.rpc());
      await step("classFetch", async () => (await env.CLS.fetch("http://c/")).text());
      await step("classScheduled", () => env.CLS.scheduled({ cron: "c" }));
      await step("classQueue", () => env.CLS.queue("q", [msg]));
      return out;
    },
  },
  {
    name: "worker queue: non-async scheduled() and queue() handlers returning plain values, null, thenables and a Response synchronously",
    backend: "kv",
    compatibilityFlags: FLAGS,
    source: cls(`  async hello() { return "hi"; }`, { extra: `${WORKERS_IMPORT}
const value = (mode) => ({ number: 5, string: "x", null: null, object: {}, thenable: { then(resolve) { resolve(1); } }, response: new Response("r"), undefined: undefined })[mode];
export class Sync extends WorkerEntrypoint {
  scheduled(c) { return value(c.cron); }
  queue(b) { b.ackAll(); return value(b.queue); }
}` }),
    services: { SYNC: { name: "test", entrypoint: "Sync" } },
    drive: async (env) => {
      const out = {};
      for (const mode of ["number", "string", "null", "object", "thenable", "response", "undefined"]) {
        out[mode] = {
          scheduled: await outcome(() => env.SYNC.scheduled({ cron: mode, scheduledTime: 0 })),
          queue: await outcome(async () => (await env.SYNC.queue(mode, [{ id: "a", timestamp: 0, attempts: 1, body: 1 }])).outcome),
        };
      }
      return out;
    },
  },
];
