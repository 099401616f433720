/**
 * Body streams still flowing out of a Durable Object or a Worker event (a stream, or a
 * Request's or Response's body, it sent over RPC; the stream body of a Response its fetch()
 * handler returned): when the object ends (a reset, or the emulator disposed), or the Worker
 * (the emulator disposed), each is cut, so that whoever reads it gets
 * the error its crossing gives rather than waiting for ever, as in the runtime. A stream that
 * ends, fails or is cancelled first stops being tracked; one nobody can reach any more (a body
 * its receiver dropped unread) is held only weakly, so tracking keeps no body alive, and has
 * ended once it is collected. A WritableStream sent over RPC is cut too, but does not hold its
 * owner's end: nothing flows out of the owner until its receiver writes (flowsUntilOwnerEnds'
 * `holdsOwner`). This file imports nothing: the object's instance and the streams' makers both
 * depend on it alone.
 */

interface Flow {
  readonly target: WeakRef<object>;
  readonly cut: (target: never, error: Error) => void;
  /** Whether the owner's end (whenFlowsEnd) waits for it. */
  readonly holdsOwner: boolean;
}

interface Flows {
  readonly flows: Set<Flow>;
  /** How many of `flows` hold the owner's end. */
  holding: number;
  /** Called once the last flow has ended (see whenFlowsEnd). */
  drained?: () => void;
}

const flowing = new WeakMap<object, Flows>();

/** A flow whose target was collected (nobody can read its stream any more) has ended: an event
 * waiting on it ends, and its owner's set of flows does not grow with the dropped ones. */
const collected = new FinalizationRegistry<{ readonly owned: Flows; readonly flow: Flow }>(({ owned, flow }) => ended(owned, flow));

/**
 * Tracks `target` (what a stream of `owner`'s needs to be cut: held weakly) until the returned
 * function is called or `target` is garbage-collected; `cut(target, error)` fails the stream if
 * `owner` ends first. Unless `holdsOwner` is false, the owner's end (whenFlowsEnd) waits for it.
 */
export function flowsUntilOwnerEnds<T extends object>(
  owner: object,
  target: T,
  cut: (target: T, error: Error) => void,
  holdsOwner = true,
): () => void {
  const known = flowing.get(owner);
  const owned: Flows = known ?? { flows: new Set(), holding: 0 };
  if (known === undefined) flowing.set(owner, owned);
  const flow: Flow = { target: new WeakRef(target), cut, holdsOwner };
  owned.flows.add(flow);
  if (holdsOwner) owned.holding++;
  collected.register(target, { owned, flow }, flow);
  return () => {
    collected.unregister(flow);
    ended(owned, flow);
  };
}

function ended(owned: Flows, flow: Flow): void {
  if (!owned.flows.delete(flow) || !flow.holdsOwner || --owned.holding > 0) return;
  const drained = owned.drained;
  owned.drained = undefined;
  drained?.();
}

/**
 * Calls `drained` once none of `owner`'s streams flows any more (at once if none does): a
 * Worker event ends only when the streams it sent have ended. A stream its receiver dropped
 * unread ends once it is garbage-collected.
 */
export function whenFlowsEnd(owner: object, drained: () => void): void {
  const held = flowing.get(owner);
  if (held === undefined || held.holding === 0) return drained();
  held.drained = drained;
}

/** Whether a stream of `owner`'s that holds its end still flows. */
export function stillFlows(owner: object): boolean {
  return (flowing.get(owner)?.holding ?? 0) > 0;
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
