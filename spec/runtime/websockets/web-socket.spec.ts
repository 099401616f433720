import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OUTSIDE } from "../../../lib/runtime/websockets/host.js";
import { socketInternals, WebSocket } from "../../../lib/runtime/websockets/web-socket.js";
import { WebSocketPair } from "../../../lib/runtime/websockets/web-socket-pair.js";
import { CloseEvent, ErrorEvent, MessageEvent } from "../../../lib/runtime/websockets/events.js";
import { WorkerEvent } from "../../../lib/runtime/entrypoints/worker-event.js";
import { NEWEST_CODE_FEATURES } from "../../../lib/runtime/code-features.js";
import { record, settle, TestHost, thrown } from "./helpers.js";
import { emulator } from "../../helpers.js";
import { Response } from "../../../lib/runtime/websockets/response.js";

const NOT_ACCEPTED = "You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.";

function acceptedPair(): [WebSocket, WebSocket] {
  const [a, b] = new WebSocketPair();
  a.accept();
  b.accept();
  return [a, b];
}


afterEach(() => {
  vi.restoreAllMocks();
});

describe("WebSocketPair", () => {
  it("has two pending ends as own properties 0 and 1, iterable in that order", () => {
    const pair = new WebSocketPair();
    const [a, b] = pair;
    expect(Object.keys(pair)).toEqual(["0", "1"]);
    expect(a).toBe(pair[0]);
    expect(b).toBe(pair[1]);
    expect(a).not.toBe(b);
    expect(Object.prototype.toString.call(pair)).toBe("[object WebSocketPair]");
    expect(Object.getOwnPropertyNames(Object.getPrototypeOf(pair))).toEqual(["constructor"]);
    expect(pair.constructor).toBe(WebSocketPair);
    expect(pair).toBeInstanceOf(WebSocketPair);
  });

  it("refuses to be called without new, with the runtime's message", () => {
    expect(() => (WebSocketPair as unknown as () => void)()).toThrow(
      new TypeError("Failed to construct 'WebSocketPair': Please use the 'new' operator, this object constructor cannot be called as a function."),
    );
  });
});

describe("WebSocket", () => {
  it("refuses to be called without new in the runtime's words, and is a plain function as the runtime's constructor is", () => {
    expect(thrown(() => (WebSocket as unknown as (url: string) => void)("ws://x"))?.message).toBe(
      "Failed to construct 'WebSocket': Please use the 'new' operator, this object constructor cannot be called as a function.",
    );
    expect(Object.getPrototypeOf(WebSocket)).toBe(Function.prototype);
    expect(Object.getOwnPropertyDescriptor(WebSocket, "prototype")?.writable).toBe(true);
    expect(Object.getOwnPropertyNames(WebSocket)).toEqual(["length", "name", "prototype", "READY_STATE_CONNECTING", "CONNECTING", "READY_STATE_OPEN", "OPEN", "READY_STATE_CLOSING", "CLOSING", "READY_STATE_CLOSED", "CLOSED"]);
    const [a] = new WebSocketPair();
    expect(a.constructor).toBe(WebSocket);
    // Still an EventTarget to Node's own methods.
    const seen: string[] = [];
    a.addEventListener("x", (event) => seen.push(event.type));
    a.dispatchEvent(new Event("x"));
    expect(seen).toEqual(["x"]);
  });
});

