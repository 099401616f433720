/**
 * Body streams still flowing out of a Durable Object or a Worker event (a stream, or a
 * Request's or Response's body, it sent over RPC; the stream body of a Response its fetch()
 * handler returned): when the object ends (a reset, or the emulator disposed), or the Worker
 * (the emulator disposed), each is cut, so that whoever reads it gets
 * the error its crossing gives rather than waiting for ever, as in the runtime. A stream that
 * ends, fails or is cancelled first stops being tracked; one nobody can reach any more (a body
 * its receiver dropped unread) is held only weakly, so tracking keeps no body alive. This file
 * imports nothing: the object's instance and the streams' makers both depend on it alone.
 */

interface Flow {
  readonly target: WeakRef<object>;
  readonly cut: (target: never, error: Error) => void;
}

/** An owner's flows, and how many it may hold before those whose target was collected are
 * dropped (PRUNE_AT, then twice the rest). */
interface Flows {
  readonly flows: Set<Flow>;
  pruneAt: number;
  /** Called once the last flow has ended (see whenFlowsEnd). */
  drained?: () => void;
}

const flowing = new WeakMap<object, Flows>();

const PRUNE_AT = 64;

/**
 * Tracks `target` (what a stream of `owner`'s needs to be cut: held weakly) until the returned
 * function is called; `cut(target, error)` fails the stream if `owner` ends first.
 */
export function flowsUntilOwnerEnds<T extends object>(owner: object, target: T, cut: (target: T, error: Error) => void): () => void {
  let held = flowing.get(owner);
  if (held === undefined) flowing.set(owner, (held = { flows: new Set(), pruneAt: PRUNE_AT }));
  if (held.flows.size >= held.pruneAt) prune(held);
  const flow: Flow = { target: new WeakRef(target), cut };
  const flows = held.flows;
  flows.add(flow);
  const owned = held;
  return () => {
    if (flows.delete(flow) && flows.size === 0) callDrained(owned);
  };
}

function prune(held: Flows): void {
  const flows = held.flows;
  for (const flow of flows) if (flow.target.deref() === undefined) flows.delete(flow);
  held.pruneAt = Math.max(PRUNE_AT, 2 * flows.size);
}

function callDrained(held: Flows): void {
  const drained = held.drained;
  held.drained = undefined;
  drained?.();
}

/**
 * Calls `drained` once none of `owner`'s streams flows any more (at once if none does): a
 * Worker event ends only when the streams it sent have ended. A stream its receiver dropped
 * unread is not seen to end until `owner` ends.
 */
export function whenFlowsEnd(owner: object, drained: () => void): void {
  const held = flowing.get(owner);
  if (held === undefined || held.flows.size === 0) return drained();
  held.drained = drained;
}

/** `owner` ended with `error`: every stream of its still flowing is cut. */
export function ownerEnded(owner: object, error: Error): void {
  const held = flowing.get(owner);
  if (held === undefined) return;
  flowing.delete(owner);
  for (const flow of held.flows) {
    const target = flow.target.deref();
    if (target !== undefined) (flow.cut as (target: object, error: Error) => void)(target, error);
  }
}
