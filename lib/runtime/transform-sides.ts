import { nodeStreamState } from "./node-stream-state.js";
import { readsClosedOnceErrored } from "./native-writables.js";

/**
 * A TransformStream of the runtime's own making (IdentityTransformStream, FixedLengthStream,
 * the compression streams) is one (`instanceof`, `pipeThrough`, TransformStream's getters), but
 * its sides are no JavaScript transform's: Node's TransformStream makes a default readable side
 * and cannot refuse one write without erroring its writable side. So each instance's sides are
 * swapped for streams of our own, in the state Node's `readable` / `writable` getters read
 * (node-stream-state.ts).
 */

export interface Sides {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<unknown>;
}

/** Puts `sides` where Node's getters read the instance's. */
export function adoptSides(stream: TransformStream, sides: Sides): void {
  const state = nodeStreamState(stream) as Partial<Sides> | undefined;
  if (state === undefined || !("readable" in state) || !("writable" in state)) {
    throw new Error(`durasim cannot build byte TransformStreams on Node ${process.version}: its TransformStream keeps its state elsewhere`);
  }
  state.readable = sides.readable;
  state.writable = readsClosedOnceErrored(sides.writable);
}
