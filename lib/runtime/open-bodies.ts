/**
 * Body streams still flowing out of a Durable Object (a stream, or a Request's or Response's
 * body, it sent over RPC; the stream body of a Response its fetch() handler returned): when the
 * object ends (a reset, or the emulator disposed), each is cut, so that whoever reads it gets
 * the error its crossing gives rather than waiting for ever, as in the runtime. A stream that
 * ends, fails or is cancelled first stops being tracked. This file imports nothing: the object's
 * instance and the streams' makers both depend on it alone.
 */

type Cut = (error: Error) => void;

const flowing = new WeakMap<object, Set<Cut>>();

/** Tracks a stream of `owner`'s until the returned function is called; `cut` fails it if
 * `owner` ends first. */
export function flowsUntilOwnerEnds(owner: object, cut: Cut): () => void {
  let cuts = flowing.get(owner);
  if (cuts === undefined) flowing.set(owner, (cuts = new Set()));
  cuts.add(cut);
  return () => void cuts.delete(cut);
}

/** `owner` ended with `error`: every stream of its still flowing is cut. */
export function ownerEnded(owner: object, error: Error): void {
  const cuts = flowing.get(owner);
  if (cuts === undefined) return;
  flowing.delete(owner);
  for (const cut of cuts) cut(error);
}
