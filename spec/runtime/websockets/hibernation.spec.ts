import { describe, expect, it } from "vitest";
import { type HibernationEvent, type HibernationHost, HibernationManager } from "../../../lib/runtime/websockets/hibernation.js";
import { socketInternals } from "../../../lib/runtime/websockets/web-socket.js";
import type { LinkEnd } from "../../../lib/runtime/websockets/link.js";
import { WebSocketRequestResponsePair } from "../../../lib/runtime/websockets/request-response-pair.js";
import type { WebSocket } from "../../../lib/runtime/websockets/web-socket.js";
import { WebSocketPair } from "../../../lib/runtime/websockets/web-socket-pair.js";
import { record, settle, TestHost, thrown } from "./helpers.js";

/** A host that queues handler events; `run()` plays them like an object would. */
class ObjectHost extends TestHost implements HibernationHost {
  readonly handlerEvents: HibernationEvent[] = [];
  time = 1_000;

  deliver(event: HibernationEvent): void {
    this.handlerEvents.push(event);
  }

  now(): number {
    return this.time;
  }

  /** Runs the queued handler events, `handler` as the object's handler; returns what each was called with. */
  run(handler?: (handlerName: string, ws: WebSocket, ...args: unknown[]) => void): Array<[string, ...unknown[]]> {
    const calls: Array<[string, ...unknown[]]> = [];
    for (let event = this.handlerEvents.shift(); event !== undefined; event = this.handlerEvents.shift()) {
      const [ws, ...rest] = event.args() as [WebSocket, ...unknown[]];
      calls.push([event.handler, ws, ...rest]);
      handler?.(event.handler, ws, ...rest);
      event.ran();
    }
    return calls;
  }
}

function setup() {
  const host = new ObjectHost();
  const manager = new HibernationManager(host);
  /** A client end (accepted, recorded) connected to a hibernatable server end. */
  const connect = (tags?: unknown) => {
    const [client, server] = new WebSocketPair();
    manager.acceptWebSocket(server, tags);
    client.accept();
    return { client, server, seen: record(client) };
  };
  return { host, manager, connect };
}


describe("acceptWebSocket", () => {
  it("refuses sockets in the wrong state, with the runtime's errors", () => {
    const { manager } = setup();
    const already = "Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`";
    const pairUsed = "Cannot call `acceptWebSocket()` on this WebSocket because its pair has already been accepted or used in a Response.";
    const [c1, s1] = new WebSocketPair();
    manager.acceptWebSocket(s1);
    expect(thrown(() => manager.acceptWebSocket(s1))).toEqual({ name: "Error", message: already });
    expect(thrown(() => s1.accept())).toEqual({ name: "TypeError", message: "Can't accept() WebSocket after enabling hibernation." });
    const [, s2] = new WebSocketPair();
    s2.accept();
    expect(thrown(() => manager.acceptWebSocket(s2))).toEqual({ name: "Error", message: already });
    const [c3, s3] = new WebSocketPair();
    c3.accept();
    expect(thrown(() => manager.acceptWebSocket(s3))).toEqual({ name: "Error", message: pairUsed });
    expect(thrown(() => manager.acceptWebSocket({}))).toEqual({
      name: "TypeError",
      message: "Failed to execute 'acceptWebSocket' on 'DurableObjectState': parameter 1 is not of type 'WebSocket'.",
    });
    const [, s4] = new WebSocketPair();
    expect(thrown(() => manager.acceptWebSocket(s4, "abc"))).toEqual({
      name: "TypeError",
      message: "Failed to execute 'acceptWebSocket' on 'DurableObjectState': parameter 2 is not of type 'Array'.",
    });
    expect(manager.size).toBe(1);
    void c1;
  });

  it("keeps at most 10 distinct tags of at most 256 UTF-8 bytes, first-seen order, values coerced", () => {
    const { manager } = setup();
    const tagsOf = (tags: unknown) => {
      const [, s] = new WebSocketPair();
      const error = thrown(() => manager.acceptWebSocket(s, tags));
      return error ?? manager.getTags(s);
    };
    const ten = Array.from({ length: 10 }, (_, i) => `t${i}`);
    expect(tagsOf(ten)).toEqual(ten);
    expect(tagsOf([...ten, "t0"])).toEqual({ name: "Error", message: "a Hibernatable WebSocket cannot have more than 10 tags" });
    expect(tagsOf(["t1", "t1", "t2", "t1"])).toEqual(["t1", "t2"]);
    expect(tagsOf(["\u00e9".repeat(128)])).toEqual(["\u00e9".repeat(128)]);
    expect(tagsOf(["\u00e9".repeat(129)])).toEqual({
      name: "Error",
      message: `"${"\u00e9".repeat(129)}" is longer than the max tag length (256 characters).`,
    });
    expect(tagsOf([1, null, undefined, true])).toEqual(["1", "null", "undefined", "true"]);
    expect(tagsOf(undefined)).toEqual([]);
  });

  it("reads a tag array element by element: a hole is the tag \"undefined\"", () => {
    const { manager } = setup();
    const [, s] = new WebSocketPair();
    // eslint-disable-next-line no-sparse-arrays
    manager.acceptWebSocket(s, ["h", , "i"]);
    expect(manager.getTags(s)).toEqual(["h", "undefined", "i"]);
    expect(manager.getWebSockets("undefined")).toEqual([s]);
  });

  it("accepts at most 32768 sockets per object", () => {
    const { manager } = setup();
    for (let i = 0; i < 32_768; i++) manager.acceptWebSocket(new WebSocketPair()[1]);
    expect(thrown(() => manager.acceptWebSocket(new WebSocketPair()[1]))).toEqual({
      name: "Error",
      message: "only 32768 websockets can be accepted on a single Durable Object instance",
    });
    expect(manager.getWebSockets()).toHaveLength(32_768);
  });
});

