import { nextTurn } from "../../util/turn.js";
import { objectCodeOwner } from "../code-context.js";
import type { SocketHost } from "../object-code-owner.js";

export type { OpenEnd, SocketHost } from "../object-code-owner.js";

/** Code outside any Durable Object: frames leave at once, events arrive as later macrotasks. */
export const OUTSIDE: SocketHost = {
  outputGate: () => undefined,
  schedule: (event) => {
    nextTurn(event);
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
