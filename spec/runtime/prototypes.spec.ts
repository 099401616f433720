import { describe, expect, it } from "vitest";
import { DurableObject, RpcTarget, WorkerEntrypoint } from "../../lib/modules/workers.js";
import { CloseEvent, ErrorEvent, MessageEvent } from "../../lib/runtime/websockets/events.js";
import { WebSocketPair } from "../../lib/runtime/websockets/web-socket-pair.js";
import { type AnyStub, namespaceOf } from "../helpers.js";

/** Own string keys of `o`'s prototype in order, as reflection lists them. */
const names = (o: object) => Object.getOwnPropertyNames(Object.getPrototypeOf(o));
/** Well-known symbol keys of `o`'s prototype in order (Node 20's Symbol.dispose is its own polyfill). */
const WELL_KNOWN = new Map<symbol, string>([[Symbol.toStringTag, "Symbol.toStringTag"], [Symbol.iterator, "Symbol.iterator"], [Symbol.dispose, "Symbol.dispose"]]);
const symbols = (o: object) => Object.getOwnPropertySymbols(Object.getPrototypeOf(o)).flatMap((s) => WELL_KNOWN.get(s) ?? []);

class Probe extends DurableObject {
  hello() {
    return "hi";
  }
  fn() {
    return (x: number) => x;
  }
  async surfaces() {
    const ctx = this.ctx as AnyStub;
    const s = ctx.storage;
    s.sql.exec("CREATE TABLE IF NOT EXISTS t (a)");
    return {
      ctx: names(ctx),
      storage: names(s),
      txn: await s.transaction(async (t: object) => names(t)),
      sql: names(s.sql),
      cursor: names(s.sql.exec("SELECT * FROM t")),
      cursorSymbols: symbols(s.sql.exec("SELECT * FROM t")),
      kv: names(s.kv),
      id: names(ctx.id),
      namespace: names((this.env as { NS: object }).NS),
    };
  }
}

// The orders workerd shows (spec/conformance/scenarios/prototypes.mjs records them there):
// the interface's members as it declares them, then constructor, then the symbols.
describe("API prototypes list their members in the runtime's order, constructor last", () => {
  it("storage, SQL, ids, namespaces and ctx", async () => {
    const ns = namespaceOf(Probe, { durableObjects: { NS: { className: "Probe", sqlite: true } } });
    const r = await (ns.getByName("a") as AnyStub).surfaces();
    expect(r.ctx).toEqual([
      "waitUntil", "blockConcurrencyWhile", "acceptWebSocket", "getWebSockets", "setWebSocketAutoResponse", "getWebSocketAutoResponse",
      "getWebSocketAutoResponseTimestamp", "setHibernatableWebSocketEventTimeout", "getHibernatableWebSocketEventTimeout", "getTags", "abort",
      "constructor",
    ]);
    expect(r.storage).toEqual([
      "get", "list", "put", "delete", "deleteAll", "transaction", "getAlarm", "setAlarm", "deleteAlarm", "sync", "transactionSync",
      "getCurrentBookmark", "getBookmarkForTime", "onNextSessionRestoreBookmark", "constructor",
    ]);
    expect(r.txn).toEqual(["get", "list", "put", "delete", "deleteAll", "rollback", "getAlarm", "setAlarm", "deleteAlarm", "constructor"]);
    expect(r.sql).toEqual(["exec", "databaseSize", "Cursor", "Statement", "constructor"]);
    expect(r.cursor).toEqual(["next", "toArray", "one", "raw", "columnNames", "rowsRead", "rowsWritten", "constructor"]);
    expect(r.cursorSymbols).toEqual(["Symbol.toStringTag", "Symbol.iterator"]);
    expect(r.kv).toEqual(["get", "list", "put", "delete", "constructor"]);
    expect(r.id).toEqual(["toString", "equals", "constructor"]);
    expect(r.namespace).toEqual(["newUniqueId", "idFromName", "idFromString", "get", "getByName", "jurisdiction", "constructor"]);
  });

  it("stubs, RPC promises and function stubs: methods of length 0, Symbol.dispose last and hidden", async () => {
    const stub = namespaceOf(Probe).getByName("a") as AnyStub;
    const fetcher = Object.getPrototypeOf(Object.getPrototypeOf(stub));
    expect(Object.getOwnPropertyNames(fetcher)).toEqual(["fetch", "connect", "constructor"]);
    const promise = stub.hello();
    expect(names(promise)).toEqual(["then", "catch", "finally", "constructor"]);
    expect(symbols(promise)).toEqual(["Symbol.toStringTag", "Symbol.dispose"]);
    expect(Object.getPrototypeOf(promise).then.length).toBe(0);
    expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(promise), Symbol.dispose)!.enumerable).toBe(false);
    await promise;
    const f = await stub.fn();
    expect(names(f)).toEqual(["dup", "constructor"]);
    expect(symbols(f)).toEqual(["Symbol.toStringTag", "Symbol.dispose"]);
  });

  it("WebSocket, WebSocketPair and the base classes", () => {
    const pair = new WebSocketPair();
    expect(names(pair[0]).slice(0, 19)).toEqual([
      "accept", "send", "close", "serializeAttachment", "deserializeAttachment", "READY_STATE_CONNECTING", "CONNECTING", "READY_STATE_OPEN", "OPEN",
      "READY_STATE_CLOSING", "CLOSING", "READY_STATE_CLOSED", "CLOSED", "readyState", "bufferedAmount", "url", "protocol", "extensions", "binaryType",
    ]);
    expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(pair[0]), "OPEN")).toEqual({ value: 1, enumerable: true, configurable: true, writable: false });
    expect(Object.getPrototypeOf(pair[0]).send.length).toBe(0);
    expect(Object.getOwnPropertyDescriptor(pair, "0")).toMatchObject({ enumerable: true, configurable: true, writable: false });
    expect(symbols(pair)).toEqual(["Symbol.toStringTag", "Symbol.iterator"]);
    expect(Object.prototype.toString.call(new (class extends RpcTarget {})())).toBe("[object JsRpcTarget]");
    expect(Object.getPrototypeOf(WorkerEntrypoint.prototype)).toBe(Object.prototype);
    // A WebSocket's events carry their fields as own, enumerable, read-only properties.
    expect(Object.keys(new MessageEvent("message", { data: "x" }))).toEqual(["ports", "source", "lastEventId", "origin", "data"]);
    const close = new CloseEvent("close", { code: 1000, reason: "bye", wasClean: true });
    expect(JSON.parse(JSON.stringify(close))).toEqual({ wasClean: true, reason: "bye", code: 1000 });
    expect(Object.getOwnPropertyDescriptor(close, "code")).toEqual({ value: 1000, enumerable: true, configurable: true, writable: false });
    expect(names(close)).toEqual(["constructor"]);
    const error = new ErrorEvent("error", { message: "m", error: new Error("e") });
    expect(names(error)).toEqual(["filename", "message", "lineno", "colno", "error", "constructor"]);
    expect([error.filename, error.lineno, error.colno]).toEqual(["", 0, 0]);
    expect(Object.prototype.toString.call(WorkerEntrypoint.prototype)).toBe("[object WorkerEntrypoint]");
  });
});
