import { whenReady } from "../../util/ready-io.js";
import { asOutsideCode, objectCodeOwner } from "../code-context.js";
import type { SocketHost } from "../object-code-owner.js";

export type { OpenEnd, SocketHost } from "../object-code-owner.js";

/**
 * Code outside any Durable Object: frames leave at once, events arrive as later macrotasks, each
 * an I/O completion that is ready (a timer falling due waits for it: util/ready-io.ts). They
 * run outside every object and Worker event, never as code of whoever sent the frame (an object
 * on the other end), whose I/O objects the listener could not use (io-context.ts).
 */
export const OUTSIDE: SocketHost = {
  outputGate: () => undefined,
  schedule: (event) => {
    whenReady(() => asOutsideCode(event));
  },
  opened: () => () => undefined,
};

/**
 * The host of the code running right now, which is where a new WebSocketPair's ends live: the
 * object whose code it is (the async context follows it across awaits and timers), or OUTSIDE.
 */
export function currentSocketHost(): SocketHost {
  return objectCodeOwner()?.sockets ?? OUTSIDE;
}
