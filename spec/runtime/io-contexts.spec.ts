/**
 * I/O objects belong to the I/O context whose code made them (one Durable Object instance, or
 * one Worker event): reached from another context through a module-level variable, a WebSocket
 * and a Durable Object stub refuse every use with the runtime's words; test code, which runs in
 * no context, uses them freely, and a stub sent over RPC arrives usable. So do Request and
 * Response bodies (but one given as a JavaScript stream), read through their message; one
 * that crosses by fetch() is the receiver's.
 */
import { expect, it, vi } from "vitest";
import { Request, Response, WebSocketPair } from "../../lib/modules/worker-globals.js";
import { DurableObject, RpcStub, RpcTarget, WorkerEntrypoint } from "../../lib/modules/workers.js";
import { WorkerRuntime } from "../../lib/runtime/worker.js";
import type { WebSocket } from "../../lib/runtime/websockets/web-socket.js";
import { type AnyStub, emulator, rejection, sleep, until } from "../helpers.js";
import { OTHER_OBJECT, OTHER_REQUEST } from "../io-context-messages.js";

type Env = { DO: { getByName(name: string): AnyStub } };
let held: { ws: WebSocket; stub: AnyStub } | undefined;
let received: AnyStub;

function sync(use: () => unknown): unknown {
  try {
    return use();
  } catch (error) {
    return (error as Error).message;
  }
}

class Holder extends DurableObject<Env> {
  hold() {
    const pair = new WebSocketPair();
    pair[1].accept();
    held = { ws: pair[1], stub: this.env.DO.getByName("target") };
  }

  async useHeld() {
    const { ws, stub } = held!;
    return {
      readyState: sync(() => ws.readyState),
      send: sync(() => ws.send("x")),
      stub: await stub.hi().catch((error: Error) => error.message),
    };
  }

  /** Hands the held stub to `to`, which calls it. */
  async pass(to: string) {
    return await this.env.DO.getByName(to).callIt(held!.stub);
  }

  async callIt(stub: AnyStub) {
    return await stub.hi();
  }

  /** Keeps what it received in a module-level variable (a Fetcher or a function's stub). */
  receive(stub: AnyStub) {
    received = stub;
  }

  async useReceived() {
    return await received.hi().catch((error: Error) => error.message);
  }

  /** Hands `to` a stub to a fresh function, which it keeps. */
  async passFunction(to: string) {
    await this.env.DO.getByName(to).receive({ hi: () => "fn hi" });
  }

  hi() {
    return "hi";
  }
}

it("a WebSocket and a stub one object made refuse another object, and serve the one that made them", async () => {
  const emu = emulator({ module: { Holder }, durableObjects: { DO: "Holder" } });
  await emu.env.DO.getByName("a").hold();
  expect(await emu.env.DO.getByName("a").useHeld()).toEqual({ readyState: 1, send: undefined, stub: "hi" });
  expect(await emu.env.DO.getByName("b").useHeld()).toEqual({
    readyState: `${OTHER_OBJECT} (I/O type: Native)`,
    send: `${OTHER_OBJECT} (I/O type: Native)`,
    stub: `${OTHER_OBJECT} (I/O type: OutgoingFactory)`,
  });
  // Test code runs in no context.
  expect(held!.ws.readyState).toBe(1);
  expect(await held!.stub.hi()).toBe("hi");
});

it("a stub sent over RPC reaches the receiver as one it may use", async () => {
  const emu = emulator({ module: { Holder }, durableObjects: { DO: "Holder" } });
  await emu.env.DO.getByName("a").hold();
  expect(await emu.env.DO.getByName("a").pass("b")).toBe("hi");
});

it("a stub received over RPC belongs to its receiver as it arrives: another object is refused (SubrequestChannel), test code is not", async () => {
  const emu = emulator({ module: { Holder }, durableObjects: { DO: "Holder" } });
  await emu.env.DO.getByName("a").hold();
  // a sends its own Durable Object stub to b, which keeps the Fetcher it received.
  await emu.env.DO.getByName("b").receive(held!.stub);
  expect(await emu.env.DO.getByName("b").useReceived()).toBe("hi");
  expect(await emu.env.DO.getByName("c").useReceived()).toBe(`${OTHER_OBJECT} (I/O type: SubrequestChannel)`);
  expect(await received.hi()).toBe("hi");
  await emu.env.DO.getByName("b").receive(emu.env.DO.getByName("target"));
  expect(await emu.env.DO.getByName("c").useReceived()).toBe(`${OTHER_OBJECT} (I/O type: SubrequestChannel)`);
  // A function's stub kept past the call that received it is disposed.
  await emu.env.DO.getByName("a").passFunction("b");
  expect(await emu.env.DO.getByName("b").useReceived()).toBe("RPC stub used after being disposed.");
});

