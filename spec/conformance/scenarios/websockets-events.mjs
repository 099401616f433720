// The event side of a Workers WebSocket, beside the API (websockets-api.mjs): `on<type>`
// properties and listener forms, a listener that throws (the runtime ends the connection),
// the event objects an end dispatches and the constructors of MessageEvent / CloseEvent /
// ErrorEvent, dispatchEvent, messages that arrive before a listener exists, and what a
// hibernatable end allows after the object closed it.
import { ws } from "./websockets-api.mjs";

/** A pair whose end `b` throws `thrown()` from a message listener when it reads "boom"; each end's events in order. */
const throwing = (thrown) => `async () => {
  const [a, b] = new WebSocketPair();
  a.accept();
  b.accept();
  const atA = [];
  const atB = [];
  b.addEventListener("message", (e) => { atB.push(["first", e.data]); if (e.data === "boom") return (${thrown})(); });
  b.addEventListener("message", (e) => atB.push(["second", e.data]));
  b.addEventListener("close", (e) => atB.push(["close", e.code]));
  b.addEventListener("error", (e) => atB.push(["error", e.message, String(e.error), b.readyState]));
  a.addEventListener("message", (e) => atA.push(["message", e.data]));
  a.addEventListener("close", (e) => atA.push(["close", e.code, e.reason, e.wasClean]));
  a.addEventListener("error", (e) => atA.push(["error", e.message]));
  a.send("ok");
  a.send("boom");
  a.send("after");
  await settle();
  const after = { states: [a.readyState, b.readyState], bSend: outcomeSync(() => b.send("late")), bClose: outcomeSync(() => b.close(1000)), aSend: outcomeSync(() => a.send("late")) };
  await settle();
  if (a.readyState === 1) a.close(1000, "over");
  await settle();
  return { atA, atB, after };
}`;

/** Worker code's own dispatchEvent on an end whose second message listener throws. */
const DISPATCH = async () => {
    const [a, b] = new WebSocketPair();
    const seen = [];
    b.addEventListener("message", (e) => seen.push(["message", e.data, e.target === b]));
    b.onclose = (e) => seen.push(["onclose", e.code]);
    b.onfoo = () => seen.push(["onfoo"]);
    b.addEventListener("message", () => { throw new Error("thrown in a dispatch of Worker code"); });
    const r = {
      message: outcomeSync(() => b.dispatchEvent(new MessageEvent("message", { data: "synthetic" }))),
      close: outcomeSync(() => b.dispatchEvent(new CloseEvent("close", { code: 4002 }))),
      custom: outcomeSync(() => b.dispatchEvent(new Event("foo"))),
      notAnEvent: outcomeSync(() => b.dispatchEvent({ type: "message" })),
    };
    r.seen = seen;
    r.readyState = b.readyState;
    return r;
};

/** A pair whose end `b` has two close listeners (the first throws) and two error listeners; each end's events in order. */
const CLOSE_THROWS = async () => {
  const [a, b] = new WebSocketPair();
  a.accept();
  b.accept();
  const atB = [];
  b.addEventListener("close", (e) => { atB.push(["close1", e.code]); throw new Error("close listener threw"); });
  b.addEventListener("close", (e) => atB.push(["close2", e.code]));
  b.addEventListener("error", (e) => { atB.push(["error1", e.message, b.readyState]); throw new Error("error listener threw"); });
  b.addEventListener("error", (e) => atB.push(["error2", e.message]));
  a.close(4000, "bye");
  await settle();
  const after = [a.readyState, b.readyState];
  return { atB, after };
};

/** Before spec_compliant_dispatch_exceptions (2026-09-15) the first listener that throws ends the dispatch. */
const BEFORE_SPEC = { compatibilityDate: "2026-09-14" };

