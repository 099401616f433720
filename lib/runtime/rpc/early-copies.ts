/**
 * The runtime serialises a call's arguments as the call is made, before anything may refuse it:
 * a call on a disposed stub or RPC promise, or one pipelined onto a result that fails, still
 * copies them (a bad argument's DataCloneError comes first, a caller's RpcTarget among them is
 * disposed once the call is over, a stream is taken, a getter runs). The calls refused or held
 * before an endpoint copies them copy through here. The copier is stub.ts's withCopiedArgs,
 * which the modules refusing those calls (handles.ts, promises.ts) cannot import: stub.ts
 * imports them.
 */

type Send = (copied: unknown[] | undefined) => Promise<unknown>;
type Copier = (args: unknown[] | undefined, send: Send, receiverId?: string) => Promise<unknown>;

let copier: Copier | undefined;

export function defineArgumentCopier(copy: Copier): void {
  copier = copy;
}

/** Copies `args` as the caller sends them, then `send`s the copy (see the module comment). */
export function copyArgsFirst(args: unknown[] | undefined, send: Send, receiverId?: string): Promise<unknown> {
  return copier!(args, send, receiverId);
}
