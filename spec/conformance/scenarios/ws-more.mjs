// More differential probes of WebSockets beside websockets-*.mjs: what send() makes of every
// kind of binary data (a SharedArrayBuffer among them), how an attachment that was written
// but cannot be read back fails (with the deserializer's words, where storage says "internal
// error"), and how V8's messages name a pair or an event. Events are only compared per socket
// (see websockets-api.mjs).
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

/** A scenario whose DO class has `body`; `extra` is module code before the class. */
const ws = (name, body, drive, { extra = "", ...rest } = {}) => ({
  name: `ws-more: ${name}`,
  backend: "sqlite",
  source: cls(body, { extra: `${CLIENT}\n${extra}` }),
  drive,
  ...rest,
});

/** Module code: a value of every kind send() may be given (made fresh for each use). */
const SENDABLES = `function sendables() {
  const bytes = new ArrayBuffer(4);
  new Uint8Array(bytes).set([1, 2, 3, 4]);
  const shared = new SharedArrayBuffer(3);
  new Uint8Array(shared).set([7, 8, 9]);
  return {
    dataView: new DataView(bytes, 1, 2), subarray: new Uint8Array(bytes, 2), int16: new Int16Array([258]), float64: new Float64Array([1]),
    shared, viewOverShared: new Uint8Array(shared, 1), emptyShared: new SharedArrayBuffer(0), emptyBuffer: new ArrayBuffer(0),
    blob: new Blob(["b"]), number: 5, boolean: true, bigint: 5n, array: [1, 2], date: new Date(0), empty: "", symbol: Symbol("s"),
  };
}`;

