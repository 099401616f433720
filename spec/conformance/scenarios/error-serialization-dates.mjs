// How errors cross RPC and storage before 2026-04-21 (or with legacy_error_serialization) and
// from then on (enhanced_error_serialization): workerd writes an Error in V8's own format before
// (its standard type or Error; message, stack and cause only) and a thrown value reaches the
// caller as its type and message alone; from then on, with own properties, names and flags.
import { cls } from "../scenario.mjs";
import errorShapes from "./error-shapes.mjs";
import capabilityErrors from "./rpc-capability-errors.mjs";
import thrownCapabilities from "./rpc-thrown-capabilities.mjs";
import rpcValues from "./rpc-values.mjs";
import paymentsErrors from "./apps-payments-errors.mjs";
import errorAnatomy from "./error-anatomy.mjs";
import errorIndexKeys from "./error-index-keys.mjs";
import storedValues from "./stored-values.mjs";

/** facts(e): what a caller or reader observes of a value (never the stack's text). */
function facts(e) {
  if (e === null || (typeof e !== "object" && typeof e !== "function")) return { value: String(e), type: typeof e };
  // String keys: a returned object's Symbol.dispose is named apart on Node 20 (its own symbol).
  const own = Object.getOwnPropertyNames(e).map((k) => {
    const d = Object.getOwnPropertyDescriptor(e, k);
    if (k === "stack") return `stack ${d.enumerable ? "e" : "-"}`;
    return `${k} ${"value" in d ? typeof d.value : "accessor"} ${d.enumerable ? "e" : "-"}`;
  });
  const chain = [];
  for (let p = Object.getPrototypeOf(e); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) chain.push(Object.prototype.hasOwnProperty.call(p, "constructor") ? p.constructor.name : "?");
  const r = { own, chain, name: e.name, message: e.message, string: String(e) };
  // The stack's first line, and whether frames follow it (their text differs between engines).
  if (typeof e.stack === "string") [r.stackHead, r.framed] = [e.stack.split("\n")[0], e.stack.includes("\n")];
  if ("cause" in e) r.cause = facts(e.cause);
  if (Array.isArray(e.errors)) r.errors = e.errors.map(facts);
  for (const k of ["code", "extra", "durableObjectId", "remote", "retryable", "overloaded", "durableObjectReset"]) if (k in e) r[k] = k === "durableObjectId" ? typeof e[k] : e[k];
  return r;
}

const MAKE = `function make(kind) {
  class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; this.extra = 1; } }
  class Foo { constructor() { this.a = 1; } }
  switch (kind) {
    case "plain": return new Error("plain");
    case "typed": { const e = new TypeError("typed"); e.code = "E_TYPED"; return e; }
    case "range": return new RangeError("range");
    case "syntax": return new SyntaxError("syntax");
    case "eval": return new EvalError("eval");
    case "uri": return new URIError("uri");
    case "reference": return new ReferenceError("reference");
    case "cause": return new Error("outer", { cause: new TypeError("inner") });
    case "causeValue": return new Error("outer", { cause: { a: 1 } });
    case "aggregate": return new AggregateError([new Error("one"), new RangeError("two")], "agg");
    case "dom": return new DOMException("dom", "NotFoundError");
    case "custom": return new MyError("custom");
    case "renamed": { const e = new TypeError("renamed"); e.name = "RangeError"; return e; }
    case "noMessage": return new Error();
    case "string": return "a string";
    case "number": return 42;
    case "object": return { message: "an object", code: 7 };
    case "instance": return new Foo();
    case "flagged": return Object.assign(new Error("flagged"), { retryable: 1, overloaded: 0, durableObjectReset: true });
    case "overloaded": return Object.assign(new Error("overloaded"), { retryable: true, overloaded: "yes" });
  }
}`;
const KINDS = ["plain", "typed", "range", "syntax", "eval", "uri", "reference", "cause", "causeValue", "aggregate", "dom", "custom", "renamed", "noMessage", "string", "number", "object", "instance", "flagged", "overloaded"];

const source = `${String(facts)}\n${MAKE}\n${cls(`  thrown(kind) { throw make(kind); }
  returned(kind) { return make(kind); }
  echo(value) { return facts(value); }
  async stored(kind) {
    await this.ctx.storage.put("k", make(kind));
    return facts(await this.ctx.storage.get("k"));
  }
  /** Every other place the object's code serialises a value: sync KV, a transaction, a WebSocket's attachment, structuredClone(). */
  async elsewhere(kind) {
    const r = {};
    const s = this.ctx.storage;
    const one = async (name, f) => { try { r[name] = facts(await f()); } catch (e) { r[name] = "throws " + String(e); } };
    await one("kv", () => { s.kv.put("k", make(kind)); return s.kv.get("k"); });
    await one("transaction", () => s.transaction(async (txn) => { await txn.put("t", make(kind)); return txn.get("t"); }));
    await one("transactionRead", () => s.get("t"));
    await one("attachment", () => { const [, end] = new WebSocketPair(); end.serializeAttachment(make(kind)); return end.deserializeAttachment(); });
    await one("structuredClone", () => structuredClone(make(kind)));
    return r;
  }
  async callsOther(kind) {
    try { await this.env.DO.getByName("other").thrown(kind); return "no error"; } catch (e) { return facts(e); }
  }`)}`;

