import { afterEach, describe, expect, it, vi } from "vitest";
import { CloseEvent, Response, WebSocketPair, WebSocketRequestResponsePair } from "../../../lib/modules/worker-globals.js";
import { DurableObject } from "../../../lib/modules/workers.js";
import type { WebSocket } from "../../../lib/runtime/websockets/web-socket.js";
import { type AnyStub, emulator, rejection } from "../../helpers.js";
import { record, type Seen, settle } from "./helpers.js";

/**
 * WebSockets of Durable Objects through the public API: what a client end observes, what the
 * object's handlers see, across the gates, resets, eviction and hibernation.
 */

interface State {
  acceptWebSocket(ws: WebSocket, tags?: string[]): void;
  getWebSockets(tag?: string): WebSocket[];
  getTags(ws: WebSocket): string[];
  setWebSocketAutoResponse(pair?: WebSocketRequestResponsePair): void;
  getWebSocketAutoResponseTimestamp(ws: WebSocket): Date | null;
  setHibernatableWebSocketEventTimeout(ms?: number): void;
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
  storage: { put(key: string, value: unknown): Promise<void>; get(key: string): Promise<unknown> };
}

let constructed: string[] = [];
let handled: unknown[][] = [];
/** Ends the blockConcurrencyWhile a "block" message started. */
let unblock: () => void = () => undefined;

afterEach(() => {
  constructed = [];
  handled = [];
  vi.restoreAllMocks();
});

/** Accepts hibernatable sockets (tags from ?tag=, attachment from ?name=); plain ones at /plain. */
class Room extends DurableObject {
  declare ctx: State;
  memory = "fresh";

  constructor(ctx: State, env: unknown) {
    super(ctx, env);
    constructed.push("Room");
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const [client, server] = new WebSocketPair();
    if (url.pathname === "/plain") {
      server.accept();
      server.addEventListener("message", (e) => this.onMessage(server, (e as MessageEvent).data as string));
    } else {
      this.ctx.acceptWebSocket(server, url.searchParams.getAll("tag"));
      server.serializeAttachment({ name: url.searchParams.get("name") });
    }
    this.memory = "set by fetch";
    return new Response(null, { status: 101, webSocket: client });
  }

  onMessage(ws: WebSocket, message: string): void | Promise<void> {
    handled.push([message, this.memory]);
    if (message === "write then send") {
      ws.send("before the write");
      void this.ctx.storage.put("k", "v");
      ws.send("after the write");
    } else if (message === "wait") {
      return new Promise((resolve) => setTimeout(resolve, 60_000));
    } else if (message === "then throws") {
      return {
        get then(): never {
          throw new RangeError("then getter threw");
        },
      } as unknown as Promise<void>;
    } else if (message === "block") {
      void this.ctx.blockConcurrencyWhile(() => new Promise<void>((resolve) => (unblock = resolve)));
    } else if (message === "state") {
      const all = this.ctx.getWebSockets();
      ws.send(
        JSON.stringify({
          memory: this.memory,
          tags: this.ctx.getTags(ws),
          attachment: ws.deserializeAttachment(),
          stamp: this.ctx.getWebSocketAutoResponseTimestamp(ws) !== null,
          listed: all.length,
          listedIsThis: all[0] === ws,
        }),
      );
    } else {
      ws.send(`echo ${message}`);
    }
  }

  webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void | Promise<void> {
    return this.onMessage(ws, typeof message === "string" ? message : "binary");
  }

  webSocketClose(ws: WebSocket, code: number, reason: string, wasClean: boolean): void {
    handled.push(["close", code, reason, wasClean]);
  }