describe("getTags", () => {
  it("needs a hibernatable socket", () => {
    const { manager } = setup();
    const [a, b] = new WebSocketPair();
    expect(thrown(() => manager.getTags(a))).toEqual({
      name: "Error",
      message: "you must call 'acceptWebSocket()' before attempting to access the tags of a WebSocket.",
    });
    a.accept();
    expect(thrown(() => manager.getTags(a))).toEqual({ name: "Error", message: "only hibernatable websockets can have tags." });
    expect(thrown(() => manager.getTags("x"))).toEqual({
      name: "TypeError",
      message: "Failed to execute 'getTags' on 'DurableObjectState': parameter 1 is not of type 'WebSocket'.",
    });
    void b;
  });
});

describe("getWebSockets", () => {
  it("lists all sockets newest first, a tag's sockets oldest first, the same objects each time", () => {
    const { manager, connect } = setup();
    const a = connect(["t", "x"]);
    const b = connect();
    const c = connect(["t"]);
    expect(manager.getWebSockets()).toEqual([c.server, b.server, a.server]);
    expect(manager.getWebSockets()[0]).toBe(c.server);
    expect(manager.getWebSockets("t")).toEqual([a.server, c.server]);
    expect(manager.getWebSockets("nope")).toEqual([]);
  });

  it("keeps a closing socket until its webSocketClose handler has run", async () => {
    const { host, manager, connect } = setup();
    const a = connect(["t"]);
    const b = connect(["t"]);
    a.client.close(4000, "bye");
    await settle();
    const [event] = host.handlerEvents;
    expect(event!.handler).toBe("webSocketClose");
    expect(manager.getWebSockets()).toHaveLength(2);
    const [[, ws, ...args]] = host.run();
    expect(ws).toBe(a.server);
    expect(args).toEqual([4000, "bye", true]);
    expect(manager.getWebSockets()).toEqual([b.server]);
    expect(manager.getWebSockets("t")).toEqual([b.server]);
    expect(manager.getTags(a.server)).toEqual(["t"]);
  });
});

describe("arrivals", () => {
  it("become webSocketMessage events in order: text as strings, binary as ArrayBuffers", async () => {
    const { host, connect } = setup();
    const a = connect();
    a.client.send("one");
    a.client.send(new Uint8Array([1, 2]));
    a.client.send("three");
    await settle();
    const calls = host.run();
    expect(calls.map((c) => c[0])).toEqual(["webSocketMessage", "webSocketMessage", "webSocketMessage"]);
    expect(calls.map((c) => c[2])).toEqual(["one", new Uint8Array([1, 2]).buffer, "three"]);
    expect(calls[1]![2]).toBeInstanceOf(ArrayBuffer);
  });

  it("show the handler a CLOSING socket on a client close; nothing answers the client", async () => {
    const { host, connect } = setup();
    const a = connect();
    a.client.close(4000, "bye");
    await settle();
    let readyStateInHandler: number | undefined;
    for (const event of host.handlerEvents.splice(0)) {
      const [ws] = event.args() as [WebSocket];
      readyStateInHandler = ws.readyState;
      event.ran();
    }
    expect(readyStateInHandler).toBe(2);
    await settle();
    expect(a.seen).toEqual([]);
    expect(a.client.readyState).toBe(2);
  });

  it("end with one webSocketClose(1006, ..., false) when the client disconnects", async () => {
    const { host, manager } = setup();
    const clientHost = new TestHost();
    const [client, server] = socketInternals().pair(clientHost);
    manager.acceptWebSocket(server);
    client.accept();
    const [clientEnd] = clientHost.open as Set<LinkEnd>;
    clientEnd!.disconnect();
    await settle();
    const calls = host.run();
    expect(calls).toEqual([["webSocketClose", server, 1006, "WebSocket disconnected without sending Close frame.", false]]);
    expect(manager.getWebSockets()).toEqual([]);
  });

  it("stop when the object drops every connection: the clients see 1006", async () => {
    const { host, manager, connect } = setup();
    const a = connect();
    const b = connect();
    manager.disconnectAll();
    await settle();
    expect(a.seen).toEqual([["close", 1006, "WebSocket disconnected without sending Close frame.", false, 1]]);
    expect(b.seen).toEqual(a.seen);
    expect(manager.getWebSockets()).toEqual([]);
    expect(host.run()).toEqual([]);
  });
});