it("a stub one Worker request made refuses a later request (a rejection), and an object", async () => {
  let stub: AnyStub;
  const emu = emulator({
    module: {
      Holder,
      default: {
        async fetch(request: Request, env: Env) {
          if (new URL(request.url).pathname === "/make") {
            stub = env.DO.getByName("target");
            return new Response(await stub.hi());
          }
          const pending = stub.hi();
          return new Response((await rejection(pending)).message);
        },
      },
    },
    durableObjects: { DO: "Holder" },
  });
  expect(await (await emu.dispatchFetch("http://w/make")).text()).toBe("hi");
  expect(await (await emu.dispatchFetch("http://w/use")).text()).toBe(`${OTHER_REQUEST} (I/O type: OutgoingFactory)`);
  held = { ws: new WebSocketPair()[0], stub };
  expect((await emu.env.DO.getByName("c").useHeld()).stub).toBe(`${OTHER_OBJECT} (I/O type: OutgoingFactory)`);
});

class Echo extends DurableObject {
  fetch() {
    const pair = new WebSocketPair();
    pair[1].accept();
    pair[1].addEventListener("message", (event) => pair[1].send(`echo ${String((event as MessageEvent).data)}`));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }
}

it("a Worker's listener for frames an object sent runs as no object's code: it may use the Worker's own socket", async () => {
  const emu = emulator({
    module: {
      Echo,
      default: {
        async fetch(_request: Request, env: { ECHO: { getByName(name: string): AnyStub } }) {
          const upstream = ((await env.ECHO.getByName("e").fetch("http://e/", { headers: { Upgrade: "websocket" } })) as { webSocket: WebSocket }).webSocket;
          upstream.accept();
          const pair = new WebSocketPair();
          pair[1].accept();
          pair[1].addEventListener("message", (event) => upstream.send(String((event as MessageEvent).data)));
          upstream.addEventListener("message", (event) => pair[1].send(String((event as MessageEvent).data)));
          return new Response(null, { status: 101, webSocket: pair[0] });
        },
      },
    },
    durableObjects: { ECHO: "Echo" },
  });
  const client = ((await emu.dispatchFetch("http://w/", { headers: { Upgrade: "websocket" } })) as unknown as { webSocket: WebSocket }).webSocket;
  client.accept();
  const reply = new Promise((resolve) => client.addEventListener("message", (event) => resolve((event as MessageEvent).data)));
  client.send("ping");
  expect(await reply).toBe("echo ping");
});

let kept: AnyStub;

class Keeper extends DurableObject<Env> {
  keep(callback: AnyStub) {
    kept = callback.dup();
  }

  async useKept() {
    return await kept(2).catch((error: Error) => error.message);
  }

  /** Sends the kept stub on to `to`, which calls it. */
  async passKept(to: string) {
    return await this.env.DO.getByName(to).callIt(kept);
  }

  async callIt(callback: AnyStub) {
    return await callback(3);
  }
}

it("a stub to a function one object received and dup()ed refuses another object, and serves the one that kept it", async () => {
  const emu = emulator({ module: { Keeper }, durableObjects: { DO: "Keeper" } });
  await emu.env.DO.getByName("a").keep((x: number) => x * 10);
  expect(await emu.env.DO.getByName("a").useKept()).toBe(20);
  expect(await emu.env.DO.getByName("b").useKept()).toBe(`${OTHER_OBJECT} (I/O type: Client)`);
  // Sent on over RPC, it arrives as the receiver's; test code may call it too.
  expect(await emu.env.DO.getByName("a").passKept("b")).toBe(30);
  expect(await kept(4)).toBe(40);
});

const noted: string[] = [];

