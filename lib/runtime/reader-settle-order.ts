import { replaceMethod } from "./replace-method.js";
import { nodeQueueItems, nodeStreamState } from "./node-stream-state.js";
import { isCodeMadeController } from "./code-made-streams.js";
import { microtask } from "../util/turn.js";

/**
 * close() and error() of the controller of a ReadableStream Worker or object code constructed
 * settle what its reader waits on as the runtime's do: the waiting reads first, then the
 * reader's `closed`, a microtask after the call. Node (as the standard) settles `closed` first,
 * within the call. The stream's state changes within the call either way (a later enqueue() is
 * refused at once).
 */
export function installReaderSettleOrder(): void {
  for (const prototype of [ReadableStreamDefaultController.prototype, ReadableByteStreamController.prototype]) {
    for (const name of ["close", "error"]) {
      replaceMethod(prototype as unknown as Record<string, unknown>, name, (original, self, args) => {
        if (isCodeMadeController(self)) deferReaderSettlements(self);
        return Reflect.apply(original, self, args);
      });
    }
  }
}

/**
 * Holds back what Node settles, within the call, of the reads `controller`'s reader waits on and
 * of its `closed`, and settles them in one microtask: the reads first, in order, then `closed`.
 * Nothing if no read waits.
 */
function deferReaderSettlements(controller: unknown): void {
  const reader = nodeStreamState(nodeStreamState(nodeStreamState(controller)?.stream)?.reader);
  const reads = [...nodeQueueItems(reader?.readRequests), ...nodeQueueItems(reader?.readIntoRequests)];
  if (reads.length === 0) return;
  const kits = [...reads.map((read) => nodeStreamState(read)), reader?.close];
  const held: (() => void)[] = new Array(kits.length);
  // "flushed": what Node settles after the microtask ran (a read it answers later) settles at once.
  let phase: "holding" | "scheduled" | "flushed" = "holding";
  kits.forEach((kit, at) => {
    const settlers = kit as { resolve?: unknown; reject?: unknown } | undefined;
    if (typeof settlers !== "object" || settlers === null) return;
    for (const key of ["resolve", "reject"] as const) {
      const settle = settlers[key];
      if (typeof settle !== "function") continue;
      settlers[key] = (value: unknown) => {
        if (phase === "flushed") return void settle(value);
        held[at] = () => settle(value);
        if (phase === "scheduled") return;
        phase = "scheduled";
        microtask(() => {
          phase = "flushed";
          held.forEach((run) => run?.());
        });
      };
    }
  });
}