describe("a fresh end", () => {
  it("shows the runtime's properties and constants", () => {
    const [a] = new WebSocketPair();
    expect(Object.prototype.toString.call(a)).toBe("[object WebSocket]");
    expect(a).toBeInstanceOf(EventTarget);
    expect(Object.keys(a)).toEqual([]);
    expect([a.readyState, a.binaryType, a.url, a.protocol, a.extensions, a.bufferedAmount]).toEqual([1, "blob", null, "", "", 0]);
    const proto = a as unknown as Record<string, number>;
    expect([proto.CONNECTING, proto.OPEN, proto.CLOSING, proto.CLOSED, proto.READY_STATE_OPEN]).toEqual([0, 1, 2, 3, 1]);
    expect([WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED]).toEqual([0, 1, 2, 3]);
    expect(Object.keys(Object.getPrototypeOf(a))).toEqual(expect.arrayContaining(["accept", "send", "close", "readyState", "binaryType"]));
    expect(Object.keys(Object.getPrototypeOf(a))).not.toContain("addEventListener");
  });

  it("refuses send() and close() until accepted; accept() twice is harmless", () => {
    const [a, b] = new WebSocketPair();
    expect(thrown(() => a.send("x"))).toEqual({ name: "TypeError", message: NOT_ACCEPTED });
    expect(thrown(() => a.close(1000))).toEqual({ name: "TypeError", message: NOT_ACCEPTED });
    expect(thrown(() => a.close())).toEqual({ name: "TypeError", message: NOT_ACCEPTED });
    b.accept();
    b.accept();
    expect(b.readyState).toBe(1);
  });

  it("keeps binaryType to blob or arraybuffer", () => {
    const [a] = new WebSocketPair();
    const seen = [a.binaryType];
    for (const value of ["arraybuffer", "nonsense", "blob", "ARRAYBUFFER", ""]) {
      (a as { binaryType: unknown }).binaryType = value;
      seen.push(a.binaryType);
    }
    expect(seen).toEqual(["blob", "arraybuffer", "arraybuffer", "blob", "blob", "blob"]);
    // The value is converted to a string first: an object naming a type sets it, a Symbol fails.
    (a as { binaryType: unknown }).binaryType = { toString: () => "arraybuffer" };
    expect(a.binaryType).toBe("arraybuffer");
    expect(thrown(() => ((a as { binaryType: unknown }).binaryType = Symbol()))).toEqual({ name: "TypeError", message: "Cannot convert a Symbol value to a string" });
  });

  it("starts with binaryType arraybuffer in a Worker dated before 2026-03-17 (no websocket_standard_binary_type): its own ends, the end a fetch hands its caller, and test code's while it is the main Worker", async () => {
    const module = {
      default: {
        async fetch(request: Request) {
          const [client, server] = new WebSocketPair();
          if (request.url.endsWith("/types")) return new Response(`${client.binaryType},${server.binaryType}`);
          server.accept();
          server.send(new Uint8Array([1, 2]));
          return new Response(null, { status: 101, webSocket: client });
        },
      },
    };
    const old = emulator({ compatibilityDate: "2026-03-16", module });
    expect(await (await old.dispatchFetch("http://x/types")).text()).toBe("arraybuffer,arraybuffer");
    const upgraded = await old.dispatchFetch("http://x/", { headers: { Upgrade: "websocket" } });
    const socket = (upgraded as unknown as { webSocket: WebSocket }).webSocket;
    const seen: unknown[] = [];
    socket.addEventListener("message", (event) => seen.push((event as MessageEvent).data));
    socket.accept();
    await settle();
    expect([socket.binaryType, seen.map((data) => Object.prototype.toString.call(data))]).toEqual(["arraybuffer", ["[object ArrayBuffer]"]]);
    expect(new WebSocketPair()[0].binaryType).toBe("arraybuffer");
    await old.dispose();
    // The newest date's default again, once test code runs beside a Worker that has the flag (or none).
    const flagged = emulator({ compatibilityDate: "2025-06-01", compatibilityFlags: ["websocket_standard_binary_type"], module });
    expect(await (await flagged.dispatchFetch("http://x/types")).text()).toBe("blob,blob");
    expect(new WebSocketPair()[0].binaryType).toBe("blob");
  });

  it("answers a Close frame itself from 2026-04-07 (web_socket_auto_reply_to_close) only: before, or with web_socket_manual_reply_to_close, an accepted end stays CLOSING until its own close()", async () => {
    /** What each end of an accepted pair sees when b closes first, while `date` and `flags` are the main Worker's. */
    const closeFirst = async (compatibilityDate: string, compatibilityFlags: string[] = []) => {
      const emu = emulator({ compatibilityDate, compatibilityFlags, module: { default: {} } });
      const [a, b] = acceptedPair();
      const seen: unknown[] = [];
      for (const [name, end] of [["a", a], ["b", b]] as const) {
        end.addEventListener("close", (event) => seen.push([name, "close", (event as CloseEvent).code, (event as CloseEvent).reason, end.readyState]));
        end.addEventListener("error", () => seen.push([name, "error"]));
      }
      b.close(4000, "kick");
      await settle();
      const before = [a.readyState, b.readyState];
      a.close(4001, "answer");
      await settle();
      await emu.dispose();
      return { seen, before, after: [a.readyState, b.readyState] };
    };
    const manual = {
      seen: [["a", "close", 4000, "kick", 2], ["b", "close", 4001, "answer", 3], ["a", "error"]],
      before: [2, 2],
      after: [3, 3],
    };
    expect(await closeFirst("2026-04-06")).toEqual(manual);
    expect(await closeFirst("2026-11-01", ["web_socket_manual_reply_to_close"])).toEqual(manual);
    expect(await closeFirst("2026-04-07")).toEqual({
      seen: [["a", "close", 4000, "kick", 3], ["b", "close", 4000, "kick", 3], ["a", "error"]],
      before: [3, 3],
      after: [3, 3],
    });
  });

  it("refuses a call on anything but an end, with the runtime's Illegal invocation, and its members have length 0", () => {
    const proto = WebSocket.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const illegal = {
      name: "TypeError",
      message: "Illegal invocation: function called with incorrect `this` reference. See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors for details.",
    };
    for (const method of ["send", "close", "accept", "serializeAttachment", "deserializeAttachment", "addEventListener", "removeEventListener", "dispatchEvent"]) {
      expect([method, thrown(() => proto[method]!.call({}, "x")), proto[method]!.length]).toEqual([method, illegal, 0]);
    }
    for (const attribute of ["readyState", "binaryType", "url", "protocol", "extensions", "bufferedAmount"]) {
      expect([attribute, thrown(() => proto[attribute])]).toEqual([attribute, illegal]);
    }
    const [a] = new WebSocketPair();
    expect(thrown(() => Object.getOwnPropertyDescriptor(WebSocket.prototype, "binaryType")!.set!.call(Object.create(WebSocket.prototype), "blob"))).toEqual(illegal);
    expect(a.readyState).toBe(1);
  });

  it("new WebSocket() without a URL is refused as a missing argument", () => {
    expect(thrown(() => new (WebSocket as unknown as new () => WebSocket)())).toEqual({
      name: "TypeError",
      message: "Failed to construct 'WebSocket': constructor parameter 1 is not of type 'string'.",
    });
  });

  it("new WebSocket(url) checks the URL as the runtime does", () => {
    const make = (url: string) => thrown(() => new WebSocket(url));
    expect(make("http://x")).toEqual({ name: "SyntaxError", message: "WebSocket Constructor: The url scheme must be ws or wss.", code: 12 });
    expect(make("not a url")).toEqual({ name: "SyntaxError", message: "WebSocket Constructor: The url is invalid.", code: 12 });
    expect(make("ws://x/#frag")).toEqual({ name: "SyntaxError", message: "WebSocket Constructor: The url fragment must be empty.", code: 12 });
  });

  it("new WebSocket(url) reaches a WebSocket the test stubbed on the global object (MSW's interceptor), once the URL is valid", () => {
    class Mocked {
      constructor(readonly url: unknown, readonly protocols: unknown) {}
    }
    vi.stubGlobal("WebSocket", Mocked);
    try {
      const made = new WebSocket("wss://example.com/echo", "chat") as unknown as Mocked;
      expect([made instanceof Mocked, made.url, made.protocols]).toEqual([true, "wss://example.com/echo", "chat"]);
      expect(thrown(() => new WebSocket("http://x"))?.name).toBe("SyntaxError");
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("messages", () => {
  it("carry text and copies of binary data, as each end's binaryType asks", async () => {
    const [a, b] = acceptedPair();
    const atA = record(a);
    const atB = record(b);
    b.binaryType = "arraybuffer";
    const bytes = new Uint8Array([1, 2, 3, 4]);
    for (const message of ["hello", "", new Uint8Array([1, 2]), bytes.subarray(1, 3), new Uint8Array([5, 6, 7]).buffer, new DataView(new Uint8Array([8, 9]).buffer), 42, { a: 1 }, null]) {
      a.send(message);
    }
    // Buffers of another realm (a Jest test file's, say) are bytes too.
    for (const message of runInNewContext("[new Int8Array([10, 11]).buffer, new Int16Array([3])]") as unknown[]) {
      a.send(message);
    }
    bytes.fill(0); // the sent view was copied at send()
    b.send(new Uint8Array([9]));
    b.send("to a");
    await settle();
    expect(atB).toEqual([
      ["message", "hello"],
      ["message", ""],
      ["message", "ArrayBuffer:0102"],
      ["message", "ArrayBuffer:0203"],
      ["message", "ArrayBuffer:050607"],
      ["message", "ArrayBuffer:0809"],
      ["message", "42"],
      ["message", "[object Object]"],
      ["message", "null"],
      ["message", "ArrayBuffer:0a0b"],
      ["message", "ArrayBuffer:0300"],
    ]);
    expect(atA).toEqual([
      ["message", "Blob:1"],
      ["message", "to a"],
    ]);
    expect(thrown(() => (a.send as () => void)())).toEqual({
      name: "TypeError",
      message: "Failed to execute 'send' on 'WebSocket': parameter 1 is not of type 'ArrayBuffer or ArrayBufferView or string'.",
    });
    expect(thrown(() => a.send(Symbol("s")))).toEqual({ name: "TypeError", message: "Cannot convert a Symbol value to a string" });
  });

  it("an explicit undefined is sent as text, a detached buffer or a view of one as an empty binary message", async () => {
    const [a, b] = acceptedPair();
    const atB = record(b);
    b.binaryType = "arraybuffer";
    const detached = new ArrayBuffer(4);
    const view = new Uint8Array(detached, 1);
    structuredClone(detached, { transfer: [detached] });
    a.send(undefined);
    a.send(detached);
    a.send(view);
    await settle();
    expect(atB).toEqual([
      ["message", "undefined"],
      ["message", "ArrayBuffer:"],
      ["message", "ArrayBuffer:"],
    ]);
  });

  it("keep their order, in both directions, however many", async () => {
    const [a, b] = acceptedPair();
    const atB = record(b);
    const atA = record(a);
    const sent = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    for (const m of sent) {
      a.send(m);
      b.send(m);
    }
    await settle(5);
    expect(atB.map((e) => e[1])).toEqual(sent);
    expect(atA.map((e) => e[1])).toEqual(sent);
  });

  it("arrive with each lone surrogate of a text as three U+FFFD (its WTF-8 bytes read as UTF-8); a close reason's as one", async () => {
    const [a, b] = acceptedPair();
    const atB = record(b);
    a.send("x\uD800y\uDC00");
    a.close(4000, "bye\uD800");
    await settle(5);
    expect(atB.slice(0, 2).map((e) => e.slice(0, 3))).toEqual([
      ["message", "x\uFFFD\uFFFD\uFFFDy\uFFFD\uFFFD\uFFFD"],
      ["close", 4000, "bye\uFFFD"],
    ]);
  });

  it("crossing a pair back and forth all arrive before a Worker's timer that fell due meanwhile fires, as in workerd's event loop", async () => {
    const module = {
      default: {
        async fetch() {
          const [a, b] = new WebSocketPair();
          a.accept();
          b.accept();
          const seen: string[] = [];
          for (const [end, name] of [[a, "a"], [b, "b"]] as const) {
            end.addEventListener("message", (event) => {
              const n = Number((event as MessageEvent).data);
              seen.push(name + n);
              if (n < 9) end.send(String(n + 1));
            });
          }
          setTimeout(() => seen.push("timer"), 1);
          a.send("0");
          // The timer is due before the first message arrives, whatever the machine's speed.
          for (const until = Date.now() + 20; Date.now() < until; );
          await new Promise((resolve) => setTimeout(resolve, 50));
          return new Response(seen.join(" "));
        },
      },
    };
    const res = await emulator({ module }).dispatchFetch("http://x/");
    expect(await res.text()).toBe("b0 a1 b2 a3 b4 a5 b6 a7 b8 a9 timer");
  });

  it("crossing a pair of test code's all arrive before test code's timer that fell due meanwhile fires (a listener's timers of an end outside every object too)", async () => {
    const [a, b] = acceptedPair();
    const seen: string[] = [];
    let listenerTimerFired!: () => void;
    const listenerTimer = new Promise<void>((resolve) => (listenerTimerFired = resolve));
    for (const [end, name] of [[a, "a"], [b, "b"]] as const) {
      end.addEventListener("message", (event) => {
        const n = Number((event as MessageEvent).data);
        seen.push(name + n);
        if (n === 0) {
          setTimeout(() => {
            seen.push("listener's timer");
            listenerTimerFired();
          }, 0);
          // Due before the next frame arrives, whatever the machine's speed.
          for (const until = Date.now() + 5; Date.now() < until; );
        }
        if (n < 9) end.send(String(n + 1));
      });
    }
    setTimeout(() => seen.push("timer"), 1);
    a.send("0");
    for (const until = Date.now() + 20; Date.now() < until; );
    await listenerTimer;
    expect(seen.join(" ")).toBe("b0 a1 b2 a3 b4 a5 b6 a7 b8 a9 timer listener's timer");
  });

  it("arriving while a Worker's timer is due run first, and a listener that clears it keeps it from firing", async () => {
    const module = {
      default: {
        async fetch() {
          const [a, b] = new WebSocketPair();
          a.accept();
          b.accept();
          const seen: string[] = [];
          const timer = setTimeout(() => seen.push("timer"), 1);
          b.addEventListener("message", (event) => b.send((event as MessageEvent).data as string));
          a.addEventListener("message", (event) => {
            seen.push((event as MessageEvent).data as string);
            clearTimeout(timer);
          });
          a.send("reply");
          for (const until = Date.now() + 20; Date.now() < until; );
          await new Promise((resolve) => setTimeout(resolve, 50));
          return new Response(seen.join(" "));
        },
      },
    };
    const res = await emulator({ module }).dispatchFetch("http://x/");
    expect(await res.text()).toBe("reply");
  });

  it("sent before the other end accepts wait for it and arrive after accept()", async () => {
    const [a, b] = new WebSocketPair();
    a.accept();
    a.send("early 1");
    a.send("early 2");
    await settle();
    b.accept();
    const atB = record(b);
    await settle();
    expect(atB).toEqual([
      ["message", "early 1"],
      ["message", "early 2"],
    ]);
  });

  it("are events of the receiving end's host, and leave the sending end when its output gate opens", async () => {
    const host = new TestHost();
    const [a, b] = socketInternals().pair(host);
    a.accept();
    b.accept();
    const atB = record(b);
    a.send("not gated");
    host.closeGate();
    a.send("gated 1");
    a.send("gated 2");
    host.runEvents();
    expect(atB).toEqual([["message", "not gated"]]);
    host.openGate();
    await settle();
    expect(atB).toEqual([["message", "not gated"]]); // arrived, but their events have not run
    host.runEvents();
    expect(atB.map((e) => e[1])).toEqual(["not gated", "gated 1", "gated 2"]);
  });

  it("waiting for a gate that fails are dropped, with every message after them", async () => {
    const host = new TestHost();
    const [a, b] = socketInternals().pair(host);
    a.accept();
    b.accept();
    const atB = record(b);
    a.send("before");
    host.closeGate();
    a.send("lost 1");
    a.send("lost 2");
    host.failGate();
    await settle();
    host.runEvents();
    expect(atB).toEqual([["message", "before"]]);
    a.send("after the failure");
    await settle();
    host.runEvents();
    expect(atB).toEqual([["message", "before"]]);
  });
});

describe("close", () => {
  it("checks codes and reasons before sending, with the runtime's errors", () => {
    const tries: Array<[unknown[], unknown]> = [
      [[999], { name: "InvalidAccessError", message: "Invalid WebSocket close code: 999.", code: 15 }],
      [[1005], { name: "InvalidAccessError", message: "Invalid WebSocket close code: 1005.", code: 15 }],
      [[5000], { name: "InvalidAccessError", message: "Invalid WebSocket close code: 5000.", code: 15 }],
      [[NaN], { name: "InvalidAccessError", message: "Invalid WebSocket close code: 0.", code: 15 }],
      [[2 ** 31], { name: "TypeError", message: "Value out of range. Must be between -2147483648 and 2147483647 (inclusive)." }],
      [[undefined, "why"], { name: "InvalidAccessError", message: "If you specify a WebSocket close reason, you must also specify a code.", code: 15 }],
      [[1000, "x".repeat(124)], { name: "SyntaxError", message: "WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.", code: 12 }],
      [[1000, "\u00e9".repeat(62)], { name: "SyntaxError", message: "WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.", code: 12 }],
      [[1000.9, "x".repeat(123)], undefined],
      [["3000"], undefined],
    ];
    for (const [args, expected] of tries) {
      const [a] = acceptedPair();
      expect(thrown(() => a.close(...args)), JSON.stringify(args)).toEqual(expected);
      expect(a.readyState).toBe(expected === undefined ? 2 : 1);
    }
  });

  it("checks the code and reason before the end's state: a pending or closed end refuses bad ones too", () => {
    const badCode = { name: "InvalidAccessError", message: "Invalid WebSocket close code: 999.", code: 15 };
    const longReason = { name: "SyntaxError", message: "WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.", code: 12 };
    const [, pending] = new WebSocketPair();
    expect(thrown(() => pending.close(999))).toEqual(badCode);
    expect(thrown(() => pending.close(1000, "x".repeat(124)))).toEqual(longReason);
    expect(thrown(() => pending.close(1000))).toEqual({ name: "TypeError", message: NOT_ACCEPTED });
    const [closed] = acceptedPair();
    closed.close();
    expect(thrown(() => closed.close(999))).toEqual(badCode);
    expect(thrown(() => closed.close(undefined, "why"))?.message).toBe("If you specify a WebSocket close reason, you must also specify a code.");
    expect(thrown(() => closed.close(1000))).toBeUndefined();
  });

  it("is answered by the peer with the same code and reason; the peer then reports the connection lost", async () => {
    const [x, y] = acceptedPair();
    const atX = record(x);
    const atY = record(y);
    x.close(3001, "done");
    expect([x.readyState, y.readyState]).toEqual([2, 1]);
    expect(thrown(() => x.send("z"))).toEqual({ name: "TypeError", message: "Can't call WebSocket send() after close()." });
    expect(thrown(() => x.close(1000, "again"))).toBeUndefined();
    await settle();
    expect(atY).toEqual([
      ["close", 3001, "done", true, 3],
      ["error", "Uncaught Error: Network connection lost."],
    ]);
    expect(atX).toEqual([["close", 3001, "done", true, 3]]);
    expect(thrown(() => y.send("z"))).toEqual({ name: "TypeError", message: "Can't call WebSocket send() after close()." });
    expect([x.readyState, y.readyState]).toEqual([3, 3]);
  });

  it("is left unanswered by an end accepted with allowHalfOpen: it stays CLOSING, may still send, and closes with its own code", async () => {
    const [x, y] = new WebSocketPair();
    x.accept();
    y.accept({ allowHalfOpen: true });
    const atX = record(x);
    const atY = record(y);
    x.close(4000, "from x");
    await settle();
    expect(atY).toEqual([["close", 4000, "from x", true, 2]]);
    expect([x.readyState, y.readyState]).toEqual([2, 2]);
    y.send("still open this way");
    await settle();
    y.close(4001, "y replies");
    await settle();
    expect(atX).toEqual([
      ["message", "still open this way"],
      ["close", 4001, "y replies", true, 3],
    ]);
    // Its own Close answered the one that came in: it then reports the connection lost, as an
    // end that lets the runtime answer does.
    expect(atY).toEqual([
      ["close", 4000, "from x", true, 2],
      ["error", "Uncaught Error: Network connection lost."],
    ]);
    expect([x.readyState, y.readyState]).toEqual([3, 3]);
  });

  it("accept() takes an options dictionary or nothing, refusing other values as the runtime does", () => {
    const notOptions = { name: "TypeError", message: "Failed to execute 'accept' on 'WebSocket': parameter 1 is not of type 'AcceptOptions'." };
    for (const options of [5, "x", true]) {
      const [a] = new WebSocketPair();
      expect(thrown(() => a.accept(options as never))).toEqual(notOptions);
    }
    for (const options of [undefined, null, {}, { allowHalfOpen: false }, { allowHalfOpen: 1 }]) {
      const [a] = new WebSocketPair();
      expect(thrown(() => a.accept(options as never))).toBeUndefined();
    }
  });

  it("without a code shows 1005 and an empty reason to both ends", async () => {
    const [x, y] = acceptedPair();
    const atX = record(x);
    const atY = record(y);
    x.close();
    await settle();
    expect(atY[0]).toEqual(["close", 1005, "", true, 3]);
    expect(atX).toEqual([["close", 1005, "", true, 3]]);
  });

  it("comes after every message sent before it", async () => {
    const [x, y] = acceptedPair();
    const atY = record(y);
    for (let i = 0; i < 5; i++) x.send(`m${i}`);
    x.close(4000, "last");
    await settle();
    expect(atY.map((e) => e[1])).toEqual(["m0", "m1", "m2", "m3", "m4", 4000, "Uncaught Error: Network connection lost."]);
  });
});

describe("an abrupt disconnect", () => {
  it("is a 1006 close event seen in the state before it; later sends and closes are ignored", async () => {
    const host = new TestHost();
    const [a, b] = new WebSocketPair();
    b.accept();
    const atB = record(b);
    const end = socketInternals().makeHibernatable(a); // any way to reach the connection's end
    end.host = host;
    end.disconnect();
    await settle();
    expect(atB).toEqual([["close", 1006, "WebSocket disconnected without sending Close frame.", false, 1]]);
    expect(b.readyState).toBe(2);
    expect(thrown(() => b.send("late"))).toBeUndefined();
    expect(thrown(() => b.close(1000))).toBeUndefined();
  });
});

describe("the host's count of accepted ends", () => {
  it("counts an accepted end until both directions are closed, and enforces the host's limit", async () => {
    const host = new TestHost();
    host.limit = 1;
    const [a, b] = socketInternals().pair(host);
    a.accept();
    expect(host.open.size).toBe(1);
    expect(thrown(() => b.accept())).toEqual({ name: "Error", message: "too many open" });
    expect(thrown(() => b.send("x"))).toEqual({ name: "TypeError", message: NOT_ACCEPTED });
    a.close(1000);
    expect(host.open.size).toBe(1);
  });
});

describe("being returned in a Response (coupling)", () => {
  it("hands the connection to a new caller end and releases the returned one", async () => {
    const [client, server] = new WebSocketPair();
    server.accept();
    server.send("queued for the caller");
    const atServer = record(server);
    const { socket: callerEnd, refusal } = socketInternals().couple(client, new TestHost(), OUTSIDE);
    expect(refusal).toBeUndefined();
    expect(thrown(() => client.accept())).toEqual({ name: "TypeError", message: "Can't accept() WebSocket that was already used in a response." });
    expect(thrown(() => client.send("ignored"))).toBeUndefined();
    expect(thrown(() => client.close())).toBeUndefined();
    expect(client.readyState).toBe(1);
    expect(socketInternals().couple(client, new TestHost(), OUTSIDE).refusal?.message).toBe("Can't return WebSocket that was already used in a response.");
    expect(socketInternals().couple(server, new TestHost(), OUTSIDE).refusal?.message).toBe("Can't return WebSocket in a Response after calling accept().");
    expect(callerEnd).not.toBe(client);
    expect(callerEnd.readyState).toBe(1);
  });

  it("of an end that cannot be returned gives the caller an end that is disconnected at once", async () => {
    const [client] = new WebSocketPair();
    client.accept();
    const host = new TestHost();
    const { socket, refusal } = socketInternals().couple(client, host, OUTSIDE);
    expect(refusal?.message).toBe("Can't return WebSocket in a Response after calling accept().");
    socket.accept();
    const seen = record(socket);
    host.runEvents();
    expect(seen).toEqual([["close", 1006, "WebSocket disconnected without sending Close frame.", false, 1]]);
  });
});

describe("listeners", () => {
  it("that throw are reported, not raised; the other listeners still run; removal works", async () => {
    const report = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const [a, b] = acceptedPair();
    const atA = record(a);
    const ran: string[] = [];
    const throwing = () => {
      throw new Error("listener failed");
    };
    const removed = () => ran.push("removed listener");
    b.addEventListener("message", throwing);
    b.addEventListener("message", throwing); // same listener twice: one registration
    b.addEventListener("message", () => ran.push("second"));
    b.addEventListener("message", async () => {
      throw new Error("async listener failed");
    });
    b.addEventListener("message", { handleEvent: () => ran.push("object") });
    b.addEventListener("message", removed);
    b.removeEventListener("message", removed);
    b.addEventListener("error", (e) => ran.push(`error: ${(e as ErrorEvent).message}, state ${b.readyState}`));
    a.send("x");
    a.send("y");
    await settle();
    // The throw at "x" ends the connection, as the runtime ends it: "y" is never read.
    expect(ran).toEqual(["second", "object", "error: Uncaught Error: listener failed, state 3"]);
    expect(report.mock.calls.map((call) => [call[0], (call[1] as Error).message])).toEqual([
      ["Uncaught", "listener failed"],
      ["Uncaught", "async listener failed"],
    ]);
    expect(atA).toEqual([
      ["error", "Uncaught Error: Network connection lost."],
      ["close", 1006, "WebSocket disconnected without sending Close frame.", false, 3],
    ]);
    expect([thrown(() => b.send("late")), thrown(() => b.close(1000))]).toEqual([undefined, undefined]);
  });

  it("that throw while the peer's frames are all read: the peer sees the connection dropped, not lost (a send it makes before it hears so fails)", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const [a, b] = acceptedPair();
    const atA = record(a);
    b.addEventListener("message", () => {
      throw new Error("listener failed");
    });
    a.send("x");
    await settle();
    expect(atA).toEqual([["close", 1006, "WebSocket disconnected without sending Close frame.", false, 1]]);
    // Told of the disconnect, a drops its sends without failing: it stays CLOSING.
    a.send("late");
    a.close(1000);
    await settle();
    expect([atA.length, a.readyState]).toEqual([1, 2]);
    const [c, d] = acceptedPair();
    const atC = record(c);
    d.addEventListener("message", () => {
      queueMicrotask(() => c.send("before c hears of it"));
      throw new Error("listener failed");
    });
    c.send("x");
    await settle();
    expect(atC.map((e) => e[0])).toEqual(["error", "close"]);
    expect(c.readyState).toBe(3);
  });

  it("that throw something other than an Error end the connection with that value wrapped in one; an async listener's rejection ends nothing", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const [a, b] = acceptedPair();
    const errors: unknown[] = [];
    b.addEventListener("message", () => {
      throw "a string";
    });
    b.addEventListener("error", (e) => errors.push([(e as ErrorEvent).message, String((e as ErrorEvent).error)]));
    a.send("x");
    await settle();
    expect(errors).toEqual([["Uncaught Error: a string", "Error: a string"]]);
    const [c, d] = acceptedPair();
    const atD = record(d);
    d.addEventListener("message", async () => {
      throw new Error("later");
    });
    c.send("one");
    c.send("two");
    await settle();
    expect(atD).toEqual([["message", "one"], ["message", "two"]]);
    expect(d.readyState).toBe(1);
  });

  it("of Worker code's own dispatchEvent() may throw without ending anything", () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const [a] = acceptedPair();
    a.addEventListener("message", () => {
      throw new Error("thrown");
    });
    expect(a.dispatchEvent(new MessageEvent("message", { data: 1 }))).toBe(true);
    expect(a.readyState).toBe(1);
    expect(thrown(() => a.dispatchEvent({ type: "message" } as Event))).toEqual({
      name: "TypeError",
      message: "Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.",
    });
  });

  it("every one sees the end as currentTarget, at target phase (Node's EventTarget loses them after the first)", async () => {
    const [a, b] = acceptedPair();
    const phases: unknown[] = [];
    for (let i = 0; i < 3; i++) b.addEventListener("message", (e) => phases.push([e.currentTarget === b, e.eventPhase]));
    a.send("x");
    await settle();
    expect(phases).toEqual([[true, 2], [true, 2], [true, 2]]);
  });

  it("an on<type> property holding a function is called first, looked up at each dispatch, with the global object as this; its return value is ignored", async () => {
    const [a, b] = acceptedPair();
    const seen: unknown[] = [];
    const socket = b as unknown as Record<string, unknown>;
    b.addEventListener("message", (e) => {
      seen.push(["listener", (e as MessageEvent).data, e.defaultPrevented]);
    });
    socket.onmessage = function (this: unknown, e: MessageEvent) {
      seen.push(["onmessage", e.data, this, e.currentTarget === b]);
      return true;
    };
    a.send("one");
    await settle();
    socket.onmessage = { handleEvent: () => seen.push(["object"]) };
    a.send("two");
    await settle();
    delete socket.onmessage;
    Object.defineProperty(Object.getPrototypeOf(b), "onfoo", { value: () => seen.push(["inherited onfoo"]), configurable: true });
    b.dispatchEvent(new Event("foo"));
    delete (Object.getPrototypeOf(b) as Record<string, unknown>).onfoo;
    socket.onclose = (e: CloseEvent) => seen.push(["onclose", e.code]);
    a.close(4000, "bye");
    await settle();
    expect(seen).toEqual([
      ["onmessage", "one", globalThis, true],
      ["listener", "one", false],
      ["listener", "two", false],
      ["inherited onfoo"],
      ["onclose", 4000],
    ]);
    expect("onmessage" in b).toBe(false);
  });

  it("that throw a value String() cannot convert end the connection like any other; nothing escapes into the process", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const [a, b] = acceptedPair();
    const atA = record(a);
    const errors: unknown[] = [];
    b.addEventListener("message", () => {
      throw Object.create(null);
    });
    b.addEventListener("error", (e) => errors.push((e as ErrorEvent).message));
    // "y" is left unread: a's send of it fails, so a sees the connection lost.
    a.send("x");
    a.send("y");
    await settle();
    expect(errors).toEqual(["Uncaught Error: [object Object]"]);
    expect([a.readyState, b.readyState]).toEqual([3, 3]);
    expect(atA.map((e) => e[0])).toEqual(["error", "close"]);
  });

  it("that throw an Error of another realm (the Jest preset's Worker code) report that Error itself", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const [a, b] = acceptedPair();
    const error = runInNewContext('new TypeError("from another realm")') as Error;
    expect(error instanceof Error).toBe(false);
    b.addEventListener("message", () => {
      throw error;
    });
    const seen: unknown[] = [];
    b.addEventListener("error", (e) => seen.push([(e as ErrorEvent).message, (e as ErrorEvent).error === error]));
    a.send("x");
    await settle();
    expect(seen).toEqual([["Uncaught TypeError: from another realm", true]]);
  });

  it("registered around the override still leave on<type> to be called, with nothing thrown into Node", async () => {
    const [a, b] = acceptedPair();
    const seen: unknown[] = [];
    EventTarget.prototype.addEventListener.call(b, "message", () => seen.push("raw"));
    (b as unknown as Record<string, unknown>).onmessage = () => seen.push("onmessage");
    a.send("x");
    await settle();
    expect(seen).toEqual(["raw", "onmessage"]);
  });

  it("without spec_compliant_dispatch_exceptions (a Worker dated before 2026-09-15): the first that throws ends the dispatch, Worker code's dispatchEvent() throws it, and a close listener's is an error event", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const event = new WorkerEvent(new Set(), {}, { ...NEWEST_CODE_FEATURES, specCompliantDispatchExceptions: false });
    const [[a, b], [c, d]] = event.scope.runInAsyncScope(() => [acceptedPair(), acceptedPair()]);
    const seen: unknown[] = [];
    const failure = new Error("first threw");
    b.addEventListener("message", () => {
      throw failure;
    });
    b.addEventListener("message", () => seen.push("second"));
    b.addEventListener("error", (e) => seen.push((e as ErrorEvent).message));
    expect(() => b.dispatchEvent(new MessageEvent("message", { data: 1 }))).toThrow(failure);
    expect(b.readyState).toBe(1);
    a.send("x");
    a.send("y");
    await settle();
    expect(seen).toEqual(["Uncaught Error: first threw"]);
    expect([a.readyState, b.readyState]).toEqual([3, 3]);
    d.addEventListener("close", () => {
      throw new Error("close threw");
    });
    d.addEventListener("close", () => seen.push("second close"));
    d.addEventListener("error", (e) => seen.push([(e as ErrorEvent).message, d.readyState]));
    c.close(4000);
    await settle();
    expect(seen.slice(1)).toEqual([["Uncaught Error: close threw", 3]]);
  });

  it("in a Worker dated 2026-09-14 (without spec_compliant_dispatch_exceptions): a close or error listener's exception that nothing acts on is logged as uncaught, as workerd logs it", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const seen: unknown[] = [];
    const emu = emulator({
      compatibilityDate: "2026-09-14",
      module: {
        default: {
          async fetch() {
            const [a, b] = new WebSocketPair();
            a.accept();
            b.accept();
            b.addEventListener("close", () => {
              throw new Error("close threw");
            });
            b.addEventListener("close", () => seen.push("second close"));
            b.addEventListener("error", () => {
              throw new Error("error threw");
            });
            // The close listener's exception is an error event, whose listener's is logged.
            a.close(1000);
            await new Promise((resolve) => setTimeout(resolve, 20));
            return new Response("ok");
          },
        },
      },
    });
    expect(await (await emu.dispatchFetch("http://x/")).text()).toBe("ok");
    await settle();
    const messages = logged.mock.calls.map(([, error]) => (error as Error).message);
    expect(seen).toEqual([]);
    expect(messages).toContain("close threw");
    expect(messages).toContain("error threw");
  });

  it("that return true cancel the event, as preventDefault() does", () => {
    const [a] = new WebSocketPair();
    a.addEventListener("probe", () => true);
    const event = new Event("probe", { cancelable: true });
    expect(a.dispatchEvent(event)).toBe(false);
    expect(event.defaultPrevented).toBe(true);
    a.addEventListener("other", () => false);
    expect(a.dispatchEvent(new Event("other", { cancelable: true }))).toBe(true);
  });

  it("that return a value get the runtime's warning, once per target (a boolean is no value)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const [a, b] = acceptedPair();
    const [c, d] = acceptedPair();
    b.addEventListener("message", () => false);
    b.addEventListener("message", () => 42);
    b.addEventListener("message", () => "again");
    d.addEventListener("message", async () => undefined);
    const [e, f] = acceptedPair();
    // A promise of another realm (a Jest test file's) is a promise too.
    f.addEventListener("message", () => runInNewContext("Promise.resolve()"));
    a.send("x");
    a.send("y");
    c.send("z");
    e.send("w");
    await settle();
    expect(warn.mock.calls).toEqual([
      ['An event handler returned a value of type "number" that will be ignored. Event handlers should not have a return value.'],
      ["An event handler returned a promise that will be ignored. Event handlers should not have a return value and should not be async functions."],
      ["An event handler returned a promise that will be ignored. Event handlers should not have a return value and should not be async functions."],
    ]);
  });
});

