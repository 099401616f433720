// The Workers WebSocket API itself: WebSocketPair, accept/send/close and their exact errors,
// readyState, binaryType, message types and order, the close handshake (compat date
// 2026-11-01 has web_socket_auto_reply_to_close), 101 responses and stub.fetch upgrades.
// Events are only compared per socket: the relative order of two sockets' events is the
// runtime's scheduling, not a contract.
import { cls } from "../scenario.mjs";
import { CLIENT } from "./websockets-client.mjs";

/** A scenario whose DO class has `body`, with the client helpers in scope (websockets-events.mjs shares it). */
export const ws = (name, body, drive, rest = {}) => ({
  name: `websockets: ${name}`,
  backend: "sqlite",
  source: cls(body, { extra: CLIENT }),
  drive,
  ...rest,
});

/** A DO that accepts the server end with accept() and echoes every message. */
const ECHO = `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.binaryType = "arraybuffer";
    server.addEventListener("message", (e) => { server.send(e.data); });
    server.addEventListener("close", (e) => { this.closes.push([e.code, e.reason, e.wasClean, server.readyState]); });
    return new Response(null, { status: 101, webSocket: client });
  }
  closes = [];
  async serverCloses() { return this.closes; }`;

export default [
  ws("WebSocketPair shape and a fresh end's properties", "", async () => {
    const pair = new WebSocketPair();
    const [a, b] = pair;
    const chain = [];
    for (let p = Object.getPrototypeOf(a); p; p = Object.getPrototypeOf(p)) chain.push(p.constructor.name);
    return {
      pairKeys: Object.keys(pair),
      pairTag: Object.prototype.toString.call(pair),
      iteratesInOrder: a === pair[0] && b === pair[1] && a !== b,
      valuesInOrder: Object.values(pair)[0] === a,
      endTag: Object.prototype.toString.call(a),
      chain,
      ownKeys: Object.keys(a),
      isWebSocket: a instanceof WebSocket,
      props: { readyState: a.readyState, binaryType: a.binaryType, url: a.url, protocol: a.protocol, extensions: a.extensions, bufferedAmount: a.bufferedAmount },
      constants: [a.CONNECTING, a.OPEN, a.CLOSING, a.CLOSED, WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED, a.READY_STATE_OPEN],
      onmessage: typeof a.onmessage,
      callWithoutNew: outcomeSync(() => WebSocketPair()),
    };
  }),

  ws("send() and close() before accept()", "", async () => {
    const [a, b] = new WebSocketPair();
    const result = {
      send: outcomeSync(() => a.send("x")),
      close: outcomeSync(() => a.close(1000)),
      closeNoArgs: outcomeSync(() => a.close()),
      readyState: a.readyState,
      acceptTwice: outcomeSync(() => {
        b.accept();
        b.accept();
        return b.readyState;
      }),
    };
    openEnds.push(b);
    return hangUp(result);
  }),

  ws("binaryType accepts blob and arraybuffer and ignores anything else", "", async () => {
    const [a] = new WebSocketPair();
    const seen = [a.binaryType];
    for (const value of ["arraybuffer", "nonsense", "blob", "ARRAYBUFFER", ""]) {
      a.binaryType = value;
      seen.push(a.binaryType);
    }
    return seen;
  }),

  // websocket_standard_binary_type (from 2026-03-17): binary messages arrive as Blobs unless
  // binaryType says otherwise; before it, as ArrayBuffers, and "blob" is still accepted.
  ...[
    ["at compatibility date 2026-03-16", { compatibilityDate: "2026-03-16" }],
    ["at compatibility date 2026-03-17", { compatibilityDate: "2026-03-17" }],
    ["with no_websocket_standard_binary_type", { compatibilityFlags: ["no_websocket_standard_binary_type"] }],
    ["with websocket_standard_binary_type at 2025-06-01", { compatibilityDate: "2025-06-01", compatibilityFlags: ["websocket_standard_binary_type"] }],
  ].map(([label, compatibility]) =>
    ws(
      `binaryType's default and the binary messages it delivers, ${label}`,
      "",
      async () => {
        const [a, b] = new WebSocketPair();
        a.accept();
        b.accept();
        const seen = [];
        b.addEventListener("message", (e) => { seen.push(Object.prototype.toString.call(e.data)); });
        openEnds.push(a);
        const defaults = [a.binaryType, b.binaryType];
        a.send(new Uint8Array([1, 2]));
        await settle();
        b.binaryType = defaults[1] === "blob" ? "arraybuffer" : "blob";
        a.send(new Uint8Array([3]));
        await settle();
        return hangUp({ defaults, seen });
      },
      compatibility,
    ),
  ),

  ws("message types across a pair, as each end's binaryType delivers them", "", async () => {
    const [a, b] = new WebSocketPair();
    const atA = [];
    const atB = [];
    a.accept();
    b.accept();
    record(a, atA);
    record(b, atB);
    openEnds.push(a);
    b.binaryType = "arraybuffer";
    const sent = {};
    const sends = {
      text: "hello",
      empty: "",
      unicode: "h\u00e9\u{1F600}",
      uint8: new Uint8Array([1, 2]),
      view: new Uint8Array([1, 2, 3, 4]).subarray(1, 3),
      buffer: new Uint8Array([5, 6, 7]).buffer,
      dataView: new DataView(new Uint8Array([8, 9]).buffer),
      emptyBytes: new Uint8Array(0),
      number: 42,
      object: { a: 1 },
      blob: new Blob(["xyz"]),
      nothing: undefined,
    };
    for (const [k, v] of Object.entries(sends)) sent[k] = outcomeSync(() => (k === "nothing" ? a.send() : a.send(v)));
    b.send(new Uint8Array([9]));
    b.send("to a");
    await settle();
    return hangUp({ sent, atA, atB });
  }),

  ws("close() codes: accepted and refused", "", async () => {
    const out = {};
    const codes = [
      ["999", 999], ["1000", 1000], ["1001", 1001], ["1003", 1003], ["1004", 1004], ["1005", 1005], ["1006", 1006],
      ["1007", 1007], ["1011", 1011], ["1012", 1012], ["1014", 1014], ["1015", 1015], ["1016", 1016], ["2999", 2999],
      ["3000", 3000], ["4999", 4999], ["5000", 5000], ["65535", 65535], ["-1", -1], ["1000.9", 1000.9],
      ['"1000"', "1000"], ['"abc"', "abc"], ["NaN", NaN], ["null", null], ["undefined", undefined], ["true", true],
      ["4294968296", 4294968296], ["2147483647", 2147483647], ["2147483648", 2147483648], ["-2147483649", -2147483649],
      ["Infinity", Infinity], ["-0.5", -0.5], ['" 1000 "', " 1000 "], ["{}", {}],
    ];
    for (const [label, code] of codes) {
      const [x, y] = new WebSocketPair();
      x.accept();
      y.accept();
      openEnds.push(x, y);
      const closes = [];
      y.addEventListener("close", (e) => { closes.push([e.code, e.reason]); });
      out[label] = { close: outcomeSync(() => x.close(code)), readyState: x.readyState };
      await settle(5);
      out[label].peerSaw = closes;
    }
    return hangUp(out);
  }),

  ws("close() reasons: length in UTF-8 bytes, reason without code", "", async () => {
    const out = {};
    const cases = {
      ascii123: [1000, "x".repeat(123)],
      ascii124: [1000, "x".repeat(124)],
      twoByte61: [1000, "\u00e9".repeat(61) + "x"],
      twoByte62: [1000, "\u00e9".repeat(62)],
      emoji: [1000, "\u{1F600}".repeat(31)],
      reasonWithoutCode: [undefined, "why"],
      emptyReason: [1000, ""],
      code1005WithReason: [1005, "x"],
      nullCodeWithReason: [null, "x"],
      numberReason: [4000, 42],
      undefinedReason: [4000, undefined],
    };
    for (const [k, args] of Object.entries(cases)) {
      const [x, y] = new WebSocketPair();
      x.accept();
      y.accept();
      openEnds.push(x, y);
      const closes = [];
      y.addEventListener("close", (e) => { closes.push([e.code, e.reason.length, e.wasClean]); });
      out[k] = { close: outcomeSync(() => x.close(...args)), readyState: x.readyState };
      await settle(5);
      out[k].peerSaw = closes;
    }
    return hangUp(out);
  }),

  ws("the close handshake on a pair: the peer replies, events and readyState on both ends", "", async () => {
    const run = async (args) => {
      const [x, y] = new WebSocketPair();
      x.accept();
      y.accept();
      const events = [];
      y.addEventListener("close", (e) => { events.push(["y", e.type, e.code, e.reason, e.wasClean, x.readyState, y.readyState, e.target === y]); });
      x.addEventListener("close", (e) => { events.push(["x", e.type, e.code, e.reason, e.wasClean, x.readyState, y.readyState]); });
      x.close(...args);
      const sync = [x.readyState, y.readyState];
      const sendAfterClose = outcomeSync(() => x.send("z"));
      const closeAgain = outcomeSync(() => x.close(1000, "again"));
      await settle();
      return { sync, sendAfterClose, closeAgain, events, peerSend: outcomeSync(() => y.send("z")), peerClose: outcomeSync(() => y.close(1000)), final: [x.readyState, y.readyState] };
    };
    return { noArgs: await run([]), withReason: await run([3001, "done"]), codeOnly: await run([1001]) };
  }),

  // Before web_socket_auto_reply_to_close (2026-04-07), or with its opposite flag, the end a
  // Close frame reaches does not answer it: the application does, with its own close().
  ...[
    ["2026-01-01", []],
    ["2026-04-07", []],
    ["2026-11-01", ["web_socket_manual_reply_to_close"]],
  ].map(([compatibilityDate, compatibilityFlags]) =>
    ws(
      `the close handshake on a pair at ${compatibilityDate}${compatibilityFlags.length ? ` with ${compatibilityFlags}` : ""}: whether the peer answers by itself, and its own answer`,
      "",
      async () => {
        const [a, b] = new WebSocketPair();
        const seen = [];
        for (const [name, end] of [["a", a], ["b", b]]) {
          end.accept();
          end.addEventListener("close", (e) => { seen.push([name, "close", e.code, e.reason, e.wasClean, end.readyState]); });
          end.addEventListener("error", (e) => { seen.push([name, "error", e.message]); });
        }
        b.close(4000, "kick");
        await settle();
        const before = [a.readyState, b.readyState];
        a.close(4001, "answer");
        await settle();
        return { seen, before, after: [a.readyState, b.readyState] };
      },
      { compatibilityDate, compatibilityFlags },
    ),
  ),

  ws("messages queued before a close are delivered before it", "", async () => {
    const [x, y] = new WebSocketPair();
    x.accept();
    y.accept();
    const seen = [];
    record(y, seen);
    openEnds.push(x);
    for (let i = 0; i < 5; i++) x.send("m" + i);
    x.close(4000, "last");
    await settle();
    return hangUp(seen);
  }),

  ws(
    "a server end accepted with accept(): events, the client's close is echoed",
    ECHO,
    async (env) => {
      const stub = env.DO.getByName("echo");
      const { ws, seen } = await connect(stub);
      ws.send("one");
      ws.send(new Uint8Array([1, 2, 3]));
      await settle();
      ws.close(4321, "client done");
      const afterClose = ws.readyState;
      await settle();
      return hangUp({ seen, afterClose, final: ws.readyState, server: await stub.serverCloses() });
    },
  ),

  ws(
    "200 messages keep their order both ways",
    ECHO,
    async (env) => {
      const { ws, seen } = await connect(env.DO.getByName("order"));
      ws.binaryType = "arraybuffer";
      const sent = [];
      for (let i = 0; i < 200; i++) {
        const m = i % 3 === 0 ? new Uint8Array([i & 255]) : "m" + i;
        sent.push(shownData(typeof m === "string" ? m : m.buffer));
        ws.send(m);
      }
      // Wait for the echoes rather than a fixed time: on a loaded machine 200 round trips
      // through workerd can take longer than any fixed pause (up to 5 s here).
      for (let waited = 0; seen.length < 200 && waited < 5000; waited += 50) await settle(50);
      const got = seen.map((e) => e[1]);
      return hangUp({ count: got.length, inOrder: JSON.stringify(got) === JSON.stringify(sent), first: got.slice(0, 4) });
    },
  ),

  ws(
    "messages a server sends before the client accepts are delivered after accept()",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.send("early 1");
    server.send("early 2");
    server.addEventListener("message", (e) => { server.send("echo " + e.data); });
    return new Response(null, { status: 101, webSocket: client });
  }`,
    async (env) => {
      const res = await env.DO.getByName("early").fetch("http://ws/", { headers: { Upgrade: "websocket" } });
      const ws = res.webSocket;
      await settle();
      const before = ws.readyState;
      const seen = [];
      ws.accept();
      record(ws, seen);
      openEnds.push(ws);
      ws.send("hi");
      await settle();
      return hangUp({ before, seen });
    },
  ),

  ws(
    "the Response constructor with status 101 and webSocket",
    `  async make() {
    const [client] = Object.values(new WebSocketPair());
    const ok = new Response(null, { status: 101, webSocket: client });
    return {
      ok: [ok.status, ok.ok, ok.statusText, ok.webSocket === client, ok.body, [...ok.headers], ok.redirected, ok.type],
      withHeaders: outcomeSync(() => [...new Response(null, { status: 101, webSocket: client, headers: { "x-a": "1" } }).headers]),
      status200: outcomeSync(() => new Response(null, { status: 200, webSocket: client })),
      noStatus: outcomeSync(() => new Response(null, { webSocket: client })),
      status101Only: outcomeSync(() => new Response(null, { status: 101 })),
      withBody: outcomeSync(() => new Response("body", { status: 101, webSocket: client })),
      notAWebSocket: outcomeSync(() => new Response(null, { status: 101, webSocket: {} })),
      nullWebSocket: outcomeSync(() => new Response(null, { status: 200, webSocket: null }).webSocket),
      plain: outcomeSync(() => new Response("x").webSocket),
      clone: outcomeSync(() => ok.clone()),
      sameEndTwice: outcomeSync(() => new Response(null, { status: 101, webSocket: client }).status),
    };
  }`,
    async (env) => env.DO.getByName("r").make(),
  ),

  ws(
    "stub.fetch hands the caller its own end of the socket",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.client = client;
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }
  async afterReturn() {
    const c = this.client;
    return { readyState: c.readyState, accept: outcomeSync(() => c.accept()), send: outcomeSync(() => c.send("x")), close: outcomeSync(() => c.close()), again: outcomeSync(() => new Response(null, { status: 101, webSocket: c }).status) };
  }`,
    async (env) => {
      const stub = env.DO.getByName("caller");
      const res = await stub.fetch("http://ws/", { headers: { Upgrade: "websocket" } });
      const ws = res.webSocket;
      ws.accept();
      openEnds.push(ws);
      return hangUp({
        res: [res.status, res.ok, res.statusText, res.body, [...res.headers]],
        end: [Object.prototype.toString.call(ws), ws instanceof WebSocket, ws.readyState, ws.binaryType],
        same: res.webSocket === ws,
        serverSide: await stub.afterReturn(),
      });
    },
  ),

  ws(
    "a WebSocket response to a request without Upgrade: websocket",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    return new Response(null, { status: 101, webSocket: client });
  }`,
    async (env) => {
      const stub = env.DO.getByName("no-upgrade");
      return hangUp({
        plain: await outcome(async () => (await stub.fetch("http://ws/")).status),
        otherUpgrade: await outcome(async () => (await stub.fetch("http://ws/", { headers: { Upgrade: "h2c" } })).status),
        upperCase: await outcome(async () => {
          const res = await stub.fetch("http://ws/", { headers: { Upgrade: "WebSocket" } });
          res.webSocket.accept();
          openEnds.push(res.webSocket);
          return res.status;
        }),
      });
    },
  ),

  ws(
    "an Upgrade request answered without a WebSocket",
    `  async fetch(req) { return new Response("plain " + req.headers.get("upgrade")); }`,
    async (env) => {
      const res = await env.DO.getByName("plain").fetch("http://ws/", { headers: { Upgrade: "websocket" } });
      return { status: res.status, webSocket: res.webSocket, text: await res.text() };
    },
  ),

  ws(
    "returning an end that was already accepted disconnects the caller's end",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    if (new URL(req.url).pathname === "/hibernatable") this.ctx.acceptWebSocket(client);
    else {
      server.accept();
      client.accept();
    }
    return new Response(null, { status: 101, webSocket: client });
  }`,
    async (env) => {
      const out = {};
      for (const path of ["/accepted", "/hibernatable"]) {
        const res = await env.DO.getByName("x").fetch("http://ws" + path, { headers: { Upgrade: "websocket" } });
        const ws = res.webSocket;
        const seen = [];
        ws.accept();
        record(ws, seen);
        openEnds.push(ws);
        await settle();
        out[path] = { status: res.status, seen, readyState: ws.readyState, send: outcomeSync(() => ws.send("late")) };
      }
      return hangUp(out);
    },
  ),
];
