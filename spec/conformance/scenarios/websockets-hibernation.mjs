// Reference §2.5: the hibernation API on ctx (acceptWebSocket, tags, getWebSockets,
// auto-responses, the event timeout, attachments) with every exact error, the handlers
// webSocketMessage / webSocketClose, what a reset does to sockets, and hibernation itself.
// Events are only compared per socket (see websockets-api.mjs).
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

/** connect() to ROOM (below) as `name`, with tags. */
const JOIN = `function join(stub, name, tags = []) {
  const q = new URLSearchParams([["name", name], ...tags.map((t) => ["tag", t])]);
  return connect(stub, "/?" + q);
}`;

/** A scenario whose DO class has `body`; `extra` is module code before the class. */
const hib = (name, body, drive, { extra = "", ...rest } = {}) => ({
  name: `websockets: ${name}`,
  backend: "sqlite",
  source: cls(body, { extra: `${CLIENT}\n${JOIN}\n${extra}` }),
  drive,
  ...rest,
});

/**
 * A DO whose fetch accepts the server end as hibernatable, with tags from ?tag= and an
 * attachment from ?name=, and whose handlers log to `this.log` (per object instance).
 */
const ROOM = `  log = [];
  async fetch(req) {
    const url = new URL(req.url);
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, url.searchParams.getAll("tag"));
    server.serializeAttachment({ name: url.searchParams.get("name") });
    return new Response(null, { status: 101, webSocket: client });
  }
  nameOf(ws) { return ws.deserializeAttachment()?.name; }
  async webSocketMessage(ws, message) {
    const shown = typeof message === "string" ? message : Object.prototype.toString.call(message).slice(8, -1) + ":" + hex(new Uint8Array(message));
    this.log.push(["message", this.nameOf(ws), shown, ws.readyState]);
    if (message === "who") ws.send(JSON.stringify({ all: this.ctx.getWebSockets().map((w) => this.nameOf(w)), t: this.ctx.getWebSockets("t").map((w) => this.nameOf(w)) }));
    else if (message === "close me") ws.close(4001, "server closes");
    else if (message === "throw") throw new Error("handler threw");
    else if (message === "abort") this.ctx.abort("aborted by handler");
    else if (message === "binary") ws.send(new Uint8Array([5, 6]));
    else ws.send("echo " + shown);
  }
  async webSocketClose(ws, code, reason, wasClean) {
    this.log.push(["close", this.nameOf(ws), code, reason, wasClean, ws.readyState, this.ctx.getWebSockets().map((w) => this.nameOf(w))]);
  }
  async webSocketError(ws, error) { this.log.push(["error", this.nameOf(ws), err(error)]); }
  async takeLog() { const log = this.log; this.log = []; return log; }`;

/** A scenario on ROOM, with more class members in `body`. */
const room = (name, drive, { body = "", ...rest } = {}) => hib(name, `${ROOM}\n${body}`, drive, rest);