describe("attachments", () => {
  it("hold a structured clone of at most 16384 bytes; every read is a fresh copy", () => {
    const [a] = new WebSocketPair();
    expect(a.deserializeAttachment()).toBeNull();
    expect(thrown(() => a.serializeAttachment("x".repeat(16379)))).toBeUndefined();
    expect(thrown(() => a.serializeAttachment("x".repeat(16380)))).toEqual({
      name: "Error",
      message: "A WebSocket 'attachment' cannot be larger than 16384 bytes.'attachment' was 16385 bytes.",
    });
    expect((a.deserializeAttachment() as string).length).toBe(16379);
    expect(thrown(() => a.serializeAttachment(() => 1))).toEqual({ name: "DataCloneError", message: "() => 1 could not be cloned.", code: 25 });
    expect(thrown(() => (a.serializeAttachment as () => void)())).toEqual({
      name: "TypeError",
      message: "Failed to execute 'serializeAttachment' on 'WebSocket': parameter 1 is not of type 'Value'.",
    });
    a.serializeAttachment(undefined);
    expect(a.deserializeAttachment()).toBeUndefined();
    const value = { n: 1, when: new Date(0), map: new Map([[1, "one"]]) };
    a.serializeAttachment(value);
    value.n = 2;
    const first = a.deserializeAttachment() as typeof value;
    first.n = 3;
    expect(a.deserializeAttachment()).toEqual({ n: 1, when: new Date(0), map: new Map([[1, "one"]]) });
  });
});

