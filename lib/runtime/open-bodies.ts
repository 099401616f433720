/**
 * Body streams still flowing out of a Durable Object (a stream, or a Request's or Response's
 * body, it sent over RPC; the stream body of a Response its fetch() handler returned): when the
 * object ends (a reset, or the emulator disposed), each is cut, so that whoever reads it gets
 * the error its crossing gives rather than waiting for ever, as in the runtime. A stream that
 * ends, fails or is cancelled first stops being tracked; one nobody can reach any more (a body
 * its receiver dropped unread) is held only weakly, so tracking keeps no body alive. This file
 * imports nothing: the object's instance and the streams' makers both depend on it alone.
 */

interface Flow {
  readonly target: WeakRef<object>;
  readonly cut: (target: never, error: Error) => void;
}

const flowing = new WeakMap<object, Set<Flow>>();

/** Flows an owner holds before those whose target was collected are dropped (then twice the rest). */
const PRUNE_AT = 64;
const pruneAt = new WeakMap<Set<Flow>, number>();

/**
 * Tracks `target` (what a stream of `owner`'s needs to be cut: held weakly) until the returned
 * function is called; `cut(target, error)` fails the stream if `owner` ends first.
 */
export function flowsUntilOwnerEnds<T extends object>(owner: object, target: T, cut: (target: T, error: Error) => void): () => void {
  let flows = flowing.get(owner);
  if (flows === undefined) flowing.set(owner, (flows = new Set()));
  if (flows.size >= (pruneAt.get(flows) ?? PRUNE_AT)) prune(flows);
  const flow: Flow = { target: new WeakRef(target), cut };
  flows.add(flow);
  const tracked = flows;
  return () => void tracked.delete(flow);
}

function prune(flows: Set<Flow>): void {
  for (const flow of flows) if (flow.target.deref() === undefined) flows.delete(flow);
  pruneAt.set(flows, Math.max(PRUNE_AT, 2 * flows.size));
}

/** `owner` ended with `error`: every stream of its still flowing is cut. */
export function ownerEnded(owner: object, error: Error): void {
  const flows = flowing.get(owner);
  if (flows === undefined) return;
  flowing.delete(owner);
  for (const flow of flows) {
    const target = flow.target.deref();
    if (target !== undefined) (flow.cut as (target: object, error: Error) => void)(target, error);
  }
}
