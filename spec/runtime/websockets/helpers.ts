import type { SocketHost } from "../../../lib/runtime/websockets/host.js";
import type { WebSocket } from "../../../lib/runtime/websockets/web-socket.js";

/** What a socket's listeners saw, in order (the shape the conformance scenarios record). */
export type Seen = Array<[string, ...unknown[]]>;

export function record(ws: WebSocket, seen: Seen = []): Seen {
  ws.addEventListener("message", (e) => {
    const data = (e as MessageEvent).data;
    seen.push(["message", typeof data === "string" ? data : shown(data)]);
  });
  ws.addEventListener("close", (e) => {
    const close = e as unknown as { code: number; reason: string; wasClean: boolean };
    seen.push(["close", close.code, close.reason, close.wasClean, ws.readyState]);
  });
  ws.addEventListener("error", (e) => {
    seen.push(["error", (e as unknown as { message: string }).message]);
  });
  return seen;
}

function shown(data: unknown): string {
  if (data instanceof ArrayBuffer) return `ArrayBuffer:${Buffer.from(data).toString("hex")}`;
  if (data instanceof Blob) return `Blob:${data.size}`;
  return Object.prototype.toString.call(data);
}

/** Lets every pending delivery (macrotasks of the outside host) run. */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A host whose output gate the test opens and closes, and which records the events it is
 * asked to run and runs them when told: the two hooks the runtime plugs its gates into.
 */
export class TestHost implements SocketHost {
  readonly events: Array<() => void> = [];
  readonly open = new Set<unknown>();
  #gate: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } | undefined;
  limit = Infinity;

  /** Closes the gate: frames sent from now on wait for openGate() (or are dropped by failGate()). */
  closeGate(): void {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined);
    this.#gate = { promise, resolve, reject };
  }

  openGate(): void {
    this.#gate?.resolve();
    this.#gate = undefined;
  }

  failGate(): void {
    this.#gate?.reject(new Error("commit failed"));
    this.#gate = undefined;
  }

  outputGate(): Promise<void> | undefined {
    return this.#gate?.promise;
  }

  schedule(event: () => void): void {
    this.events.push(event);
  }

  /** Runs the events scheduled so far, in order. */
  runEvents(): void {
    for (const event of this.events.splice(0)) event();
  }

  opened(end: unknown): () => void {
    if (this.open.size >= this.limit) throw new Error("too many open");
    this.open.add(end);
    return () => this.open.delete(end);
  }
}

/** What `fn` threw, as name, message and (for DOMExceptions) code; undefined when it did not throw. */
export function thrown(fn: () => unknown): { name: string; message: string; code?: number } | undefined {
  try {
    fn();
  } catch (error) {
    const e = error as Error;
    return e instanceof DOMException ? { name: e.name, message: e.message, code: e.code } : { name: e.name, message: e.message };
  }
  return undefined;
}