class Log extends DurableObject {
  note(what: string) {
    noted.push(what);
  }
}

class Firer extends WorkerEntrypoint<{ LOG: { getByName(name: string): AnyStub } }> {
  declare ctx: { waitUntil(promise: Promise<unknown>): void };

  fire(what: string) {
    this.env.LOG.getByName("log").note(what);
    return "returned";
  }

  keep(what: string) {
    this.ctx.waitUntil(this.env.LOG.getByName("log").note(what));
    return "returned";
  }

  /**
   * Answers after a 1 ms timer whose time has passed before the turn ends (a slow turn, a busy
   * machine): the call, made in an earlier turn than the answer, left.
   */
  async afterSlowTurn(what: string, throughSelf = false) {
    if (throughSelf) (this.env as unknown as { SELF: AnyStub }).SELF.keep(what);
    else this.env.LOG.getByName("log").note(what);
    const timer = new Promise((resolve) => setTimeout(resolve, 1));
    const start = performance.now();
    while (performance.now() - start < 5);
    await timer;
    return "returned";
  }

  /** The event lasts while the stub to what it returned is held. */
  returnsTarget(what: string) {
    this.env.LOG.getByName("log").note(what);
    return new Pinger();
  }

  fireThroughSelf() {
    (this.env as unknown as { SELF: AnyStub }).SELF.fire("cancelled");
    return "returned";
  }
}

class Pinger extends RpcTarget {
  ping() {
    return "pong";
  }
}

it("a call a Worker event made and did not await never leaves if the event ends first; waitUntil or a body keeps it going", async () => {
  noted.length = 0;
  const emu = emulator({
    module: {
      Log,
      Firer,
      default: {
        fetch(request: Request, env: { LOG: { getByName(name: string): AnyStub } }) {
          const what = new URL(request.url).pathname.slice(1);
          env.LOG.getByName("log").note(what);
          if (what === "throws") throw new Error("boom");
          if (what !== "upgrade") return new Response(what === "empty" ? null : "body");
          // An event that answered with a WebSocket lasts while the socket is open.
          const pair = new WebSocketPair();
          pair[1].accept();
          return new Response(null, { status: 101, webSocket: pair[0] });
        },
      },
    },
    durableObjects: { LOG: "Log" },
    serviceBindings: { FIRER: { name: "main", entrypoint: "Firer" }, SELF: { name: "main", entrypoint: "Firer" }, MAIN: "main" } as never,
    name: "main",
  });
  const firer = (emu.env as AnyStub).FIRER;
  expect(await firer.fire("cancelled")).toBe("returned");
  expect(await firer.keep("kept")).toBe("returned");
  // Called from a setImmediate callback, as a call from another event arrives: the next turn's timers run before its immediates.
  const afterSlowTurn = (what: string, throughSelf?: boolean) =>
    new Promise((resolve) => setImmediate(() => resolve(firer.afterSlowTurn(what, throughSelf))));
  expect(await afterSlowTurn("after-slow-turn")).toBe("returned");
  expect(await afterSlowTurn("through-self-after-slow-turn", true)).toBe("returned");
  await (await emu.dispatchFetch("http://w/with-body")).text();
  await emu.dispatchFetch("http://w/empty");
  const target = await firer.returnsTarget("returned-target");
  expect(await target.ping()).toBe("pong");
  // The runtime writes a thrown handler's error out, so its calls leave meanwhile.
  await expect((emu.env as AnyStub).MAIN.fetch("http://w/throws")).rejects.toThrow("boom");
  const upgraded = await emu.dispatchFetch("http://w/upgrade", { headers: { Upgrade: "websocket" } });
  expect(upgraded.status).toBe(101);
  // Calls leave in the order they were made: once the last has arrived, any before it that left has too.
  await (await emu.dispatchFetch("http://w/last")).text();
  await until(() => noted.includes("last") && noted.includes("through-self-after-slow-turn"));
  // The call through SELF notes from an event of its own, in its own time.
  expect(noted.filter((what) => what !== "through-self-after-slow-turn")).toEqual(["kept", "after-slow-turn", "with-body", "returned-target", "throws", "upgrade", "last"]);
});