export default [
  hib(
    "acceptWebSocket and getTags: every error, and the socket's state after it",
    `  async go() {
    const pair = () => Object.values(new WebSocketPair());
    const r = {};
    { const [c, s] = pair(); this.ctx.acceptWebSocket(s); r.twice = outcomeSync(() => this.ctx.acceptWebSocket(s)); r.acceptAfter = outcomeSync(() => s.accept()); r.tags = outcomeSync(() => this.ctx.getTags(s)); r.readyState = s.readyState; }
    { const [c, s] = pair(); s.accept(); r.afterAccept = outcomeSync(() => this.ctx.acceptWebSocket(s)); r.tagsOfAccepted = outcomeSync(() => this.ctx.getTags(s)); }
    { const [c, s] = pair(); c.accept(); r.pairAccepted = outcomeSync(() => this.ctx.acceptWebSocket(s)); }
    { const [c, s] = pair(); this.ctx.acceptWebSocket(c); r.pairHibernatable = outcomeSync(() => this.ctx.acceptWebSocket(s)); }
    { const [c, s] = pair(); new Response(null, { status: 101, webSocket: c }); r.pairInUnsentResponse = outcomeSync(() => { this.ctx.acceptWebSocket(s); return this.ctx.getTags(s); }); }
    { const [c, s] = pair(); r.tagsNotAccepted = outcomeSync(() => this.ctx.getTags(s)); r.timestampNotAccepted = outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp(s)); }
    r.notAWebSocket = outcomeSync(() => this.ctx.acceptWebSocket({}));
    r.noArgument = outcomeSync(() => this.ctx.acceptWebSocket());
    r.getTagsNotAWebSocket = outcomeSync(() => this.ctx.getTags({}));
    r.timestampNotAWebSocket = outcomeSync(() => this.ctx.getWebSocketAutoResponseTimestamp("x"));
    for (const [k, tags] of Object.entries({ string: "abc", null: null, object: {}, number: 5 })) {
      const [c, s] = pair();
      r["tags " + k] = outcomeSync(() => this.ctx.acceptWebSocket(s, tags));
    }
    r.listed = this.ctx.getWebSockets().length;
    return r;
  }`,
    async (env) => env.DO.getByName("errors").go(),
  ),

  hib(
    "tags: at most 10, at most 256 UTF-8 bytes each, duplicates dropped, values coerced",
    `  async go() {
    const pair = () => Object.values(new WebSocketPair());
    const r = {};
    const tagsOf = (tags) => { const [c, s] = pair(); return { accept: outcomeSync(() => this.ctx.acceptWebSocket(s, tags)), tags: outcomeSync(() => this.ctx.getTags(s)) }; };
    const ten = Array.from({ length: 10 }, (_, i) => "t" + i);
    r.ten = tagsOf(ten);
    r.eleven = tagsOf([...ten, "t10"]);
    r.tenPlusDuplicate = tagsOf([...ten, "t0"]);
    r.duplicates = tagsOf(["t1", "t1", "t2", "t1"]);
    r.ascii256 = tagsOf(["x".repeat(256)]);
    r.ascii257 = tagsOf(["x".repeat(257)]);
    r.twoByte128 = tagsOf(["\\u00e9".repeat(128)]);
    r.twoByte129 = tagsOf(["a", "\\u00e9".repeat(129), "x".repeat(300)]);
    r.coerced = tagsOf([1, null, undefined, true]);
    r.empty = tagsOf([""]);
    r.none = tagsOf([]);
    r.omitted = tagsOf(undefined);
    r.getTagsReturnsCopies = (() => { const [c, s] = pair(); this.ctx.acceptWebSocket(s, ["a"]); const t = this.ctx.getTags(s); t.push("b"); return [t === this.ctx.getTags(s), this.ctx.getTags(s)]; })();
    r.byTag = { t0: this.ctx.getWebSockets("t0").length, t10: this.ctx.getWebSockets("t10").length, t1: this.ctx.getWebSockets("t1").length, number1: this.ctx.getWebSockets(1).length, "": this.ctx.getWebSockets("").length, none: this.ctx.getWebSockets("nope").length };
    r.all = this.ctx.getWebSockets().length;
    return r;
  }`,
    async (env) => env.DO.getByName("tags").go(),
  ),

  room("getWebSockets: order with and without a tag, identity, removal after webSocketClose", async (env) => {
    const stub = env.DO.getByName("order");
    const a = await join(stub, "A", ["t", "x"]);
    const b = await join(stub, "B");
    const c = await join(stub, "C", ["t"]);
    const d = await join(stub, "D", ["t", "x"]);
    b.ws.send("who");
    await settle();
    c.ws.close(3000, "C leaves");
    await settle();
    a.ws.send("who");
    await settle();
    return hangUp({ b: b.seen, a: a.seen, c: c.seen, log: await stub.takeLog() });
  }),

  hib(
    "getWebSockets lists only hibernatable sockets and returns the accepted objects",
    `  async go() {
    const [c1, s1] = Object.values(new WebSocketPair());
    const [c2, s2] = Object.values(new WebSocketPair());
    const [c3, s3] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(s1, ["t"]);
    s2.accept();
    this.ctx.acceptWebSocket(s3);
    const all = this.ctx.getWebSockets();
    return { count: all.length, newestFirst: all[0] === s3 && all[1] === s1, byTag: this.ctx.getWebSockets("t")[0] === s1, fresh: all !== this.ctx.getWebSockets() };
  }`,
    async (env) => env.DO.getByName("only").go(),
  ),

  hib(
    "setWebSocketAutoResponse: sizes in UTF-8 bytes, argument errors, get returns a new pair",
    `  async go() {
    const P = WebSocketRequestResponsePair;
    const set = (p) => outcomeSync(() => this.ctx.setWebSocketAutoResponse(p));
    const current = () => { const p = this.ctx.getWebSocketAutoResponse(); return p === null ? null : [p.request.length, p.response.length, p instanceof P]; };
    const r = { initial: this.ctx.getWebSocketAutoResponse() };
    r.request2048 = set(new P("x".repeat(2048), "y".repeat(2048)));
    r.afterOk = current();
    r.request2049 = set(new P("x".repeat(2049), "y"));
    r.response2049 = set(new P("y", "x".repeat(2049)));
    r.requestTwoByte = set(new P("\\u00e9".repeat(1025), "y"));
    r.bothTooLarge = set(new P("x".repeat(3000), "x".repeat(3000)));
    r.afterErrors = current();
    r.notAPair = set({ request: "a", response: "b" });
    r.nullPair = set(null);
    r.unset = set();
    r.afterUnset = current();
    r.set = set(new P("ping", "pong"));
    r.getTwice = this.ctx.getWebSocketAutoResponse() === this.ctx.getWebSocketAutoResponse();
    const p = new P(1, null);
    r.pair = { request: p.request, response: p.response, keys: Object.keys(p), protoKeys: Object.getOwnPropertyNames(P.prototype).sort(), tag: Object.prototype.toString.call(p), name: P.name };
    r.ctorMissingArgument = outcomeSync(() => new P("a"));
    r.ctorWithoutNew = outcomeSync(() => P("a", "b"));
    r.readOnly = outcomeSync(() => { "use strict"; p.request = "z"; return p.request; });
    return r;
  }`,
    async (env) => env.DO.getByName("auto").go(),
  ),

  room(
    "auto-response: exact text match only, timestamps, the handler is not called",
    async (env) => {
      const stub = env.DO.getByName("auto");
      const a = await join(stub, "A");
      const b = await join(stub, "B");
      const before = await stub.stamps();
      await stub.arm(true);
      a.ws.send("ping");
      a.ws.send("ping ");
      a.ws.send("PING");
      a.ws.send(new TextEncoder().encode("ping"));
      a.ws.send("after");
      a.ws.send("ping");
      await settle();
      const armed = await stub.stamps();
      await stub.arm(false);
      b.ws.send("ping");
      await settle();
      return hangUp({ before, armed, afterUnset: await stub.stamps(), a: a.seen, b: b.seen, log: await stub.takeLog() });
    },
    {
      body: `  async arm(on) {
    if (on) this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    else this.ctx.setWebSocketAutoResponse();
  }
  async stamps() {
    const now = Date.now();
    return this.ctx.getWebSockets().map((w) => {
      const t = this.ctx.getWebSocketAutoResponseTimestamp(w);
      return t === null ? null : [t instanceof Date, t.getTime() <= now, t.getTime() > now - 5000];
    });
  }`,
    },
  ),

  hib(
    "setHibernatableWebSocketEventTimeout: limit, unset, coercions",
    `  async go() {
    const r = { initial: this.ctx.getHibernatableWebSocketEventTimeout() };
    for (const [k, v] of [["max", 604800000], ["overMax", 604800001], ["zero", 0], ["fraction", 5.7], ["undefined", undefined], ["negative", -1], ["string", "100"], ["NaN", NaN], ["Infinity", Infinity], ["2^32", 2 ** 32], ["2^53", 2 ** 53], ["null", null], ["1", 1]]) {
      r[k] = [outcomeSync(() => this.ctx.setHibernatableWebSocketEventTimeout(v)), this.ctx.getHibernatableWebSocketEventTimeout()];
    }
    r.noArgument = [outcomeSync(() => this.ctx.setHibernatableWebSocketEventTimeout()), this.ctx.getHibernatableWebSocketEventTimeout()];
    return r;
  }`,
    async (env) => env.DO.getByName("timeout").go(),
  ),

  hib(
    "attachments: the 16384-byte limit, copies, null until set, values that cannot be cloned",
    `  async go() {
    const [client, server] = Object.values(new WebSocketPair());
    const r = { unset: server.deserializeAttachment(), unsetClient: client.deserializeAttachment() };
    r.at16379 = outcomeSync(() => server.serializeAttachment("x".repeat(16379)));
    r.at16380 = outcomeSync(() => server.serializeAttachment("x".repeat(16380)));
    r.twoByte = outcomeSync(() => server.serializeAttachment("\\u00e9".repeat(9000)));
    r.keptAfterError = server.deserializeAttachment().length;
    r.bigObject = outcomeSync(() => server.serializeAttachment({ list: Array.from({ length: 5000 }, (_, i) => i) }));
    r.fn = outcomeSync(() => server.serializeAttachment(() => 1));
    r.symbol = outcomeSync(() => server.serializeAttachment(Symbol("s")));
    r.noArgument = outcomeSync(() => server.serializeAttachment());
    r.undefined = outcomeSync(() => { server.serializeAttachment(undefined); return server.deserializeAttachment(); });
    r.null = outcomeSync(() => { server.serializeAttachment(null); return server.deserializeAttachment(); });
    const value = { a: 1, when: new Date(0), map: new Map([[1, "one"]]), bytes: new Uint8Array([1, 2]), error: new RangeError("boom"), nested: { deep: [1, { x: 2 }] } };
    server.serializeAttachment(value);
    value.a = 2;
    const first = server.deserializeAttachment();
    const second = server.deserializeAttachment();
    first.a = 3;
    r.copies = show({ first, second, distinct: first !== second });
    r.onClient = outcomeSync(() => { client.serializeAttachment({ c: 1 }); return client.deserializeAttachment(); });
    this.ctx.acceptWebSocket(server);
    r.afterAccept = outcomeSync(() => server.deserializeAttachment().a);
    return r;
  }`,
    async (env) => env.DO.getByName("attach").go(),
  ),

  room("webSocketMessage: text and ArrayBuffer whatever binaryType says, in order, replies in order", async (env) => {
    const stub = env.DO.getByName("messages");
    const a = await join(stub, "A");
    a.ws.binaryType = "arraybuffer";
    for (let i = 0; i < 30; i++) a.ws.send(i % 5 === 0 ? new Uint8Array([i]) : "m" + i);
    a.ws.send("binary");
    a.ws.send("");
    await settle(100);
    return hangUp({ a: a.seen, log: await stub.takeLog() });
  }),

  room("webSocketClose: the client closes (no reply from a hibernatable end)", async (env) => {
    const stub = env.DO.getByName("client-closes");
    const a = await join(stub, "A");
    const b = await join(stub, "B");
    a.ws.close(4000, "bye");
    b.ws.close();
    const afterClose = [a.ws.readyState, b.ws.readyState];
    await settle();
    return { afterClose, a: a.seen, b: b.seen, final: [a.ws.readyState, b.ws.readyState], log: await stub.takeLog() };
  }),

  hib(
    "webSocketClose: replying with close() from the handler reaches the client",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  log = [];
  async webSocketClose(ws, code, reason, wasClean) {
    this.log.push(["close", code, reason, wasClean, ws.readyState]);
    ws.close(code, "reply to " + reason);
    this.log.push(["after reply", ws.readyState, outcomeSync(() => ws.send("x")), outcomeSync(() => ws.close(1000))]);
  }
  async takeLog() { return this.log; }`,
    async (env) => {
      const stub = env.DO.getByName("reply");
      const { ws, seen } = await connect(stub);
      ws.close(4100, "bye");
      await settle();
      return { seen, readyState: ws.readyState, log: await stub.takeLog() };
    },
  ),

  room("webSocketClose: the server closes, the client replies", async (env) => {
    const stub = env.DO.getByName("server-closes");
    const a = await join(stub, "A");
    a.ws.send("close me");
    await settle();
    const sendAfter = outcomeSync(() => a.ws.send("late"));
    await settle();
    return { a: a.seen, readyState: a.ws.readyState, sendAfter, log: await stub.takeLog() };
  }),

  ...["2026-01-01", "2026-04-07"].map((compatibilityDate) =>
    hib(
      `a socket the object closed first (from an RPC call), closed again in webSocketClose as Workers did before web_socket_auto_reply_to_close: what the handler is told and what the client sees (${compatibilityDate})`,
      `  log = [];
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  kick() { for (const ws of this.ctx.getWebSockets()) ws.close(1001, "going away"); }
  async webSocketClose(ws, code, reason, wasClean) {
    let again = "ok";
    try { ws.close(code, reason); } catch (e) { again = err(e); }
    this.log.push([code, reason, wasClean, ws.readyState, again, this.ctx.getWebSockets().length]);
  }
  takeLog() { return this.log; }`,
      async (env) => {
        const stub = env.DO.getByName("kicked");
        const a = await connect(stub);
        await stub.kick();
        await settle();
        return { a: a.seen, readyState: a.ws.readyState, log: await stub.takeLog() };
      },
      { compatibilityDate },
    ),
  ),

  hib(
    "an object that closes a socket before answering (refusing it): the client's answer loses no connection only for a hibernatable end's first frame",
    `  log = [];
  async fetch(req) {
    const how = new URL(req.url).searchParams;
    const [client, server] = Object.values(new WebSocketPair());
    if (how.has("plain")) server.accept();
    else this.ctx.acceptWebSocket(server);
    if (how.has("send")) server.send("hello");
    if (how.has("wait")) await scheduler.wait(20);
    if (how.has("bare")) server.close();
    else if (how.has("later")) setTimeout(() => server.close(4001, "later"), 20);
    else server.close(4001, "room full");
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketClose(ws, code, reason, wasClean) { this.log.push([code, reason, wasClean]); }
  async takeLog() { return this.log; }`,
    async (env) => {
      const out = {};
      for (const how of ["first", "bare", "wait", "half", "send", "later", "plain"]) {
        const stub = env.DO.getByName(how);
        const res = await stub.fetch("http://ws/?" + how, { headers: { Upgrade: "websocket" } });
        const ws = res.webSocket;
        const seen = [];
        ws.accept(how === "half" ? { allowHalfOpen: true } : undefined);
        if (how === "half") ws.addEventListener("close", (e) => ws.close(e.code, "answered"));
        record(ws, seen);
        await settle(100);
        out[how] = { seen, readyState: ws.readyState, log: await stub.takeLog() };
      }
      return out;
    },
  ),

  hib(
    "a hibernatable end that closes first in a WebSocketPair whose other end stays in the object: its answer never loses the connection, whatever came before",
    `  log = [];
  async go(how) {
    const [client, server] = Object.values(new WebSocketPair());
    if (how.includes("plain")) server.accept();
    else this.ctx.acceptWebSocket(server);
    const seen = [];
    const accept = () => {
      client.accept(how.includes("half") ? { allowHalfOpen: true } : undefined);
      if (how.includes("half")) client.addEventListener("close", (e) => client.close(e.code, "answered"));
      record(client, seen);
    };
    if (how.includes("early")) accept();
    if (how.includes("talk")) { client.send("ping"); await settle(20); }
    if (how.includes("send")) server.send("hi");
    if (how.includes("wait")) await scheduler.wait(20);
    if (how.includes("bare")) server.close();
    else if (how.includes("later")) { this.server = server; this.client = client; this.seen = seen; }
    else server.close(4001, "bye");
    if (!how.includes("early")) accept();
    if (how.includes("later")) return;
    await settle(100);
    return { seen, rs: client.readyState, log: this.log };
  }
  async closeLater() {
    this.server.close(4002, "later");
    await settle(100);
    return { seen: this.seen, rs: this.client.readyState, log: this.log };
  }
  async webSocketMessage(ws, message) { this.log.push(["message", message]); }
  async webSocketClose(ws, code, reason, wasClean) { this.log.push([code, reason, wasClean]); }`,
    async (env) => {
      const out = {};
      const variants = ["hib", "hib-early", "hib-send", "hib-early-send", "hib-wait", "hib-early-wait", "hib-bare", "hib-half", "hib-early-talk", "plain", "plain-early"];
      for (const how of variants) out[how] = await env.DO.getByName(how).go(how);
      const later = env.DO.getByName("hib-early-later");
      await later.go("hib-early-later");
      out["hib-early-later"] = await later.closeLater();
      return out;
    },
  ),

  room("a handler that throws leaves the socket open", async (env) => {
    const stub = env.DO.getByName("throws");
    const a = await join(stub, "A");
    a.ws.send("throw");
    a.ws.send("after throw");
    await settle();
    return hangUp({ a: a.seen, readyState: a.ws.readyState, log: await stub.takeLog() });
  }),

  hib(
    "a socket's next message is delivered while its previous handler awaits",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  log = [];
  async webSocketMessage(ws, message) {
    this.log.push("start " + message);
    if (message === "slow") await new Promise((r) => setTimeout(r, 40));
    if (message === "storage") await this.ctx.storage.put("k", message);
    this.log.push("end " + message);
    ws.send("done " + message);
  }
  async takeLog() { return this.log; }`,
    async (env) => {
      const stub = env.DO.getByName("await");
      const { ws, seen } = await connect(stub);
      ws.send("slow");
      ws.send("fast");
      ws.send("storage");
      await settle(150);
      return hangUp({ seen, log: await stub.takeLog() });
    },
  ),

  hib(
    "a class without handlers: messages and closes are dropped",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  async count() { return this.ctx.getWebSockets().length; }`,
    async (env) => {
      const stub = env.DO.getByName("no-handlers");
      const { ws, seen } = await connect(stub);
      ws.send("hello");
      await settle();
      const open = await stub.count();
      ws.close(1000, "done");
      await settle();
      return { seen, open, afterClose: await stub.count() };
    },
  ),

  hib(
    "an abrupt disconnect: the client's object is reset",
    `  log = [];
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    if (new URL(req.url).pathname === "/plain") {
      server.accept();
      record(server, this.log);
    } else {
      this.ctx.acceptWebSocket(server);
    }
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, message) { this.log.push(["message", message]); }
  async webSocketClose(ws, code, reason, wasClean) { this.log.push(["close", code, reason, wasClean, ws.readyState, this.ctx.getWebSockets().length]); }
  async webSocketError(ws, error) { this.log.push(["error", err(error)]); }
  async takeLog() { return this.log; }`,
    async (env) => {
      const out = {};
      for (const path of ["/hibernatable", "/plain"]) {
        const client = env.CLIENT.getByName(path);
        out[path] = { open: await outcome(() => client.open(path)) };
        await settle();
        out[path].die = await outcome(() => client.die());
        await settle();
      }
      out.log = await env.DO.getByName("server").takeLog();
      return out;
    },
    {
      classes: { DO: "DO", CLIENT: "Client" },
      extra: `export class Client extends DurableObject {
  async open(path) {
    const res = await this.env.DO.getByName("server").fetch("http://ws" + path, { headers: { Upgrade: "websocket" } });
    this.ws = res.webSocket;
    this.ws.accept();
    this.ws.send("hello from " + path);
    return res.status;
  }
  async die() { this.ctx.abort("client gone"); }
}`,
    },
  ),

  room("ctx.abort() in a handler disconnects every socket of the object", async (env) => {
    const stub = env.DO.getByName("abort");
    const a = await join(stub, "A");
    const b = await join(stub, "B");
    a.ws.send("abort");
    await settle();
    return {
      a: a.seen,
      b: b.seen,
      readyStates: [a.ws.readyState, b.ws.readyState],
      sendAfter: outcomeSync(() => b.ws.send("x")),
      closeAfter: outcomeSync(() => b.ws.close(1000)),
      log: await env.DO.getByName("abort").takeLog(),
    };
  }),

  hib(
    "a reset forgets the sockets, the auto-response pair and the event timeout",
    `  async set() {
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("a", "b"));
    this.ctx.setHibernatableWebSocketEventTimeout(1234);
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    this.client = client;
  }
  async get() { return { auto: this.ctx.getWebSocketAutoResponse()?.request ?? null, timeout: this.ctx.getHibernatableWebSocketEventTimeout(), sockets: this.ctx.getWebSockets().length }; }
  async die() { this.ctx.abort("x"); }
  async failCritical() { await this.ctx.blockConcurrencyWhile(async () => { throw new Error("bcw"); }); }`,
    async (env) => {
      const r = {};
      await env.DO.getByName("a").set();
      r.before = await env.DO.getByName("a").get();
      r.abort = await outcome(() => env.DO.getByName("a").die());
      r.afterAbort = await env.DO.getByName("a").get();
      await env.DO.getByName("b").set();
      r.blockConcurrencyWhile = await outcome(() => env.DO.getByName("b").failCritical());
      r.afterBlockConcurrencyWhile = await env.DO.getByName("b").get();
      return r;
    },
  ),

  hib(
    "a failed commit drops the sends after the failing write and disconnects the sockets",
    `  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS p (id INTEGER PRIMARY KEY); CREATE TABLE IF NOT EXISTS c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
  }
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    if (new URL(req.url).pathname === "/plain") {
      server.accept();
      server.addEventListener("message", (e) => this.handle(server, e.data));
    } else {
      this.ctx.acceptWebSocket(server);
    }
    return new Response(null, { status: 101, webSocket: client });
  }
  handle(ws, message) {
    if (message === "fail") {
      ws.send("before the write");
      this.ctx.storage.sql.exec("INSERT INTO c VALUES (42)");
      ws.send("after the write");
    } else {
      ws.send("echo " + message);
    }
  }
  async webSocketMessage(ws, message) { this.handle(ws, message); }
  async webSocketClose(ws, code, reason, wasClean) { this.closed = true; }
  async state() { return { sockets: this.ctx.getWebSockets().length, closed: this.closed ?? false, rows: this.ctx.storage.sql.exec("SELECT count(*) AS n FROM c").one().n }; }`,
    async (env) => {
      const out = {};
      for (const path of ["/hibernatable", "/plain"]) {
        const { ws, seen } = await connect(env.DO.getByName(path), path);
        ws.send("a");
        ws.send("fail");
        ws.send("b");
        await settle(100);
        out[path] = { seen, readyState: ws.readyState, after: await env.DO.getByName(path).state() };
      }
      return out;
    },
  ),

  hib(
    "an object accepts at most 32768 hibernatable sockets",
    `  async go() {
    const ends = [];
    let accepted = 0;
    let error = null;
    try {
      for (; accepted < 32769; accepted++) {
        const [client, server] = Object.values(new WebSocketPair());
        this.ctx.acceptWebSocket(server);
        ends.push(client);
      }
    } catch (e) {
      error = err(e);
    }
    return { accepted, error, listed: this.ctx.getWebSockets().length };
  }`,
    async (env) => env.DO.getByName("many").go(),
    { timeoutMs: 60_000 },
  ),

  hib(
    "idle hibernation after 10 s: state that survives, auto-responses do not wake the object, plain sockets keep it alive",
    `  constructor(ctx, env) {
    super(ctx, env);
    constructed.push(ctx.id.name);
    this.memory = "fresh";
  }
  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    if (this.ctx.id.name === "plain") {
      server.accept();
      server.addEventListener("message", (e) => { server.send("plain " + e.data + " constructed=" + constructed.join()); });
    } else {
      this.ctx.acceptWebSocket(server, ["room", "u1"]);
      server.serializeAttachment({ user: "alice" });
      this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
      this.ctx.setHibernatableWebSocketEventTimeout(5000);
    }
    this.memory = "set by fetch";
    return new Response(null, { status: 101, webSocket: client });
  }
  async webSocketMessage(ws, message) {
    const all = this.ctx.getWebSockets();
    const stamp = this.ctx.getWebSocketAutoResponseTimestamp(ws);
    ws.send(JSON.stringify({
      message,
      constructed: constructed.join(),
      memory: this.memory,
      tags: this.ctx.getTags(ws),
      attachment: ws.deserializeAttachment(),
      autoResponse: [this.ctx.getWebSocketAutoResponse()?.request, this.ctx.getWebSocketAutoResponse()?.response],
      stamp: stamp === null ? null : stamp instanceof Date,
      timeout: this.ctx.getHibernatableWebSocketEventTimeout(),
      listed: all.length,
      listedIsThisSocket: all[0] === ws,
      readyState: ws.readyState,
    }));
    if (message === "bye") ws.close(1000, "bye");
  }`,
    async (env) => {
      const hibernating = await connect(env.DO.getByName("hibernating"));
      const plain = await connect(env.DO.getByName("plain"));
      hibernating.ws.send("before");
      plain.ws.send("before");
      await settle(100);
      await settle(11_500);
      const afterIdle = constructed.join();
      hibernating.ws.send("ping");
      await settle(100);
      const afterPing = constructed.join();
      hibernating.ws.send("after");
      plain.ws.send("after");
      await settle(100);
      hibernating.ws.send("bye");
      await settle(100);
      return hangUp({ afterIdle, afterPing, hibernating: hibernating.seen.map((e) => (e[0] === "message" && e[1].startsWith("{") ? JSON.parse(e[1]) : e)), plain: plain.seen });
    },
    { timeoutMs: 30_000, extra: "const constructed = [];" },
  ),
];