export default [
  ws(
    "send() of every kind of value: binary data (a SharedArrayBuffer too) goes as bytes, the rest as text",
    `  log = [];
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, message) { this.log.push(typeof message === "string" ? message : Object.prototype.toString.call(message).slice(8, -1) + ":" + hex(new Uint8Array(message))); }
  async takeLog() { return this.log; }
  async plain() {
    const [a, b] = Object.values(new WebSocketPair());
    a.accept();
    b.accept();
    b.binaryType = "arraybuffer";
    const received = [];
    b.addEventListener("message", (e) => received.push(shownData(e.data)));
    const sent = {};
    for (const [k, v] of Object.entries(sendables())) sent[k] = outcomeSync(() => a.send(v));
    await settle(30);
    return { sent, received };
  }`,
    async (env) => {
      const stub = env.DO.getByName("h");
      const { ws, seen } = await connect(stub);
      const sent = {};
      for (const [k, v] of Object.entries(sendables())) sent[k] = outcomeSync(() => ws.send(v));
      await settle();
      return hangUp({ plain: await env.DO.getByName("p").plain(), toHandler: { sent, received: await stub.takeLog(), seen } });
    },
    { extra: SENDABLES },
  ),

  ws(
    "an attachment written but unreadable fails each read with the deserializer's words; storage reads the same values as an internal error",
    `  async go() {
    const [client, server] = Object.values(new WebSocketPair());
    const selfCause = new Error("x");
    selfCause.cause = selfCause;
    const deepSelf = new Error("y");
    deepSelf.inner = { e: deepSelf };
    const objectMessage = new Error("m");
    Object.defineProperty(objectMessage, "message", { value: { a: 1 }, enumerable: false });
    const values = { shared: new SharedArrayBuffer(2), viewOverShared: { v: new Uint8Array(new SharedArrayBuffer(2)) }, selfCause, deepSelf, objectMessage };
    const r = {};
    for (const [k, v] of Object.entries(values)) {
      r[k] = {
        serialize: outcomeSync(() => server.serializeAttachment(v)),
        read: outcomeSync(() => server.deserializeAttachment()),
        readAgain: outcomeSync(() => server.deserializeAttachment()),
        put: await outcome(() => this.ctx.storage.put(k, v)),
        get: await outcome(() => this.ctx.storage.get(k)),
      };
    }
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment(new SharedArrayBuffer(1));
    r.hibernatable = outcomeSync(() => server.deserializeAttachment());
    server.serializeAttachment("readable again");
    r.replaced = outcomeSync(() => server.deserializeAttachment());
    return r;
  }`,
    async (env) => env.DO.getByName("a").go(),
  ),

  ws(
    "assigning to a pair's ends or an event's fields in strict code: V8's message names the interface",
    `  async go() {
    "use strict";
    const [a, b] = Object.values(new WebSocketPair());
    a.accept();
    b.accept();
    const received = [];
    b.addEventListener("message", (e) => received.push(e));
    b.addEventListener("close", (e) => received.push(e));
    a.send("x");
    a.close(1000, "r");
    await settle(20);
    const objects = { pair: new WebSocketPair(), messageEvent: new MessageEvent("message", { data: 1 }), closeEvent: new CloseEvent("close", { code: 1000 }), receivedMessage: received[0], receivedClose: received[1] };
    const r = {};
    for (const [k, o] of Object.entries(objects)) {
      r[k] = {};
      for (const key of Object.keys(o)) r[k][key] = outcomeSync(() => { o[key] = 7; });
      r[k].redefine = outcomeSync(() => Object.defineProperty(Object.freeze(o), Object.keys(o)[0], { value: 8 }));
    }
    return r;
  }`,
    async (env) => env.DO.getByName("a").go(),
  ),

  ws(
    "assigning to a WebSocket's or an ErrorEvent's read-only attributes in strict code",
    `  async go() {
    "use strict";
    const [end] = Object.values(new WebSocketPair());
    const r = {};
    for (const [k, o] of Object.entries({ end, errorEvent: new ErrorEvent("error") })) {
      const proto = Object.getPrototypeOf(o);
      r[k] = {};
      for (const key of Object.getOwnPropertyNames(proto)) {
        const d = Object.getOwnPropertyDescriptor(proto, key);
        if (d.get && !d.set) r[k][key] = outcomeSync(() => { o[key] = 3; });
      }
    }
    return r;
  }`,
    async (env) => env.DO.getByName("a").go(),
    {
      differs:
        "the runtime's attributes are read-only accessors (\"Cannot assign to read only property 'url' of object '#<WebSocket>'\"); a JavaScript " +
        "getter cannot be read-only, so V8 says \"Cannot set property url of #<WebSocket> which has only a getter\" (README, Differences)",
    },
  ),

  ws(
    "the constructors of WebSocketPair, the events and other runtime interfaces: a writable prototype, a literal name, no inherited statics",
    `  async go() {
    const w = await import("cloudflare:workers");
    const constructors = { WebSocketPair, MessageEvent, CloseEvent, ErrorEvent, WebSocketRequestResponsePair, URL, TextDecoder, IdentityTransformStream, FixedLengthStream,
      DurableObject: w.DurableObject, WorkerEntrypoint: w.WorkerEntrypoint, RpcTarget: w.RpcTarget, WorkflowEntrypoint: w.WorkflowEntrypoint };
    const r = {};
    for (const [k, C] of Object.entries(constructors)) {
      const { writable, enumerable, configurable } = Object.getOwnPropertyDescriptor(C, "prototype");
      const assigned = outcomeSync(() => {
        const original = C.prototype;
        C.prototype = { replaced: true };
        const seen = C.prototype.replaced === true;
        C.prototype = original;
        return seen && C.prototype === original;
      });
      const statics = { own: Object.getOwnPropertyNames(C), aboveIsFunction: Object.getPrototypeOf(C) === Function.prototype, AT_TARGET: C.AT_TARGET };
      r[k] = { writable, enumerable, configurable, assigned, statics, name: C.name, described: outcomeSync(() => { "use strict"; Object.defineProperty(Object.create(C.prototype), "x", { value: 1 }).x = 2; }) };
    }
    return r;
  }`,
    async (env) => env.DO.getByName("a").go(),
  ),

  ws(
    "WebSocket's ready-state constants: read-only, in the runtime's order, on the constructor and on its prototype",
    `  async go() {
    const constants = (o) => Reflect.ownKeys(o).filter((k) => typeof k === "string" && /^[A-Z]/.test(k)).map((k) => {
      const { value, writable, enumerable, configurable } = Object.getOwnPropertyDescriptor(o, k);
      return [k, value, writable, enumerable, configurable];
    });
    return { constructor: constants(WebSocket), prototype: constants(WebSocket.prototype), reassigned: [Reflect.set(WebSocket, "OPEN", 5), WebSocket.OPEN] };
  }`,
    async (env) => env.DO.getByName("a").go(),
  ),
];

