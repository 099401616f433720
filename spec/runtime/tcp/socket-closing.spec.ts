/**
 * A Socket's streams around close(), over a Durable Object's connect handler, as the runtime's
 * (conformance "sockets-closing: ..."): what a read waiting at the close, a writer taken before
 * it and one taken after it see; one read waiting for bytes at a time; and what each side sees
 * when the other closes.
 */
import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import type { DurableObjectState } from "../../../lib/runtime/object/state.js";
import { namespaceOf, nextTurn } from "../../helpers.js";
import { READ_CLOSING, SOCKET_CLOSED, WRITABLE_CLOSED, WRITE_CLOSING } from "./socket-failures.js";

type Socket = {
  opened: Promise<unknown>;
  closed: Promise<void>;
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array | string>;
  close(): Promise<void>;
};
type Connects = { connect(address: string, options?: { allowHalfOpen?: boolean }): Socket };

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ["ok", value],
    (error: Error & { retryable?: boolean }) => [error.constructor.name, error.message, ...(error.retryable ? ["retryable"] : [])],
  );

/** What each handler saw, by the name of the object that ran it. */
const seen = new Map<string, unknown[]>();

class Greeter extends DurableObject {
  async connect(socket: Socket) {
    const log: unknown[] = [];
    const name = (this.ctx as DurableObjectState).id.name!;
    seen.set(name, log);
    const reader = socket.readable.getReader();
    const writer = socket.writable.getWriter();
    await writer.write("hi");
    if (name === "closes") {
      const waiting = reader.read();
      await socket.close();
      log.push(await outcome(waiting), await outcome(reader.read()), await outcome(writer.write("x")), await outcome(socket.closed));
      return;
    }
    log.push(await outcome(reader.read()));
    log.push(await outcome(reader.read()), await outcome(writer.write("x")), await outcome(socket.closed));
  }
}

function connect(name: string, allowHalfOpen = false): Socket {
  return (namespaceOf(Greeter) as unknown as { getByName(name: string): Connects }).getByName(name).connect("a:1", { allowHalfOpen });
}

describe("the caller's close()", () => {
  it("fails a read waiting then as closed, later reads as closing, and the reader reads as closed", async () => {
    const socket = connect("w1");
    const reader = socket.readable.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("hi");
    const waiting = reader.read();
    const closing = socket.close();
    expect(await outcome(waiting)).toEqual(SOCKET_CLOSED);
    expect(await outcome(reader.read())).toEqual(READ_CLOSING);
    expect(await outcome(reader.closed)).toEqual(["ok", undefined]);
    expect(await outcome(reader.cancel())).toEqual(["ok", undefined]);
    expect(await outcome(closing)).toEqual(["ok", undefined]);
  });

  it("refuses writes as closing until it completes, then a writer taken before it as closed and one taken after as closing", async () => {
    let socket = connect("w2");
    await socket.opened;
    socket.close();
    expect(await outcome(socket.writable.getWriter().write("x"))).toEqual(WRITE_CLOSING);

    socket = connect("w3");
    await socket.opened;
    const before = socket.writable.getWriter();
    await socket.close();
    expect(await outcome(before.write("x"))).toEqual(WRITABLE_CLOSED);
    expect(await outcome(before.ready)).toEqual(["ok", undefined]);
    expect(await outcome(before.closed)).toEqual(SOCKET_CLOSED);
    expect(await outcome(before.close())).toEqual(WRITABLE_CLOSED);
    before.releaseLock();
    const after = socket.writable.getWriter();
    expect(await outcome(after.write("x"))).toEqual(WRITE_CLOSING);
    expect(await outcome(after.ready)).toEqual(SOCKET_CLOSED);
    after.releaseLock();
    expect(await outcome(socket.writable.abort())).toEqual(["ok", undefined]);
    expect(await outcome(socket.writable.close())).toEqual(SOCKET_CLOSED);
  });

  it("is a client that went away to the handler: its waiting read, writes and closed fail, worth retrying", async () => {
    const socket = connect("left");
    const reader = socket.readable.getReader();
    await reader.read();
    await socket.close();
    await nextTurn();
    const gone = ["TypeError", "Can't read from request stream because client disconnected.", "retryable"];
    expect(seen.get("left")).toEqual([gone, gone, gone, gone]);
  });
});

it("refuses a second read while one waits for bytes, and takes one that bytes wait for", async () => {
  const socket = connect("reads");
  const reader = socket.readable.getReader();
  await socket.opened;
  await nextTurn();
  // "hi" waits already: both reads are taken (the second then waits).
  const [first, second] = [reader.read(), reader.read()];
  expect(new TextDecoder().decode((await first).value)).toBe("hi");
  expect(await outcome(reader.read())).toEqual(["TypeError", "This ReadableStream only supports a single pending read request at a time."]);
  await socket.close();
  expect(await outcome(second)).toEqual(SOCKET_CLOSED);
});

describe("the handler's close()", () => {
  it("is an end the caller reads; its own streams follow the close rules", async () => {
    for (const allowHalfOpen of [false, true]) {
      const socket = connect("closes", allowHalfOpen);
      const reader = socket.readable.getReader();
      const writer = socket.writable.getWriter();
      expect(new TextDecoder().decode((await reader.read()).value)).toBe("hi");
      expect((await reader.read()).done).toBe(true);
      // Without allowHalfOpen, reading the end closed the writable side; with it, the write is lost.
      expect(await outcome(writer.write("q"))).toEqual(allowHalfOpen ? ["Error", "Network connection lost.", "retryable"] : WRITABLE_CLOSED);
      expect(await outcome(writer.closed)).toEqual(allowHalfOpen ? ["Error", "Network connection lost.", "retryable"] : ["ok", undefined]);
      expect(await outcome(socket.closed)).toEqual(["ok", undefined]);
      await nextTurn();
      expect(seen.get("closes")).toEqual([SOCKET_CLOSED, READ_CLOSING, WRITABLE_CLOSED, ["ok", undefined]]);
    }
  });
});
