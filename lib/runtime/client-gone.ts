/**
 * A caller giving up on a fetch() (its signal aborting before the answer) while a stateless
 * Worker's handler has the request. The runtime cancels that Worker's event: it lasts only while
 * a promise its code gave waitUntil() is pending, its code running on meanwhile (a read of a body
 * still being sent fails, as the client is gone); once they have all settled, or at once without
 * any, the event ends, and what its code awaits (that read too) never settles. An object's
 * handler runs on instead: only the body's reads fail (http-request.ts). Checked with workerd:
 * conformance "worker event cancel: ...".
 */

/** What receives a request whose caller may give up: a Worker event (worker-event.ts). */
export interface ClientGoneReceiver {
  /** Its caller gave up: it ends once nothing keeps it (waitUntil). */
  clientGone(): void;
  readonly ended: boolean;
}

/** What a cancelled event's handler outcome becomes (WorkerEvent.unlessCancelled): no one receives it. */
export const CLIENT_GONE = new Error("The caller gave up on this request.");

/** The signal of the caller of each request sent with one (withRequest). */
const callerSignals = new WeakMap<Request, AbortSignal>();
/** The receiver of each request body sent with a signal. */
const receivers = new WeakMap<ReadableStream, ClientGoneReceiver>();

/** `request` is sent by a caller whose `signal` may give up on it. */
export function sentWithSignal(request: Request, signal: AbortSignal): void {
  callerSignals.set(request, signal);
}

/**
 * `receiver` takes `request` (whose body, as sent, is `body`): its caller giving up cancels it.
 * Returns what stops watching the caller's signal (once the receiver has answered); undefined
 * when the caller cannot give up (it gave no signal).
 */
export function cancelledByCaller(request: Request, body: ReadableStream | null, receiver: ClientGoneReceiver): (() => void) | undefined {
  const signal = callerSignals.get(request);
  if (signal === undefined) return undefined;
  if (body !== null) receivers.set(body, receiver);
  if (signal.aborted) {
    receiver.clientGone();
    return () => undefined;
  }
  const gone = () => receiver.clientGone();
  signal.addEventListener("abort", gone, { once: true });
  return () => signal.removeEventListener("abort", gone);
}

/**
 * The caller of `body` (a request body being sent) gave up: whether its receiver ended with it,
 * so that the body's reads are left pending rather than failed.
 */
export function receiverEndedWith(body: ReadableStream): boolean {
  const receiver = receivers.get(body);
  if (receiver === undefined) return false;
  receiver.clientGone();
  return receiver.ended;
}