  armAutoResponse(): void {
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  setEventTimeout(ms: number): void {
    this.ctx.setHibernatableWebSocketEventTimeout(ms);
  }

  async stored(): Promise<unknown> {
    return this.ctx.storage.get("k");
  }
}

function room(extra: Record<string, unknown> = {}) {
  const emu = emulator({ module: { Room }, durableObjects: { ROOMS: { className: "Room", sqlite: true } }, ...extra });
  return { emu, rooms: emu.env.ROOMS as { getByName(name: string): AnyStub } };
}

async function join(stub: AnyStub, path = "/?name=alice&tag=room"): Promise<{ ws: WebSocket; seen: Seen }> {
  const res = (await stub.fetch(`http://room${path}`, { headers: { Upgrade: "websocket" } })) as Response;
  const ws = res.webSocket!;
  ws.accept();
  return { ws, seen: record(ws) };
}

const ABRUPT: Seen[number] = ["close", 1006, "WebSocket disconnected without sending Close frame.", false, 1];

describe("upgrades", () => {
  it("give the caller a 101 with its own end; messages reach webSocketMessage and replies come back in order", async () => {
    const { rooms } = room();
    const res = (await rooms.getByName("r").fetch("http://room/?name=a", { headers: { Upgrade: "websocket" } })) as Response;
    expect([res.status, res.statusText, res.ok]).toEqual([101, "Switching Protocols", false]);
    const ws = res.webSocket!;
    ws.accept();
    const seen = record(ws);
    for (let i = 0; i < 50; i++) ws.send(`m${i}`);
    await settle();
    expect(seen.map((e) => e[1])).toEqual(Array.from({ length: 50 }, (_, i) => `echo m${i}`));
  });

  it("refuse a WebSocket response to a request without Upgrade: websocket", async () => {
    const { rooms } = room();
    const error = await rejection(rooms.getByName("r").fetch("http://room/"));
    expect([error.name, error.message, error.remote]).toEqual([
      "TypeError",
      'Worker tried to return a WebSocket in a response to a request which did not contain the header "Upgrade: websocket".',
      true,
    ]);
  });

  it("pass through the Worker's fetch handler to dispatchFetch's caller", async () => {
    const worker = {
      fetch: (request: Request, env: { ROOMS: { getByName(n: string): AnyStub } }) => env.ROOMS.getByName("r").fetch(request),
    };
    const emu = emulator({ module: { Room, default: worker }, durableObjects: { ROOMS: "Room" } });
    const res = await emu.dispatchFetch("http://room/?name=a", { headers: { Upgrade: "websocket" } });
    const ws = (res as Response).webSocket!;
    ws.accept();
    const seen = record(ws);
    ws.send("hi");
    await settle();
    expect([res.status, seen]).toEqual([101, [["message", "echo hi"]]]);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect((await emu.dispatchFetch("http://room/")).status).toBe(500);
  });
});

describe("a socket closed before the object answers (a refused connection)", () => {
  /** Accepts a hibernatable end (a plain one at ?plain) and closes it before answering; ?greet sends first. */
  class Doorman extends DurableObject {
    declare ctx: State;
    async fetch(request: Request): Promise<Response> {
      const how = new URL(request.url).searchParams;
      const [client, server] = new WebSocketPair();
      if (how.has("plain")) server.accept();
      else this.ctx.acceptWebSocket(server);
      if (how.has("greet")) server.send("hello");
      server.close(4001, "room full");
      return new Response(null, { status: 101, webSocket: client });
    }
  }

  async function refused(query: string, options?: { allowHalfOpen: boolean }): Promise<Seen> {
    const emu = emulator({ module: { Doorman }, durableObjects: { DOORS: { className: "Doorman", sqlite: true } } });
    const stub = (emu.env.DOORS as { getByName(name: string): AnyStub }).getByName(query);
    const res = (await stub.fetch(`http://door/?${query}`, { headers: { Upgrade: "websocket" } })) as Response;
    const ws = res.webSocket!;
    ws.accept(options);
    if (options?.allowHalfOpen) ws.addEventListener("close", (e) => ws.close((e as CloseEvent).code, "answered"));
    const seen = record(ws);
    await settle();
    return seen;
  }

  const CLOSED: Seen[number] = ["close", 4001, "room full", true, 3];
  const LOST: Seen[number] = ["error", "Uncaught Error: Network connection lost."];

  it("from a hibernatable end whose first frame it is: the client answers and loses no connection", async () => {
    expect(await refused("first")).toEqual([CLOSED]);
    expect(await refused("half", { allowHalfOpen: true })).toEqual([CLOSED]);
  });

  it("after a message, or from an end accepted with accept(): the answered connection is lost", async () => {
    expect(await refused("greet")).toEqual([["message", "hello"], CLOSED, LOST]);
    expect(await refused("plain")).toEqual([CLOSED, LOST]);
  });
});

describe("storage", () => {
  it("refuses a WebSocketPair and a WebSocketRequestResponsePair by their own names, in put() and in an attachment", async () => {
    const script = `
      import { DurableObject } from "cloudflare:workers";
      export class Keeper extends DurableObject {
        async refusals() {
          const values = [new WebSocketPair(), { nested: [new WebSocketRequestResponsePair("ping", "pong")] }];
          const out = [];
          for (const value of values) {
            out.push(await this.ctx.storage.put("k", value).then(() => "stored", (e) => e.name + ": " + e.message));
            try { new WebSocketPair()[1].serializeAttachment(value); out.push("attached"); } catch (e) { out.push(e.name + ": " + e.message); }
          }
          return out;
        }
      }`;
    const stub = (emulator({ script, durableObjects: { KEEPER: { className: "Keeper", sqlite: true } } }).env.KEEPER as { getByName(n: string): AnyStub }).getByName("k");
    const refused = (name: string) => `DataCloneError: Could not serialize object of type "${name}". This type does not support serialization.`;
    expect(await stub.refusals()).toEqual([refused("WebSocketPair"), refused("WebSocketPair"), refused("WebSocketRequestResponsePair"), refused("WebSocketRequestResponsePair")]);
  });
});

describe("handlers", () => {
  it("are the ones an instance has when its constructor returns: a spy set on the class later reaches only instances made after it", async () => {
    const { rooms } = room();
    const before = await join(rooms.getByName("before"));
    before.ws.send("one");
    await settle();
    const spy = vi.spyOn(Room.prototype, "webSocketMessage").mockImplementation(function (this: Room, ws: WebSocket) {
      ws.send("spied");
    });
    before.ws.send("two");
    const after = await join(rooms.getByName("after"));
    after.ws.send("three");
    await settle();
    expect(before.seen).toEqual([
      ["message", "echo one"],
      ["message", "echo two"],
    ]);
    expect(after.seen).toEqual([["message", "spied"]]);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("assigned to the instance after its constructor returned are not called", async () => {
    class Late extends Room {
      override async fetch(request: Request): Promise<Response> {
        (this as { webSocketMessage: unknown }).webSocketMessage = (ws: WebSocket) => ws.send("assigned later");
        return super.fetch(request);
      }
    }
    const emu = emulator({ module: { Late }, durableObjects: { LATE: { className: "Late", sqlite: true } } });
    const { ws, seen } = await join((emu.env.LATE as { getByName(name: string): AnyStub }).getByName("l"));
    ws.send("hi");
    await settle();
    expect(seen).toEqual([["message", "echo hi"]]);
  });
});

describe("the output gate", () => {
  it("drops the sends after a write whose commit fails, and disconnects every socket of the object", async () => {
    const { emu, rooms } = room();
    const stub = rooms.getByName("r");
    const a = await join(stub);
    const b = await join(stub, "/plain");
    emu.failNextCommit(stub);
    a.ws.send("write then send");
    await settle();
    expect(a.seen).toEqual([["message", "before the write"], ABRUPT]);
    expect(b.seen).toEqual([ABRUPT]);
    expect(await rooms.getByName("r").stored()).toBeUndefined();
    expect(handled.filter((h) => h[0] === "close")).toEqual([]);
  });

  it("lets the sends after a write go once it commits", async () => {
    const { rooms } = room();
    const stub = rooms.getByName("r");
    const a = await join(stub);
    a.ws.send("write then send");
    await settle();
    expect(a.seen.map((e) => e[1])).toEqual(["before the write", "after the write"]);
    expect(await stub.stored()).toBe("v");
  });
});

describe("the input gate", () => {
  it("holds socket events, hibernatable or not, while blockConcurrencyWhile runs", async () => {
    const { rooms } = room();
    const stub = rooms.getByName("r");
    for (const path of ["/?name=a", "/plain"]) {
      const a = await join(stub, path);
      a.ws.send("block");
      a.ws.send("after");
      await settle();
      expect(a.seen).toEqual([]);
      unblock();
      await settle();
      expect(a.seen).toEqual([["message", "echo after"]]);
    }
  });
});

describe("hibernation", () => {
  it("keeps hibernatable sockets open across an eviction; the next message re-runs the constructor with tags, attachment and auto-response intact", async () => {
    const { emu, rooms } = room();
    const stub = rooms.getByName("r");
    const a = await join(stub, "/?name=alice&tag=room&tag=u1");
    await stub.armAutoResponse();
    a.ws.send("state");
    await settle();
    await emu.evict(stub);
    expect(constructed).toEqual(["Room"]);
    a.ws.send("ping");
    await settle();
    expect(constructed).toEqual(["Room"]); // an auto-response does not wake the object
    a.ws.send("state");
    await settle();
    expect(constructed).toEqual(["Room", "Room"]);
    const states = a.seen.filter((e) => String(e[1]).startsWith("{")).map((e) => JSON.parse(e[1] as string));
    const common = { tags: ["room", "u1"], attachment: { name: "alice" }, listed: 1, listedIsThis: true };
    expect(states).toEqual([
      { ...common, memory: "set by fetch", stamp: false },
      { ...common, memory: "fresh", stamp: true },
    ]);
    expect(a.seen[1]).toEqual(["message", "pong"]);
  });

  it("closes hibernatable sockets on an eviction with webSockets: \"close\" (no webSocketClose runs)", async () => {
    const { emu, rooms } = room();
    const stub = rooms.getByName("r");
    const a = await join(stub);
    await emu.evict(stub, { webSockets: "close" });
    await settle();
    expect(a.seen).toEqual([ABRUPT]);
    expect(handled).toEqual([]);
    await expect(emu.evict(stub, { webSockets: "later" as "close" })).rejects.toThrow(
      new TypeError('options.webSockets must be "hibernate" or "close".'),
    );
  });

  it("happens after 10 s idle on the emulator's clock; an open non-hibernatable socket keeps the object alive", async () => {
    const { emu, rooms } = room({ clock: "manual" });
    const hibernating = await join(rooms.getByName("h"));
    const plain = await join(rooms.getByName("p"), "/plain");
    hibernating.ws.send("one");
    plain.ws.send("one");
    await settle();
    await emu.advanceTime(10_000);
    hibernating.ws.send("two");
    plain.ws.send("two");
    await settle();
    expect(constructed).toEqual(["Room", "Room", "Room"]);
    expect(handled.map((h) => h.join(" "))).toEqual(["one set by fetch", "one set by fetch", "two fresh", "two set by fetch"]);
  });

  it("closes non-hibernatable sockets when the object is evicted anyway", async () => {
    const { emu, rooms } = room();
    const stub = rooms.getByName("r");
    const plain = await join(stub, "/plain");
    await emu.evict(stub);
    await settle();
    expect(plain.seen).toEqual([ABRUPT]);
  });

  it("ends an event that outlives the event timeout: the instance goes, its sockets stay", async () => {
    const { emu, rooms } = room({ clock: "manual" });
    const stub = rooms.getByName("r");
    const a = await join(stub);
    await stub.setEventTimeout(1_000);
    a.ws.send("wait");
    await settle();
    await emu.advanceTime(1_000);
    await settle();
    a.ws.send("after");
    await settle();
    expect(constructed).toEqual(["Room", "Room"]);
    expect(a.seen).toEqual([["message", "echo after"]]);
    expect(a.ws.readyState).toBe(1);
  });

  it("fails a handler whose result's `then` getter throws as a rejection, the event timeout set or not", async () => {
    for (const timeout of [undefined, 1_000]) {
      const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const { rooms } = room();
      const stub = rooms.getByName("r");
      const a = await join(stub);
      if (timeout !== undefined) await stub.setEventTimeout(timeout);
      a.ws.send("then throws");
      a.ws.send("after");
      await settle();
      expect(errors.mock.calls.map(([what, error]) => [what, (error as Error).message])).toEqual([["Uncaught", "then getter threw"]]);
      expect([constructed, a.seen]).toEqual([["Room"], [["message", "echo after"]]]);
      constructed = [];
      vi.restoreAllMocks();
    }
  });
});

describe("the emulator", () => {
  it("disconnects every socket when it is disposed", async () => {
    const { emu, rooms } = room();
    const a = await join(rooms.getByName("r"));
    const b = await join(rooms.getByName("r"), "/plain");
    await emu.evict(); // a hibernated object's sockets too
    const c = await join(rooms.getByName("s"));
    await emu.dispose();
    await settle();
    expect([a.seen, b.seen, c.seen]).toEqual([[ABRUPT], [ABRUPT], [ABRUPT]]);
  });
});

describe("a Durable Object as a client", () => {
  it("opens a socket to another object and gets its events through its own input gate", async () => {
    class Caller extends DurableObject {
      seen: unknown[] = [];
      async talk() {
        const res = (await (this.env as { ROOMS: { getByName(n: string): AnyStub } }).ROOMS.getByName("r").fetch("http://room/?name=c", {
          headers: { Upgrade: "websocket" },
        })) as Response;
        const ws = res.webSocket!;
        ws.accept();
        ws.addEventListener("message", (e) => this.seen.push((e as MessageEvent).data));
        ws.addEventListener("close", (e) => this.seen.push((e as CloseEvent).code));
        // Waits for the echo and for the room to handle the close: the events themselves, not
        // 20 ms each, which a process run late by a loaded machine can outlast. Then 20 ms in
        // which no close from the room may reach this end.
        const echoed = new Promise((resolve) => ws.addEventListener("message", resolve, { once: true }));
        ws.send("from an object");
        await echoed;
        ws.close(1000, "done");
        while (!handled.some((h) => h[0] === "close")) await new Promise((resolve) => setTimeout(resolve, 1));
        await new Promise((resolve) => setTimeout(resolve, 20));
        return this.seen;
      }
    }
    const emu = emulator({ module: { Room, Caller }, durableObjects: { ROOMS: "Room", CALLERS: "Caller" } });
    expect(await emu.env.CALLERS.getByName("c").talk()).toEqual(["echo from an object"]);
    expect(handled).toContainEqual(["close", 1000, "done", true]);
    void CloseEvent;
  });

  it("owns the sockets its code makes after an await: their events wait for its input gate", async () => {
    let release: () => void = () => undefined;
    const seen: unknown[] = [];
    class Caller extends DurableObject {
      declare ctx: State;
      async talk() {
        await new Promise((resolve) => setTimeout(resolve, 1));
        const res = (await (this.env as { ROOMS: { getByName(n: string): AnyStub } }).ROOMS.getByName("r").fetch("http://room/plain", {
          headers: { Upgrade: "websocket" },
        })) as Response;
        const ws = res.webSocket!;
        ws.accept();
        ws.addEventListener("message", (e) => seen.push((e as MessageEvent).data));
        ws.send("hello");
        void this.ctx.blockConcurrencyWhile(() => new Promise<void>((resolve) => (release = resolve)));
      }
    }
    const emu = emulator({ module: { Room, Caller }, durableObjects: { ROOMS: "Room", CALLERS: "Caller" } });
    const caller = emu.env.CALLERS.getByName("c");
    await caller.talk();
    await settle();
    expect(handled.map((h) => h[0])).toEqual(["hello"]); // the Room answered ...
    expect(seen).toEqual([]); // ... but the caller's gate is closed
    release();
    await settle();
    expect(seen).toEqual(["echo hello"]);
  });
});