const drive = `async function drive(env) {
  ${String(facts)}
  ${MAKE}
  const s = env.DO.getByName("a");
  const r = {};
  for (const k of ${JSON.stringify(KINDS)}) {
    const one = {};
    try { await s.thrown(k); one.thrown = "no error"; } catch (e) { one.thrown = facts(e); }
    try { one.returned = facts(await s.returned(k)); } catch (e) { one.returned = "throws " + String(e); }
    try { one.argument = await s.echo(make(k)); } catch (e) { one.argument = "throws " + String(e); }
    try { one.stored = await s.stored(k); } catch (e) { one.stored = "throws " + String(e); }
    one.byObject = await s.callsOther(k);
    one.elsewhere = await s.elsewhere(k);
    r[k] = one;
  }
  return r;
}`;

const scenario = (name, extra) => ({ name: `errors: serialisation ${name}`, backend: "sqlite", source, drive, ...extra });

/** A Worker (of the harness's date) whose entrypoint throws what make() makes, over RPC and from fetch(). */
const THROWER = {
  source: `import { WorkerEntrypoint } from "cloudflare:workers";
${MAKE}
export class Ep extends WorkerEntrypoint {
  thrown(kind) { throw make(kind); }
  returned(kind) { return make(kind); }
  fetch(request) { throw make(new URL(request.url).pathname.slice(1)); }
}`,
  entry: `{ async fetch() { return new Response("x"); } }`,
};

/**
 * What a Worker entrypoint throws (and returns), caught by the main Worker's driver and by an
 * object (which sees the error named after itself, as from any RPC call): the main
 * Worker at `callerDate`, the thrower's at `throwerDate` (undefined: the harness's). A thrown
 * value is copied only when both Workers have enhanced_error_serialization; else it is tunneled.
 */
const entrypointThrows = (name, callerDate, throwerDate) => ({
  name: `errors: serialisation of what a Worker entrypoint throws, ${name}`,
  backend: "sqlite",
  source: `${String(facts)}\n${cls(`  async callsEntrypoint(kind) {
    try { await this.env.SVC.thrown(kind); return "no error"; } catch (e) { return facts(e); }
  }`)}`,
  compatibilityDate: callerDate,
  workers: { thrower: { ...THROWER, compatibilityDate: throwerDate } },
  services: { SVC: { name: "thrower", entrypoint: "Ep" } },
  drive: `async function drive(env) {
  ${String(facts)}
  const r = {};
  for (const k of ["typed", "custom", "flagged", "string", "object"]) {
    const one = {};
    try { await env.SVC.thrown(k); one.rpc = "no error"; } catch (e) { one.rpc = facts(e); }
    try { await env.SVC.fetch("http://svc/" + k); one.fetch = "no error"; } catch (e) { one.fetch = facts(e); }
    try { one.returned = facts(await env.SVC.returned(k)); } catch (e) { one.returned = "throws " + String(e); }
    one.byObject = await env.DO.getByName("a").callsEntrypoint(k);
    r[k] = one;
  }
  return r;
}`,
});

export default [
  entrypointThrows("its caller's Worker before 2026-04-21", "2026-04-20", undefined),
  entrypointThrows("its own Worker before 2026-04-21", undefined, "2026-04-20"),
  scenario("before 2026-04-21 (V8's format)", { compatibilityDate: "2026-04-20" }),
  scenario("with legacy_error_serialization", { compatibilityFlags: ["legacy_error_serialization"] }),
  scenario("before 2026-04-21 with enhanced_error_serialization", { compatibilityDate: "2026-04-20", compatibilityFlags: ["enhanced_error_serialization"] }),
  // The existing scenarios of errors (thrown, returned, passed, stored, cloned) at the date before.
  ...[errorShapes, capabilityErrors, thrownCapabilities, errorAnatomy, errorIndexKeys, paymentsErrors, rpcValues, storedValues]
    .flat(2)
    .filter((s) => /error|thrown/i.test(s.name))
    .map((s) => ({ ...s, name: `${s.name} (2026-04-20)`, compatibilityDate: "2026-04-20" })),
];