describe("auto-responses", () => {
  it("answer an exact text match without an event and record the time; unset, the message is delivered", async () => {
    const { host, manager, connect } = setup();
    const a = connect();
    expect(manager.getWebSocketAutoResponseTimestamp(a.server)).toBeNull();
    manager.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    host.time = 5_000;
    for (const m of ["ping", "ping ", "PING", "after", "ping"]) a.client.send(m);
    a.client.send(new TextEncoder().encode("ping"));
    await settle();
    expect(host.run().map((c) => c[2])).toEqual(["ping ", "PING", "after", new TextEncoder().encode("ping").buffer]);
    expect(manager.getWebSocketAutoResponseTimestamp(a.server)).toEqual(new Date(5_000));
    await settle();
    expect(a.seen).toEqual([
      ["message", "pong"],
      ["message", "pong"],
    ]);
    manager.setWebSocketAutoResponse();
    expect(manager.getWebSocketAutoResponse()).toBeNull();
    a.client.send("ping");
    await settle();
    expect(host.run().map((c) => c[2])).toEqual(["ping"]);
  });

  it("wait, like every arrival, for the events of the messages before them", async () => {
    const { host, manager, connect } = setup();
    const a = connect();
    manager.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    a.client.send("ping");
    a.client.send("hello");
    a.client.send("ping");
    await settle();
    expect(a.seen).toEqual([["message", "pong"]]);
    expect(host.handlerEvents).toHaveLength(1);
    host.run((_handler, ws, message) => ws.send(`echo ${message as string}`));
    await settle();
    expect(a.seen.map((e) => e[1])).toEqual(["pong", "echo hello", "pong"]);
  });

  it("keep their place among the socket's own sends, even behind a closed output gate", async () => {
    const { host, manager, connect } = setup();
    const a = connect();
    manager.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    host.closeGate();
    a.server.send("gated");
    a.client.send("ping");
    await settle();
    expect(a.seen).toEqual([]);
    host.openGate();
    await settle();
    expect(a.seen.map((e) => e[1])).toEqual(["gated", "pong"]);
  });

  it("answer a message equal to the request as given (lone surrogates too), and read the pair and tags back as text", async () => {
    const { host, manager, connect } = setup();
    const a = connect(["t\uD800"]);
    manager.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping\uD800", "pong\uDC00"));
    a.client.send("ping\uFFFD\uFFFD\uFFFD");
    a.client.send("ping\uD800");
    await settle();
    // The first is no request (its bytes differ): the handler gets it, then the second is answered.
    expect(host.run().map((c) => c[2])).toEqual(["ping\uFFFD\uFFFD\uFFFD"]);
    await settle();
    expect(a.seen).toEqual([["message", "pong\uFFFD\uFFFD\uFFFD"]]);
    expect(host.handlerEvents).toHaveLength(0);
    const pair = manager.getWebSocketAutoResponse();
    expect([pair?.request, pair?.response]).toEqual(["ping\uFFFD\uFFFD\uFFFD", "pong\uFFFD\uFFFD\uFFFD"]);
    expect(manager.getTags(a.server)).toEqual(["t\uFFFD\uFFFD\uFFFD"]);
    expect(manager.getWebSockets("t\uD800")).toHaveLength(1);
    expect(manager.getWebSockets("t\uFFFD\uFFFD\uFFFD")).toHaveLength(0);
  });

  it("limit the request and the response to 2048 UTF-8 bytes, request first", () => {
    const { manager } = setup();
    const P = WebSocketRequestResponsePair;
    expect(thrown(() => manager.setWebSocketAutoResponse(new P("x".repeat(2048), "y".repeat(2048))))).toBeUndefined();
    expect(thrown(() => manager.setWebSocketAutoResponse(new P("\u00e9".repeat(1025), "y".repeat(3000))))).toEqual({
      name: "RangeError",
      message: "Request cannot be larger than 2048 bytes. A request of size 2050 was provided.",
    });
    expect(thrown(() => manager.setWebSocketAutoResponse(new P("y", "x".repeat(2049))))).toEqual({
      name: "RangeError",
      message: "Response cannot be larger than 2048 bytes. A response of size 2049 was provided.",
    });
    expect(thrown(() => manager.setWebSocketAutoResponse(null))).toEqual({
      name: "TypeError",
      message: "Failed to execute 'setWebSocketAutoResponse' on 'DurableObjectState': parameter 1 is not of type 'WebSocketRequestResponsePair'.",
    });
    const pair = manager.getWebSocketAutoResponse()!;
    expect([pair.request.length, pair.response.length]).toEqual([2048, 2048]);
    expect(manager.getWebSocketAutoResponse()).not.toBe(pair);
  });
});