it("a call an ended Worker event cancelled is not kept among its Worker's unanswered calls", async () => {
  // Each would hold its caller's promise chain until the emulator is disposed.
  let pending = 0;
  const answerOrEnd = WorkerRuntime.prototype.answerOrEnd;
  const spy = vi.spyOn(WorkerRuntime.prototype, "answerOrEnd").mockImplementation(function (this: WorkerRuntime, call, toCaller) {
    pending++;
    const settle = () => void pending--;
    call.then(settle, settle);
    return answerOrEnd.call(this, call, toCaller);
  });
  try {
    const emu = emulator({
      module: { Log, Firer },
      durableObjects: { LOG: "Log" },
      serviceBindings: { FIRER: { name: "main", entrypoint: "Firer" }, SELF: { name: "main", entrypoint: "Firer" } } as never,
      name: "main",
    });
    for (let i = 0; i < 20; i++) expect(await (emu.env as AnyStub).FIRER.fireThroughSelf()).toBe("returned");
    await until(() => pending === 0);
    expect(pending).toBe(0);
  } finally {
    spy.mockRestore();
  }
});

it("a new RpcStub(fn) a Worker event sent over RPC keeps the event going while its receiver holds it, so calling it later does not hang", async () => {
  class Hub extends DurableObject {
    cb: AnyStub | undefined;
    keep(cb: AnyStub) {
      this.cb = cb.dup();
      return "kept";
    }
    async fire() {
      return await this.cb!();
    }
    drop() {
      this.cb![Symbol.dispose]();
    }
    hi() {
      return "hi";
    }
  }
  class Svc extends WorkerEntrypoint<{ HUB: { getByName(name: string): AnyStub } }> {
    async subscribe(wrapped: boolean) {
      const callback = async () => await this.env.HUB.getByName("other").hi();
      return await this.env.HUB.getByName(String(wrapped)).keep(wrapped ? new RpcStub(callback) : callback);
    }
  }
  const watched = watchEvents();
  try {
    const emu = emulator({
      module: { Hub, Svc },
      durableObjects: { HUB: "Hub" },
      serviceBindings: { SVC: { name: "main", entrypoint: "Svc" } } as never,
      name: "main",
    });
    const env = emu.env as AnyStub;
    for (const wrapped of [true, false]) {
      expect(await env.SVC.subscribe(wrapped)).toBe("kept");
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Still going: the receiver holds a stub to what it made (it hung here, as an ended event's call).
      expect(watched.events.at(-1)!.ended).toBe(false);
      expect(await env.HUB.getByName(String(wrapped)).fire()).toBe("hi");
      await env.HUB.getByName(String(wrapped)).drop();
      await until(() => watched.events.at(-1)!.ended);
    }
  } finally {
    watched.restore();
  }
});

/** The Worker events its Workers start from now on (they are the runtime's, read only for whether they ended). */
function watchEvents(): { events: { ended: boolean }[]; restore(): void } {
  const events: { ended: boolean }[] = [];
  const startEvent = WorkerRuntime.prototype.startEvent;
  const spy = vi.spyOn(WorkerRuntime.prototype, "startEvent").mockImplementation(function (this: WorkerRuntime) {
    const event = startEvent.call(this);
    events.push(event);
    return event;
  });
  return { events, restore: () => spy.mockRestore() };
}

/** The client's end of the WebSocket a Worker answered an upgrade with. */
/** The client's end of a WebSocket opened to the Worker's fetch handler. */
async function connectTo(emu: ReturnType<typeof emulator>): Promise<WebSocket> {
  const response = await emu.dispatchFetch("http://w/", { headers: { Upgrade: "websocket" } });
  return (response as unknown as { webSocket: WebSocket }).webSocket;
}

/** Waits for the first watched Worker event to end, and checks its timers stopped with it: `ticks()` moves no more. */
async function expectEndedWithItsTimers(watched: ReturnType<typeof watchEvents>, ticks: () => number): Promise<void> {
  await until(() => watched.events[0]!.ended, 1_000_000);
  const stoppedAt = ticks();
  await sleep(20);
  expect(ticks()).toBe(stoppedAt);
}

/** Opens a WebSocket to the Worker's fetch handler, closes it from the client side, and waits for the server's Close frame. */
async function connectAndClose(emu: ReturnType<typeof emulator>): Promise<void> {
  const client = await connectTo(emu);
  const closed = new Promise((resolve) => client.addEventListener("close", resolve));
  client.accept();
  client.close(1000, "done");
  await closed;
}

it("a Worker event that answered with a WebSocket lasts while the socket is open and ends once it is closed both ways", async () => {
  noted.length = 0;
  let ticks = 0;
  const watched = watchEvents();
  try {
    const emu = emulator({
      module: {
        Log,
        default: {
          fetch(_request: Request, env: { LOG: { getByName(name: string): AnyStub } }) {
            setInterval(() => ticks++, 1);
            // Made after the handler answered: it leaves only if the event still lasts.
            setTimeout(() => env.LOG.getByName("log").note("while open"), 5);
            const pair = new WebSocketPair();
            pair[1].accept();
            return new Response(null, { status: 101, webSocket: pair[0] });
          },
        },
      },
      durableObjects: { LOG: "Log" },
    });
    const client = await connectTo(emu);
    client.accept();
    await until(() => noted.includes("while open") && ticks >= 10, 1_000_000);
    expect(noted).toEqual(["while open"]);
    expect(watched.events.map((event) => event.ended)).toEqual([false]);
    const closed = new Promise((resolve) => client.addEventListener("close", resolve));
    client.close(1000, "done");
    await closed;
    await expectEndedWithItsTimers(watched, () => ticks);
  } finally {
    watched.restore();
  }
});

it("a Worker event that answered with a WebSocket ends once the connection is dropped (its message listener threw, the end disconnected)", async () => {
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  let ticks = 0;
  const watched = watchEvents();
  try {
    const emu = emulator({
      module: {
        default: {
          fetch() {
            setInterval(() => ticks++, 1);
            const pair = new WebSocketPair();
            pair[1].accept();
            pair[1].addEventListener("message", () => {
              throw new Error("listener threw");
            });
            return new Response(null, { status: 101, webSocket: pair[0] });
          },
        },
      },
    });
    const client = await connectTo(emu);
    client.accept();
    const closed = new Promise((resolve) => client.addEventListener("close", resolve));
    await until(() => ticks >= 5, 1_000_000);
    expect(watched.events.map((event) => event.ended)).toEqual([false]);
    client.send("boom");
    await closed;
    await expectEndedWithItsTimers(watched, () => ticks);
  } finally {
    watched.restore();
    vi.restoreAllMocks();
  }
});

it("a thousand WebSocket connections opened and closed leave no Worker event going", async () => {
  const watched = watchEvents();
  try {
    const emu = emulator({
      module: {
        default: {
          fetch() {
            const pair = new WebSocketPair();
            pair[1].accept();
            return new Response(null, { status: 101, webSocket: pair[0] });
          },
        },
      },
    });
    for (let i = 0; i < 1000; i++) await connectAndClose(emu);
    await until(() => watched.events.every((event) => event.ended));
    expect(watched.events.length).toBe(1000);
    expect(watched.events.filter((event) => !event.ended)).toEqual([]);
  } finally {
    watched.restore();
  }
});

const BODY_IO = "(I/O type: ReadableStreamSource>)";
let bodies: Record<string, Request | Response> = {};

class BodyKeeper extends DurableObject<Env> {
  keep() {
    bodies = {
      response: new Response("response"),
      json: Response.json({ a: 1 }),
      request: new Request("http://x/", { method: "POST", body: "request" }),
      clone: new Response("clone").clone() as Response,
      stream: new Response(new ReadableStream({ pull: (c) => (c.enqueue(new TextEncoder().encode("stream")), c.close()) })),
    };
  }

  async read() {
    const out: Record<string, unknown> = {};
    for (const [name, message] of Object.entries(bodies)) out[name] = await message.text().catch((error: Error) => error.message);
    return out;
  }

  async fetch(request: Request) {
    return new Response(`echo ${await request.text()}`);
  }
}

it("a Request's or Response's body one object made refuses another object's read (a rejection), but a JavaScript stream's", async () => {
  const emu = emulator({ module: { BodyKeeper }, durableObjects: { DO: "BodyKeeper" } });
  await emu.env.DO.getByName("a").keep();
  expect(await emu.env.DO.getByName("b").read()).toEqual({
    response: `${OTHER_OBJECT} ${BODY_IO}`,
    json: `${OTHER_OBJECT} ${BODY_IO}`,
    request: `${OTHER_OBJECT} ${BODY_IO}`,
    clone: `${OTHER_OBJECT} ${BODY_IO}`,
    stream: "stream",
  });
  await emu.env.DO.getByName("a").keep();
  expect(await emu.env.DO.getByName("a").read()).toEqual({ response: "response", json: '{"a":1}', request: "request", clone: "clone", stream: "stream" });
  await emu.env.DO.getByName("a").keep();
  // Test code runs in no context.
  expect(await bodies.response!.text()).toBe("response");
});

it("a body that crosses by fetch() is the receiver's: the handler reads its request's, the caller the Response; a later request is refused", async () => {
  let fetched: Response | undefined;
  const emu = emulator({
    module: {
      BodyKeeper,
      default: {
        async fetch(request: Request, env: Env) {
          const sent = new Request("http://do/", { method: "POST", body: await request.text() });
          const answer = (await env.DO.getByName("a").fetch(sent)) as Response;
          if (new URL(request.url).pathname === "/keep") {
            fetched = answer;
            return new Response("kept");
          }
          const own = await answer.text();
          return new Response(`${own}; kept: ${await fetched!.text().catch((error: Error) => error.message)}`);
        },
      },
    },
    durableObjects: { DO: "BodyKeeper" },
  });
  expect(await (await emu.dispatchFetch("http://w/keep", { method: "POST", body: "one" })).text()).toBe("kept");
  expect(await (await emu.dispatchFetch("http://w/read", { method: "POST", body: "two" })).text()).toBe(`echo two; kept: ${OTHER_REQUEST} ${BODY_IO}`);
  // A Response an object's handler made reaches test code, which reads it.
  expect(await (await emu.env.DO.getByName("a").fetch("http://do/", { method: "POST", body: "three" })).text()).toBe("echo three");
});

/** An RpcTarget whose disposer notes its tag in `disposed`. */
const disposed: string[] = [];
class Noted extends RpcTarget {
  constructor(readonly tag: string) {
    super();
  }

  ping() {
    return `pong ${this.tag}`;
  }

  [Symbol.dispose]() {
    disposed.push(this.tag);
  }
}

const keptByEvents: Record<string, AnyStub> = {};
/** Lets the Keeper's waitUntil end. */
let finishWaitUntil: () => void = () => undefined;

class EventKeeper extends WorkerEntrypoint<{ MAKER: AnyStub }> {
  declare ctx: { waitUntil(promise: Promise<unknown>): void };

  keep(target: AnyStub) {
    keptByEvents.dup = target.dup();
    this.ctx.waitUntil(new Promise<void>((resolve) => (finishWaitUntil = resolve)));
  }

  async keepResult() {
    keptByEvents.result = await this.env.MAKER.target("result");
  }

  async useKept(name: string) {
    return await keptByEvents[name]!.ping().catch((error: Error) => error.message);
  }
}

class KeepingObject extends DurableObject<Env> {
  declare ctx: { abort(reason: string): never };
  saved: AnyStub;

  keep(target: AnyStub) {
    this.saved = target.dup();
  }

  async useSaved() {
    return await this.saved.ping();
  }

  abort() {
    this.ctx.abort("reset");
  }
}

let makerTicks = 0;

class Maker extends WorkerEntrypoint {
  target(tag: string) {
    setInterval(() => makerTicks++, 1);
    return new Noted(tag);
  }
}

function keepers() {
  return emulator({
    module: { EventKeeper, Maker, KeepingObject, default: { fetch: () => new Response("main") } },
    durableObjects: { DO: "KeepingObject" },
    serviceBindings: { KEEPER: { name: "main", entrypoint: "EventKeeper" }, MAKER: { name: "main", entrypoint: "Maker" } },
    name: "main",
  });
}

it("a stub a Worker event kept with dup() is released when the event ends, after its waitUntil: the RpcTarget's disposer runs, later uses are refused", async () => {
  disposed.length = 0;
  const emu = keepers();
  const env = emu.env as AnyStub;
  await env.KEEPER.keep(new Noted("event"));
  // The call has returned, but the event still waits for its waitUntil: the stub is held.
  await sleep(20);
  expect(disposed).toEqual([]);
  finishWaitUntil();
  await until(() => disposed.length > 0);
  expect(disposed).toEqual(["event"]);
  // A later event, and test code, reach it only as another request's.
  expect(await env.KEEPER.useKept("dup")).toBe(`${OTHER_REQUEST} (I/O type: Client)`);
  expect((await rejection(keptByEvents.dup!.ping())).message).toBe(`${OTHER_REQUEST} (I/O type: Client)`);
  // Released by its context's end, it is not disposed: dup() still answers (a stub refused alike).
  expect((await rejection(keptByEvents.dup!.dup().ping())).message).toBe(`${OTHER_REQUEST} (I/O type: Client)`);
  await emu.dispose();
});

it("a stub an object kept with dup() outlives the call that received it and is released when the object is reset", async () => {
  disposed.length = 0;
  const emu = keepers();
  const object = (emu.env as AnyStub).DO.getByName("a");
  await object.keep(new Noted("object"));
  await sleep(20);
  expect(disposed).toEqual([]);
  expect(await object.useSaved()).toBe("pong object");
  expect((await rejection(object.abort())).message).toBe("reset");
  await until(() => disposed.length > 0);
  expect(disposed).toEqual(["object"]);
  await emu.dispose();
});

it("a stub a Worker event received as a result is released when it ends: the maker's event ends with it, without running the disposer", async () => {
  disposed.length = 0;
  makerTicks = 0;
  const watched = watchEvents();
  try {
    const emu = keepers();
    const env = emu.env as AnyStub;
    await env.KEEPER.keepResult();
    const [receiver, maker] = watched.events;
    await until(() => receiver!.ended && maker!.ended);
    const stoppedAt = makerTicks;
    await sleep(20);
    expect(makerTicks).toBe(stoppedAt);
    // The maker's code runs no more once its last holder let go: no disposer.
    expect(disposed).toEqual([]);
    expect(await env.KEEPER.useKept("result")).toBe(`${OTHER_REQUEST} (I/O type: Client)`);
    await emu.dispose();
  } finally {
    watched.restore();
  }
});

/** What a critical section waits for before it ends (see GatedObject.critical). */
let endSection: (() => void) | undefined;

/** Ends the running critical section, once it waits. */
async function endTheSection(): Promise<void> {
  await until(() => endSection !== undefined);
  const end = endSection!;
  endSection = undefined;
  end();
}

class GatedObject extends DurableObject<Env> {
  declare ctx: { blockConcurrencyWhile(callback: () => Promise<void>): Promise<void> };
  log: string[] = [];
  saved: AnyStub;

  keep(callback: AnyStub) {
    this.saved = callback.dup();
  }

  async callSaved() {
    return await this.saved();
  }

  async give(to: string) {
    await this.env.DO.getByName(to).keep(() => this.log.push("made before"));
  }

  /** A blockConcurrencyWhile that gives `to` a callback made inside it (if `to`), then waits for endSection(). */
  critical(to?: string) {
    void this.ctx.blockConcurrencyWhile(async () => {
      if (to !== undefined) await this.env.DO.getByName(to).keep(() => this.log.push("made inside"));
      await new Promise<void>((resolve) => (endSection = resolve));
      this.log.push("section end");
    });
  }

  read() {
    return this.log;
  }
}

it("a callback an object handed out waits for its blockConcurrencyWhile; one made inside it is let in while it runs", async () => {
  const emu = emulator({ module: { GatedObject }, durableObjects: { DO: "GatedObject" } });
  const a = (emu.env as AnyStub).DO.getByName("a");
  const b = (emu.env as AnyStub).DO.getByName("b");
  await a.give("b");
  await a.critical();
  const before = b.callSaved();
  await sleep(20);
  await endTheSection();
  await before;
  expect(await a.read()).toEqual(["section end", "made before"]);
  await a.critical("b");
  await until(() => endSection !== undefined);
  const inside = await b.callSaved();
  await endTheSection();
  expect(inside).toBe(3);
  expect(await a.read()).toEqual(["section end", "made before", "made inside", "section end"]);
  await emu.dispose();
});