describe("MessageEvent, CloseEvent and ErrorEvent", () => {
  it("convert their arguments as the runtime does", () => {
    expect(new MessageEvent("message").data).toBe(null);
    expect(new MessageEvent("message", { data: undefined }).data).toBe(null);
    expect(new MessageEvent("m", null as never).data).toBe(null);
    expect([new MessageEvent(5 as never).type, new MessageEvent(undefined as never).type]).toEqual(["5", "undefined"]);
    expect(new CloseEvent("c", { code: "x" as never }).code).toBe(0);
    expect([new CloseEvent("c", { code: 70000 }).code, new CloseEvent("c", { code: -1 }).code]).toEqual([70000, -1]);
    // A 32-bit integer, as jsg converts an int.
    expect([1.5, -1.5, Infinity, NaN].map((code) => new CloseEvent("c", { code }).code)).toEqual([1, -1, 0, 0]);
    expect(thrown(() => new CloseEvent("c", { code: 2 ** 31 }))).toEqual({
      name: "TypeError",
      message: "Value out of range. Must be between -2147483648 and 2147483647 (inclusive).",
    });
    expect(thrown(() => new CloseEvent("c", { code: 10n as never }))?.name).toBe("TypeError");
    for (const [Class, name] of [
      [MessageEvent, "MessageEvent"],
      [CloseEvent, "CloseEvent"],
      [ErrorEvent, "ErrorEvent"],
    ] as const) {
      expect(thrown(() => new (Class as new (...args: unknown[]) => Event)())?.message).toBe(`Failed to construct '${name}': constructor parameter 1 is not of type 'string'.`);
      expect(thrown(() => new (Class as new (...args: unknown[]) => Event)("x", 5))?.message).toBe(`Failed to construct '${name}': constructor parameter 2 is not of type 'Initializer'.`);
      expect(thrown(() => (Class as unknown as (type: string) => Event)("x"))?.message).toBe(
        `Failed to construct '${name}': Please use the 'new' operator, this object constructor cannot be called as a function.`,
      );
      expect([Class.name, Class.length, new (Class as new (type: string) => Event)("x") instanceof Class]).toEqual([name, 0, true]);
    }
  });
});