export default [
  ws("on<type> properties: called first, looked up at each dispatch, functions only; listener forms", "", async () => {
    const [a, b] = new WebSocketPair();
    a.accept();
    b.accept();
    const seen = [];
    const attrs = {};
    for (const k of ["onmessage", "onclose", "onerror", "onopen"]) attrs[k] = [k in b, String(b[k])];
    b.addEventListener("message", (e) => seen.push(["listener", e.data]));
    b.onmessage = function (e) { seen.push(["onmessage", e.data, this === b, e.currentTarget === b]); return true; };
    b.addEventListener("message", (e) => seen.push(["once", e.data, e.defaultPrevented]), { once: true });
    const removed = (e) => seen.push(["removed", e.data]);
    b.addEventListener("message", removed);
    b.removeEventListener("message", removed);
    b.addEventListener("message", { handleEvent(e) { seen.push(["handleEvent", e.data, this !== globalThis]); } });
    a.send("one");
    await settle();
    b.onmessage = { handleEvent: (e) => seen.push(["object", e.data]) };
    a.send("two");
    await settle();
    Object.defineProperty(b, "onmessage", { get: () => (e) => seen.push(["getter", e.data]), configurable: true });
    a.send("three");
    await settle();
    delete b.onmessage;
    b.onclose = function (e) { seen.push(["onclose", e.code, this === undefined, this === globalThis]); };
    b.onerror = (e) => seen.push(["onerror", e.message]);
    a.close(4000, "end");
    await settle();
    return { attrs, seen };
  }),

  ws("a listener that throws at a message ends the connection", "", throwing(`() => { throw new TypeError("listener threw"); }`)),
  ws("a listener that throws something other than an Error", "", throwing(`() => { throw "a string"; }`)),
  ws("an on<type> property or a handleEvent object that throws", "", async () => {
    const run = async (install) => {
      const [a, b] = new WebSocketPair();
      a.accept();
      b.accept();
      const atA = [];
      const atB = [];
      install(b, () => { throw new RangeError("handler threw"); });
      b.addEventListener("message", (e) => atB.push(["listener", e.data]));
      b.addEventListener("error", (e) => atB.push(["error", e.message]));
      record(a, atA);
      a.send("boom");
      a.send("after");
      await settle();
      return { atA, atB, states: [a.readyState, b.readyState] };
    };
    return {
      property: await run((b, f) => { b.onmessage = f; }),
      handleEvent: await run((b, f) => b.addEventListener("message", { handleEvent: f })),
    };
  }),
  ws("an async listener's rejection does not end the connection", "", throwing(`async () => { throw new Error("async listener"); }`)),

  ws(
    "a listener of an object's accepted end that throws: the client sees the connection lost, the object lives on",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    this.n = (this.n ?? 0) + 1;
    server.addEventListener("message", (e) => { if (e.data === "boom") throw new Error("server listener threw"); server.send("echo " + e.data); });
    return new Response(null, { status: 101, webSocket: client });
  }
  async count() { return this.n; }`,
    async (env) => {
      const stub = env.DO.getByName("x");
      const { ws, seen } = await connect(stub);
      ws.send("a");
      await settle();
      ws.send("boom");
      ws.send("b");
      await settle();
      return { seen, state: ws.readyState, count: await outcome(() => stub.count()) };
    },
  ),

  ws("the event objects an end dispatches", "", async () => {
    const [a, b] = new WebSocketPair();
    a.accept();
    b.accept();
    const events = [];
    const describe = (e) => ({
      type: e.type, ctor: e.constructor.name, tag: Object.prototype.toString.call(e),
      isMessage: e instanceof MessageEvent, isClose: e instanceof CloseEvent, isEvent: e instanceof Event,
      target: e.target === b, currentTarget: e.currentTarget === b, bubbles: e.bubbles, cancelable: e.cancelable,
      eventPhase: e.eventPhase, defaultPrevented: e.defaultPrevented,
      data: "data" in e ? shownData(e.data) : "(none)", code: e.code, reason: e.reason, wasClean: e.wasClean,
    });
    b.addEventListener("message", (e) => events.push(describe(e)));
    b.addEventListener("close", (e) => events.push(describe(e)));
    a.send("hi");
    await settle();
    a.close(4001, "bye");
    await settle();
    return events;
  }),

  ws(
    "isTrusted of the events an end dispatches",
    "",
    async () => {
      const [a, b] = new WebSocketPair();
      a.accept();
      b.accept();
      const seen = [];
      b.addEventListener("message", (e) => seen.push(["message", e.isTrusted]));
      b.addEventListener("close", (e) => seen.push(["close", e.isTrusted]));
      a.send("hi");
      a.close(1000, "bye");
      await settle();
      return { seen, constructed: new MessageEvent("message").isTrusted };
    },
    {
      differs:
        "durasim's events read isTrusted false: Node defines it on every Event as an own, unforgeable getter only its internals " +
        "can make true; README 'Differences from production'",
    },
  ),

  ws("MessageEvent, CloseEvent and ErrorEvent constructors", "", async () => {
    const props = (e) => ({ type: e.type, data: e.data === undefined ? "(undefined)" : show(e.data), code: e.code, reason: e.reason, wasClean: e.wasClean, message: e.message, error: e.error === undefined ? "(undefined)" : String(e.error), bubbles: e.bubbles, cancelable: e.cancelable });
    return {
      message: outcomeSync(() => props(new MessageEvent("message", { data: "d" }))),
      messageNoInit: outcomeSync(() => props(new MessageEvent("message"))),
      messageDataUndefined: outcomeSync(() => new MessageEvent("m", { data: undefined }).data),
      messageNullInit: outcomeSync(() => new MessageEvent("m", null).data),
      messageNumberInit: outcomeSync(() => new MessageEvent("m", 5)),
      messageNoType: outcomeSync(() => new MessageEvent()),
      messageTypes: outcomeSync(() => [new MessageEvent(5).type, new MessageEvent(null).type, new MessageEvent(undefined).type]),
      messageSymbolType: outcomeSync(() => new MessageEvent(Symbol("x"))),
      messageOtherType: outcomeSync(() => props(new MessageEvent("custom", { data: 1 }))),
      close: outcomeSync(() => props(new CloseEvent("close", { code: 4000, reason: "r", wasClean: true }))),
      closeNoInit: outcomeSync(() => props(new CloseEvent("close"))),
      closeNoType: outcomeSync(() => new CloseEvent()),
      closeNumberInit: outcomeSync(() => new CloseEvent("c", 5)),
      closeCodes: outcomeSync(() => [new CloseEvent("c", { code: "12" }).code, new CloseEvent("c", { code: 70000 }).code, new CloseEvent("c", { code: -1 }).code, new CloseEvent("c", { code: "x" }).code]),
      closeCodesInt: outcomeSync(() => [new CloseEvent("c", { code: 1.5 }).code, new CloseEvent("c", { code: -1.5 }).code, new CloseEvent("c", { code: Infinity }).code, new CloseEvent("c", { code: {} }).code]),
      closeCodeOutOfRange: outcomeSync(() => new CloseEvent("c", { code: 2 ** 31 }).code),
      closeCodeBigInt: outcomeSync(() => new CloseEvent("c", { code: 10n }).code),
      error: outcomeSync(() => props(new ErrorEvent("error", { message: "m", error: new Error("e") }))),
      errorNoInit: outcomeSync(() => props(new ErrorEvent("error"))),
      errorNoType: outcomeSync(() => new ErrorEvent()),
      withoutNew: [outcomeSync(() => MessageEvent("message")), outcomeSync(() => CloseEvent("close")), outcomeSync(() => ErrorEvent("error"))],
      lengths: [MessageEvent.length, CloseEvent.length, ErrorEvent.length],
      names: [MessageEvent.name, CloseEvent.name, ErrorEvent.name],
    };
  }),

  ws("dispatchEvent on an end runs its on<type> property and listeners with the given event", "", DISPATCH),

  ws("close and error listeners that throw", "", CLOSE_THROWS),
  ws(
    "a listener that throws at a message, before spec_compliant_dispatch_exceptions",
    "",
    throwing(`() => { throw new TypeError("listener threw"); }`),
    BEFORE_SPEC,
  ),
  ws("dispatchEvent with a throwing listener, before spec_compliant_dispatch_exceptions", "", DISPATCH, BEFORE_SPEC),
  ws("dispatchEvent with a throwing listener, no_spec_compliant_dispatch_exceptions", "", DISPATCH, {
    compatibilityFlags: ["no_spec_compliant_dispatch_exceptions"],
  }),
  ws("close and error listeners that throw, before spec_compliant_dispatch_exceptions", "", CLOSE_THROWS, BEFORE_SPEC),

  // workerd runs every event that is ready before it looks at the clock: a timer that fell due
  // while frames cross a pair fires after the whole exchange, not after its first frame.
  ws("a timer that falls due during a back-and-forth across a pair fires after it", "", async () => {
    const [a, b] = new WebSocketPair();
    a.accept();
    b.accept();
    const seen = [];
    const volley = (end, name) => end.addEventListener("message", (e) => { seen.push(name + e.data); if (Number(e.data) < 20) end.send(String(Number(e.data) + 1)); });
    volley(a, "a");
    volley(b, "b");
    setTimeout(() => seen.push("timer"), 1);
    a.send("0");
    // The timer is due before the first frame arrives.
    for (const until = Date.now() + 30; Date.now() < until; );
    await settle(100);
    return seen;
  }),

  ws("a timer that falls due while a message crosses a pair and back, cleared by the reply's listener, does not fire", "", async () => {
    const [a, b] = new WebSocketPair();
    a.accept();
    b.accept();
    const seen = [];
    const timer = setTimeout(() => seen.push("timer"), 1);
    b.addEventListener("message", (e) => { seen.push("b " + e.data); b.send(e.data); });
    a.addEventListener("message", (e) => { seen.push("a " + e.data); clearTimeout(timer); });
    a.send("m");
    for (const until = Date.now() + 30; Date.now() < until; );
    await settle(100);
    return seen;
  }),

  ws("messages that arrive after accept() but before any listener are not kept", "", async () => {
    const [a, b] = new WebSocketPair();
    a.accept();
    b.accept();
    a.send("early");
    await settle();
    const seen = [];
    record(b, seen);
    a.send("late");
    await settle();
    openEnds.push(a);
    return hangUp(seen);
  }),

  ws(
    "a hibernatable end the object closed: send, attachments, tags and listing until the client replies",
    `  async fetch(req) {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, ["t"]);
    server.serializeAttachment({ n: 1 });
    return new Response(null, { status: 101, webSocket: client });
  }
  async closeIt() {
    const [s] = this.ctx.getWebSockets();
    s.close(4005, "server done");
    return {
      readyState: s.readyState,
      send: outcomeSync(() => s.send("late")),
      closeAgain: outcomeSync(() => s.close(4006, "again")),
      attach: outcomeSync(() => { s.serializeAttachment({ n: 2 }); return s.deserializeAttachment(); }),
      tags: outcomeSync(() => this.ctx.getTags(s)),
      listed: this.ctx.getWebSockets().length,
      byTag: this.ctx.getWebSockets("t").length,
    };
  }
  async later() {
    return { listed: this.ctx.getWebSockets().length, closes: this.closes ?? [] };
  }
  async webSocketClose(ws, code, reason, wasClean) {
    (this.closes ??= []).push([code, reason, wasClean, ws.readyState, outcomeSync(() => ws.send("in handler"))]);
  }`,
    async (env) => {
      const stub = env.DO.getByName("h");
      const { ws, seen } = await connect(stub);
      const closed = await stub.closeIt();
      await settle();
      return { closed, seen, client: ws.readyState, later: await stub.later() };
    },
  ),
];