describe("WebSocketRequestResponsePair", () => {
  it("needs both strings, converts them, and keeps them read-only", () => {
    const P = WebSocketRequestResponsePair;
    const p = new P(1 as unknown as string, null as unknown as string);
    expect([p.request, p.response]).toEqual(["1", "null"]);
    expect(Object.keys(p)).toEqual([]);
    expect(Object.prototype.toString.call(p)).toBe("[object WebSocketRequestResponsePair]");
    expect(thrown(() => new (P as unknown as new (a: string) => object)("a"))).toEqual({
      name: "TypeError",
      message: "Failed to construct 'WebSocketRequestResponsePair': constructor parameter 2 is not of type 'string'.",
    });
    expect(thrown(() => (P as unknown as (a: string, b: string) => object)("a", "b"))?.message).toMatch(/Please use the 'new' operator/);
    // Converted as strings: a Symbol is refused, as the runtime's binding refuses it.
    for (const args of [[Symbol(), "b"], ["a", Symbol()]]) {
      expect(thrown(() => new (P as unknown as new (...a: unknown[]) => object)(...args))).toEqual({ name: "TypeError", message: "Cannot convert a Symbol value to a string" });
    }
    expect(thrown(() => ((p as { request: string }).request = "z"))).toEqual({
      name: "TypeError",
      message: "Cannot assign to read only property 'request' of object '#<WebSocketRequestResponsePair>'",
    });
  });
});

describe("the event timeout", () => {
  it("is at most 604800000 ms; 0 or nothing unsets it; the value is converted as an unsigned long", () => {
    const { manager } = setup();
    const set = (value?: unknown) => thrown(() => manager.setHibernatableWebSocketEventTimeout(value)) ?? manager.getHibernatableWebSocketEventTimeout();
    expect(manager.getHibernatableWebSocketEventTimeout()).toBeNull();
    expect(set(604_800_000)).toBe(604_800_000);
    expect(set(604_800_001)).toEqual({ name: "Error", message: "Event timeout should not exceed 604800000 ms." });
    expect(set(0)).toBeNull();
    expect(set(5.7)).toBe(5);
    expect(set("100")).toBe(100);
    expect(set()).toBeNull();
    expect(set(-1)).toEqual({ name: "TypeError", message: "The value cannot be converted because it is negative and this API expects a positive number." });
    expect(set(NaN)).toEqual({ name: "TypeError", message: "The value cannot be converted because it is not an integer." });
    expect(set(2 ** 32)).toEqual({ name: "TypeError", message: "Value out of range. Must be less than or equal to 4294967295." });
    expect(set(5n)).toEqual({ name: "TypeError", message: "Cannot convert a BigInt value to a number" });
  });
});

describe("hibernation", () => {
  it("cuts off the old socket objects and wakes new ones with the same connection, tags and attachment", async () => {
    const { host, manager, connect } = setup();
    const a = connect(["room"]);
    a.server.serializeAttachment({ user: "alice" });
    a.server.binaryType = "arraybuffer";
    manager.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    a.client.send("ping");
    await settle();
    manager.hibernate();
    expect(thrown(() => a.server.send("from the old object"))).toBeUndefined();
    a.client.send("after");
    await settle();
    const [[, woken, message]] = host.run() as [[string, WebSocket, string]];
    expect(message).toBe("after");
    expect(woken).not.toBe(a.server);
    expect(woken.binaryType).toBe("blob");
    expect(woken.deserializeAttachment()).toEqual({ user: "alice" });
    expect(manager.getTags(woken)).toEqual(["room"]);
    expect(manager.getWebSockets()).toEqual([woken]);
    expect(manager.getWebSocketAutoResponseTimestamp(woken)).toEqual(new Date(1_000));
    woken.send("from the new object");
    await settle();
    expect(a.seen).toEqual([
      ["message", "pong"],
      ["message", "from the new object"],
    ]);
  });
});
